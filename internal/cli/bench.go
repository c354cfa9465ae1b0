package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
	"github.com/reefhq/reef/internal/perf"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wasm"
)

// noRateLimit switches off the per-peer particle rate limit on the benchmark's nodes: a
// few clients on a fast machine would otherwise measure the limit, not the node.
var noRateLimit = peer.WithParticleRateLimit(0, 0)

func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure this machine: the AIR interpreter, particles on a devnet, Wasm calls, the prover",
		Long: `Measure what this machine and a node on it can do, in this process: interpreter runs of a
script (air), particle throughput and hop latency on an in-process devnet (particles), warm
calls of a Wasm service (wasm), and the capacity prover's hash rate next to a bare keccak256
loop (prover). Each prints a summary, or one JSON object with --json.

Numbers depend on everything else the machine runs; compare runs on an idle machine.
The benchmarks of the repository (go test -bench) measure the same code paths.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newBenchAirCmd(), newBenchParticlesCmd(), newBenchWasmCmd(), newBenchProverCmd())
	return cmd
}

// benchReport is a result: printed as JSON with --json, else as "name: value" lines.
type benchReport interface{ text(w io.Writer) }

func printBench(cmd *cobra.Command, jsonOut bool, r benchReport) error {
	if jsonOut {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	r.text(cmd.OutOrStdout())
	return nil
}

func latencyText(l perf.Latency) string {
	f := func(us float64) string {
		if us >= 10_000 {
			return fmt.Sprintf("%.1f ms", us/1e3)
		}
		return fmt.Sprintf("%.1f µs", us)
	}
	return fmt.Sprintf("p50 %s, p99 %s, mean %s; %d samples", f(l.P50), f(l.P99), f(l.Mean), l.Samples)
}

// ---- reef bench air

type benchAirResult struct {
	Script             string       `json:"script"`
	Iterations         int          `json:"iterations"`
	RunsPerIteration   int          `json:"runs_per_iteration"`
	Runs               int          `json:"runs"`
	Seconds            float64      `json:"seconds"`
	RunsPerSecond      float64      `json:"runs_per_second"`
	MicrosPerRun       float64      `json:"us_per_run"`
	InstructionsPerRun float64      `json:"instructions_per_run"`
	Run                perf.Latency `json:"run"`
}

func (r benchAirResult) text(w io.Writer) {
	fmt.Fprintf(w, "script:            %s (%d interpreter runs per execution)\n", r.Script, r.RunsPerIteration)
	fmt.Fprintf(w, "runs:              %d in %.2f s\n", r.Runs, r.Seconds)
	fmt.Fprintf(w, "runs per second:   %.0f\n", r.RunsPerSecond)
	fmt.Fprintf(w, "µs per run:        %.1f\n", r.MicrosPerRun)
	fmt.Fprintf(w, "one run:           %s\n", latencyText(r.Run))
	fmt.Fprintf(w, "instructions/run:  %.1f\n", r.InstructionsPerRun)
}

func newBenchAirCmd() *cobra.Command {
	var o airRunOptions
	var n int
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "air [--args-file F] [--arg name=JSON]... [-n N] SCRIPT.air",
		Short: "Interpreter runs per second and µs per run of a compiled Aqua function",
		Long: `Run a compiled Aqua function once as 'reef air run' does (one local in-memory peer, the pure
builtins, getDataSrv serving the arguments), record every interpreter run it took, then
replay those runs N times on one aqua.VM: interpreter runs per second, µs per run (p50, p99),
instructions per run. The VM keeps its caches between iterations, as a node does.`,
		Example: `  reef bench air --arg name='"reef"' testdata/air/greet_relay.air
  reef bench air -n 20000 --json --args-file args.json main.air`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 {
				return badInput("-n %d: want at least 1", n)
			}
			res, err := benchAir(cmd, args[0], o, n)
			if err != nil {
				return err
			}
			return printBench(cmd, jsonOut, res)
		},
	}
	cmd.Flags().StringVar(&o.argsFile, "args-file", "", "JSON object with the function's arguments by name")
	cmd.Flags().StringArrayVar(&o.args, "arg", nil, "one argument as name=JSON (repeatable; overrides --args-file)")
	cmd.Flags().IntVarP(&n, "iterations", "n", 2000, "how many times to replay the function's runs")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON")
	return cmd
}

func benchAir(cmd *cobra.Command, path string, o airRunOptions, n int) (benchAirResult, error) {
	src, _, err := parseScript(cmd, path)
	if err != nil {
		return benchAirResult{}, err
	}
	fargs, err := functionArgs(cmd, o)
	if err != nil {
		return benchAirResult{}, err
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return benchAirResult{}, failure("%v", err)
	}
	var recs []*memnet.RunRecord
	o.ttl = time.Minute
	o.onRun = func(r *memnet.RunRecord) { recs = append(recs, r) }
	_, errObj, _, err := runLocal(cmd.Context(), src, fargs, key, o, io.Discard)
	if err != nil {
		return benchAirResult{}, err
	}
	if errObj != nil {
		return benchAirResult{}, failure("the script failed, so there is nothing to measure: %s", *errObj)
	}
	if len(recs) == 0 {
		return benchAirResult{}, failure("the script took no interpreter run")
	}
	vm, err := aqua.New()
	if err != nil {
		return benchAirResult{}, failure("%v", err)
	}
	ctx := cmd.Context()
	instrs := 0
	for _, r := range recs {
		out := vm.Run(ctx, r.Input)
		if out.RetCode != r.Outcome.RetCode {
			return benchAirResult{}, failure("a replayed run returned %d, the recorded one %d", out.RetCode, r.Outcome.RetCode)
		}
		instrs += out.Instructions
	}
	lat := make([]time.Duration, 0, n*len(recs))
	start := time.Now()
	for range n {
		for _, r := range recs {
			t0 := time.Now()
			vm.Run(ctx, r.Input)
			lat = append(lat, time.Since(t0))
		}
		if ctx.Err() != nil {
			return benchAirResult{}, failure("interrupted")
		}
	}
	elapsed := time.Since(start)
	runs := n * len(recs)
	return benchAirResult{
		Script:             filepath.Base(path),
		Iterations:         n,
		RunsPerIteration:   len(recs),
		Runs:               runs,
		Seconds:            elapsed.Seconds(),
		RunsPerSecond:      float64(runs) / elapsed.Seconds(),
		MicrosPerRun:       float64(elapsed.Microseconds()) / float64(runs),
		InstructionsPerRun: float64(instrs) / float64(len(recs)),
		Run:                perf.Summarize(lat),
	}, nil
}

// ---- reef bench particles

type benchParticlesResult struct {
	Nodes      int           `json:"nodes"`
	Clients    int           `json:"clients"`
	InFlight   int           `json:"in_flight"`
	DurationS  float64       `json:"duration_s"`
	StartupS   float64       `json:"startup_s"`
	Hop        *perf.Latency `json:"hop"` // nil with one node
	Throughput struct {
		Particles          int          `json:"particles"`
		Seconds            float64      `json:"seconds"`
		ParticlesPerSecond float64      `json:"particles_per_second"`
		RoundTrip          perf.Latency `json:"round_trip"`
	} `json:"throughput"`
	Rejected map[string]uint64 `json:"rejected"`
}

func (r benchParticlesResult) text(w io.Writer) {
	fmt.Fprintf(w, "devnet:      %d nodes, %d clients with %d particles in flight each (started in %.1f s)\n", r.Nodes, r.Clients, r.InFlight, r.StartupS)
	if r.Hop != nil {
		fmt.Fprintf(w, "hop latency: %s\n", latencyText(*r.Hop))
	}
	t := r.Throughput
	fmt.Fprintf(w, "throughput:  %.0f particles/s (%d in %.2f s)\n", t.ParticlesPerSecond, t.Particles, t.Seconds)
	fmt.Fprintf(w, "round trip:  %s\n", latencyText(t.RoundTrip))
	if len(r.Rejected) > 0 {
		fmt.Fprintf(w, "rejected:    %v\n", r.Rejected)
	}
}

func newBenchParticlesCmd() *cobra.Command {
	var nodes, clients, inFlight int
	var duration time.Duration
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "particles [--nodes N] [--clients C] [--duration D]",
		Short: "Particle throughput and hop latency (p50, p99) on an in-process devnet",
		Long: `Start a devnet of --nodes nodes in this process (127.0.0.1, as reef devnet), then measure for
