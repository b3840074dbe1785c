package validator

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"slonui/solana"
)

// Process benchmarks: each runs real validator processes on its own
// 127.70+.x.y addresses and reports what it measured as custom metrics;
// they do one measurement whatever b.N is (make bench runs -benchtime 1x).

// BenchmarkDiscovery10 is the time from starting ten processes until every
// node lists all ten in getClusterNodes.
func BenchmarkDiscovery10(b *testing.B) {
	for i := range b.N {
		c := newCluster(b, clusterOpts{nodes: 10, slotMS: 400, base: netip.AddrFrom4([4]byte{127, 70, byte(i), 1})})
		start := time.Now()
		c.startAll()
		c.allSeeAll(b, ids(10), 10, 30*time.Second)
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/discovery")
		c.killAll()
	}
}

// signedTransfers pre-signs n distinct transfers from payer.
func signedTransfers(b *testing.B, payer solana.Keypair, n int, bh solana.Hash) [][]byte {
	to, _ := solana.NewKeypair()
	out := make([][]byte, n)
	for i := range out {
		out[i] = transfer(b, payer, to.Pubkey(), uint64(1+i), bh)
	}
	return out
}

func oneNode(b *testing.B, base netip.Addr) (*testCluster, string) {
	c := newCluster(b, clusterOpts{nodes: 1, slotMS: 400, base: base})
	c.startAll()
	url := c.url(1)
	eventually(b, 20*time.Second, "node serves", func() (bool, string) {
		s, err := slotAt(url, "confirmed")
		return err == nil && s > 0, fmt.Sprint(s, err)
	})
	return c, url
}

// BenchmarkSendTransactionHTTP is one node's sendTransaction requests/s
// (with preflight on the processed bank) from 16 keep-alive clients.
func BenchmarkSendTransactionHTTP(b *testing.B) {
	c, url := oneNode(b, netip.MustParseAddr("127.71.0.1"))
	defer c.killAll()
	payer := fund(b, url, 1000*1_000_000_000)
	const n = 20000
	txs := signedTransfers(b, payer, n, confirmedBlockhash(b, url))
	bodies := make([][]byte, n)
	for i, tx := range txs {
		bodies[i] = []byte(request("sendTransaction", b64(tx), map[string]any{"encoding": "base64", "preflightCommitment": "processed"}))
	}
	var next, ok, failed atomic.Int64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	start := time.Now()
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= n || time.Since(start) > 10*time.Second {
					return
				}
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i]))
				if err != nil {
					failed.Add(1)
					continue
				}
				var buf bytes.Buffer
				buf.ReadFrom(resp.Body)
				resp.Body.Close()
				if bytes.Contains(buf.Bytes(), []byte(`"result"`)) {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(ok.Load())/el, "accepted_req/s")
	b.ReportMetric(float64(failed.Load()), "failed_req")
}

// txCount is getTransactionCount at processed.
func txCount(b *testing.B, url string) uint64 {
	var n uint64
	if err := rpcCall(url, "getTransactionCount", []any{map[string]any{"commitment": "processed"}}, &n); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkTPUPackets blasts pre-signed transfers at one node's TPU port
// and reports how many per second it accepted into blocks (landed).
func BenchmarkTPUPackets(b *testing.B) {
	c, url := oneNode(b, netip.MustParseAddr("127.72.0.1"))
	defer c.killAll()
	payer := fund(b, url, 1000*1_000_000_000)
	const n = 40000
	txs := signedTransfers(b, payer, n, confirmedBlockhash(b, url))
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 72, 0, 200)})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetWriteBuffer(8 << 20)
	to := net.UDPAddrFromAddrPort(c.node(1).Addrs.TPU)
	before := txCount(b, url)
	start := time.Now()
	for i, tx := range txs {
		conn.WriteTo(tx, to)
		if i%200 == 199 {
			time.Sleep(time.Millisecond) // let the kernel queue drain: measure the node, not UDP loss
		}
	}
	sendEl := time.Since(start)
	last, lastAt := before, time.Now()
	for time.Since(lastAt) < 2*time.Second {
		time.Sleep(200 * time.Millisecond)
		if cur := txCount(b, url); cur != last {
			last, lastAt = cur, time.Now()
		}
	}
	landed := last - before
	el := lastAt.Sub(start).Seconds()
	b.ReportMetric(float64(n)/sendEl.Seconds(), "sent_pkt/s")
	b.ReportMetric(float64(landed)/el, "landed_tx/s")
	b.ReportMetric(100*float64(landed)/n, "landed_%")
}

