// Command healmeasure splits a running slonui devnet cluster, heals it and
// measures, from the heal: when every node's tip is on one chain (converged),
// when every node has seen 16 new distinct finalized slots (recovered, as in
// Agave's check_for_new_roots), when each minority node first votes on the
// majority fork, and the lockout bound implied by the minority towers at
// heal time. It prints one JSON object on stdout.
//
// It is a benchmark helper run by bench/heal_10nodes.sh; nothing imports it.
//
//	healmeasure run --bin SLONUI --dir DIR --nodes 10 --ip 127.0.160 [--split 30s]
//	healmeasure summarize FILE   (one JSON result per line → medians)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: healmeasure run|summarize ...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "run":
		os.Exit(runCmd(os.Args[2:]))
	case "summarize":
		os.Exit(summarizeCmd(os.Args[2:]))
	default:
		fmt.Fprintln(os.Stderr, "usage: healmeasure run|summarize ...")
		os.Exit(2)
	}
}

// Config is one measurement's settings.
type Config struct {
	Bin          string
	Dir          string
	Nodes        int
	IPPrefix     string // node i listens on IPPrefix.i:8899
	Spec         string
	Split        time.Duration
	SlotMs       int
	MinFinalized uint64
	NewRoots     int
	Timeout      time.Duration
	Poll         time.Duration
}

// DefaultConfig is the issue-7 setup: 10 nodes, 7|3 for 30 s.
func DefaultConfig() Config {
	return Config{Nodes: 10, IPPrefix: "127.0.160", Spec: "7|3", Split: 30 * time.Second, SlotMs: 400,
		MinFinalized: 32, NewRoots: 16, Timeout: 240 * time.Second, Poll: 100 * time.Millisecond}
}

// Validate joins every problem with the settings.
func (c Config) Validate() error {
	var errs []error
	if c.Bin == "" {
		errs = append(errs, errors.New("--bin is required"))
	}
	if c.Dir == "" {
		errs = append(errs, errors.New("--dir is required"))
	}
	if c.Nodes < 2 {
		errs = append(errs, fmt.Errorf("--nodes %d: need at least 2", c.Nodes))
	}
	if c.SlotMs <= 0 {
		errs = append(errs, fmt.Errorf("--slot-ms %d: must be positive", c.SlotMs))
	}
	if c.Timeout <= 0 || c.Poll <= 0 {
		errs = append(errs, errors.New("--timeout and --poll must be positive"))
	}
	return errors.Join(errs...)
}

// TowerVote is one entry of /api/v1/tower_state.
type TowerVote struct {
	Slot              uint64 `json:"slot"`
	ConfirmationCount uint32 `json:"confirmation_count"`
	Lockout           uint64 `json:"lockout"`
}

// TowerState is /api/v1/tower_state.
type TowerState struct {
	Identity string      `json:"identity"`
	Root     *uint64     `json:"root"`
	LastVote *uint64     `json:"last_vote"`
	Votes    []TowerVote `json:"votes"`
}

// MinorityTower is a minority node's tower at heal time, with the votes
// that are not ancestors of the majority tip and the slot up to which they
// lock the node out.
type MinorityTower struct {
	Node        int         `json:"node"`
	Root        *uint64     `json:"root"`
	LastVote    *uint64     `json:"last_vote"`
	Votes       []TowerVote `json:"votes"`
	OffFork     []uint64    `json:"off_fork_votes"`
	LockedUntil uint64      `json:"locked_out_until_slot"` // max slot+2^cc over off-fork votes (0: none)
}

// Vote is a minority node's last vote as first seen after the heal, and
// whether it lies on the majority's confirmed chain at the end of the run.
type Vote struct {
	S          float64 `json:"s"`
	Slot       uint64  `json:"slot"`
	OnMajority bool    `json:"on_majority"`
}