--duration each:

  hop latency  particles go from node 0 to node 1 and back, one at a time; a hop is half the
               round trip (received, verified, executed and forwarded by the other node)
  throughput   --clients clients, attached to the nodes in turn, keep --in-flight particles
               each in flight: client → node (a builtin call) → client; particles completed
               per second and their round trip

All of it shares this machine's cores: the figures are what one machine does as a whole
network. "rejected" counts particles the nodes refused (e.g. rate-limited).`,
		Example: `  reef bench particles
  reef bench particles --nodes 8 --clients 16 --duration 10s --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case nodes < 1 || nodes > 64:
				return badInput("--nodes %d: want 1 to 64", nodes)
			case clients < 1 || clients > 256:
				return badInput("--clients %d: want 1 to 256", clients)
			case inFlight < 1 || inFlight > 1024:
				return badInput("--in-flight %d: want 1 to 1024", inFlight)
			case duration <= 0:
				return badInput("--duration must be positive")
			}
			res, err := benchParticles(cmd, nodes, clients, inFlight, duration)
			if err != nil {
				return err
			}
			return printBench(cmd, jsonOut, res)
		},
	}
	cmd.Flags().IntVar(&nodes, "nodes", 4, "nodes of the devnet (hop latency needs 2)")
	cmd.Flags().IntVar(&clients, "clients", 8, "clients sending particles")
	cmd.Flags().IntVar(&inFlight, "in-flight", 16, "particles each client keeps in flight")
	cmd.Flags().DurationVar(&duration, "duration", 5*time.Second, "length of each measurement (hop latency, then throughput)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON")
	return cmd
}

