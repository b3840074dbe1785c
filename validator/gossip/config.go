package gossip

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"slonui/solana"
)

// Config configures a gossip Node.
type Config struct {
	// Identity signs every value the node originates.
	Identity solana.Keypair
	// ShredVersion is the cluster's; packets and values with another are
	// dropped.
	ShredVersion uint16
	// Entrypoint is the gossip address of a node to join through; zero for
	// the first node. It is pulled from every PullInterval whatever else is
	// known, so a node cut off from everyone finds its way back after heal.
	Entrypoint netip.AddrPort
	// Self is the node's contact info. Pubkey, ShredVersion and Wallclock
	// are filled in by the node; a zero Self.Gossip is taken from Conn.
	Self ContactInfo
	// Conn is the gossip socket, owned by the caller (wrap it with
	// netfault). Run reads from it and sets its read deadline to stop.
	Conn net.PacketConn

	PushInterval time.Duration // default 150 ms
	PullInterval time.Duration // default 1 s
	PeerExpiry   time.Duration // default 15 s
	// RefreshInterval is how often the own ContactInfo is re-signed with a
	// new wallclock so peers keep it alive; default PeerExpiry / 4.
	RefreshInterval time.Duration
	Fanout          int // peers per push, default 6

	// OnVote, if set, is called for every newer vote of another node, from
	// the reader goroutine: it must not block (hand off to a channel).
	OnVote func(Vote)
	Logger *slog.Logger // nil discards
}

// DefaultConfig returns the timing defaults; the caller fills in Identity,
// ShredVersion, Entrypoint, Self and Conn.
func DefaultConfig() Config {
	return Config{
		PushInterval: 150 * time.Millisecond,
		PullInterval: time.Second,
		PeerExpiry:   15 * time.Second,
		Fanout:       6,
	}
}

// Validate returns every problem in c, joined.
func (c Config) Validate() error {
	var errs []error
	if c.Identity.Pubkey().IsZero() {
		errs = append(errs, errors.New("gossip: Identity is required"))
	}
	if c.Conn == nil {
		errs = append(errs, errors.New("gossip: Conn is required"))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"PushInterval", c.PushInterval}, {"PullInterval", c.PullInterval}, {"PeerExpiry", c.PeerExpiry}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("gossip: %s must be > 0, got %v", d.name, d.v))
		}
	}
	if c.RefreshInterval < 0 || (c.RefreshInterval > 0 && c.RefreshInterval >= c.PeerExpiry) {
		errs = append(errs, fmt.Errorf("gossip: RefreshInterval %v must be in (0, PeerExpiry %v)", c.RefreshInterval, c.PeerExpiry))
	}
	if c.Fanout <= 0 {
		errs = append(errs, fmt.Errorf("gossip: Fanout must be > 0, got %d", c.Fanout))
	}
	if len(c.Self.Version) > MaxVersionLen {
		errs = append(errs, fmt.Errorf("gossip: Self.Version longer than %d bytes", MaxVersionLen))
	}
	return errors.Join(errs...)
}