// Result is one run's figures. Durations are seconds from the heal; nil
// when the event did not happen before the timeout.
type Result struct {
	HealAt          time.Time `json:"heal_at"`
	HealCmdMs       float64   `json:"heal_cmd_ms"`
	HealSlot        uint64    `json:"heal_slot"`            // the slot running at the heal (genesis clock)
	MajorityTipSlot uint64    `json:"majority_tip_at_heal"` // majority node's processed slot just before the heal
	Majority        []int     `json:"majority"`
	Minority        []int     `json:"minority"`
	ConvergedS      *float64  `json:"converged_s"`
	ConvergedSlot   uint64    `json:"converged_common_confirmed_slot"`
	ConvergedTips   []string  `json:"converged_tips"` // node:processed:hash:confirmed in the round that converged
	// NaiveConvergedS is the same check without requiring the common
	// confirmed slot to be past the heal: it passes at once whenever the
	// tips' block hashes collide across forks.
	NaiveConvergedS *float64         `json:"naive_converged_s"`
	NaiveSlot       uint64           `json:"naive_common_confirmed_slot"`
	NaiveTips       []string         `json:"naive_tips"`
	RecoveredS      *float64         `json:"recovered_s"`
	RecoveredPerS   map[int]*float64 `json:"recovered_per_node_s"`
	MinorityVoteS   *float64         `json:"minority_vote_s"` // the last minority node's first majority-fork vote
	MinorityVotePer map[int]*float64 `json:"minority_vote_per_node_s"`
	MinorityVoteAt  map[int]uint64   `json:"minority_vote_slot"`
	LockoutSlot     uint64           `json:"lockout_bound_slot"`
	LockoutS        float64          `json:"lockout_bound_s"` // from the heal to the end of lockout_bound_slot (genesis clock)
	VotesAfterHeal  map[int][]Vote   `json:"minority_votes_after_heal"`
	Towers          []MinorityTower  `json:"minority_towers_at_heal"`
	FinalizedAtHeal map[int]uint64   `json:"finalized_at_heal"`
	TimedOut        bool             `json:"timed_out"`
	Notes           []string         `json:"notes,omitempty"`
}

func runCmd(args []string) int {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&cfg.Bin, "bin", "", "slonui binary")
	fs.StringVar(&cfg.Dir, "dir", "", "cluster directory")
	fs.IntVar(&cfg.Nodes, "nodes", cfg.Nodes, "nodes")
	fs.StringVar(&cfg.IPPrefix, "ip", cfg.IPPrefix, "first three octets; node i is at PREFIX.i:8899")
	fs.StringVar(&cfg.Spec, "spec", cfg.Spec, "partition spec")
	fs.DurationVar(&cfg.Split, "split", cfg.Split, "partition length")
	fs.IntVar(&cfg.SlotMs, "slot-ms", cfg.SlotMs, "slot time")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "bound on every wait")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "healmeasure:", err)
		return 2
	}
	res, err := measure(context.Background(), cfg)
	if res != nil {
		_ = json.NewEncoder(os.Stdout).Encode(res)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "healmeasure:", err)
		return 1
	}
	if res.TimedOut {
		return 1
	}
	return 0
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "%s healmeasure: %s\n", time.Now().UTC().Format("15:04:05.000"), fmt.Sprintf(format, a...))
}

