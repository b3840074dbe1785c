package rpcserver

import (
	"context"

	"slonui/solana"
)

// slotMethod runs the common [{commitment,minContextSlot}] form.
func (s *Server) slotBank(p params) (Bank, *Error) {
	if err := p.arity(0, 1); err != nil {
		return nil, err
	}
	var cfg commitmentConfig
	if err := p.decode(0, &cfg); err != nil {
		return nil, err
	}
	c, err := cfg.level()
	if err != nil {
		return nil, err
	}
	return s.bank(c, cfg.MinContextSlot)
}

func (s *Server) getSlot(_ context.Context, p params) (any, *Error) {
	b, err := s.slotBank(p)
	if err != nil {
		return nil, err
	}
	return b.Slot(), nil
}

func (s *Server) getBlockHeight(_ context.Context, p params) (any, *Error) {
	b, err := s.slotBank(p)
	if err != nil {
		return nil, err
	}
	return b.BlockHeight(), nil
}

func (s *Server) getTransactionCount(_ context.Context, p params) (any, *Error) {
	b, err := s.slotBank(p)
	if err != nil {
		return nil, err
	}
	return b.TransactionCount(), nil
}

func (s *Server) getEpochInfo(_ context.Context, p params) (any, *Error) {
	b, err := s.slotBank(p)
	if err != nil {
		return nil, err
	}
	es := s.b.EpochSchedule()
	epoch, index := es.EpochAndIndex(b.Slot())
	return struct {
		AbsoluteSlot     uint64 `json:"absoluteSlot"`
		BlockHeight      uint64 `json:"blockHeight"`
		Epoch            uint64 `json:"epoch"`
		SlotIndex        uint64 `json:"slotIndex"`
		SlotsInEpoch     uint64 `json:"slotsInEpoch"`
		TransactionCount uint64 `json:"transactionCount"`
	}{b.Slot(), b.BlockHeight(), epoch, index, es.SlotsInEpoch(epoch), b.TransactionCount()}, nil
}

func (s *Server) getEpochSchedule(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	return s.b.EpochSchedule(), nil
}

// leaderScheduleConfig is RpcLeaderScheduleConfig.
type leaderScheduleConfig struct {
	commitmentConfig
	Identity *string `json:"identity"`
}

// leaderScheduleArgs reads [slot|null, config] or [config].
func leaderScheduleArgs(p params) (*uint64, leaderScheduleConfig, *Error) {
	var cfg leaderScheduleConfig
	if err := p.arity(0, 2); err != nil {
		return nil, cfg, err
	}
	if p.has(0) && p[0][0] == '{' {
		return nil, cfg, p.decode(0, &cfg)
	}
	var slot *uint64
	if p.has(0) {
		n, err := p.u64(0)
		if err != nil {
			return nil, cfg, err
		}
		slot = &n
	}
	return slot, cfg, p.decode(1, &cfg)
}

func (s *Server) getLeaderSchedule(_ context.Context, p params) (any, *Error) {
	slot, cfg, err := leaderScheduleArgs(p)
	if err != nil {
		return nil, err
	}
	b, err := s.bankAt(cfg.commitmentConfig)
	if err != nil {
		return nil, err
	}
	at := b.Slot()
	if slot != nil {
		at = *slot
	}
	var only *solana.Pubkey
	if cfg.Identity != nil {
		pk, err := pubkeyParam(*cfg.Identity)
		if err != nil {
			return nil, err
		}
		only = &pk
	}
	epoch, _ := s.b.EpochSchedule().EpochAndIndex(at)
	leaders, ok := s.b.LeaderSchedule(epoch)
	if !ok {
		return nil, nil
	}
	return scheduleByIdentity(leaders, only), nil
}

// scheduleByIdentity turns one leader per slot index into identity →
// slot indices, optionally for one identity only.
func scheduleByIdentity(leaders []solana.Pubkey, only *solana.Pubkey) map[string][]uint64 {
	byKey := map[solana.Pubkey][]uint64{}
	for i, pk := range leaders {
		if only == nil || pk == *only {
			byKey[pk] = append(byKey[pk], uint64(i))
		}
	}
	out := make(map[string][]uint64, len(byKey))
	for pk, idx := range byKey {
		out[pk.String()] = idx
	}
	return out
}

func (s *Server) getSlotLeaders(_ context.Context, p params) (any, *Error) {
	if err := p.arity(2, 2); err != nil {
		return nil, err
	}
	start, err := p.u64(0)
	if err != nil {
		return nil, err
	}
	limit, err := p.u64(1)
	if err != nil {
		return nil, err
	}
	if limit > maxSlotLeaders {
		return nil, errParams("Invalid limit; max %d", maxSlotLeaders)
	}
	es := s.b.EpochSchedule()
	out := make([]string, 0, limit)
	for slot := start; slot < start+limit; {
		epoch, index := es.EpochAndIndex(slot)
		leaders, ok := s.b.LeaderSchedule(epoch)
		if !ok || uint64(len(leaders)) <= index {
			return nil, errParams("Invalid slot range: leader schedule for epoch %d is unavailable", epoch)
		}
		for ; index < uint64(len(leaders)) && slot < start+limit; index++ {
			out = append(out, leaders[index].String())
			slot++
		}
	}
	return out, nil
}

// voteAccountJSON is Agave's RpcVoteAccountInfo.
type voteAccountJSON struct {
	VotePubkey       string      `json:"votePubkey"`
	NodePubkey       string      `json:"nodePubkey"`
	ActivatedStake   uint64      `json:"activatedStake"`
	EpochVoteAccount bool        `json:"epochVoteAccount"`
	Commission       uint8       `json:"commission"`
	LastVote         uint64      `json:"lastVote"`
	EpochCredits     [][3]uint64 `json:"epochCredits"`
	RootSlot         uint64      `json:"rootSlot"`
}

func (s *Server) getVoteAccounts(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 1); err != nil {
		return nil, err
	}
	var cfg struct {
		commitmentConfig
		VotePubkey              *string `json:"votePubkey"`
		KeepUnstakedDelinquents *bool   `json:"keepUnstakedDelinquents"`
		DelinquentSlotDistance  *uint64 `json:"delinquentSlotDistance"`
	}
	if err := p.decode(0, &cfg); err != nil {
		return nil, err
	}
	c, err := cfg.level()
	if err != nil {
		return nil, err
	}
	b, err := s.bank(c, cfg.MinContextSlot)
	if err != nil {
		return nil, err
	}
	f := voteFilter{distance: delinquentDistance}
	if cfg.VotePubkey != nil {
		pk, err := pubkeyParam(*cfg.VotePubkey)
		if err != nil {
			return nil, err
		}
		f.vote = &pk
	}
	if cfg.KeepUnstakedDelinquents != nil {
		f.keepUnstaked = *cfg.KeepUnstakedDelinquents
	}
	if cfg.DelinquentSlotDistance != nil {
		f.distance = *cfg.DelinquentSlotDistance
	}
	current, delinquent := splitVoteAccounts(s.b.VoteAccounts(c), b.Slot(), f)
	return struct {
		Current    []voteAccountJSON `json:"current"`
		Delinquent []voteAccountJSON `json:"delinquent"`
	}{current, delinquent}, nil
}
