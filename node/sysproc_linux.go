package node

import "syscall"

// sysProcAttr asks the kernel to SIGKILL the child when the console dies.
// pty.StartWithSize adds Setsid and Setctty: the child leads its own session
// and process group, so Setpgid must not be set as well.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
