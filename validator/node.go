package validator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"slonui/validator/core"
	"slonui/validator/gossip"
	"slonui/validator/metrics"
	"slonui/validator/netfault"
	"slonui/validator/rpcserver"
	"slonui/validator/shred"
)

// Node is one running validator. Its exported methods are safe for
// concurrent use.
type Node struct {
	s       *setup
	log     *slog.Logger
	version string
	tick    time.Duration
	started time.Time

	mu   sync.Mutex // guards core; held for one core call, never across I/O
	core *core.Node
	snap atomic.Pointer[status]

	genesisHash [32]byte
	filter      *netfault.Filter
	socks       *sockets
	probe       *probeConn
	tpuConn     net.PacketConn
	tvuConn     net.PacketConn
	repairConn  net.PacketConn
	gossip      *gossip.Node
	tpu         *shred.TPU
	rpc         *rpcserver.Server
	reg         *prometheus.Registry
	metrics     *metrics.Metrics

	inbox     chan core.Message
	verified  chan verifiedTx // signatures checked, for the loop to submit
	forwards  chan fwdJob     // forwarded by peers, for the verifiers
	votes     chan voteJob    // towers to persist and votes to send, for the voter
	verifying chan struct{}   // a slot per goroutine checking signatures (startVerify)
	voterDone chan struct{}   // closed when the voter has stopped
	fatal     chan error

	subs    subscribers
	perf    perfSamples
	counter counters

	blog     *blockLog          // owned by the loop after start
	restored []*core.BlockPiece // pieces read from the block log, replayed by the loop
	fwd      forwardBuffer      // transactions waiting to be forwarded; owned by the loop
	lastTxAt time.Time          // when the loop last took transactions; owned by the loop
}

// counters are the process's own counters (the core, gossip and the TPU
// keep theirs).
type counters struct {
	inboxDropped, malformed, rejected, unroutable, sendErrors, txQueueFull atomic.Uint64
}

// BlockHistory is how many rooted blocks the core keeps in memory (for
// getBlock and to answer repair). It bounds an idle node's memory; older
// blocks live only in the block log on disk.
const BlockHistory = 2048

// Run runs a validator until ctx ends. It returns nil after a clean stop
// and an error when the node cannot start or must stop (a tower that cannot
// be written, a genesis that differs from the entrypoint's).
func Run(ctx context.Context, o Options) error {
	s, err := load(o)
	if err != nil {
		return err
	}
	n, err := newNode(s, o)
	if err != nil {
		return err
	}
	if n.blog, n.restored, err = openBlockLog(s.ledger); err != nil {
		return err
	}
	defer n.blog.close()
	if n.socks, err = bind(s.addrs); err != nil {
		return err
	}
	return n.run(ctx, o)
}

func newNode(s *setup, o Options) (*Node, error) {
	out := o.Stdout
	if out == nil {
		out = os.Stdout
	}
	level, _ := parseLevel(s.logLevel) // checked by load
	log := slog.New(newLogHandler(out, level, wantColour(out)))
	n := &Node{
		s: s, log: log, version: o.Version, tick: o.TickInterval, started: time.Now(),
		inbox:     make(chan core.Message, 16384),
		verified:  make(chan verifiedTx, verifiedQueue),
		forwards:  make(chan fwdJob, forwardQueue),
		fatal:     make(chan error, 1),
		votes:     make(chan voteJob, voteQueue),
		voterDone: make(chan struct{}),
		verifying: make(chan struct{}, verifySlots()),
	}
	if n.version == "" {
		n.version = DefaultVersion
	}
	if n.tick <= 0 {
		n.tick = DefaultTick
	}
	cc := core.DefaultConfig()
	cc.Genesis = coreGenesis(s.genesis)
	cc.Identity = s.identity
	cc.Tower = s.tower
	cc.BlockHistory = BlockHistory
	// Every transaction a leader queues was verified here first, and a
	// block's pieces are checked as signed by the slot's leader: replay
	// need not check the transactions' signatures again (doc.go).
	cc.TrustBlockTransactions = true
	c, err := core.New(cc)
	if err != nil {
		return nil, fmt.Errorf("consensus core: %w", err)
	}
	n.core = c
	n.genesisHash = c.GenesisHash()
	n.reg = prometheus.NewRegistry()
	if n.metrics, err = metrics.New(n.reg); err != nil {
		return nil, err
	}
	n.publish()
	return n, nil
}

// component is one goroutine owner started by run.
type component struct {
	name string
	run  func(ctx context.Context) error
}

