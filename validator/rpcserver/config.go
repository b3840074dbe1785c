package rpcserver

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"slonui/validator/metrics"
)

// Config configures a Server.
type Config struct {
	// MaxBodyBytes limits a request body (Agave: 50 KiB).
	MaxBodyBytes int64
	// APIVersion is reported as context.apiVersion; "" leaves it out.
	APIVersion string
	// Gatherer serves GET /metrics; nil answers 404 there.
	Gatherer prometheus.Gatherer
	// Metrics, when set, counts RPC requests by method.
	Metrics *metrics.Metrics
	// ReadHeaderTimeout and IdleTimeout bound slow or idle HTTP clients.
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration
	// PubsubQueue is the number of notifications queued per WebSocket
	// connection before the slow client is disconnected.
	PubsubQueue int
	// ShutdownTimeout bounds the graceful shutdown in Serve.
	ShutdownTimeout time.Duration
}

// MaxRequestBodySize is Agave's MAX_REQUEST_BODY_SIZE.
const MaxRequestBodySize = 50 * 1024

// DefaultConfig returns Agave's limits.
func DefaultConfig() Config {
	return Config{
		MaxBodyBytes:      MaxRequestBodySize,
		APIVersion:        "2.2.0",
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		PubsubQueue:       1024,
		ShutdownTimeout:   time.Second,
	}
}

// Validate reports every problem of c.
func (c Config) Validate() error {
	var errs []error
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, fmt.Errorf("rpcserver: max body bytes must be positive, got %d", c.MaxBodyBytes))
	}
	if c.ReadHeaderTimeout < 0 || c.IdleTimeout < 0 || c.ShutdownTimeout < 0 {
		errs = append(errs, errors.New("rpcserver: timeouts must not be negative"))
	}
	if c.PubsubQueue <= 0 {
		errs = append(errs, fmt.Errorf("rpcserver: pubsub queue must be positive, got %d", c.PubsubQueue))
	}
	return errors.Join(errs...)
}