func benchParticles(cmd *cobra.Command, nodes, clients, inFlight int, duration time.Duration) (benchParticlesResult, error) {
	res := benchParticlesResult{Nodes: nodes, Clients: clients, InFlight: inFlight, DurationS: duration.Seconds()}
	log := slog.New(slog.DiscardHandler)
	p2p.RouteLibraryLogs(log.Handler())
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	t0 := time.Now()
	dn, err := peer.StartDevnet(ctx, nodes, peer.WithLogger(log), noRateLimit)
	if err != nil {
		return res, failure("starting the devnet: %v", err)
	}
	defer dn.Close()
	var cs []*peer.Node
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	for i := range clients {
		ident, err := p2p.GenerateIdentity()
		if err != nil {
			return res, failure("%v", err)
		}
		c, err := peer.New(peer.WithIdentity(ident), peer.WithClientMode(dn.Addr(i%nodes)), peer.WithLogger(log), noRateLimit)
		if err != nil {
			return res, failure("%v", err)
		}
		if err := c.Start(ctx); err != nil {
			c.Close()
			return res, failure("starting client %d: %v", i, err)
		}
		cs = append(cs, c)
	}
	res.StartupS = time.Since(t0).Seconds()

	if nodes >= 2 {
		hctx, cancel := context.WithTimeout(ctx, duration)
		lat, err := peer.HopLatency(hctx, dn.Nodes[0], dn.Nodes[1], 0, 10*time.Second)
		cancel()
		if err != nil {
			return res, failure("hop latency: %v", err)
		}
		if ctx.Err() != nil {
			return res, failure("interrupted")
		}
		s := perf.Summarize(lat)
		res.Hop = &s
	}

	lctx, cancel := context.WithTimeout(ctx, duration)
	load, err := peer.RunLoad(lctx, cs, peer.LoadOptions{InFlight: inFlight})
	cancel()
	if err != nil {
		return res, failure("throughput: %v", err)
	}
	if ctx.Err() != nil {
		return res, failure("interrupted")
	}
	res.Throughput.Particles = load.Completed
	res.Throughput.Seconds = load.Elapsed.Seconds()
	res.Throughput.ParticlesPerSecond = load.PerSecond()
	res.Throughput.RoundTrip = perf.Summarize(load.RoundTrips)
	res.Rejected = map[string]uint64{}
	for _, n := range dn.Nodes {
		for reason, k := range n.Stats().Rejected {
			if k > 0 {
				res.Rejected[reason] += k
			}
		}
	}
	return res, nil
}

// ---- reef bench wasm

type benchWasmResult struct {
	Module         string       `json:"module"`
	SHA256         string       `json:"sha256"`
	Function       string       `json:"function"`
	InputBytes     int          `json:"input_bytes"`
	OutputBytes    int          `json:"output_bytes"`
	CompileMS      float64      `json:"compile_ms"`
	FirstCallUS    float64      `json:"first_call_us"`
	Warmup         int          `json:"warmup"`
	Calls          int          `json:"calls"`
	CallsPerSecond float64      `json:"calls_per_second"`
	Warm           perf.Latency `json:"warm"`
}