func (n *Node) run(ctx context.Context, o Options) error {
	defer n.socks.close()
	if err := n.wire(); err != nil {
		return err
	}
	defer n.filter.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	comps := []component{
		{"gossip", n.gossip.Run},
		{"tpu", n.tpu.Run},
		{"loop", n.loop},
		{"voter", n.runVoter},
		{"verifiers", n.runVerifiers},
		{"admin", n.serveAdmin},
		{"rpc", n.serveRPC},
		{"entrypoint check", n.runProbe},
	}
	errc := make(chan error, len(comps))
	var wg sync.WaitGroup
	for _, c := range comps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.run(ctx); err != nil && ctx.Err() == nil {
				errc <- fmt.Errorf("%s: %w", c.name, err)
			}
		}()
	}
	// Block and repair readers stop when their sockets close, after the
	// components that send on them have stopped.
	var readers sync.WaitGroup
	for _, pc := range []net.PacketConn{n.tvuConn, n.repairConn} {
		readers.Add(1)
		go func() { defer readers.Done(); n.readMessages(pc) }()
	}

	a := n.s.addrs
	n.log.Info("validator started", "identity", n.s.identity.Pubkey(), "gossip", a.gossip, "rpc", a.rpc,
		"tpu", a.tpu, "shred_version", n.s.genesis.ShredVersion, "slot_ms", n.s.genesis.SlotMS,
		"tower_root", n.snap.Load().tower.Root, "ledger", n.s.ledger)
	if o.Ready != nil {
		o.Ready(n)
	}
	var first error
	select {
	case <-ctx.Done():
	case first = <-errc:
	case first = <-n.fatal:
	}
	cancel()
	wg.Wait()
	n.tvuConn.Close()
	n.repairConn.Close()
	readers.Wait()
	if first != nil {
		n.log.Error("validator stopping", "err", first)
		return first
	}
	n.log.Info("validator stopped")
	return nil
}

// wire builds the fault filter, wraps the UDP sockets and makes gossip, the
// TPU listener and the RPC server.
func (n *Node) wire() error {
	var err error
	if n.filter, err = netfault.New(netfault.DefaultConfig()); err != nil {
		return err
	}
	sv := n.s.genesis.ShredVersion
	n.probe = &probeConn{PacketConn: n.filter.Wrap(n.socks.gossip), version: sv}
	n.tpuConn = n.filter.Wrap(n.socks.tpu)
	n.tvuConn = n.filter.Wrap(n.socks.tvu)
	n.repairConn = n.filter.Wrap(n.socks.repair)

	gc := gossip.DefaultConfig()
	gc.Identity = n.s.identity
	gc.ShredVersion = sv
	gc.Entrypoint = n.s.entrypoint
	gc.Conn = n.probe
	if ms := n.s.cfg.Devnet.PeerExpiryMS; ms > 0 {
		gc.PeerExpiry = time.Duration(ms) * time.Millisecond
	}
	a := n.s.addrs
	gc.Self = gossip.ContactInfo{Gossip: a.gossip, TPU: a.tpu, TVU: a.tvu, Repair: a.repair, RPC: a.rpc, PubSub: a.pubsub, Version: n.version}
	gc.OnVote = n.onGossipVote
	gc.Logger = n.log.With("module", "gossip")
	if n.gossip, err = gossip.New(gc); err != nil {
		return err
	}
	if n.tpu, err = shred.NewTPU(shred.TPUConfig{Conn: n.tpuConn, Handler: n.onTPUPacket, Queue: 16384, Workers: verifierWorkers()}); err != nil {
		return err
	}
	rc := rpcserver.DefaultConfig()
	rc.Gatherer = n.reg
	rc.Metrics = n.metrics
	if n.rpc, err = rpcserver.New(n, rc); err != nil {
		return err
	}
	return nil
}

func (n *Node) serveRPC(ctx context.Context) error {
	if n.socks.rpc == nil {
		<-ctx.Done()
		return nil
	}
	ps := n.socks.pubsub
	if ps == nil {
		// Serve wants both; a node without pubsub gets a listener nobody
		// can reach.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		ps = l
	}
	return n.rpc.Serve(ctx, n.socks.rpc, ps)
}

func (n *Node) serveAdmin(ctx context.Context) error {
	if n.socks.admin == nil {
		<-ctx.Done()
		return nil
	}
	return netfault.ServeAdmin(ctx, n.socks.admin, netfault.AdminHandler(n.filter, n.s.adminToken))
}

// runProbe asks the entrypoint for its shred version until it answers,
// and stops the node when the answer differs from ours.
func (n *Node) runProbe(ctx context.Context) error {
	ep := n.s.entrypoint
	if !ep.IsValid() {
		return nil
	}
	answered := make(chan uint16, 1)
	n.probe.setOnAnswer(func(from netip.AddrPort, v uint16) {
		if from == ep {
			select {
			case answered <- v:
			default:
			}
		}
	})
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		if i < 240 { // a minute of asking is plenty
			n.probe.ask(ep)
		}
		select {
		case <-ctx.Done():
			return nil
		case v := <-answered:
			if v != n.s.genesis.ShredVersion {
				return fmt.Errorf("%w: entrypoint %s has shred version %d, this node %d (genesis %s)",
					ErrShredVersion, ep, v, n.s.genesis.ShredVersion, n.s.cfg.Devnet.Genesis)
			}
			n.log.Debug("entrypoint answered", "entrypoint", ep, "shred_version", v)
			return nil
		case <-t.C:
		}
	}
}

// ErrShredVersion is returned when the entrypoint runs another genesis.
var ErrShredVersion = errors.New("shred version mismatch")
