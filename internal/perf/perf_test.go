package perf

import (
	"testing"
	"time"
)

func TestPercentileAndSummarize(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- { // 100 µs .. 1 µs, unsorted on purpose
		d = append(d, time.Duration(i)*time.Microsecond)
	}
	if p := Percentile(d, 0.5); p != 50*time.Microsecond {
		t.Errorf("p50 = %v", p)
	}
	if p := Percentile(d, 0.99); p != 99*time.Microsecond {
		t.Errorf("p99 = %v", p)
	}
	if d[0] != 100*time.Microsecond {
		t.Error("Percentile sorted its argument")
	}
	s := Summarize(d)
	want := Latency{Samples: 100, P50: 50, P99: 99, Mean: 50.5, Min: 1, Max: 100}
	if s != want {
		t.Errorf("Summarize = %+v, want %+v", s, want)
	}
	if Percentile(nil, 0.5) != 0 || Summarize(nil) != (Latency{}) {
		t.Error("empty input")
	}
}