func measure(ctx context.Context, cfg Config) (*Result, error) {
	nodes := make([]*client, cfg.Nodes)
	for i := range nodes {
		nodes[i] = &client{id: i + 1, url: fmt.Sprintf("http://%s.%d:8899", cfg.IPPrefix, i+1)}
	}
	// 1. every node has finalized at least MinFinalized.
	logf("waiting until every node has finalized >= %d", cfg.MinFinalized)
	deadline := time.Now().Add(cfg.Timeout)
	for {
		lowest, ok := uint64(0), true
		for i, n := range nodes {
			var f uint64
			if err := n.call(ctx, "getSlot", []any{map[string]any{"commitment": "finalized"}}, &f); err != nil {
				ok = false
				break
			}
			if i == 0 || f < lowest {
				lowest = f
			}
		}
		if ok && lowest >= cfg.MinFinalized {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("wait finalized >= %d: timed out after %s", cfg.MinFinalized, cfg.Timeout)
		}
		time.Sleep(500 * time.Millisecond)
	}

	// 2. split.
	var rep struct {
		Sides []struct {
			Nodes      []int `json:"nodes"`
			CanConfirm bool  `json:"can_confirm"`
		} `json:"sides"`
		Error string `json:"error"`
	}
	out, err := exec.CommandContext(ctx, cfg.Bin, "chaos", "partition", cfg.Spec, "--dir", cfg.Dir, "--json").Output()
	if err != nil {
		return nil, fmt.Errorf("chaos partition %s: %w (%s)", cfg.Spec, err, out)
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("chaos partition %s: decode: %w", cfg.Spec, err)
	}
	res := &Result{RecoveredPerS: map[int]*float64{}, MinorityVotePer: map[int]*float64{},
		MinorityVoteAt: map[int]uint64{}, FinalizedAtHeal: map[int]uint64{}}
	for _, s := range rep.Sides {
		if s.CanConfirm {
			res.Majority = append(res.Majority, s.Nodes...)
		} else {
			res.Minority = append(res.Minority, s.Nodes...)
		}
	}
	if len(res.Majority) == 0 || len(res.Minority) == 0 {
		return nil, fmt.Errorf("chaos partition %s: want one side that can confirm and one that cannot, got %s", cfg.Spec, out)
	}
	logf("split %s: majority %v minority %v; holding %s", cfg.Spec, res.Majority, res.Minority, cfg.Split)
	time.Sleep(cfg.Split)

	// 3. state just before the heal.
	maj := nodes[res.Majority[0]-1]
	var tip latest
	if err := maj.call(ctx, "getLatestBlockhash", []any{map[string]any{"commitment": "processed"}}, &tip); err != nil {
		return nil, fmt.Errorf("node %d: heal slot: %w", maj.id, err)
	}
	res.MajorityTipSlot = tip.Context.Slot
	var gen struct {
		CreationTime time.Time `json:"creation_time"`
	}
	if raw, err := os.ReadFile(cfg.Dir + "/genesis.json"); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	} else if err := json.Unmarshal(raw, &gen); err != nil {
		return nil, fmt.Errorf("genesis: decode: %w", err)
	}
	slotDur := time.Duration(cfg.SlotMs) * time.Millisecond
	for _, n := range nodes {
		var f uint64
		if err := n.call(ctx, "getSlot", []any{map[string]any{"commitment": "finalized"}}, &f); err != nil {
			return nil, fmt.Errorf("node %d: finalized at heal: %w", n.id, err)
		}
		res.FinalizedAtHeal[n.id] = f
	}
	for _, id := range res.Minority {
		t, err := nodes[id-1].tower(ctx)
		if err != nil {
			return nil, fmt.Errorf("node %d: tower at heal: %w", id, err)
		}
		res.Towers = append(res.Towers, MinorityTower{Node: id, Root: t.Root, LastVote: t.LastVote, Votes: t.Votes})
	}

	// 4. heal.
	start := time.Now()
	if out, err := exec.CommandContext(ctx, cfg.Bin, "chaos", "heal", "--dir", cfg.Dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chaos heal: %w (%s)", err, out)
	}
	res.HealAt = start
	res.HealSlot = uint64(start.Sub(gen.CreationTime) / slotDur)
	res.HealCmdMs = float64(time.Since(start).Microseconds()) / 1000
	logf("healed at slot %d (command took %.0f ms)", res.HealSlot, res.HealCmdMs)

	// Off-fork votes in the towers at heal time: not on the majority
	// node's confirmed chain (its confirmed bank's ancestors).
	lowVote := res.MajorityTipSlot
	for _, t := range res.Towers {
		for _, v := range t.Votes {
			lowVote = min(lowVote, v.Slot)
		}
	}
	majChain, err := maj.blocks(ctx, lowVote, res.MajorityTipSlot)
	if err != nil {
		return nil, fmt.Errorf("node %d: majority chain: %w", maj.id, err)
	}
	onMaj := map[uint64]bool{}
	for _, s := range majChain {
		onMaj[s] = true
	}
	for i := range res.Towers {
		t := &res.Towers[i]
		t.OffFork, t.LockedUntil = offForkLockout(t.Votes, onMaj)
		res.LockoutSlot = max(res.LockoutSlot, t.LockedUntil)
	}
	if res.LockoutSlot > 0 {
		// Locked out at slot s while lockout_bound_slot >= s: free from
		// the start of the next slot.
		free := gen.CreationTime.Add(time.Duration(res.LockoutSlot+1) * slotDur)
		res.LockoutS = max(0, free.Sub(start).Seconds())
	}

	// 5. poll.
	since := func(t time.Time) *float64 { s := t.Sub(start).Seconds(); return &s }
	seen := map[int]map[uint64]bool{}
	for _, n := range nodes {
		seen[n.id] = map[uint64]bool{}
	}
	type obs struct {
		t    time.Time
		slot uint64
	}
	votes := map[int][]obs{}
	allVotes := map[int][]Vote{}
	lastSeen := map[int]uint64{}
	for _, t := range res.Towers {
		if t.LastVote != nil {
			lastSeen[t.Node] = *t.LastVote
		}
	}
	end := start.Add(cfg.Timeout)
	round := 0
	for {
		round++
		samples := make([]sample, len(nodes))
		var wg sync.WaitGroup
		for i, n := range nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				samples[i] = n.sample(ctx)
			}()
		}
		towers := make(map[int]*TowerState)
		var mu sync.Mutex
		for _, id := range res.Minority {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t, err := nodes[id-1].tower(ctx)
				if err == nil {
					mu.Lock()
					towers[id] = t
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		now := time.Now()
		for id, t := range towers {
			if t.LastVote != nil && *t.LastVote != lastSeen[id] {
				lastSeen[id] = *t.LastVote
				votes[id] = append(votes[id], obs{now, *t.LastVote})
				allVotes[id] = append(allVotes[id], Vote{S: now.Sub(start).Seconds(), Slot: *t.LastVote})
			}
		}
		all := true
		for _, s := range samples {
			if !s.ok {
				all = false
				continue
			}
			if s.finalized > res.FinalizedAtHeal[s.id] {
				seen[s.id][s.finalized] = true
			}
			if res.RecoveredPerS[s.id] == nil && len(seen[s.id]) >= cfg.NewRoots {
				res.RecoveredPerS[s.id] = since(s.t)
			}
		}
		if res.RecoveredS == nil && len(res.RecoveredPerS) == len(nodes) {
			var last float64
			for _, d := range res.RecoveredPerS {
				last = max(last, *d)
			}
			res.RecoveredS = &last
			logf("recovered after %.2f s", last)
		}
		if res.ConvergedS == nil && all {
			if ok, common := converged(ctx, nodes, samples); ok {
				var t time.Time
				var tips []string
				for _, s := range samples {
					if s.t.After(t) {
						t = s.t
					}
					tips = append(tips, fmt.Sprintf("%d:%d:%s:%d", s.id, s.processed, s.hash, s.confirmed))
				}
				if res.NaiveConvergedS == nil {
					res.NaiveConvergedS, res.NaiveSlot, res.NaiveTips = since(t), common, tips
					logf("naive check passed after %.3f s (common confirmed slot %d; tips %v)", *res.NaiveConvergedS, common, tips)
				}
				// The common confirmed slot must be one confirmed after the
				// heal, so that every node has taken the same post-heal block
				// (getBlock at one slot cannot be fooled by equal hashes on
				// other forks, isBlockhashValid can).
				if common > res.HealSlot {
					res.ConvergedS, res.ConvergedSlot, res.ConvergedTips = since(t), common, tips
					logf("converged after %.3f s (common confirmed slot %d; tips %v)", *res.ConvergedS, common, tips)
				}
			}
		}
		// Resolve minority votes against the majority's confirmed chain.
		if round%5 == 0 {
			var conf uint64
			if err := maj.call(ctx, "getSlot", []any{map[string]any{"commitment": "confirmed"}}, &conf); err == nil {
				for _, id := range res.Minority {
					if res.MinorityVotePer[id] != nil {
						continue
					}
					for len(votes[id]) > 0 && votes[id][0].slot <= conf {
						o := votes[id][0]
						chain, err := maj.blocks(ctx, o.slot, o.slot)
						if err != nil {
							break
						}
						if slices.Contains(chain, o.slot) {
							res.MinorityVotePer[id], res.MinorityVoteAt[id] = since(o.t), o.slot
							logf("node %d voted on the majority fork (slot %d) after %.2f s", id, o.slot, *res.MinorityVotePer[id])
							break
						}
						votes[id] = votes[id][1:]
					}
				}
			}
			if res.MinorityVoteS == nil && len(res.MinorityVotePer) == len(res.Minority) {
				var last float64
				for _, d := range res.MinorityVotePer {
					last = max(last, *d)
				}
				res.MinorityVoteS = &last
			}
		}
		if res.ConvergedS != nil && res.RecoveredS != nil && res.MinorityVoteS != nil {
			annotate(ctx, maj, res, allVotes)
			return res, nil
		}
		if time.Now().After(end) {
			res.TimedOut = true
			res.Notes = append(res.Notes, fmt.Sprintf("timed out after %s", cfg.Timeout))
			for id := range towers {
				if res.MinorityVotePer[id] == nil {
					b, _ := json.Marshal(towers[id])
					res.Notes = append(res.Notes, fmt.Sprintf("node %d tower at timeout: %s", id, b))
				}
			}
			for _, s := range samples {
				res.Notes = append(res.Notes, fmt.Sprintf("node %d at timeout: processed %d confirmed %d finalized %d new roots %d",
					s.id, s.processed, s.confirmed, s.finalized, len(seen[s.id])))
			}
			annotate(ctx, maj, res, allVotes)
			return res, nil
		}
		if round%50 == 0 {
			logf("t+%.0fs converged=%v recovered=%d/%d minority votes=%d/%d", time.Since(start).Seconds(),
				res.ConvergedS != nil, len(res.RecoveredPerS), len(nodes), len(res.MinorityVotePer), len(res.Minority))
		}
		time.Sleep(cfg.Poll)
	}
}

