package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// benchJSON runs a bench command with --json and decodes its output.
func benchJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errOut := run(t, "", append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	return m
}

// num returns the number at a dotted path of m, failing when it is missing.
func num(t *testing.T, m map[string]any, path string) float64 {
	t.Helper()
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %v is not an object", path, v)
		}
		v = obj[k]
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%s = %v (%T), want a number", path, v, v)
	}
	return f
}

// positive checks that every path holds a number > 0.
func positive(t *testing.T, m map[string]any, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if v := num(t, m, p); !(v > 0) {
			t.Errorf("%s = %v, want > 0", p, v)
		}
	}
}

// latencyShape checks a perf.Latency object: samples, and min ≤ p50 ≤ p99 ≤ max.
func latencyShape(t *testing.T, m map[string]any, path string) {
	t.Helper()
	positive(t, m, path+".samples", path+".p50_us", path+".p99_us", path+".mean_us", path+".max_us")
	lo, p50, p99, hi := num(t, m, path+".min_us"), num(t, m, path+".p50_us"), num(t, m, path+".p99_us"), num(t, m, path+".max_us")
	if !(lo <= p50 && p50 <= p99 && p99 <= hi) {
		t.Errorf("%s: min %v, p50 %v, p99 %v, max %v are not in order", path, lo, p50, p99, hi)
	}
}

// TestBenchAir: reef bench air replays the runs of a script: N iterations of every run.
func TestBenchAir(t *testing.T) {
	m := benchJSON(t, "bench", "air", "-n", "5", "--arg", `name="reef"`, "../../testdata/air/greet_relay.air")
	positive(t, m, "runs_per_iteration", "runs_per_second", "us_per_run", "instructions_per_run", "seconds")
	if it, rpi, runs := num(t, m, "iterations"), num(t, m, "runs_per_iteration"), num(t, m, "runs"); it != 5 || runs != it*rpi {
		t.Errorf("iterations %v, runs per iteration %v, runs %v", it, rpi, runs)
	}
	latencyShape(t, m, "run")
	if num(t, m, "run.samples") != num(t, m, "runs") {
		t.Errorf("%v run samples for %v runs", num(t, m, "run.samples"), num(t, m, "runs"))
	}
	if m["script"] != "greet_relay.air" {
		t.Errorf("script %v", m["script"])
	}
	// the text form, and the errors
	if code, out, errOut := run(t, "", "bench", "air", "-n", "2", "--arg", `s="x"`, "../../testdata/air/echo.air"); code != 0 || !strings.Contains(out, "runs per second:") {
		t.Errorf("text: exit %d %q %s", code, out, errOut)
	}
	if code, _, errOut := run(t, "", "bench", "air", "-n", "0", "../../testdata/air/echo.air"); code != ExitBadInput {
		t.Errorf("-n 0: exit %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "", "bench", "air", "../../testdata/air/echo.air"); code != ExitFailure || !strings.Contains(errOut, "argument 's' was not given") {
		t.Errorf("a failing script: exit %d %s", code, errOut)
	}
}

// TestBenchParticles: reef bench particles measures hops between two devnet nodes and the
// throughput of a client.
func TestBenchParticles(t *testing.T) {
	m := benchJSON(t, "bench", "particles", "--nodes", "2", "--clients", "2", "--in-flight", "2", "--duration", "1s")
	if num(t, m, "nodes") != 2 || num(t, m, "clients") != 2 || num(t, m, "in_flight") != 2 || num(t, m, "duration_s") != 1 {
		t.Errorf("parameters: %v", m)
	}
	latencyShape(t, m, "hop")
	positive(t, m, "throughput.particles", "throughput.seconds", "throughput.particles_per_second")
	latencyShape(t, m, "throughput.round_trip")
	if num(t, m, "throughput.round_trip.samples") != num(t, m, "throughput.particles") {
		t.Errorf("round trips %v for %v particles", num(t, m, "throughput.round_trip.samples"), num(t, m, "throughput.particles"))
	}
	if _, ok := m["rejected"].(map[string]any); !ok {
		t.Errorf("rejected = %v, want an object", m["rejected"])
	}
	if code, _, errOut := run(t, "", "bench", "particles", "--nodes", "0"); code != ExitBadInput {
		t.Errorf("--nodes 0: exit %d %s", code, errOut)
	}
}

// TestBenchWasm: reef bench wasm times warm calls of a guest's export.
func TestBenchWasm(t *testing.T) {
	guest := "../../wasm/testdata/guests/chaosc/chaosc.wasm"
	m := benchJSON(t, "bench", "wasm", "-n", "50", "--warmup", "5", guest, "echo", "--input", `["reef",1]`)
	if num(t, m, "calls") != 50 || num(t, m, "warmup") != 5 || num(t, m, "input_bytes") != 10 || m["function"] != "echo" {
		t.Errorf("parameters: %v", m)
	}
	positive(t, m, "output_bytes", "compile_ms", "first_call_us", "calls_per_second")
	latencyShape(t, m, "warm")
	if num(t, m, "warm.samples") != 50 {
		t.Errorf("%v samples", num(t, m, "warm.samples"))
	}
	if sum, _ := m["sha256"].(string); len(sum) != 64 {
		t.Errorf("sha256 %q", sum)
	}
	for _, tt := range []struct {
		args []string
		has  string
	}{
		{[]string{guest, "nope"}, `no function "nope"`},
		{[]string{guest, "echo", "--input", "{"}, "not JSON"},
		{[]string{"../../testdata/air/echo.air", "echo"}, "echo.air"},
	} {
		if code, _, errOut := run(t, "", append([]string{"bench", "wasm"}, tt.args...)...); code != ExitBadInput || !strings.Contains(errOut, tt.has) {
			t.Errorf("%v: exit %d %s", tt.args, code, errOut)
		}
	}
}

// TestBenchProver: reef bench prover reports one core's rates next to the bare loop, and all
// threads'.
func TestBenchProver(t *testing.T) {
	m := benchJSON(t, "bench", "prover", "--duration", "30ms", "--threads", "2")
	positive(t, m, "cpus", "bare_keccak_hps", "search_round_hps", "worker_hps", "worker_vs_bare", "all_threads_hps", "per_thread_hps")
	if num(t, m, "threads") != 2 || num(t, m, "duration_s") != 0.03 {
		t.Errorf("parameters: %v", m)
	}
	if a, p := num(t, m, "all_threads_hps"), num(t, m, "per_thread_hps"); a != 2*p {
		t.Errorf("all threads %v, per thread %v", a, p)
	}
	if code, out, errOut := run(t, "", "bench", "prover", "--duration", "10ms", "--threads", "1"); code != 0 || !strings.Contains(out, "bare keccak256 loop") {
		t.Errorf("text: exit %d %q %s", code, out, errOut)
	}
}
