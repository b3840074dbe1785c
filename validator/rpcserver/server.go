package rpcserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
)

// Server answers JSON-RPC over HTTP and pubsub over WebSocket from a Backend.
type Server struct {
	b      Backend
	cfg    Config
	pubsub *pubsub
}

// New returns a server over b.
func New(b Backend, cfg Config) (*Server, error) {
	if b == nil {
		return nil, errors.New("rpcserver: nil backend")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{b: b, cfg: cfg}
	s.pubsub = newPubsub(s)
	return s, nil
}

// Serve serves JSON-RPC on rpcLn and pubsub on pubsubLn until ctx is done,
// then shuts both down (closing WebSockets) and returns nil. An error from
// either server that is not a shutdown is returned. Serve owns the
// listeners. A nil pubsubLn serves JSON-RPC only.
func (s *Server) Serve(ctx context.Context, rpcLn, pubsubLn net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rpcSrv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: s.cfg.ReadHeaderTimeout, IdleTimeout: s.cfg.IdleTimeout}
	wsSrv := &http.Server{Handler: s.PubsubHandler(), ReadHeaderTimeout: s.cfg.ReadHeaderTimeout}
	errc := make(chan error, 2) // only failures; a shutdown is not one
	serve := func(what string, srv *http.Server, ln net.Listener) {
		if err := serveErr(what, srv.Serve(ln)); err != nil {
			errc <- err
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.RunPubsub(ctx) }()
	go func() { defer wg.Done(); serve("rpc", rpcSrv, rpcLn) }()
	if pubsubLn != nil {
		wg.Add(1)
		go func() { defer wg.Done(); serve("pubsub", wsSrv, pubsubLn) }()
	}
	var first error
	select {
	case <-ctx.Done():
	case first = <-errc:
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer scancel()
	s.pubsub.closeAll()
	_ = rpcSrv.Shutdown(sctx)
	_ = wsSrv.Shutdown(sctx)
	_ = rpcSrv.Close()
	_ = wsSrv.Close()
	wg.Wait()
	return first
}

func serveErr(what string, err error) error {
	if err == nil || errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("rpcserver: serve %s: %w", what, err)
}

// method is one JSON-RPC method.
type method func(s *Server, ctx context.Context, p params) (any, *Error)

var methods map[string]method

// methodNames maps each method's name to itself, so that a name read from
// a body is found without allocating a string.
var methodNames map[string]string

func init() {
	methods = map[string]method{
		"getHealth":                         (*Server).getHealth,
		"getSlot":                           (*Server).getSlot,
		"getBlockHeight":                    (*Server).getBlockHeight,
		"getTransactionCount":               (*Server).getTransactionCount,
		"getClusterNodes":                   (*Server).getClusterNodes,
		"getLeaderSchedule":                 (*Server).getLeaderSchedule,
		"getSlotLeaders":                    (*Server).getSlotLeaders,
		"getEpochInfo":                      (*Server).getEpochInfo,
		"getEpochSchedule":                  (*Server).getEpochSchedule,
		"getVersion":                        (*Server).getVersion,
		"getIdentity":                       (*Server).getIdentity,
		"getGenesisHash":                    (*Server).getGenesisHash,
		"getVoteAccounts":                   (*Server).getVoteAccounts,
		"getLatestBlockhash":                (*Server).getLatestBlockhash,
		"isBlockhashValid":                  (*Server).isBlockhashValid,
		"getBalance":                        (*Server).getBalance,
		"getAccountInfo":                    (*Server).getAccountInfo,
		"getMultipleAccounts":               (*Server).getMultipleAccounts,
		"getMinimumBalanceForRentExemption": (*Server).getMinimumBalanceForRentExemption,
		"getFeeForMessage":                  (*Server).getFeeForMessage,
		"requestAirdrop":                    (*Server).requestAirdrop,
		"sendTransaction":                   (*Server).sendTransaction,
		"simulateTransaction":               (*Server).simulateTransaction,
		"getSignatureStatuses":              (*Server).getSignatureStatuses,
		"getRecentPerformanceSamples":       (*Server).getRecentPerformanceSamples,
		"getBlock":                          (*Server).getBlock,
		"getBlocks":                         (*Server).getBlocks,
		"getFirstAvailableBlock":            (*Server).getFirstAvailableBlock,
		"minimumLedgerSlot":                 (*Server).minimumLedgerSlot,
	}
	methodNames = make(map[string]string, len(methods))
	for name := range methods {
		methodNames[name] = name
	}
}

// call runs one request whose envelope is valid.
func (s *Server) call(ctx context.Context, req *request) (any, *Error) {
	m, ok := methods[req.method]
	if !ok {
		return nil, errMethodNotFound()
	}
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.RPCRequest(req.method)
	}
	p, err := req.positional()
	if err != nil {
		return nil, err
	}
	return m(s, ctx, p)
}

// bank picks the bank for a commitment config and enforces minContextSlot.
// bankAt resolves a request's commitment config to a bank (default
// finalized), honouring minContextSlot.
func (s *Server) bankAt(cfg commitmentConfig) (Bank, *Error) {
	c, err := cfg.level()
	if err != nil {
		return nil, err
	}
	return s.bank(c, cfg.MinContextSlot)
}

func (s *Server) bank(c Commitment, minContextSlot *uint64) (Bank, *Error) {
	b := s.b.Bank(c)
	if minContextSlot != nil && b.Slot() < *minContextSlot {
		return nil, errMinContextSlot(b.Slot())
	}
	return b, nil
}

// withContext is the {"context":{slot,apiVersion},"value":…} wrapper.
func (s *Server) withContext(slot uint64, value any) any {
	return contextValue(s.cfg.APIVersion, slot, value)
}

// contextValue is the wrapper of withContext for a given apiVersion.
func contextValue(apiVersion string, slot uint64, value any) any {
	type ctxT struct {
		APIVersion string `json:"apiVersion,omitempty"`
		Slot       uint64 `json:"slot"`
	}
	return struct {
		Context ctxT `json:"context"`
		Value   any  `json:"value"`
	}{ctxT{apiVersion, slot}, value}
}

// backendError maps an error from the backend to a reply error.
func backendError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternalError, Message: "Internal error", Data: err.Error()}
}
