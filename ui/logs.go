package ui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"slonui/cluster"
)

// logEntry is one stored log line.
type logEntry struct {
	key   uint64 // position in its buffer, rising by at least one per line
	node  int    // 1-based node the line came from
	text  string // tabs expanded; SGR kept unless plain
	lower string // ANSI stripped and lower-cased, for search and filter
}

// logBuf is a bounded scroll-back of log lines, oldest first. It keeps at
// most limit lines; older lines drop off the front (the full log is on disk).
type logBuf struct {
	limit   int
	lines   []logEntry
	lastSeq uint64 // the node's Seq of the newest line received (node buffers)
	nextKey uint64 // next key for merged buffers
	ver     uint64 // bumped by every change of lines, for the view cache
}

func newLogBuf(limit int) *logBuf { return &logBuf{limit: limit} }

// add appends one entry and drops the oldest beyond the limit.
func (b *logBuf) add(e logEntry) {
	b.ver++
	b.lines = append(b.lines, e)
	if over := len(b.lines) - b.limit; over > 0 {
		// Re-slice, and copy down once the dead prefix is as large as the
		// live part so the backing array stays bounded.
		b.lines = b.lines[over:]
		if cap(b.lines) > 2*b.limit+64 {
			b.lines = append(make([]logEntry, 0, b.limit+64), b.lines...)
		}
	}
}

// reset drops every line.
func (b *logBuf) reset() {
	b.lines, b.lastSeq = nil, 0
	b.ver++
}

// clear drops every line but keeps the keys rising (the merged stream).
func (b *logBuf) clear() {
	b.lines = nil
	b.ver++
}

// index returns the position of the first line whose key is >= k.
func (b *logBuf) index(k uint64) int {
	return sort.Search(len(b.lines), func(i int) bool { return b.lines[i].key >= k })
}

// newEntry prepares a line for storage and display.
func newEntry(key uint64, node int, text string, plain bool) logEntry {
	if strings.IndexByte(text, '\t') >= 0 {
		text = strings.ReplaceAll(text, "\t", "    ")
	}
	stripped := ansi.Strip(text)
	if plain {
		text = stripped
	}
	return logEntry{key: key, node: node, text: text, lower: strings.ToLower(stripped)}
}

// ingest stores a node's new lines in its buffer and returns the entries it
// added. A Seq far behind the newest (the node's ring was recreated) starts
// the buffer over; lines already held are skipped.
func ingest(nb *logBuf, node int, lines []cluster.LogLine, plain bool) []logEntry {
	added := make([]logEntry, 0, len(lines))
	for _, l := range lines {
		if l.Seq <= nb.lastSeq {
			if l.Seq+uint64(nb.limit) < nb.lastSeq || l.Seq == 0 {
				nb.reset()
			} else {
				continue // already have it
			}
		}
		nb.lastSeq = l.Seq
		e := newEntry(l.Seq, node, l.Text, plain)
		nb.add(e)
		added = append(added, e)
	}
	return added
}

// interleave appends one pull's new lines of several nodes to the merged
// stream, spreading each node's lines evenly over the batch (line j of k
// sits at j/k) so that no node's backlog buries the others. Pulls carry no
// wall-clock times, so order within one tick is approximate.
func interleave(merged *logBuf, batches [][]logEntry) {
	type slot struct {
		pos float64
		e   logEntry
	}
	var all []slot
	for _, b := range batches {
		for j, e := range b {
			all = append(all, slot{pos: float64(j+1) / float64(len(b)), e: e})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].pos < all[j].pos })
	for _, s := range all {
		s.e.key = merged.nextKey
		merged.nextKey++
		merged.add(s.e)
	}
}

// pane is the scroll state of one log pane. While following it shows the
// newest lines; otherwise it stays anchored on the line with key anchor at
// its bottom, however many lines arrive.
type pane struct {
	follow bool
	anchor uint64 // key of the bottom visible line when not following
}

// filterFn decides whether a line is shown; nil shows every line.
type filterFn func(e *logEntry) bool

func matchFilter(q string) filterFn {
	if q == "" {
		return nil
	}
	q = strings.ToLower(q)
	return func(e *logEntry) bool { return strings.Contains(e.lower, q) }
}

// bottom returns the index (exclusive) of the last line the pane shows.
func (p pane) bottom(b *logBuf) int {
	if p.follow {
		return len(b.lines)
	}
	i := b.index(p.anchor)
	if i < len(b.lines) && b.lines[i].key == p.anchor {
		return i + 1
	}
	return i
}

// visible returns up to h shown lines ending at the pane's bottom, oldest first.
func (p pane) visible(b *logBuf, h int, keep filterFn) []*logEntry {
	if h <= 0 {
		return nil
	}
	out := make([]*logEntry, 0, h)
	for i := p.bottom(b) - 1; i >= 0 && len(out) < h; i-- {
		if keep == nil || keep(&b.lines[i]) {
			out = append(out, &b.lines[i])
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// scroll moves the pane by n shown lines (negative = up, towards older
// lines). Reaching the newest line turns follow back on. h is the pane's
// height: the pane never scrolls so far up that it shows fewer than h lines.
func (p pane) scroll(b *logBuf, n, h int, keep filterFn) pane {
	if len(b.lines) == 0 || n == 0 {
		return p
	}
	i := p.bottom(b) - 1 // current bottom line
	if i < 0 {
		i = 0
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	last := i
	for j := i + step; n > 0 && j >= 0 && j < len(b.lines); j += step {
		if keep == nil || keep(&b.lines[j]) {
			last = j
			n--
		}
	}
	if step > 0 && p.newestShown(b, last, keep) {
		return pane{follow: true}
	}
	// Keep a full screen above the bottom when scrolling up.
	if step < 0 {
		shown := 0
		for j := last; j >= 0 && shown < h; j-- {
			if keep == nil || keep(&b.lines[j]) {
				shown++
			}
		}
		for j := last + 1; shown < h && j < len(b.lines); j++ {
			if keep == nil || keep(&b.lines[j]) {
				last = j
				shown++
			}
		}
		if p.newestShown(b, last, keep) {
			return pane{follow: true}
		}
	}
	return pane{anchor: b.lines[last].key}
}

// newestShown reports whether no shown line comes after index i.
func (p pane) newestShown(b *logBuf, i int, keep filterFn) bool {
	for j := i + 1; j < len(b.lines); j++ {
		if keep == nil || keep(&b.lines[j]) {
			return false
		}
	}
	return true
}

// top anchors the pane so that its first lines are the oldest kept.
func (p pane) top(b *logBuf, h int, keep filterFn) pane {
	return p.scroll(b, -len(b.lines), h, keep)
}

// showing anchors the pane so line i is shown about a third of the pane
// above its bottom (or follows, when i is that close to the newest line).
func (p pane) showing(b *logBuf, i, h int, keep filterFn) pane {
	return pane{anchor: b.lines[i].key}.scroll(b, h/3, h, keep)
}
