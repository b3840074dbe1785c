package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"slonui/solana"
)

// ErrInvalid marks a config value that fails validation.
var ErrInvalid = errors.New("config: invalid")

// problems collects validation errors, each as "file: key: value: problem".
type problems struct {
	file string
	errs []error
}

func (p *problems) add(key string, value any, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	var s string
	if value == nil {
		s = fmt.Sprintf("%s: %s", key, msg)
	} else {
		s = fmt.Sprintf("%s: %q: %s", key, fmt.Sprint(value), msg)
	}
	if p.file != "" {
		s = p.file + ": " + s
	}
	p.errs = append(p.errs, &kindError{kind: ErrInvalid, msg: s})
}

// kindError reads "file: key: value: problem" and matches its kind
// (ErrInvalid, ErrDecode) with errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

func decodeErrorf(format string, a ...any) error {
	return &kindError{kind: ErrDecode, msg: fmt.Sprintf(format, a...)}
}

func (p *problems) err() error { return errors.Join(p.errs...) }

// Validate reports every problem of the config at once (errors.Join), each
// naming the file and key: addresses must be IP:port with the IP in
// 127.0.0.0/8 (the devnet stays on loopback) and a port in 1..65535; no two
// of the node's sockets may share an address:port; the identity keypair
// must exist and verify; the genesis must exist, load and match
// consensus.expected_shred_version (unless that is 0); the admin token file
// must exist when an admin address is set; the log level must be known.
func (c ValidatorConfig) Validate() error {
	p := &problems{file: c.Path}
	if c.Validator.IdentityKeypair == "" {
		p.add("validator.identity_keypair", nil, "missing")
	} else if _, err := solana.ReadKeypairFile(c.Validator.IdentityKeypair); err != nil {
		p.add("validator.identity_keypair", c.Validator.IdentityKeypair, "%s", keypairProblem(err))
	}
	if c.Validator.LedgerPath == "" {
		p.add("validator.ledger_path", nil, "missing")
	}

	sockets := []struct {
		key, val string
		need     bool
	}{
		{"rpc.bind_address", c.RPC.BindAddress, c.RPC.Enable},
		{"devnet.pubsub_address", c.Devnet.PubsubAddress, false},
		{"gossip.bind_address", c.Gossip.BindAddress, true},
		{"devnet.tpu_address", c.Devnet.TPUAddress, true},
		{"devnet.tvu_address", c.Devnet.TVUAddress, true},
		{"devnet.repair_address", c.Devnet.RepairAddress, true},
		{"devnet.admin_address", c.Devnet.AdminAddress, false},
	}
	used := map[netip.AddrPort]string{}
	for _, s := range sockets {
		if s.val == "" {
			if s.need {
				p.add(s.key, nil, "missing")
			}
			continue
		}
		ap, ok := checkAddr(p, s.key, s.val)
		if !ok {
			continue
		}
		if other, dup := used[ap]; dup {
			p.add(s.key, s.val, "same address:port as %s", other)
			continue
		}
		used[ap] = s.key
	}
	if c.Gossip.Entrypoint != "" {
		checkAddr(p, "gossip.entrypoint", c.Gossip.Entrypoint)
	}

	if c.MLInference.MaxAgents < 0 {
		p.add("ml_inference.max_agents", c.MLInference.MaxAgents, "must not be negative")
	}
	c.validateDevnetFiles(p)
	if !slices.Contains(LogLevels, c.Devnet.LogLevel) {
		p.add("devnet.log_level", c.Devnet.LogLevel, "want one of %s", strings.Join(LogLevels, ", "))
	}
	if c.Devnet.PeerExpiryMS < 100 {
		p.add("devnet.peer_expiry_ms", c.Devnet.PeerExpiryMS, "must be at least 100")
	}
	return p.err()
}

func (c ValidatorConfig) validateDevnetFiles(p *problems) {
	if c.Devnet.Genesis == "" {
		p.add("devnet.genesis", nil, "missing")
	} else if g, err := LoadGenesis(c.Devnet.Genesis); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			p.add("devnet.genesis", c.Devnet.Genesis, "no such file")
		} else {
			p.add("devnet.genesis", c.Devnet.Genesis, "does not load: %v", err)
		}
	} else if want := c.Consensus.ExpectedShredVersion; want != 0 && want != g.ShredVersion {
		p.add("consensus.expected_shred_version", want, "genesis %s has shred version %d", c.Devnet.Genesis, g.ShredVersion)
	}
	if c.Devnet.AdminAddress != "" && c.Devnet.AdminTokenPath == "" {
		p.add("devnet.admin_token_path", nil, "missing (the admin API needs a token)")
	}
	if c.Devnet.AdminTokenPath != "" {
		if st, err := os.Stat(c.Devnet.AdminTokenPath); err != nil {
			p.add("devnet.admin_token_path", c.Devnet.AdminTokenPath, "%s", fileProblem(err))
		} else if st.IsDir() {
			p.add("devnet.admin_token_path", c.Devnet.AdminTokenPath, "is a directory")
		}
	}
}

// checkAddr parses an IP:port that must be on loopback with a port in 1..65535.
func checkAddr(p *problems, key, val string) (netip.AddrPort, bool) {
	host, portStr, err := splitHostPort(val)
	if err != nil {
		p.add(key, val, "%v", err)
		return netip.AddrPort{}, false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		p.add(key, val, "host %q is not an IP address", host)
		return netip.AddrPort{}, false
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || strings.Trim(portStr, "0123456789") != "" {
		p.add(key, val, "invalid port")
		return netip.AddrPort{}, false
	}
	if port < 1 || port > 65535 {
		p.add(key, val, "port %d out of 1..65535", port)
		return netip.AddrPort{}, false
	}
	if !isLoopback4(ip.Unmap()) {
		p.add(key, val, "%s is not in 127.0.0.0/8 (the devnet listens on loopback only)", ip)
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip.Unmap(), uint16(port)), true
}

func splitHostPort(s string) (host, port string, err error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", "", errors.New("want IP:port")
	}
	host, port = s[:i], s[i+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if host == "" {
		return "", "", errors.New("missing IP (want IP:port)")
	}
	if port == "" {
		return "", "", errors.New("missing port (want IP:port)")
	}
	return host, port, nil
}

func fileProblem(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

func keypairProblem(err error) string {
	if errors.Is(err, solana.ErrKeypair) {
		// ReadKeypairFile prefixes "keypair PATH:"; the key already names the path.
		msg := err.Error()
		if i := strings.Index(msg, "solana: invalid keypair"); i >= 0 {
			return msg[i:]
		}
		return msg
	}
	return fileProblem(err)
}
