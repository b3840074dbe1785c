package node

import (
	"reflect"
	"strings"
	"testing"
)

// splitAll runs the splitter over the chunks and returns every line,
// including a partial last line.
func splitAll(max int, chunks ...string) []string {
	s := splitter{max: max}
	var out []string
	emit := func(b []byte) { out = append(out, string(b)) }
	for _, c := range chunks {
		s.write([]byte(c), emit)
	}
	s.flush(emit)
	return out
}

func TestSplitter(t *testing.T) {
	const esc = "\x1b"
	tests := []struct {
		name   string
		chunks []string
		want   []string
	}{
		{"plain lines", []string{"a\nb\n"}, []string{"a", "b"}},
		{"crlf from a pty", []string{"one\r\ntwo\r\n"}, []string{"one", "two"}},
		{"crlf split across reads", []string{"one\r", "\ntwo\r", "\n"}, []string{"one", "two"}},
		{"partial last line delivered", []string{"a\npart"}, []string{"a", "part"}},
		{"empty lines kept", []string{"\n\r\nx\n"}, []string{"", "", "x"}},
		{"lone cr overwrites", []string{"10%\r20%\r30%\n"}, []string{"30%"}},
		{"lone cr overwrites across reads", []string{"10%\r", "50%\r\n"}, []string{"50%"}},
		{"double cr before lf", []string{"x\r\r\n"}, []string{"x"}},
		{"trailing lone cr at end of stream", []string{"done\r"}, []string{"done"}},
		{"sgr kept", []string{esc + "[31mred" + esc + "[0m\n"}, []string{esc + "[31mred" + esc + "[0m"}},
		{"sgr with colons and empty params", []string{esc + "[38:5:196m" + esc + "[m\n"}, []string{esc + "[38:5:196m" + esc + "[m"}},
		{"sgr split across reads", []string{"a" + esc, "[1", ";32mb\n"}, []string{"a" + esc + "[1;32mb"}},
		{"cursor move dropped", []string{"a" + esc + "[2;5Hb\n"}, []string{"ab"}},
		{"erase line dropped", []string{"a" + esc + "[Kb" + esc + "[2J\n"}, []string{"ab"}},
		{"private mode dropped", []string{esc + "[?25lx" + esc + "[?25h\n"}, []string{"x"}},
		{"private marker m is not sgr", []string{esc + "[>4;2mx\n"}, []string{"x"}},
		{"osc title with bel dropped", []string{esc + "]0;title\x07x\n"}, []string{"x"}},
		{"osc with st dropped", []string{esc + "]8;;http://x" + esc + "\\link" + esc + "]8;;" + esc + "\\\n"}, []string{"link"}},
		{"unterminated osc ends at newline", []string{esc + "]0;oops\nnext\n"}, []string{"", "next"}},
		{"dcs dropped", []string{esc + "Pq#0;2;0;0;0" + esc + "\\x\n"}, []string{"x"}},
		{"charset designation dropped", []string{esc + "(Bx" + esc + "7y" + esc + "8\n"}, []string{"xy"}},
		{"bel backspace and del dropped", []string{"a\x07b\x08c\x7fd\x00\n"}, []string{"abcd"}},
		{"tab expands to stop", []string{"ab\tc\n\td\n"}, []string{"ab      c", "        d"}},
		{"tab counts runes not bytes", []string{"é\tx\n"}, []string{"é       x"}},
		{"utf8 and emoji kept", []string{"slot ✅ 🚀\n"}, []string{"slot ✅ 🚀"}},
		{"cr then erase then text", []string{"old\r" + esc + "[Knew\n"}, []string{"new"}},
		{"cr then sgr keeps new colour", []string{"old\r" + esc + "[32mnew\n"}, []string{esc + "[32mnew"}},
		{"cr then bel does not clear", []string{"keep\r\x07\n"}, []string{"keep"}},
		{"escape aborted by newline", []string{"a" + esc + "[12\nb\n"}, []string{"a", "b"}},
		{"overlong csi dropped whole", []string{esc + "[" + strings.Repeat("1;", 40) + "mx\n"}, []string{"x"}},
		{"esc esc", []string{esc + esc + "[1mx\n"}, []string{esc + "[1mx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitAll(0, tt.chunks...)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("split(%q)\n got %q\nwant %q", tt.chunks, got, tt.want)
			}
			// The same bytes fed one at a time must give the same lines.
			var bytes []string
			for _, c := range strings.Join(tt.chunks, "") {
				bytes = append(bytes, string(c))
			}
			if got1 := splitAll(0, bytes...); !reflect.DeepEqual(got1, tt.want) {
				t.Errorf("byte by byte\n got %q\nwant %q", got1, tt.want)
			}
		})
	}
}

func TestSplitterCutsLongLines(t *testing.T) {
	tests := []struct {
		name  string
		max   int
		input string
		want  []string
	}{
		{"ascii cut at limit", 4, "abcdefghij\n", []string{"abcd", "efgh", "ij"}},
		{"exact limit not cut early", 4, "abcd\n", []string{"abcd"}},
		{"cut never splits a rune", 4, "abcé\n", []string{"abc", "é"}},
		{"cut after a whole rune", 5, "abcéd\n", []string{"abcé", "d"}},
		{"four byte rune at the edge", 5, "ab🚀cd\n", []string{"ab", "🚀c", "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitAll(tt.max, tt.input)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q want %q", got, tt.want)
			}
		})
	}
}

func TestSplitterDefaultLimit(t *testing.T) {
	long := strings.Repeat("x", 3*MaxLineBytes+10)
	got := splitAll(0, long+"\n")
	if len(got) != 4 {
		t.Fatalf("got %d lines, want 4", len(got))
	}
	for i, l := range got[:3] {
		if len(l) != MaxLineBytes {
			t.Errorf("line %d has %d bytes, want %d", i, len(l), MaxLineBytes)
		}
	}
	if strings.Join(got, "") != long {
		t.Error("cut lines do not add up to the input")
	}
}