// BenchmarkClusterTransfers sends transfers open-loop at rising rates to a
// 3-node cluster (400 ms slots), round-robin over the nodes' TPU ports, and
// reports the highest rate at which ≥ 99% were confirmed, with the
// confirmation latency P50/P99 at that rate (send → first seen confirmed by
// getSignatureStatuses polled every 50 ms).
func BenchmarkClusterTransfers(b *testing.B) {
	c := newCluster(b, clusterOpts{nodes: 3, slotMS: 400, base: netip.MustParseAddr("127.73.0.1")})
	c.startAll()
	defer c.killAll()
	c.allSeeAll(b, ids(3), 3, 20*time.Second)
	url := c.url(1)
	payer := fund(b, url, 100_000*1_000_000_000)
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 73, 0, 200)})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetWriteBuffer(8 << 20)
	var tpus []*net.UDPAddr
	for _, id := range ids(3) {
		tpus = append(tpus, net.UDPAddrFromAddrPort(c.node(id).Addrs.TPU))
	}
	best, bestP50, bestP99 := 0.0, 0.0, 0.0
	amount := uint64(1)
	cpuOf := func() (d time.Duration) {
		for _, id := range ids(3) {
			c.mu.Lock()
			pid := c.procs[id].Process.Pid
			c.mu.Unlock()
			cpu, _ := procCPU(b, pid)
			d += cpu
		}
		return d
	}
	rates := []int{200, 500, 1000, 2000, 3000, 4000, 6000, 8000, 10000, 12000}
	if v := os.Getenv("SLONUI_BENCH_RATES"); v != "" {
		rates = rates[:0]
		for _, f := range strings.Split(v, ",") {
			r, err := strconv.Atoi(f)
			if err != nil {
				b.Fatalf("SLONUI_BENCH_RATES: %v", err)
			}
			rates = append(rates, r)
		}
	}
	for _, rate := range rates {
		cpu0 := cpuOf()
		landed, lat := runStep(b, conn, tpus, url, payer, rate, 4*time.Second, &amount)
		cpu := cpuOf() - cpu0
		p50, p99 := pct(lat, 50), pct(lat, 99)
		b.Logf("rate %d/s: %.2f%% confirmed, P50 %v, P99 %v, nodes' CPU %v (%.0f µs per transfer sent)",
			rate, landed, p50, p99, cpu, float64(cpu.Microseconds())/float64(rate*4))
		if landed < 99 {
			break
		}
		best, bestP50, bestP99 = float64(rate), float64(p50.Milliseconds()), float64(p99.Milliseconds())
	}
	for _, id := range ids(3) {
		c.stop(id, syscall.SIGTERM) // a clean exit writes SLONUI_TEST_CPUPROFILE's profiles
	}
	b.ReportMetric(best, "max_tx/s@99%")
	b.ReportMetric(bestP50, "p50_ms")
	b.ReportMetric(bestP99, "p99_ms")
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, len(d)*p/100)]
}

// runStep sends rate transfers/s for dur and returns the confirmed
// percentage and the latencies of the confirmed ones.
func runStep(b *testing.B, conn *net.UDPConn, tpus []*net.UDPAddr, url string, payer solana.Keypair, rate int, dur time.Duration, amount *uint64) (float64, []time.Duration) {
	to, _ := solana.NewKeypair()
	bh := confirmedBlockhash(b, url)
	n := rate * int(dur/time.Second)
	txs := make([][]byte, n)
	sigs := make([]solana.Signature, n)
	for i := range txs {
		*amount++
		tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), to.Pubkey(), *amount)}, bh, payer)
		if err != nil {
			b.Fatal(err)
		}
		txs[i], sigs[i] = tx.Marshal(), tx.ID()
	}
	sent := make([]time.Time, n)
	var mu sync.Mutex
	var lat []time.Duration
	done := make([]bool, n)
	stop := make(chan struct{})
	var sentCount atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // poller
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			upto := int(sentCount.Load())
			var idx []int
			for i := 0; i < upto; i++ {
				if !done[i] {
					idx = append(idx, i)
				}
			}
			for lo := 0; lo < len(idx); lo += 256 {
				chunk := idx[lo:min(lo+256, len(idx))]
				strs := make([]string, len(chunk))
				for k, i := range chunk {
					strs[k] = sigs[i].String()
				}
				var st struct {
					Value []*struct{ ConfirmationStatus string }
				}
				if err := rpcCall(url, "getSignatureStatuses", []any{strs}, &st); err != nil {
					continue
				}
				now := time.Now()
				for k, v := range st.Value {
					if v != nil && (v.ConfirmationStatus == "confirmed" || v.ConfirmationStatus == "finalized") {
						i := chunk[k]
						done[i] = true
						mu.Lock()
						lat = append(lat, now.Sub(sent[i]))
						mu.Unlock()
					}
				}
			}
		}
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	per := rate / 100
	start := time.Now()
	for i := 0; i < n; {
		<-tick.C
		for k := 0; k < per && i < n; k++ {
			sent[i] = time.Now()
			conn.WriteTo(txs[i], tpus[i%len(tpus)])
			i++
			sentCount.Store(int64(i))
		}
	}
	tick.Stop()
	_ = start
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		got := len(lat)
		mu.Unlock()
		if got == n {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	return 100 * float64(len(lat)) / float64(n), lat
}

// procCPU reads a process's user+system CPU time and resident set size
// from /proc (Linux; the clock tick is 100 Hz there).
func procCPU(b *testing.B, pid int) (cpu time.Duration, rssKB int) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			rssKB, _ = strconv.Atoi(strings.Fields(line)[1])
		}
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, rssKB
}

// BenchmarkIdleNode is one idle node's CPU (percent of one core) and RSS
// over 30 s in a healthy 3-node cluster with the default 400 ms slots.
func BenchmarkIdleNode(b *testing.B) {
	c := newCluster(b, clusterOpts{nodes: 3, slotMS: 400, base: netip.MustParseAddr("127.76.0.1")})
	c.startAll()
	defer c.killAll()
	c.allSeeAll(b, ids(3), 3, 20*time.Second)
	time.Sleep(5 * time.Second)
	c.mu.Lock()
	pid := c.procs[2].Process.Pid
	c.mu.Unlock()
	cpu0, _ := procCPU(b, pid)
	t0 := time.Now()
	time.Sleep(30 * time.Second)
	cpu1, rss := procCPU(b, pid)
	b.ReportMetric(100*(cpu1-cpu0).Seconds()/time.Since(t0).Seconds(), "cpu_%")
	b.ReportMetric(float64(rss)/1024, "rss_MB")
}
