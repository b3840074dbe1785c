package cluster

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// holder is a process that has a socket open.
type holder struct {
	Pid     int
	Command string
}

// findHolder looks up which process holds a listening TCP socket or a bound
// UDP socket on addr (host:port), by reading /proc/net/{tcp,udp}[6] for the
// socket inode and then /proc/*/fd for a descriptor pointing at it. It
// reports false when the socket or its owner cannot be seen (another user's
// process, no /proc).
func findHolder(network, addr string) (holder, bool) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return holder{}, false
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return holder{}, false
	}
	ip := net.ParseIP(host)
	inodes := map[string]bool{}
	for _, f := range []string{network, network + "6"} {
		for _, ino := range socketInodes(filepath.Join("/proc/net", f), network, ip, port) {
			inodes[ino] = true
		}
	}
	if len(inodes) == 0 {
		return holder{}, false
	}
	return inodeOwner(inodes)
}

// socketInodes parses one /proc/net table and returns the inodes of sockets
// bound to ip:port (or to the wildcard address on port). TCP sockets must be
// listening (state 0A); UDP sockets are taken in any state.
func socketInodes(path, network string, ip net.IP, port int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		lip, lport, ok := parseProcAddr(fields[1])
		if !ok || lport != port {
			continue
		}
		if network == "tcp" && fields[3] != "0A" {
			continue
		}
		if lip.IsUnspecified() || ip == nil || lip.Equal(ip) {
			out = append(out, fields[9])
		}
	}
	return out
}

// parseProcAddr decodes "0100007F:22B3" (IPv4) or the 32-hex-digit IPv6 form,
// where each 32-bit word is printed in host byte order.
func parseProcAddr(s string) (net.IP, int, bool) {
	hexIP, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return nil, 0, false
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return nil, 0, false
	}
	raw, err := hex.DecodeString(hexIP)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return nil, 0, false
	}
	ip := make(net.IP, len(raw))
	for i := 0; i < len(raw); i += 4 {
		w := binary.BigEndian.Uint32(raw[i : i+4])
		binary.NativeEndian.PutUint32(ip[i:i+4], w)
	}
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	}
	return ip, int(port), true
}

// inodeOwner scans /proc/*/fd for a link "socket:[inode]" of one of inodes.
func inodeOwner(inodes map[string]bool) (holder, bool) {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return holder{}, false
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		fdDir := filepath.Join("/proc", p.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
			if err != nil || !strings.HasPrefix(link, "socket:[") {
				continue
			}
			if inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
				return holder{Pid: pid, Command: processCommand(pid)}, true
			}
		}
	}
	return holder{}, false
}

// processCommand returns pid's command line with spaces between arguments.
func processCommand(pid int) string {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil || len(b) == 0 {
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " "))
}