// converged reports whether every node's processed tip lies on the chain of
// the highest tip (isBlockhashValid there) and every node has the same hash
// at the lowest confirmed slot.
func converged(ctx context.Context, nodes []*client, samples []sample) (bool, uint64) {
	hi := 0
	common := samples[0].confirmed
	for i, s := range samples {
		if s.processed > samples[hi].processed {
			hi = i
		}
		common = min(common, s.confirmed)
	}
	for i, s := range samples {
		if i == hi || s.hash == samples[hi].hash {
			continue
		}
		var v struct{ Value bool }
		if err := nodes[hi].call(ctx, "isBlockhashValid", []any{s.hash, map[string]any{"commitment": "processed"}}, &v); err != nil || !v.Value {
			return false, 0
		}
	}
	hashes := make([]string, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b struct{ Blockhash string }
			if err := n.call(ctx, "getBlock", []any{common, map[string]any{"commitment": "confirmed",
				"transactionDetails": "none", "rewards": false}}, &b); err == nil {
				hashes[i] = b.Blockhash
			}
		}()
	}
	wg.Wait()
	for _, h := range hashes {
		if h == "" || h != hashes[0] {
			return false, 0
		}
	}
	return true, common
}

type latest struct {
	Context struct{ Slot uint64 }
	Value   struct{ Blockhash string }
}

