package gossip

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/netfault"
)

// testNode is one gossip node on its own loopback socket, behind a filter.
type testNode struct {
	*Node
	stop   func() // stops every node of the cluster (idempotent)
	filter *netfault.Filter
	addr   netip.AddrPort
	votes  chan Vote
}

type timing struct {
	push, pull, expiry, refresh time.Duration
}

var fast = timing{push: 50 * time.Millisecond, pull: 200 * time.Millisecond, expiry: time.Second, refresh: 200 * time.Millisecond}

// startCluster starts n nodes; node 0 is everyone's entrypoint. shredFor
// returns each node's shred version.
func startCluster(tb testing.TB, n int, tm timing, shredFor func(i int) uint16) []*testNode {
	tb.Helper()
	var nodes []*testNode
	var entry netip.AddrPort
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			wg.Wait()
			for _, tn := range nodes {
				tn.Node.cfg.Conn.Close()
				tn.filter.Close()
			}
		})
	}
	tb.Cleanup(stop)
	for i := range n {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		f, err := netfault.New(netfault.DefaultConfig())
		if err != nil {
			tb.Fatal(err)
		}
		conn := f.Wrap(pc)
		addr := pc.LocalAddr().(*net.UDPAddr).AddrPort()
		cfg := DefaultConfig()
		cfg.Identity = testKey(byte(100 + i))
		cfg.ShredVersion = shredFor(i)
		cfg.Entrypoint = entry
		cfg.Conn = conn
		cfg.Self = ContactInfo{TPU: netip.AddrPortFrom(addr.Addr(), 9000+uint16(i)), Version: "test"}
		cfg.PushInterval, cfg.PullInterval, cfg.PeerExpiry, cfg.RefreshInterval = tm.push, tm.pull, tm.expiry, tm.refresh
		tn := &testNode{stop: stop, filter: f, addr: addr, votes: make(chan Vote, 1024)}
		cfg.OnVote = func(v Vote) {
			select {
			case tn.votes <- v:
			default:
			}
		}
		node, err := New(cfg)
		if err != nil {
			conn.Close()
			f.Close()
			tb.Fatal(err)
		}
		tn.Node = node
		nodes = append(nodes, tn)
		if i == 0 {
			entry = addr
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := node.Run(ctx); err != nil {
				tb.Errorf("node %d: run: %v", i, err)
			}
		}()
	}
	return nodes
}

func sameVersion(int) uint16 { return 42 }

// eventually polls cond until it holds or the bound passes.
func eventually(tb testing.TB, bound time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not reached within %v", what, bound)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func peerSet(n *Node) []solana.Pubkey {
	var out []solana.Pubkey
	for _, p := range n.Peers() {
		out = append(out, p.Pubkey)
	}
	return out
}

func allSeeAll(nodes []*testNode) bool {
	for i, a := range nodes {
		ps := peerSet(a.Node)
		if len(ps) != len(nodes)-1 {
			return false
		}
		for j, b := range nodes {
			if i != j && !slices.Contains(ps, b.Self().Pubkey) {
				return false
			}
		}
	}
	return true
}

func TestThreeNodesDiscover(t *testing.T) {
	nodes := startCluster(t, 3, timing{push: 150 * time.Millisecond, pull: time.Second, expiry: 15 * time.Second}, sameVersion)
	eventually(t, 10*time.Second, "3 nodes see each other", func() bool { return allSeeAll(nodes) })
	c, ok := nodes[1].Lookup(nodes[2].Self().Pubkey)
	if !ok || c.Gossip != nodes[2].addr || c.TPU.Port() != 9002 || c.Version != "test" || c.ShredVersion != 42 {
		t.Fatalf("node 1's view of node 2: %+v (ok %v)", c, ok)
	}
	for i, n := range nodes {
		if s := n.Stats(); s.DroppedBadSignature+s.DroppedMalformed+s.DroppedShredVersion != 0 || s.Peers != 2 {
			t.Errorf("node %d stats: %+v", i, s)
		}
	}
}

