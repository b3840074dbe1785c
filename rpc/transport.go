package rpc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// transport posts JSON bodies to one plain-HTTP node over kept-alive
// HTTP/1.1 connections, in the caller's goroutine: the request is written
// and the answer read by the goroutine that asked, so a call costs no
// hand-offs between the reader and writer goroutines net/http keeps per
// connection (with pollers on many nodes every 250 ms those hand-offs were
// most of the console's scheduler time). Connections are used by one call
// at a time; up to maxIdle wait between calls.
type transport struct {
	addr    string // host:port to dial
	head    []byte // "POST /path HTTP/1.1\r\nHost: …\r\nContent-Type: …\r\nContent-Length: "
	maxIdle int
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)

	mu   sync.Mutex
	idle []*httpConn // most recently used last
}

// httpConn is one connection with its reader.
type httpConn struct {
	c    net.Conn
	br   *bufio.Reader
	used time.Time // when it went idle
}

// maxIdleAge drops idle connections older than this rather than risk a
// node having closed them (slonui's server keeps them two minutes).
const maxIdleAge = 30 * time.Second

// newTransport returns a transport for a http:// URL, or nil for any
// other scheme (those go through net/http).
func newTransport(rawURL string, cfg Config, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *transport {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil {
		return nil
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	path := u.RequestURI()
	head := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: slonui\r\nContent-Type: application/json\r\nContent-Length: ", path, u.Host)
	return &transport{addr: addr, head: head, maxIdle: cfg.MaxIdleConns, dial: dial}
}

// errNoAnswer is a kept-alive connection closed before any answer came:
// the node had dropped it, and the request is sent again on a new one.
var errNoAnswer = errors.New("connection closed before an answer")

// post sends body and returns the reply body and status code.
func (t *transport) post(ctx context.Context, body []byte, maxReply int64) ([]byte, int, error) {
	for attempt := 0; ; attempt++ {
		hc, reused, err := t.get(ctx)
		if err != nil {
			return nil, 0, ctxErr(ctx, err)
		}
		raw, code, keep, err := t.roundTrip(ctx, hc, body, maxReply)
		if err != nil {
			hc.c.Close()
			if reused && attempt == 0 && errors.Is(err, errNoAnswer) && ctx.Err() == nil {
				continue
			}
			return nil, 0, ctxErr(ctx, err)
		}
		if keep {
			t.put(hc)
		} else {
			hc.c.Close()
		}
		return raw, code, nil
	}
}

// ctxErr puts ctx's error in front when ctx ended the call. The
// connection's deadline is ctx's, so its timeout may come just before
// ctx's own timer marks ctx done.
func ctxErr(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if d, ok := ctx.Deadline(); cerr == nil && ok && errors.Is(err, os.ErrDeadlineExceeded) && !time.Now().Before(d) {
		cerr = context.DeadlineExceeded
	}
	if cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}

// get takes the newest fresh idle connection or dials one.
func (t *transport) get(ctx context.Context) (*httpConn, bool, error) {
	t.mu.Lock()
	for len(t.idle) > 0 {
		hc := t.idle[len(t.idle)-1]
		t.idle = t.idle[:len(t.idle)-1]
		if time.Since(hc.used) < maxIdleAge {
			t.mu.Unlock()
			return hc, true, nil
		}
		hc.c.Close()
	}
	t.mu.Unlock()
	c, err := t.dial(ctx, "tcp", t.addr)
	if err != nil {
		return nil, false, err
	}
	return &httpConn{c: c, br: bufio.NewReaderSize(c, 16<<10)}, false, nil
}

// put keeps hc for the next call, or closes it when maxIdle wait already.
func (t *transport) put(hc *httpConn) {
	hc.used = time.Now()
	t.mu.Lock()
	if len(t.idle) < t.maxIdle {
		t.idle = append(t.idle, hc)
		hc = nil
	}
	t.mu.Unlock()
	if hc != nil {
		hc.c.Close()
	}
}

// closeIdle closes every idle connection.
func (t *transport) closeIdle() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.mu.Unlock()
	for _, hc := range idle {
		hc.c.Close()
	}
}

// bufPool holds request buffers (headers and body leave in one write).
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// roundTrip writes one request on hc and reads its answer. keep reports
// whether hc can carry another request.
func (t *transport) roundTrip(ctx context.Context, hc *httpConn, body []byte, maxReply int64) (raw []byte, code int, keep bool, err error) {
	if d, ok := ctx.Deadline(); ok {
		hc.c.SetDeadline(d)
	} else {
		hc.c.SetDeadline(time.Time{})
	}
	stop := context.AfterFunc(ctx, func() { hc.c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	bp := bufPool.Get().(*[]byte)
	req := append((*bp)[:0], t.head...)
	req = strconv.AppendInt(req, int64(len(body)), 10)
	req = append(req, "\r\n\r\n"...)
	req = append(req, body...)
	_, werr := hc.c.Write(req)
	*bp = req[:0]
	bufPool.Put(bp)
	if werr != nil {
		if dropped(werr) {
			return nil, 0, false, fmt.Errorf("write request: %w: %w", errNoAnswer, werr)
		}
		return nil, 0, false, fmt.Errorf("write request: %w", werr)
	}
	if _, err := hc.br.Peek(1); err != nil {
		if dropped(err) {
			return nil, 0, false, fmt.Errorf("read reply: %w: %w", errNoAnswer, err)
		}
		return nil, 0, false, fmt.Errorf("read reply: %w", err)
	}
	raw, code, keep, err = readReply(hc.br, maxReply)
	if err != nil {
		return nil, 0, false, fmt.Errorf("read reply: %w", err)
	}
	return raw, code, keep, nil
}

// readReply reads one HTTP/1.x answer: its status, the headers that say
// how the body ends and whether the connection stays, and at most max
// bytes of body. keep is false when the connection cannot carry another
// request (the node closes it, or body bytes are left unread).
func readReply(br *bufio.Reader, max int64) (raw []byte, code int, keep bool, err error) {
	line, err := readLine(br)
	if err != nil {
		return nil, 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return nil, 0, false, fmt.Errorf("malformed status line %.40q", line)
	}
	code, err = strconv.Atoi(string(line[9:12]))
	if err != nil || code < 100 {
		return nil, 0, false, fmt.Errorf("malformed status line %.40q", line)
	}
	keep = line[7] == '1' // HTTP/1.1 keeps the connection unless told
	length, chunked := int64(-1), false
	for {
		line, err := readLine(br)
		if err != nil {
			return nil, 0, false, err
		}
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return nil, 0, false, fmt.Errorf("malformed header %.40q", line)
		}
		k, v = bytes.TrimSpace(k), bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil || n < 0 {
				return nil, 0, false, fmt.Errorf("malformed Content-Length %.40q", v)
			}
			length = n
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.Contains(bytes.ToLower(v), []byte("chunked"))
		case bytes.EqualFold(k, []byte("Connection")):
			switch {
			case bytes.EqualFold(v, []byte("close")):
				keep = false
			case bytes.EqualFold(v, []byte("keep-alive")):
				keep = true
			}
		}
	}
	switch {
	case code == http.StatusNoContent || code == http.StatusNotModified || code < 200:
		return nil, code, keep, nil
	case chunked:
		raw, err = io.ReadAll(io.LimitReader(httputil.NewChunkedReader(br), max))
		if err == nil && int64(len(raw)) == max {
			keep = false
		}
		// The chunked reader stops at the last chunk; its trailer ends
		// with an empty line.
		for err == nil && keep {
			var t []byte
			if t, err = readLine(br); err == nil && len(t) == 0 {
				break
			}
		}
	case length >= 0 && length <= max:
		raw = make([]byte, length)
		_, err = io.ReadFull(br, raw)
	case length > max:
		raw = make([]byte, max)
		_, err = io.ReadFull(br, raw)
		keep = false
	default: // the body ends when the node closes the connection
		raw, err = io.ReadAll(io.LimitReader(br, max))
		keep = false
	}
	if err != nil {
		return nil, 0, false, err
	}
	return raw, code, keep, nil
}

// readLine reads one header line without its CRLF.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, errors.New("header line too long")
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

// dropped reports whether err means the node closed the connection.
func dropped(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