type sample struct {
	id                              int
	ok                              bool
	t                               time.Time
	processed, confirmed, finalized uint64
	hash                            string
}

type client struct {
	id  int
	url string
}

var httpc = &http.Client{Timeout: 2 * time.Second}

type rpcResp struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (c *client) post(ctx context.Context, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("node %d: %w", c.id, err)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func (c *client) call(ctx context.Context, method string, params []any, out any) error {
	raw, err := c.post(ctx, map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	if err != nil {
		return err
	}
	var r rpcResp
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("node %d: %s: decode: %w", c.id, method, err)
	}
	if r.Error != nil {
		return fmt.Errorf("node %d: %s: %d %s", c.id, method, r.Error.Code, r.Error.Message)
	}
	return json.Unmarshal(r.Result, out)
}

// sample reads the processed tip (slot and hash), confirmed and finalized
// slots in one batch.
func (c *client) sample(ctx context.Context) sample {
	s := sample{id: c.id}
	raw, err := c.post(ctx, []any{
		map[string]any{"jsonrpc": "2.0", "id": 1, "method": "getLatestBlockhash", "params": []any{map[string]any{"commitment": "processed"}}},
		map[string]any{"jsonrpc": "2.0", "id": 2, "method": "getSlot", "params": []any{map[string]any{"commitment": "confirmed"}}},
		map[string]any{"jsonrpc": "2.0", "id": 3, "method": "getSlot", "params": []any{map[string]any{"commitment": "finalized"}}},
	})
	if err != nil {
		return s
	}
	var rs []rpcResp
	if json.Unmarshal(raw, &rs) != nil || len(rs) != 3 {
		return s
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	var l latest
	for _, r := range rs {
		if r.Error != nil {
			return s
		}
	}
	if json.Unmarshal(rs[0].Result, &l) != nil || json.Unmarshal(rs[1].Result, &s.confirmed) != nil ||
		json.Unmarshal(rs[2].Result, &s.finalized) != nil {
		return s
	}
	s.ok, s.t, s.processed, s.hash = true, time.Now(), l.Context.Slot, l.Value.Blockhash
	return s
}

func (c *client) blocks(ctx context.Context, lo, hi uint64) ([]uint64, error) {
	var out []uint64
	err := c.call(ctx, "getBlocks", []any{lo, hi, map[string]any{"commitment": "confirmed"}}, &out)
	return out, err
}

func (c *client) tower(ctx context.Context) (*TowerState, error) {
	u := c.url + "/api/v1/tower_state"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := httpc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("node %d: tower: %w", c.id, err)
	}
	defer resp.Body.Close()
	var t TowerState
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, fmt.Errorf("node %d: tower: decode: %w", c.id, err)
	}
	return &t, nil
}

