package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"

	"slonui/solana"
	"slonui/validator/core"
)

type simNode struct {
	id        int // 0-based
	kp        solana.Keypair
	core      *core.Node
	tower     []byte // last persisted tower
	down      bool
	stake     uint64
	restarted bool
	// observations
	lastRoot       uint64
	rootsAfterHeal int
}

// Sim is one run in progress. Build it with New, drive it with Run (or
// RunUntil for tests that look in between).
type Sim struct {
	cfg     Config
	genesis core.Genesis
	net     *Network
	nodes   []*simNode
	index   map[solana.Pubkey]int
	faucet  solana.Keypair
	now     int64
	slot    uint64

	parents    map[uint64]uint64 // every frozen block seen anywhere: slot → parent
	transcript hash.Hash
	res        Result

	partitioned  bool
	healed       bool
	sideStart    []uint64
	lastForks    int
	txSeq        uint64
	recipients   []solana.Pubkey
	convergedAt  int64
	hasConverged bool
	firstRoot    bool // every live node has rooted something
	rootedAgain  bool // every live node has a new root since the heal

	// OnEvent, when set, sees every core event as it happens (node is
	// 1-based). Tests use it to check rules over a whole run.
	OnEvent func(node int, ev core.Event)
}

// New builds a simulation: keys derived from the seed, genesis with the
// given stakes and a funded faucet, one core per node.
func New(cfg Config) (*Sim, error) {
	cfg.fill()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, index: map[solana.Pubkey]int{}, parents: map[uint64]uint64{}, transcript: sha256.New()}
	s.faucet = solana.KeypairFromSeed(seedFor(cfg.Seed, "faucet", 0))
	g := core.Genesis{CreationMs: 0, SlotMs: cfg.SlotMs, TicksPerSlot: core.DefaultTicksPerSlot, SlotsPerEpoch: cfg.SlotsPerEpoch, Faucet: s.faucet.Pubkey(), FaucetLamports: 1 << 50}
	for i := 0; i < cfg.Nodes; i++ {
		kp := solana.KeypairFromSeed(seedFor(cfg.Seed, "node", i))
		stake := uint64(1)
		if cfg.Stakes != nil {
			stake = cfg.Stakes[i]
		}
		g.Validators = append(g.Validators, core.GenesisValidator{Identity: kp.Pubkey(), Stake: stake * 100, Lamports: 1_000_000_000})
		s.nodes = append(s.nodes, &simNode{id: i, kp: kp, stake: stake * 100})
		s.index[kp.Pubkey()] = i
	}
	s.genesis = g
	for _, n := range s.nodes {
		c, err := core.New(s.coreConfig(n, nil))
		if err != nil {
			return nil, fmt.Errorf("node %d: %w", n.id+1, err)
		}
		n.core = c
	}
	for i := 0; i < 64; i++ {
		s.recipients = append(s.recipients, solana.KeypairFromSeed(seedFor(cfg.Seed, "recipient", i)).Pubkey())
	}
	s.net = NewNetwork(cfg.Nodes, cfg.Seed, cfg.DelayMs, cfg.JitterMs)
	s.net.SetLoss(cfg.Loss)
	s.res = Result{Seed: cfg.Seed, Slots: cfg.Slots, SlotMs: cfg.SlotMs}
	return s, nil
}

func seedFor(seed uint64, what string, i int) [32]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	binary.LittleEndian.PutUint64(b[8:], uint64(i))
	return sha256.Sum256(append([]byte("slonui-sim/"+what+"/"), b[:]...))
}

func (s *Sim) coreConfig(n *simNode, tower *core.Tower) core.Config {
	c := core.DefaultConfig()
	c.Genesis = s.genesis
	c.Identity = n.kp
	c.Tower = tower
	c.VerifySignatures = s.cfg.VerifySignatures
	c.RepairRetryMs = max(s.cfg.SlotMs/2, 20)
	if s.cfg.BlockHistory > 0 {
		c.BlockHistory = s.cfg.BlockHistory
	}
	return c
}

