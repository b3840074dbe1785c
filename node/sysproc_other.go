//go:build !linux

package node

import "syscall"

// sysProcAttr: only Linux has Pdeathsig; elsewhere the pidfile sweep at the
// next start is what finds orphans.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