func TestTenNodesDiscover(t *testing.T) {
	nodes := startCluster(t, 10, timing{push: 150 * time.Millisecond, pull: time.Second, expiry: 15 * time.Second}, sameVersion)
	eventually(t, 15*time.Second, "10 nodes see each other", func() bool { return allSeeAll(nodes) })
}

func TestPartitionedNodeExpiresAndReturns(t *testing.T) {
	nodes := startCluster(t, 3, fast, sameVersion)
	eventually(t, 10*time.Second, "3 nodes see each other", func() bool { return allSeeAll(nodes) })
	cut := nodes[2]
	if _, err := cut.filter.Partition([]string{nodes[0].addr.String(), nodes[1].addr.String()}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the cut node expires everywhere", func() bool {
		return len(cut.Peers()) == 0 && len(nodes[0].Peers()) == 1 && len(nodes[1].Peers()) == 1
	})
	if _, ok := nodes[0].Lookup(cut.Self().Pubkey); ok {
		t.Fatal("node 0 still lists the cut node")
	}
	if c := cut.filter.Counters(); c.DroppedPartition == 0 {
		t.Fatalf("filter counters %+v: nothing dropped by the partition", c)
	}
	if s := nodes[0].Stats(); s.Expired == 0 {
		t.Fatalf("node 0 stats %+v: no expiry counted", s)
	}
	cut.filter.Heal()
	eventually(t, 10*time.Second, "all see all after heal", func() bool { return allSeeAll(nodes) })
}

func TestWrongShredVersionDropped(t *testing.T) {
	nodes := startCluster(t, 3, fast, func(i int) uint16 {
		if i == 2 {
			return 43
		}
		return 42
	})
	eventually(t, 10*time.Second, "the entrypoint counts the other shred version", func() bool {
		return nodes[0].Stats().DroppedShredVersion > 0
	})
	eventually(t, 10*time.Second, "nodes 0 and 1 see each other", func() bool {
		return len(nodes[0].Peers()) == 1 && len(nodes[1].Peers()) == 1
	})
	for i, n := range nodes[:2] {
		if _, ok := n.Lookup(nodes[2].Self().Pubkey); ok {
			t.Fatalf("node %d lists the node of another shred version", i)
		}
	}
	if len(nodes[2].Peers()) != 0 {
		t.Fatalf("the node of another shred version has peers %v", peerSet(nodes[2].Node))
	}
}