// Node returns the core of node id (1-based), for tests.
func (s *Sim) Node(id int) *core.Node { return s.nodes[id-1].core }

// Network returns the simulated network, for tests that add faults.
func (s *Sim) Network() *Network { return s.net }

// Faucet returns the key of the genesis faucet.
func (s *Sim) Faucet() solana.Keypair { return s.faucet }

// Route delivers what node id (1-based) has pending, as of now; tests call
// it after driving a core directly (e.g. SubmitTransaction).
func (s *Sim) Route(id int) { s.route(s.nodes[id-1], s.now) }

// IsAncestor reports whether slot a is b or an ancestor of b among every
// block any node froze.
func (s *Sim) IsAncestor(a, b uint64) bool { return s.isAncestor(a, b) }

// Genesis returns the run's genesis.
func (s *Sim) Genesis() core.Genesis { return s.genesis }

// Run simulates every slot and returns the result.
func (s *Sim) Run() Result {
	s.RunUntil(s.cfg.Slots)
	return s.Finish()
}

// RunUntil advances virtual time to the start of slot end.
func (s *Sim) RunUntil(end uint64) {
	endMs := int64(end) * s.cfg.SlotMs
	for s.now <= endMs {
		t := s.now
		for {
			it, ok := s.net.next(t)
			if !ok {
				break
			}
			n := s.nodes[it.to]
			if n.down {
				continue
			}
			_ = n.core.Step(it.msg) // invalid messages are the sender's problem; the core counts nothing else
			s.route(n, it.at)
		}
		if t%s.cfg.SlotMs == 0 {
			s.slot = uint64(t / s.cfg.SlotMs)
			s.atSlot()
		}
		for _, n := range s.nodes {
			if !n.down {
				n.core.Tick(t)
				s.route(n, t)
			}
		}
		s.now += s.cfg.TickMs
	}
}

// route sends what a core produced and records its events.
func (s *Sim) route(n *simNode, now int64) {
	r := n.core.Ready()
	if r.Tower != nil {
		n.tower = r.Tower.Marshal()
	}
	for _, e := range r.Messages {
		if e.Broadcast {
			for j := range s.nodes {
				if j != n.id {
					s.net.Send(now, n.id, j, e.Msg)
				}
			}
			continue
		}
		if j, ok := s.index[e.To]; ok {
			s.net.Send(now, n.id, j, e.Msg)
		}
	}
	var buf [64]byte
	for _, ev := range r.Events {
		b := buf[:0]
		b = binary.LittleEndian.AppendUint32(b, uint32(n.id))
		b = append(b, byte(ev.Kind))
		b = binary.LittleEndian.AppendUint64(b, ev.Slot)
		b = binary.LittleEndian.AppendUint64(b, ev.Parent)
		s.transcript.Write(b)
		s.transcript.Write(ev.Hash[:])
		if ev.Kind == core.EventBankFrozen || ev.Kind == core.EventBlockProduced {
			s.parents[ev.Slot] = ev.Parent
		}
		if s.OnEvent != nil {
			s.OnEvent(n.id+1, ev)
		}
	}
}

func (s *Sim) logf(format string, args ...any) {
	s.res.Timeline = append(s.res.Timeline, TimelineEntry{Slot: s.slot, Text: fmt.Sprintf(format, args...)})
}

// atSlot applies the fault schedule, submits traffic and observes the
// cluster at each slot boundary.
func (s *Sim) atSlot() {
	if p := s.cfg.Partition; p != nil {
		if s.slot == p.StartSlot {
			s.net.Partition(s.sides0())
			s.partitioned = true
			s.sideStart = s.sideConfirmed()
			s.logf("partition: %s", s.describeSides())
		}
		if s.slot == p.HealSlot {
			s.net.Heal()
			s.partitioned, s.healed = false, true
			s.finishSides()
			s.logf("heal: every link restored")
			for _, n := range s.nodes {
				n.lastRoot = n.core.RootSlot()
			}
		}
	}
	if k := s.cfg.Kill; k != nil {
		n := s.nodes[k.Node-1]
		if s.slot == k.FromSlot {
			n.down = true
			s.net.SetDown(n.id, true)
			s.logf("kill: node %d stops (root %d, last vote %d)", n.id+1, n.core.RootSlot(), n.core.Tower().LastVotedSlot())
		}
		if s.slot == k.ToSlot {
			s.restart(n)
		}
	}
	s.submitTraffic()
	s.observe()
}

