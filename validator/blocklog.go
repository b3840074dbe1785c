package validator

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"slonui/validator/core"
)

// BlocksFile is the block log's name inside the ledger directory.
const BlocksFile = "blocks.bin"

// blockLog keeps every block this node froze in LEDGER/blocks.bin, so a
// restarted node rebuilds its chain from its own disk and repairs only
// what it missed while down (peers keep just core.Config.BlockHistory
// rooted blocks). The file is a sequence of frames, u32 little-endian
// length then core.MarshalMessage of one BlockPiece, each block's pieces
// written together once the core froze it. Each piece carries its Merkle
// proof and its group's signature, so the core checks every piece read
// back on its own, whatever else of its group the log holds. Writes are
// not fsynced: the page cache survives a killed process, and a torn last
// frame is cut off on load. A log written before pieces carried proofs does
// not decode and is cut off the same way (the node repairs from peers).
// Only the loop goroutine uses it.
type blockLog struct {
	path    string
	f       *os.File
	pending map[uint64]map[uint32]*core.BlockPiece // pieces of slots not frozen yet
	written uint64                                 // frames appended since start
	buf     []byte                                 // a frozen block's frames, reused
}

// maxFrame bounds a frame: a piece is at most core.MaxPieceData bytes
// plus its header, proof and signature (1,232 bytes in all).
const maxFrame = 4096

// openBlockLog opens (creating) dir/blocks.bin and returns the pieces it
// holds, cutting off a torn last frame.
func openBlockLog(dir string) (*blockLog, []*core.BlockPiece, error) {
	path := filepath.Join(dir, BlocksFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("block log %s: %w", path, err)
	}
	pieces, good, err := readFrames(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("block log %s: %w", path, err)
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("block log %s: truncate torn tail: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("block log %s: %w", path, err)
	}
	return &blockLog{path: path, f: f, pending: map[uint64]map[uint32]*core.BlockPiece{}}, pieces, nil
}

// readFrames decodes frames until the end or the first frame that is torn
// or does not decode; good is the offset after the last good frame.
func readFrames(r io.Reader) (pieces []*core.BlockPiece, good int64, err error) {
	var hdr [4]byte
	buf := make([]byte, maxFrame)
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return pieces, good, nil
			}
			return nil, 0, err
		}
		n := binary.LittleEndian.Uint32(hdr[:])
		if n == 0 || n > maxFrame {
			return pieces, good, nil
		}
		if _, err := io.ReadFull(r, buf[:n]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return pieces, good, nil
			}
			return nil, 0, err
		}
		m, derr := core.UnmarshalMessage(buf[:n])
		p, ok := m.(*core.BlockPiece)
		if derr != nil || !ok {
			return pieces, good, nil
		}
		pieces = append(pieces, p)
		good += 4 + int64(n)
	}
}

// seen records a piece the core accepted (or produced) until its block is
// frozen.
func (l *blockLog) seen(p *core.BlockPiece) {
	m := l.pending[p.Slot]
	if m == nil {
		m = map[uint32]*core.BlockPiece{}
		l.pending[p.Slot] = m
	}
	if _, dup := m[p.Index]; !dup {
		m[p.Index] = p
	}
}

// frozen appends the pieces of slot, in index order, once the core froze
// its block.
func (l *blockLog) frozen(slot uint64) error {
	m := l.pending[slot]
	delete(l.pending, slot)
	if len(m) == 0 {
		return nil
	}
	idx := make([]uint32, 0, len(m))
	for i := range m {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(a, b int) bool { return idx[a] < idx[b] })
	out := l.buf[:0]
	for _, i := range idx {
		at := len(out)
		out = core.AppendMessage(append(out, 0, 0, 0, 0), m[i])
		binary.LittleEndian.PutUint32(out[at:], uint32(len(out)-at-4))
	}
	if cap(out) <= 1<<20 {
		l.buf = out // keep it unless one huge block grew it
	}
	if _, err := l.f.Write(out); err != nil {
		return fmt.Errorf("block log %s: append slot %d: %w", l.path, slot, err)
	}
	l.written += uint64(len(idx))
	return nil
}

// forget drops pending pieces of slots at or below root (never frozen
// here: dead forks or junk).
func (l *blockLog) forget(root uint64) {
	for s := range l.pending {
		if s <= root {
			delete(l.pending, s)
		}
	}
}

func (l *blockLog) close() error { return l.f.Close() }
