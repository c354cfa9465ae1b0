// Package perf holds the small statistics the benchmarks and `reef bench` share.
package perf

import (
	"slices"
	"time"
)

// Percentile returns the p-quantile (0 ≤ p ≤ 1) of d by nearest rank on a sorted copy:
// the element at index ⌊(len−1)·p⌋. It returns 0 for an empty slice.
func Percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p)]
}

// Latency summarises a set of latencies, in microseconds (JSON-ready).
type Latency struct {
	Samples int     `json:"samples"`
	P50     float64 `json:"p50_us"`
	P99     float64 `json:"p99_us"`
	Mean    float64 `json:"mean_us"`
	Min     float64 `json:"min_us"`
	Max     float64 `json:"max_us"`
}

// Summarize returns the count, median, 99th percentile, mean, minimum and maximum of d.
func Summarize(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	var sum time.Duration
	for _, v := range s {
		sum += v
	}
	us := func(v time.Duration) float64 { return float64(v.Nanoseconds()) / 1e3 }
	return Latency{
		Samples: len(s),
		P50:     us(s[int(float64(len(s)-1)*0.5)]),
		P99:     us(s[int(float64(len(s)-1)*0.99)]),
		Mean:    us(sum / time.Duration(len(s))),
		Min:     us(s[0]),
		Max:     us(s[len(s)-1]),
	}
}
