package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	"slonui/rpc"
)

// Sender delivers signed transactions to the cluster. Send returns one
// error per transaction (nil: the node or socket took it). It is called
// from many goroutines at once and must honour ctx.
type Sender interface {
	Send(ctx context.Context, txs []Tx) []error
	// Close releases the sender's sockets and stops its goroutines.
	Close() error
}

// ErrorKind names the kind of a send or poll error, for counting: "rpc
// -32002", "timeout", "connection refused", "connection reset", "http",
// "network", or "other".
func ErrorKind(err error) string {
	var re *rpc.Error
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &re):
		return fmt.Sprintf("rpc %d", re.Code)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "HTTP "):
		return "http"
	case errors.As(err, &ne):
		return "network"
	case errors.Is(err, errNoLeader):
		return "no leader address"
	}
	return "other"
}

// errNoLeader is a TPU send with no known leader address.
var errNoLeader = errors.New("load: tpu: no known leader address")
