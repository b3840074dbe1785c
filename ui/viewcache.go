package ui

import (
	"strings"
	"sync"
)

// viewCache keeps what View drew last, each part with the inputs it was
// drawn from, so a frame draws again only what changed: a log pane whose
// buffer, scroll state, size, title and search are as before, a table row
// whose cells are as before, and the key help while no key changed. It is
// shared by the copies of a Model, like the log buffers (only the newest
// model is used); the mutex only guards against a test reading an older
// copy's View at the same time.
type viewCache struct {
	mu    sync.Mutex
	panes map[int]cachedPane // by pane key
	rows  map[int]cachedText // table rows by node index
	help  cachedText
	drawn int // panes drawn so far (for tests)
}

func newViewCache() *viewCache {
	return &viewCache{panes: map[int]cachedPane{}, rows: map[int]cachedText{}}
}

// paneInputs is everything a pane's drawing depends on.
type paneInputs struct {
	buf     *logBuf
	ver     uint64
	ps      pane
	r       rect
	focused bool
	single  bool
	zoomed  bool
	filter  string
	search  searchState
	state   string // the node's state in the title
}

type cachedPane struct {
	in    paneInputs
	lines []string
}

// cachedText is a drawn string and the key of what it was drawn from.
type cachedText struct {
	key, text string
}

// pane returns the lines drawn for in, drawing them with draw when the
// pane's inputs changed.
func (c *viewCache) pane(key int, in paneInputs, draw func() []string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.panes[key]; ok && p.in == in {
		return p.lines
	}
	c.drawn++
	lines := draw()
	lines = lines[:len(lines):len(lines)] // callers appending get a copy
	c.panes[key] = cachedPane{in: in, lines: lines}
	return lines
}

// row returns table row i as drawn for key, drawing it with draw when the
// key changed.
func (c *viewCache) row(i int, key string, draw func() string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.rows[i]; ok && r.key == key {
		return r.text
	}
	s := draw()
	c.rows[i] = cachedText{key: key, text: s}
	return s
}

// helpLine returns the key help as drawn for key, drawing it with draw when
// the key changed.
func (c *viewCache) helpLine(key string, draw func() string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.help.key == key && c.help.text != "" {
		return c.help.text
	}
	c.help = cachedText{key: key, text: draw()}
	return c.help.text
}

// keyOf joins parts into one cache key.
func keyOf(parts ...string) string { return strings.Join(parts, "\x00") }
