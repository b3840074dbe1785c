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

// SaveTower writes t to dir/tower.bin atomically: a temporary file in the
// same directory is written and fsynced, renamed over the old file, and the
// directory is fsynced so the rename survives a crash.
func SaveTower(dir string, t core.Tower) error {
	path := filepath.Join(dir, TowerFile)
	tmp, err := os.CreateTemp(dir, TowerFile+".tmp*")
	if err != nil {
		return fmt.Errorf("tower %s: create temp: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if _, err := tmp.Write(t.Marshal()); err != nil {
		tmp.Close()
		return fmt.Errorf("tower %s: write: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("tower %s: fsync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("tower %s: close: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("tower %s: rename: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
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