func summarizeCmd(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: healmeasure summarize FILE")
		return 2
	}
	raw, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "healmeasure:", err)
		return 1
	}
	var runs []Result
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		var r Result
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "healmeasure: summarize:", err)
			return 1
		}
		runs = append(runs, r)
	}
	cols := []struct {
		name string
		get  func(r Result) *float64
	}{
		{"heal->converged s", func(r Result) *float64 { return r.ConvergedS }},
		{"  (naive check, collides) s", func(r Result) *float64 { return r.NaiveConvergedS }},
		{"heal->recovered s", func(r Result) *float64 { return r.RecoveredS }},
		{"heal->minority votes on majority s", func(r Result) *float64 { return r.MinorityVoteS }},
		{"lockout bound s", func(r Result) *float64 { v := r.LockoutS; return &v }},
	}
	fmt.Printf("%-36s", "run")
	for i := range runs {
		fmt.Printf(" %8d", i+1)
	}
	fmt.Printf(" %8s\n", "median")
	for _, c := range cols {
		fmt.Printf("%-36s", c.name)
		var vals []float64
		for _, r := range runs {
			if v := c.get(r); v != nil {
				fmt.Printf(" %8.3f", *v)
				vals = append(vals, *v)
			} else {
				fmt.Printf(" %8s", "timeout")
			}
		}
		fmt.Printf(" %8s\n", median(vals, len(runs)))
	}
	return 0
}

// median of the finished values; a run that timed out counts as +inf.
func median(vals []float64, n int) string {
	if n == 0 {
		return "-"
	}
	for len(vals) < n {
		vals = append(vals, math.Inf(1))
	}
	slices.Sort(vals)
	var m float64
	if n%2 == 1 {
		m = vals[n/2]
	} else {
		m = (vals[n/2-1] + vals[n/2]) / 2
	}
	if math.IsInf(m, 1) {
		return "timeout"
	}
	return fmt.Sprintf("%.3f", m)
}

// annotate records every minority vote seen after the heal, marking those
// on the majority node's confirmed chain as it stands now.
func annotate(ctx context.Context, maj *client, res *Result, votes map[int][]Vote) {
	lo, hi := uint64(0), uint64(0)
	for _, vs := range votes {
		for _, v := range vs {
			if lo == 0 || v.Slot < lo {
				lo = v.Slot
			}
			hi = max(hi, v.Slot)
		}
	}
	on := map[uint64]bool{}
	if hi > 0 {
		if chain, err := maj.blocks(ctx, lo, hi); err == nil {
			for _, s := range chain {
				on[s] = true
			}
		} else {
			res.Notes = append(res.Notes, fmt.Sprintf("majority chain %d-%d: %v", lo, hi, err))
		}
	}
	res.VotesAfterHeal = map[int][]Vote{}
	for id, vs := range votes {
		for _, v := range vs {
			v.OnMajority = on[v.Slot]
			res.VotesAfterHeal[id] = append(res.VotesAfterHeal[id], v)
		}
	}
}

// offForkLockout returns the tower votes that are not ancestors of the
// majority tip (not in onMajority) and the last slot they lock the node out
// of: the largest slot + 2^confirmation_count among them (0 when none).
func offForkLockout(votes []TowerVote, onMajority map[uint64]bool) (off []uint64, until uint64) {
	for _, v := range votes {
		if onMajority[v.Slot] {
			continue // an ancestor of the majority tip
		}
		off = append(off, v.Slot)
		until = max(until, v.Slot+(uint64(1)<<v.ConfirmationCount))
	}
	return off, until
}
