package rpc

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape fetches Prometheus text from url (bounded by ctx) and returns
// name → value for counters, gauges and untyped samples. A series with
// labels is also reported as `name{k="v",…}` (labels sorted), and its bare
// name holds the sum over its series. Histograms and summaries give
// name_count and name_sum. Slonana's millisecond timestamps are accepted.
func Scrape(ctx context.Context, url string) (map[string]float64, error) {
	return scrape(ctx, http.DefaultClient, url)
}

// Scrape is the package Scrape over this client's connections and timeout.
func (c *Client) Scrape(ctx context.Context, url string) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	return scrape(ctx, c.hc, url)
}

func scrape(ctx context.Context, hc *http.Client, url string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: HTTP %d", url, resp.StatusCode)
	}
	return ParseMetrics(io.LimitReader(resp.Body, 32<<20))
}

// ParseMetrics parses Prometheus text exposition into name → value (see Scrape).
func ParseMetrics(r io.Reader) (map[string]float64, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("parse metrics: %w", err)
	}
	out := map[string]float64{}
	for name, fam := range fams {
		for _, m := range fam.GetMetric() {
			switch {
			case m.Counter != nil:
				add(out, name, m, m.GetCounter().GetValue())
			case m.Gauge != nil:
				add(out, name, m, m.GetGauge().GetValue())
			case m.Untyped != nil:
				add(out, name, m, m.GetUntyped().GetValue())
			case m.Histogram != nil:
				add(out, name+"_count", m, float64(m.GetHistogram().GetSampleCount()))
				add(out, name+"_sum", m, m.GetHistogram().GetSampleSum())
			case m.Summary != nil:
				add(out, name+"_count", m, float64(m.GetSummary().GetSampleCount()))
				add(out, name+"_sum", m, m.GetSummary().GetSampleSum())
			}
		}
	}
	return out, nil
}

func add(out map[string]float64, name string, m *dto.Metric, v float64) {
	out[name] += v
	if len(m.GetLabel()) == 0 {
		return
	}
	labels := make([]string, 0, len(m.GetLabel()))
	for _, l := range m.GetLabel() {
		labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	sort.Strings(labels)
	out[name+"{"+strings.Join(labels, ",")+"}"] = v
}
