package validator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"slonui/validator/core"
)

// TowerFile is the tower's file name inside the ledger directory.
const TowerFile = "tower.bin"

// SaveTower writes t to dir/tower.bin atomically, as Agave's tower storage
// does: the bytes go to dir/tower.bin.tmp, which is fsynced and renamed
// over the old file, so a crash leaves the old tower or the new one, never
// a torn one. (The directory itself is not fsynced: that guards against
// power loss rather than a killed process, and costs a second sync per
// vote.)
func SaveTower(dir string, t core.Tower) error {
	path := filepath.Join(dir, TowerFile)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("tower %s: create temp: %w", path, err)
	}
	if _, err := f.Write(t.Marshal()); err != nil {
		f.Close()
		return fmt.Errorf("tower %s: write: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("tower %s: fsync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("tower %s: close: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("tower %s: rename: %w", path, err)
	}
	return nil
}

// LoadTower reads dir/tower.bin. It returns nil and no error when there is
// no tower yet (a first start), and an error for a tower that does not
// decode: a node must not guess its lockouts.
func LoadTower(dir string) (*core.Tower, error) {
	path := filepath.Join(dir, TowerFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tower %s: %w", path, err)
	}
	t, err := core.UnmarshalTower(b)
	if err != nil {
		return nil, fmt.Errorf("tower %s: %w (move it away to start without it)", path, err)
	}
	return &t, nil
}
