package validator

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// logHandler writes one line per record:
//
//	[2026-11-25T18:00:00.123Z INFO  module] message key=value …
//
// with the level coloured when colour is set. The module comes from a
// "module" attribute (see Logger.With).
type logHandler struct {
	mu     *sync.Mutex
	w      io.Writer
	level  slog.Leveler
	colour bool
	module string
	attrs  string // pre-rendered " k=v" pairs
}

func newLogHandler(w io.Writer, level slog.Leveler, colour bool) *logHandler {
	return &logHandler{mu: &sync.Mutex{}, w: w, level: level, colour: colour}
}

// parseLevel maps debug|info|warn|error to a slog level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return slog.LevelInfo, fmt.Errorf("log level %q: want debug, info, warn or error", s)
}

// wantColour reports whether w is a terminal and NO_COLOR is unset.
func wantColour(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (h *logHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	for _, a := range as {
		if a.Key == "module" {
			c.module = a.Value.String()
			continue
		}
		c.attrs += renderAttr(a)
	}
	return &c
}

func (h *logHandler) WithGroup(string) slog.Handler { return h }

func levelText(l slog.Level) (text, colour string) {
	switch {
	case l >= slog.LevelError:
		return "ERROR", "\x1b[31m"
	case l >= slog.LevelWarn:
		return "WARN ", "\x1b[33m"
	case l >= slog.LevelInfo:
		return "INFO ", "\x1b[32m"
	}
	return "DEBUG", "\x1b[90m"
}

func renderAttr(a slog.Attr) string {
	v := a.Value.Resolve().String()
	if strings.ContainsAny(v, " \"=") {
		v = fmt.Sprintf("%q", v)
	}
	return " " + a.Key + "=" + v
}

func (h *logHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.Grow(128)
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	lv, col := levelText(r.Level)
	if !h.colour {
		col = ""
	}
	b.WriteByte('[')
	b.WriteString(t.UTC().Format("2006-01-02T15:04:05.000Z"))
	b.WriteByte(' ')
	if col != "" {
		b.WriteString(col)
	}
	b.WriteString(lv)
	if col != "" {
		b.WriteString("\x1b[0m")
	}
	b.WriteByte(' ')
	module := h.module
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "module" {
			module = a.Value.String()
			return false
		}
		return true
	})
	if module == "" {
		module = "validator"
	}
	b.WriteString(module)
	b.WriteString("] ")
	b.WriteString(r.Message)
	b.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "module" {
			return true
		}
		b.WriteString(renderAttr(a))
		return true
	})
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}
