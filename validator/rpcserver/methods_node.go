package rpcserver

import (
	"context"
	"net/netip"
)

func (s *Server) getHealth(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	if h := s.b.Health(); h.Status != HealthOK {
		return nil, healthError(h)
	}
	return "ok", nil
}

func (s *Server) getVersion(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	v := s.b.Version()
	return struct {
		SolanaCore string `json:"solana-core"`
		FeatureSet uint32 `json:"feature-set"`
	}{v.SolanaCore, v.FeatureSet}, nil
}

func (s *Server) getIdentity(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	return map[string]string{"identity": s.b.Identity().String()}, nil
}

func (s *Server) getGenesisHash(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	return s.b.GenesisHash().String(), nil
}

// addr is an "ip:port" string or null.
func addr(a netip.AddrPort) *string {
	if !a.IsValid() {
		return nil
	}
	s := a.String()
	return &s
}

// contactInfoJSON is Agave's RpcContactInfo.
type contactInfoJSON struct {
	Pubkey          string  `json:"pubkey"`
	Gossip          *string `json:"gossip"`
	TVU             *string `json:"tvu"`
	TPU             *string `json:"tpu"`
	TPUQuic         *string `json:"tpuQuic"`
	TPUForwards     *string `json:"tpuForwards"`
	TPUForwardsQuic *string `json:"tpuForwardsQuic"`
	TPUVote         *string `json:"tpuVote"`
	ServeRepair     *string `json:"serveRepair"`
	RPC             *string `json:"rpc"`
	PubSub          *string `json:"pubsub"`
	Version         *string `json:"version"`
	FeatureSet      *uint32 `json:"featureSet"`
	ShredVersion    *uint16 `json:"shredVersion"`
	ClientID        *uint16 `json:"clientId"`
}

func (s *Server) getClusterNodes(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	nodes := s.b.ClusterNodes()
	out := make([]contactInfoJSON, 0, len(nodes))
	for _, n := range nodes {
		c := contactInfoJSON{
			Pubkey: n.Pubkey.String(), Gossip: addr(n.Gossip), TVU: addr(n.TVU), TPU: addr(n.TPU), TPUQuic: addr(n.TPUQuic),
			TPUForwards: addr(n.TPUForwards), TPUForwardsQuic: addr(n.TPUForwardsQuic), TPUVote: addr(n.TPUVote),
			ServeRepair: addr(n.ServeRepair), RPC: addr(n.RPC), PubSub: addr(n.PubSub), ClientID: n.ClientID,
		}
		if n.Version != "" {
			v, fs := n.Version, n.FeatureSet
			c.Version, c.FeatureSet = &v, &fs
		}
		sv := n.ShredVersion
		c.ShredVersion = &sv
		out = append(out, c)
	}
	return out, nil
}

func (s *Server) getRecentPerformanceSamples(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 1); err != nil {
		return nil, err
	}
	limit := uint64(maxPerformanceSamples)
	if p.has(0) {
		var err *Error
		if limit, err = p.u64(0); err != nil {
			return nil, err
		}
		if limit > maxPerformanceSamples {
			return nil, errParams("Invalid limit; max %d", maxPerformanceSamples)
		}
	}
	type sampleJSON struct {
		Slot                   uint64 `json:"slot"`
		NumTransactions        uint64 `json:"numTransactions"`
		NumNonVoteTransactions uint64 `json:"numNonVoteTransactions"`
		NumSlots               uint64 `json:"numSlots"`
		SamplePeriodSecs       uint16 `json:"samplePeriodSecs"`
	}
	samples := s.b.PerformanceSamples(int(limit))
	out := make([]sampleJSON, 0, len(samples))
	for i, x := range samples {
		if uint64(i) >= limit {
			break
		}
		out = append(out, sampleJSON(x))
	}
	return out, nil
}

// Agave's limits.
const (
	maxPerformanceSamples = 720
	maxSlotLeaders        = 5000
	maxSignatureStatuses  = 256
	maxMultipleAccounts   = 100
	maxBlockRange         = 500_000
	delinquentDistance    = 128
)

func (s *Server) getFirstAvailableBlock(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	return s.b.FirstAvailableBlock(), nil
}

func (s *Server) minimumLedgerSlot(_ context.Context, p params) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	slot, ok := s.b.MinimumLedgerSlot()
	if !ok {
		return nil, errInvalidRequest()
	}
	return slot, nil
}