// rawPush sends one PUSH packet to addr from a fresh socket.
func rawPush(t *testing.T, to netip.AddrPort, shredVersion uint16, vals ...value) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	for _, b := range encodeValues(typePush, shredVersion, vals, 4) {
		if _, err := pc.WriteTo(b, net.UDPAddrFromAddrPort(to)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadSignatureAndValueShredVersionDropped(t *testing.T) {
	nodes := startCluster(t, 1, fast, sameVersion)
	target := nodes[0]
	now := uint64(time.Now().UnixMilli())
	forger := testKey(7)
	v := signValue(forger, KindContactInfo, now, 42, appendContactPayload(nil, sampleContact()))
	v.raw[3] ^= 0xff // corrupt the signature
	copy(v.sig[:], v.raw[:64])
	rawPush(t, target.addr, 42, v)
	eventually(t, 10*time.Second, "bad signature counted", func() bool { return target.Stats().DroppedBadSignature == 1 })

	other := signValue(forger, KindVote, now, 41, []byte("vote")) // packet says 42, value says 41
	rawPush(t, target.addr, 42, other)
	eventually(t, 10*time.Second, "value shred version counted", func() bool { return target.Stats().DroppedShredVersion == 1 })

	rawPush(t, target.addr, 42, signValue(forger, KindVote, now-60_000, 42, []byte("old")))
	eventually(t, 10*time.Second, "stale value counted", func() bool { return target.Stats().DroppedStale == 1 })

	if len(target.Peers()) != 0 || len(target.Votes()) != 0 {
		t.Fatalf("dropped values were stored: peers %v votes %v", target.Peers(), target.Votes())
	}
	// A correct value from the same forger is accepted: the drops above
	// were for their faults, not for the sender.
	rawPush(t, target.addr, 42, signValue(forger, KindVote, now, 42, []byte("good")))
	eventually(t, 10*time.Second, "good vote stored", func() bool { return len(target.Votes()) == 1 })
}

func TestVotesPropagateToAll(t *testing.T) {
	nodes := startCluster(t, 4, fast, sameVersion)
	eventually(t, 10*time.Second, "4 nodes see each other", func() bool { return allSeeAll(nodes) })
	for i, n := range nodes {
		if err := n.PushVote([]byte(fmt.Sprintf("vote-%d-old", i))); err != nil {
			t.Fatal(err)
		}
		if err := n.PushVote([]byte(fmt.Sprintf("vote-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 10*time.Second, "every node holds every other node's latest vote", func() bool {
		for i, n := range nodes {
			vs := n.Votes()
			if len(vs) != len(nodes)-1 {
				return false
			}
			for _, v := range vs {
				j := slices.IndexFunc(nodes, func(tn *testNode) bool { return tn.Self().Pubkey == v.Origin })
				if j < 0 || j == i || string(v.Data) != fmt.Sprintf("vote-%d", j) {
					return false
				}
			}
		}
		return true
	})
	// OnVote fired on node 0 with the latest vote of node 1.
	seen := false
	for len(nodes[0].votes) > 0 {
		v := <-nodes[0].votes
		if v.Origin == nodes[1].Self().Pubkey && string(v.Data) == "vote-1" {
			seen = true
		}
	}
	if !seen {
		t.Fatal("node 0's OnVote never saw node 1's latest vote")
	}
	if err := nodes[0].PushVote(make([]byte, MaxVoteSize+1)); err == nil {
		t.Fatal("PushVote accepted a vote over MaxVoteSize")
	}
}

func TestConfigValidate(t *testing.T) {
	err := Config{PeerExpiry: time.Second, RefreshInterval: 2 * time.Second}.Validate()
	if err == nil {
		t.Fatal("empty config validated")
	}
	for _, want := range []string{"Identity", "Conn", "PushInterval", "PullInterval", "RefreshInterval", "Fanout"} {
		if !contains(err.Error(), want) {
			t.Errorf("Validate error %q does not name %s", err, want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// BenchmarkDiscovery10 reports how long 10 nodes joining through one
// entrypoint take until every node lists all 9 others, at default timings.
func BenchmarkDiscovery10(b *testing.B) {
	var total time.Duration
	runs := 0
	for b.Loop() {
		start := time.Now()
		nodes := startCluster(b, 10, timing{push: 150 * time.Millisecond, pull: time.Second, expiry: 15 * time.Second}, sameVersion)
		eventually(b, 30*time.Second, "10 nodes see each other", func() bool { return allSeeAll(nodes) })
		total += time.Since(start)
		nodes[0].stop() // stops the whole cluster now rather than at the end
		runs++
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(runs), "ms/discovery")
}

func TestRefreshAfterPauseResignsSelf(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	cfg := DefaultConfig()
	cfg.Identity, cfg.Conn, cfg.ShredVersion = testKey(9), pc, 1
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	before := n.Self().Wallclock
	n.refreshIfDue(time.UnixMilli(int64(before)).Add(time.Second)) // not yet due
	if n.Self().Wallclock != before {
		t.Fatal("refreshed before RefreshInterval")
	}
	later := time.UnixMilli(int64(before)).Add(time.Hour) // e.g. resumed after SIGSTOP
	n.refreshIfDue(later)
	if got := n.Self().Wallclock; got != uint64(later.UnixMilli()) {
		t.Fatalf("wallclock after a long pause = %d, want %d", got, later.UnixMilli())
	}
	if !n.self.verify() {
		t.Fatal("refreshed self value does not verify")
	}
}