func (r benchWasmResult) text(w io.Writer) {
	fmt.Fprintf(w, "module:        %s (sha256 %s…)\n", r.Module, r.SHA256[:12])
	fmt.Fprintf(w, "function:      %s (%d bytes in, %d bytes out)\n", r.Function, r.InputBytes, r.OutputBytes)
	fmt.Fprintf(w, "compile:       %.1f ms (from the cache when it holds the module)\n", r.CompileMS)
	fmt.Fprintf(w, "first call:    %.1f µs (instantiation and the call)\n", r.FirstCallUS)
	fmt.Fprintf(w, "warm calls:    %s\n", latencyText(r.Warm))
	fmt.Fprintf(w, "calls/second:  %.0f (one instance, one goroutine)\n", r.CallsPerSecond)
}

func newBenchWasmCmd() *cobra.Command {
	var input string
	var n, warmup int
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "wasm [--input JSON] [-n N] MODULE.wasm FUNCTION",
		Short: "Warm call latency (p50, p99) of a Wasm service's function",
		Long: `Compile MODULE.wasm (an Extism plug-in, as reef deploy takes) with the node's Wasm runtime and
compilation cache, make a service of it with the node's default limits, and call FUNCTION:
once (instantiation), --warmup times, then -n times, each timed. --input is the call's input
as a node passes it: the JSON array of the AIR call's arguments.`,
		Example: `  reef bench wasm wasm/testdata/guests/kvgo/kvgo.wasm greet --input '["reef"]'
  reef bench wasm -n 100000 --json service.wasm echo --input '[1,2,3]'`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 || warmup < 0 {
				return badInput("-n must be at least 1 and --warmup not negative")
			}
			if _, err := jsonv.ParseString(input); err != nil {
				return badInput("--input is not JSON: %v", err)
			}
			res, err := benchWasm(cmd, args[0], args[1], []byte(input), warmup, n)
			if err != nil {
				return err
			}
			return printBench(cmd, jsonOut, res)
		},
	}
	cmd.Flags().StringVar(&input, "input", "[]", "the call's input: a JSON array of arguments")
	cmd.Flags().IntVarP(&n, "calls", "n", 10000, "timed calls")
	cmd.Flags().IntVar(&warmup, "warmup", 100, "untimed calls first")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON")
	return cmd
}

func benchWasm(cmd *cobra.Command, path, fn string, input []byte, warmup, n int) (benchWasmResult, error) {
	bin, err := os.ReadFile(path)
	if err != nil {
		return benchWasmResult{}, badInput("%v", err)
	}
	if err := wasm.Precheck(bin); err != nil {
		return benchWasmResult{}, badInput("%s: %v", path, err)
	}
	sum := sha256.Sum256(bin)
	res := benchWasmResult{Module: filepath.Base(path), SHA256: hex.EncodeToString(sum[:]), Function: fn, InputBytes: len(input), Warmup: warmup, Calls: n}
	ctx := cmd.Context()
	var opts []wasm.Option
	if dir := peer.DefaultWasmCacheDir(); dir != "" {
		opts = append(opts, wasm.WithCacheDir(dir))
	}
	rt, err := wasm.New(ctx, opts...)
	if err != nil {
		return res, failure("%v", err)
	}
	defer rt.Close(context.Background())
	t0 := time.Now()
	m, err := rt.Compile(ctx, bin)
	if err != nil {
		return res, badInput("%s: %v", path, err)
	}
	res.CompileMS = float64(time.Since(t0).Microseconds()) / 1e3
	if !m.HasFunction(fn) {
		return res, badInput("%s has no function %q", path, fn)
	}
	svc, err := rt.NewService(m, wasm.WithServicePoolSize(1))
	if err != nil {
		return res, failure("%v", err)
	}
	defer svc.Close(context.Background())
	t0 = time.Now()
	out, err := svc.Call(ctx, fn, input)
	if err != nil {
		return res, failure("%s: %v", fn, err)
	}
	res.FirstCallUS = float64(time.Since(t0).Nanoseconds()) / 1e3
	res.OutputBytes = len(out)
	for range warmup {
		if _, err := svc.Call(ctx, fn, input); err != nil {
			return res, failure("%s: %v", fn, err)
		}
	}
	lat := make([]time.Duration, 0, n)
	start := time.Now()
	for range n {
		t := time.Now()
		_, err := svc.Call(ctx, fn, input)
		lat = append(lat, time.Since(t))
		if err != nil {
			return res, failure("%s: %v", fn, err)
		}
	}
	res.CallsPerSecond = float64(n) / time.Since(start).Seconds()
	res.Warm = perf.Summarize(lat)
	return res, nil
}

