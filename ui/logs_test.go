package ui

import (
	"fmt"
	"strings"
	"testing"

	"slonui/cluster"
)

func bufOf(n int) *logBuf {
	b := newLogBuf(1000)
	var lines []cluster.LogLine
	for i := 1; i <= n; i++ {
		lines = append(lines, cluster.LogLine{Seq: uint64(i), Text: fmt.Sprintf("line %d", i)})
	}
	ingest(b, 1, lines, true)
	return b
}

func keys(es []*logEntry) string {
	var s []string
	for _, e := range es {
		s = append(s, fmt.Sprint(e.key))
	}
	return strings.Join(s, " ")
}

func TestPaneScroll(t *testing.T) {
	even := func(e *logEntry) bool {
		return strings.HasSuffix(e.lower, "0") || strings.HasSuffix(e.lower, "2") || strings.HasSuffix(e.lower, "4") || strings.HasSuffix(e.lower, "6") || strings.HasSuffix(e.lower, "8")
	}
	tests := []struct {
		name   string
		steps  []int
		keep   filterFn
		follow bool
		want   string // keys of the 3 visible lines
	}{
		{"follow shows newest", nil, nil, true, "8 9 10"},
		{"up one", []int{-1}, nil, false, "7 8 9"},
		{"up then down to bottom follows", []int{-2, 2}, nil, true, "8 9 10"},
		{"up past top keeps a full pane", []int{-50}, nil, false, "1 2 3"},
		{"down past bottom follows", []int{-4, 100}, nil, true, "8 9 10"},
		{"filtered follow", nil, even, true, "6 8 10"},
		{"filtered up one", []int{-1}, even, false, "4 6 8"},
		{"filtered top", []int{-9}, even, false, "2 4 6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bufOf(10)
			p := pane{follow: true}
			for _, s := range tc.steps {
				p = p.scroll(b, s, 3, tc.keep)
			}
			if p.follow != tc.follow {
				t.Errorf("follow %v, want %v", p.follow, tc.follow)
			}
			if got := keys(p.visible(b, 3, tc.keep)); got != tc.want {
				t.Errorf("visible %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAnchoredPaneIgnoresNewLinesAndDrops(t *testing.T) {
	b := newLogBuf(10)
	add := func(from, to int) {
		var ls []cluster.LogLine
		for i := from; i <= to; i++ {
			ls = append(ls, cluster.LogLine{Seq: uint64(i), Text: "x"})
		}
		ingest(b, 1, ls, true)
	}
	add(1, 10)
	p := pane{follow: true}.scroll(b, -2, 3, nil) // shows 6 7 8
	add(11, 13)                                   // 1..3 drop off
	if got := keys(p.visible(b, 3, nil)); got != "6 7 8" {
		t.Errorf("after new lines: %q, want 6 7 8", got)
	}
	add(14, 30) // the anchor drops off: the pane shows the oldest kept lines
	if got := keys(p.visible(b, 3, nil)); got != "" && !strings.HasPrefix(got, "21") {
		t.Errorf("after anchor dropped: %q", got)
	}
}

func TestIngestSkipsDuplicatesAndResets(t *testing.T) {
	b := newLogBuf(100)
	l := func(seqs ...uint64) []cluster.LogLine {
		var out []cluster.LogLine
		for _, s := range seqs {
			out = append(out, cluster.LogLine{Seq: s, Text: fmt.Sprint("s", s)})
		}
		return out
	}
	if got := len(ingest(b, 1, l(1, 2, 3), true)); got != 3 {
		t.Fatalf("added %d", got)
	}
	if got := len(ingest(b, 1, l(2, 3, 4), true)); got != 1 || b.lastSeq != 4 {
		t.Errorf("duplicates: added %d, lastSeq %d", got, b.lastSeq)
	}
	b.lastSeq = 500 // a ring far ahead, then a restart from 1
	ingest(b, 1, l(1), true)
	if len(b.lines) != 1 || b.lastSeq != 1 {
		t.Errorf("after reset: %d lines, lastSeq %d", len(b.lines), b.lastSeq)
	}
}

func TestEntryPlainStripsColour(t *testing.T) {
	e := newEntry(1, 1, "\x1b[32mINFO\x1b[0m\tslot 5", true)
	if e.text != "INFO    slot 5" || e.lower != "info    slot 5" {
		t.Errorf("plain entry %q / %q", e.text, e.lower)
	}
	e = newEntry(1, 1, "\x1b[32mINFO\x1b[0m", false)
	if e.text != "\x1b[32mINFO\x1b[0m" || e.lower != "info" {
		t.Errorf("colour entry %q / %q", e.text, e.lower)
	}
}

func TestHighlight(t *testing.T) {
	st := newStyles(true)
	s := newSearch("Vote")
	tests := []struct {
		text    string
		width   int
		current bool
		want    string
	}{
		{"tower: vote slot 5, VOTE ok", 80, false, "tower: «vote» slot 5, «VOTE» ok"},
		{"tower: vote slot 5", 80, true, "tower: »vote« slot 5"},
		{"no match here", 80, false, "no match here"},
		{"vote vote vote", 8, false, "«vote» «"},
	}
	for _, tc := range tests {
		e := newEntry(1, 1, tc.text, true)
		if got := s.highlight(&e, tc.width, tc.current, &st); got != tc.want {
			t.Errorf("highlight(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestInterleaveSpreadsNodes(t *testing.T) {
	mk := func(node, n int) []logEntry {
		var out []logEntry
		for i := range n {
			out = append(out, newEntry(uint64(i), node, fmt.Sprint(node), true))
		}
		return out
	}
	m := newLogBuf(100)
	interleave(m, [][]logEntry{mk(1, 4), mk(2, 2)})
	var got []string
	for _, e := range m.lines {
		got = append(got, fmt.Sprint(e.node))
	}
	if s := strings.Join(got, ""); s != "112112" {
		t.Errorf("order %s, want 112112", s)
	}
	for i, e := range m.lines {
		if e.key != uint64(i) {
			t.Errorf("line %d has key %d", i, e.key)
		}
	}
}