func (s *Sim) restart(n *simNode) {
	var tower *core.Tower
	if n.tower != nil {
		t, err := core.UnmarshalTower(n.tower)
		if err == nil {
			tower = &t
		}
	}
	c, err := core.New(s.coreConfig(n, tower))
	if err != nil {
		s.logf("restart: node %d: %v", n.id+1, err)
		return
	}
	n.core, n.down, n.restarted = c, false, true
	s.net.SetDown(n.id, false)
	root := uint64(0)
	if tower != nil {
		root = tower.Root
	}
	s.logf("restart: node %d from its saved tower (root %d) with an empty ledger", n.id+1, root)
}

// submitTraffic sends TxsPerSlot faucet transfers to the nodes in turn.
func (s *Sim) submitTraffic() {
	if s.cfg.TxsPerSlot == 0 || s.slot == 0 {
		return
	}
	for k := 0; k < s.cfg.TxsPerSlot; k++ {
		n := s.nodes[int(s.txSeq)%len(s.nodes)]
		s.txSeq++
		if n.down {
			continue
		}
		bh, _, _ := n.core.LatestBlockhash(core.Processed)
		to := s.recipients[int(s.txSeq)%len(s.recipients)]
		tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(s.faucet.Pubkey(), to, 1000+s.txSeq)}, bh, s.faucet)
		if err != nil {
			continue
		}
		if _, err := n.core.SubmitTransaction(tx.Marshal()); err == nil {
			s.res.TransactionsSubmitted++
		}
		s.route(n, s.now)
	}
}

// Finish fills in the per-node results, convergence and the transcript hash.
func (s *Sim) Finish() Result {
	if s.partitioned && s.res.Partition == nil {
		s.logf("end: the partition never healed")
		s.finishSides() // sides as they stand at the end of the run
	}
	r := s.res
	r.Nodes = nil
	for _, n := range s.nodes {
		st := n.core.Stats()
		nr := NodeResult{ID: n.id + 1, Pubkey: n.kp.Pubkey().String(), Stake: n.stake, Processed: st.ProcessedSlot, Confirmed: st.ConfirmedSlot,
			Root: st.RootSlot, Finalized: st.FinalizedSlot, VotesCast: st.VotesCast, BlocksProduced: st.BlocksProduced, Restarted: n.restarted}
		if bi, ok := n.core.BankInfo(st.RootSlot); ok {
			nr.RootHash = bi.BankHash.String()
		}
		r.Nodes = append(r.Nodes, nr)
	}
	f, _ := s.forks()
	r.Converged = f == 1 && s.rootsAgree()
	if s.healed {
		m := -1
		for _, n := range s.nodes {
			if !n.down && (m < 0 || n.rootsAfterHeal < m) {
				m = n.rootsAfterHeal
			}
		}
		r.NewRootsAfterHeal = &m
	}
	// Landed transactions: count on the node with the highest processed bank.
	var best *simNode
	for _, n := range s.nodes {
		if !n.down && (best == nil || n.core.ProcessedSlot() > best.core.ProcessedSlot()) {
			best = n
		}
	}
	if best != nil {
		r.TransactionsLanded = best.core.TransactionCount(core.Processed)
	}
	r.MessagesSent, r.MessagesDropped = s.net.Sent, s.net.Dropped
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], s.net.Sent)
	binary.LittleEndian.PutUint64(b[8:], s.net.Dropped)
	s.transcript.Write(b[:])
	r.TranscriptHash = fmt.Sprintf("%x", s.transcript.Sum(nil))
	return r
}
