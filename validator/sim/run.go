package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"sort"

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

// sides0 returns the partition groups as 0-based ids, with the nodes
// named nowhere as a last group.
func (s *Sim) sides0() [][]int {
	p := s.cfg.Partition
	named := map[int]bool{}
	var out [][]int
	for _, g := range p.Groups {
		var side []int
		for _, id := range g {
			side = append(side, id-1)
			named[id-1] = true
		}
		out = append(out, side)
	}
	var rest []int
	for i := range s.nodes {
		if !named[i] {
			rest = append(rest, i)
		}
	}
	if len(rest) > 0 {
		out = append(out, rest)
	}
	return out
}

func (s *Sim) sideConfirmed() []uint64 {
	var out []uint64
	for _, side := range s.sides0() {
		var c uint64
		for _, i := range side {
			c = max(c, s.nodes[i].core.ConfirmedSlot())
		}
		out = append(out, c)
	}
	return out
}

func (s *Sim) describeSides() string {
	var total uint64
	for _, n := range s.nodes {
		total += n.stake
	}
	txt := ""
	for i, side := range s.sides0() {
		var st uint64
		for _, id := range side {
			st += s.nodes[id].stake
		}
		if i > 0 {
			txt += " | "
		}
		txt += fmt.Sprintf("%s (%.1f%% stake)", plural(len(side), "node"), 100*float64(st)/float64(total))
	}
	return txt
}

func (s *Sim) finishSides() {
	var total uint64
	for _, n := range s.nodes {
		total += n.stake
	}
	end := s.sideConfirmed()
	pr := &PartitionResult{StartSlot: s.cfg.Partition.StartSlot, HealSlot: s.cfg.Partition.HealSlot}
	for i, side := range s.sides0() {
		var st uint64
		ids := make([]int, 0, len(side))
		for _, id := range side {
			st += s.nodes[id].stake
			ids = append(ids, id+1)
		}
		adv := uint64(0)
		if end[i] > s.sideStart[i] {
			adv = end[i] - s.sideStart[i]
		}
		pr.Sides = append(pr.Sides, SideResult{Nodes: ids, StakeFraction: float64(st) / float64(total), ConfirmedAdvanced: adv})
		s.logf("side %d (%s): confirmed advanced %s while cut off", i+1, plural(len(side), "node"), plural(int(adv), "slot"))
	}
	s.res.Partition = pr
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

// isAncestor walks the global block tree from b down to a.
func (s *Sim) isAncestor(a, b uint64) bool {
	for b > a {
		p, ok := s.parents[b]
		if !ok {
			return false
		}
		b = p
	}
	return a == b
}

// forks counts the distinct chains the live nodes work on: processed tips
// that are not an ancestor of another node's tip.
func (s *Sim) forks() (int, []uint64) {
	set := map[uint64]bool{}
	for _, n := range s.nodes {
		if !n.down {
			set[n.core.ProcessedSlot()] = true
		}
	}
	var tips []uint64
	for a := range set {
		leaf := true
		for b := range set {
			if a != b && s.isAncestor(a, b) {
				leaf = false
				break
			}
		}
		if leaf {
			tips = append(tips, a)
		}
	}
	sort.Slice(tips, func(i, j int) bool { return tips[i] < tips[j] })
	return len(tips), tips
}

// rootsAgree reports whether every live node has the same bank hash at
// the lowest root among them.
func (s *Sim) rootsAgree() bool {
	low := ^uint64(0)
	for _, n := range s.nodes {
		if !n.down {
			low = min(low, n.core.RootSlot())
		}
	}
	var want solana.Hash
	first := true
	for _, n := range s.nodes {
		if n.down {
			continue
		}
		bi, ok := n.core.BankInfo(low)
		if !ok {
			return false
		}
		if first {
			want, first = bi.BankHash, false
		} else if bi.BankHash != want {
			return false
		}
	}
	return true
}

func (s *Sim) observe() {
	f, tips := s.forks()
	if f > s.res.MaxForks {
		s.res.MaxForks = f
	}
	if f != s.lastForks && s.slot > 0 {
		if f > 1 {
			s.logf("forks: %d live tips %v", f, tips)
		} else if s.lastForks > 1 {
			s.logf("forks: one chain again (tip %d)", tips[0])
		}
	}
	s.lastForks = f
	if s.healed {
		for _, n := range s.nodes {
			if r := n.core.RootSlot(); r != n.lastRoot && !n.down {
				n.rootsAfterHeal++
				n.lastRoot = r
			}
		}
		if !s.hasConverged && f == 1 && s.rootsAgree() {
			s.hasConverged = true
			s.convergedAt = s.now
			ms := s.now - int64(s.cfg.Partition.HealSlot)*s.cfg.SlotMs
			s.res.ConvergedAfterHealMs = &ms
			s.logf("converged: one chain and equal roots %d ms after heal", ms)
		}
	}
	every := max(s.cfg.Slots/10, 10)
	if s.slot > 0 && s.slot%every == 0 {
		s.logf("status: %s", s.summary())
	}
}

func (s *Sim) summary() string {
	lo := [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	var hi [4]uint64
	for _, n := range s.nodes {
		if n.down {
			continue
		}
		v := [4]uint64{n.core.ProcessedSlot(), n.core.ConfirmedSlot(), n.core.RootSlot(), n.core.FinalizedSlot()}
		for i := range v {
			lo[i], hi[i] = min(lo[i], v[i]), max(hi[i], v[i])
		}
	}
	return fmt.Sprintf("processed %d–%d, confirmed %d–%d, root %d–%d, finalized %d–%d", lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], lo[3], hi[3])
}

// Finish fills in the per-node results, convergence and the transcript hash.
func (s *Sim) Finish() Result {
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

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