// ---- reef bench prover

type benchProverResult struct {
	CPUs          int     `json:"cpus"`
	DurationS     float64 `json:"duration_s"`
	BareKeccakHps float64 `json:"bare_keccak_hps"`
	SearchHps     float64 `json:"search_round_hps"`
	WorkerHps     float64 `json:"worker_hps"`
	WorkerVsBare  float64 `json:"worker_vs_bare"`
	Threads       int     `json:"threads"`
	AllHps        float64 `json:"all_threads_hps"`
	PerThreadHps  float64 `json:"per_thread_hps"`
}

func (r benchProverResult) text(w io.Writer) {
	fmt.Fprintf(w, "one core:\n")
	fmt.Fprintf(w, "  bare keccak256 loop  %s\n", hashRate(r.BareKeccakHps))
	fmt.Fprintf(w, "  search round         %s\n", hashRate(r.SearchHps))
	fmt.Fprintf(w, "  prover worker        %s (%.0f%% of the bare loop)\n", hashRate(r.WorkerHps), 100*r.WorkerVsBare)
	fmt.Fprintf(w, "%d threads (%d CPUs):\n", r.Threads, r.CPUs)
	fmt.Fprintf(w, "  prover workers       %s (%s per thread)\n", hashRate(r.AllHps), hashRate(r.PerThreadHps))
}

func hashRate(h float64) string {
	switch {
	case h >= 1e6:
		return fmt.Sprintf("%.2f MH/s", h/1e6)
	case h >= 1e3:
		return fmt.Sprintf("%.1f kH/s", h/1e3)
	}
	return fmt.Sprintf("%.0f H/s", h)
}

func newBenchProverCmd() *cobra.Command {
	var duration time.Duration
	var threads int
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "prover [--duration D] [--threads T]",
		Short: "The capacity prover's hash rate per core, next to a bare keccak256 loop",
		Long: `Measure, for --duration each, on one core: a bare keccak256 loop over 96-byte inputs (the
ceiling), the prover's search round, and a whole prover worker (scheduler, hash-rate meter,
generation checks) on a target no hash meets; then --threads workers at once. No chain is
needed. A worker should reach about 90% of the bare loop.`,
		Example: `  reef bench prover
  reef bench prover --duration 5s --threads 8 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if duration <= 0 {
				return badInput("--duration must be positive")
			}
			if threads < 1 || threads > 1024 {
				return badInput("--threads %d: want 1 to 1024", threads)
			}
			ctx := cmd.Context()
			res := benchProverResult{CPUs: runtime.NumCPU(), DurationS: duration.Seconds(), Threads: threads}
			res.BareKeccakHps = loopRate(ctx, duration, prover.BareKeccak)
			res.SearchHps = loopRate(ctx, duration, prover.SearchRounds)
			res.WorkerHps = workerRate(ctx, duration, 1)
			res.AllHps = workerRate(ctx, duration, threads)
			if ctx.Err() != nil {
				return failure("interrupted")
			}
			res.PerThreadHps = res.AllHps / float64(threads)
			if res.BareKeccakHps > 0 {
				res.WorkerVsBare = res.WorkerHps / res.BareKeccakHps
			}
			return printBench(cmd, jsonOut, res)
		},
	}
	cmd.Flags().DurationVar(&duration, "duration", 2*time.Second, "length of each measurement")
	cmd.Flags().IntVar(&threads, "threads", runtime.NumCPU(), "prover workers of the all-threads measurement")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON")
	return cmd
}

// loopRate runs f in chunks until d has passed and returns hashes per second.
func loopRate(ctx context.Context, d time.Duration, f func(n int)) float64 {
	const chunk = 1 << 14
	total := 0
	start := time.Now()
	for time.Since(start) < d && ctx.Err() == nil {
		f(chunk)
		total += chunk
	}
	return float64(total) / time.Since(start).Seconds()
}

// workerRate runs threads prover workers for d and returns their hashes per second.
func workerRate(ctx context.Context, d time.Duration, threads int) float64 {
	start := time.Now()
	total := prover.RunWorkers(threads, func(uint64) bool { return time.Since(start) >= d || ctx.Err() != nil })
	return float64(total) / time.Since(start).Seconds()
}
