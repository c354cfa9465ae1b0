package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/themes"
	"github.com/reefhq/reef/tui"
	"github.com/reefhq/reef/views"
)

// consoleOptions are the flags of the console (reef with no subcommand) and reef demo.
type consoleOptions struct {
	node      nodeOptions
	theme     string
	history   int
	logBuffer int
	memoryMiB int
	noDevnet  bool
	devnet    int
	// noProvider: the embedded node does not prove (chainflags.go)
	noProvider bool
	// demo only
	interval time.Duration
}

// registerConsoleFlags adds the console's own flags.
func (o *consoleOptions) registerConsoleFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.theme, "theme", themes.Default, "colour theme: a built-in ("+joinNames()+") or a TOML file")
	cmd.Flags().IntVar(&o.history, "history", 10_000, "particles the console remembers (traces of the oldest are dropped)")
	cmd.Flags().IntVar(&o.logBuffer, "log-buffer", views.LogsDefaultMax, "log records the Logs pane keeps")
	cmd.Flags().IntVar(&o.memoryMiB, "memory-limit-mib", defaultConsoleMemoryMiB, "soft memory limit of the console process in MiB, the Go runtime's GOMEMLIMIT (0: none; the GOMEMLIMIT variable wins)")
	cmd.Flags().StringVar(&o.node.dataDir, "data-dir", p2p.DefaultDataDir(), "directory for the node's key, state and log file (reef.log)")
	o.node.log.register(cmd)
	o.registerChainFlags(cmd)
}

func joinNames() string {
	s := ""
	for i, n := range themes.Names() {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// addConsole makes root run the console: the embedded node plus, unless --bootstrap or
// --no-devnet is given, an in-process devnet it joins.
func addConsole(root *cobra.Command) {
	var o consoleOptions
	root.Long += `

With no command, reef starts the console: an embedded full node and, unless --bootstrap or
--no-devnet is given, an in-process devnet of 4 more peers it joins (listening on 127.0.0.1
ephemeral ports, mDNS off), so the network is live at once. While the console runs, every
log (node, devnet, libp2p, DHT) goes to the Logs pane and to DATA-DIR/reef.log (the previous
run's file is kept as reef.log.1); nothing else is written to the terminal.

The console also starts the embedded EVM dev chain of --data-dir (or connects to
--chain-rpc), shared by the devnet, and the embedded node proves capacity on it with dev
key 1 (or --account): --units 2 on --threads 1, each thread hashing half the time, so
the Capacity and Wallet panes are live without slowing the console. --no-provider turns
proving off (and starts no chain unless --chain-rpc or --chain-http asks for one).`
	root.Example = `  reef                                   # console + local devnet
  reef --theme light --history 2000
  reef --bootstrap /ip4/203.0.113.7/tcp/7777/p2p/12D3KooW... --no-mdns
  reef demo --nodes 12                    # projector mode: bigger devnet + sample traffic`
	f := root.Flags()
	f.StringArrayVar(&o.node.listen, "listen", nil, "listen multiaddr (repeatable; default 127.0.0.1 ephemeral TCP with the devnet, else as reef node)")
	f.StringArrayVar(&o.node.bootstrap, "bootstrap", nil, "bootstrap peer multiaddr with /p2p/ id (repeatable; joins that network instead of a devnet)")
	f.StringVar(&o.node.api, "api", "", "serve GET /status and GET /metrics on this address (e.g. 127.0.0.1:18080)")
	f.BoolVar(&o.node.noMDNS, "no-mdns", false, "do not discover peers on the local network with mDNS")
	f.BoolVar(&o.noDevnet, "no-devnet", false, "do not start an in-process devnet")
	f.IntVar(&o.devnet, "devnet", 4, "peers of the in-process devnet")
	o.registerConsoleFlags(root)
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		devnet := o.devnet
		if o.noDevnet || len(o.node.bootstrap) > 0 {
			devnet = 0
		}
		return runConsole(cmd, o, devnet, nil)
	}
	root.AddCommand(newDemoCmd())
}

func newDemoCmd() *cobra.Command {
	var o consoleOptions
	var nodes int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the console on a larger devnet with sample traffic (for a projector)",
		Long: `Run the console on an in-process devnet of --nodes peers, with a traffic generator that keeps
running compiled Aqua samples through the embedded node: fan-outs (for … par with join), hop
chains, remote errors caught with xor, long folds, and now and then a hop to a peer that is not
on the network (a DHT lookup, then a timeout the trace explains). A banner shows the main keys.`,
		Example: `  reef demo --nodes 12 --theme high-contrast`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if nodes < 5 || nodes > 64 {
				return badInput("--nodes %d: want 5 to 64", nodes)
			}
			return runConsole(cmd, o, nodes, &tui.TrafficOptions{Interval: o.interval})
		},
	}
	cmd.Flags().IntVar(&nodes, "nodes", 12, "peers of the devnet")
	cmd.Flags().DurationVar(&o.interval, "interval", 700*time.Millisecond, "time between two sample scripts")
	o.registerConsoleFlags(cmd)
	return cmd
}

func runConsole(cmd *cobra.Command, o consoleOptions, devnet int, demo *tui.TrafficOptions) error {
	th, err := themes.Resolve(o.theme)
	if err != nil {
		return badInput("--theme: %v", err)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(o.node.log.level)); err != nil {
		return badInput("--log-level %q: %v", o.node.log.level, err)
	}
	if f := o.node.log.format; f != "text" && f != "json" {
		return badInput("--log-format %q: want text or json", f)
	}
	if o.history < 1 {
		return badInput("--history %d: want at least 1", o.history)
	}
	if o.logBuffer < 1 {
		return badInput("--log-buffer %d: want at least 1", o.logBuffer)
	}
	if devnet < 0 || devnet > 64 {
		return badInput("--devnet %d: want 0 to 64", devnet)
	}
	if o.memoryMiB < 0 {
		return badInput("--memory-limit-mib %d: want 0 or more", o.memoryMiB)
	}
	if f, ok := cmd.OutOrStdout().(*os.File); !ok || !term.IsTerminal(f.Fd()) {
		return badInput("the console needs a terminal; run a command instead (see reef --help)")
	}
	chainCfg, role, err := o.chainConfig(cmd)
	if err != nil {
		return err
	}
	setConsoleMemoryLimit(o.memoryMiB)
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	if path := os.Getenv("REEF_HEAPPROFILE"); path != "" {
		go writeHeapProfiles(ctx, path, time.Minute)
	} else {
		// Nothing reads the heap profile: its per-call-site records grew to 3.4 MB
		// after 20 minutes of reef demo.
		runtime.MemProfileRate = 0
	}
	err = tui.Run(ctx, tui.Config{
		Theme:     th,
		DataDir:   o.node.dataDir,
		Listen:    o.node.listen,
		Bootstrap: o.node.bootstrap,
		NoMDNS:    o.node.noMDNS,
		API:       o.node.api,
		Devnet:    devnet,
		History:   o.history,
		LogLevel:  lvl,
		LogJSON:   o.node.log.format == "json",
		LogBuffer: o.logBuffer,
		Demo:      demo,
		Chain:     chainCfg,
		Provider:  role,
	})
	if err != nil {
		return failure("%v", err)
	}
	return nil
}

// defaultConsoleMemoryMiB is the console's soft memory limit. The console keeps bounded
// histories that fill up over minutes (particles with their timelines and replay
// inputs, logs; bounded in bytes by the recorder), and with the Go runtime's default
// pacing (GOGC=100) the heap's peak runs to twice what is live: after 10 minutes of reef
// demo that was 273 MB of RSS. A soft limit above the bounded live heap makes the
// collector run earlier instead of growing the heap; it needs room above the live heap
// (about 50 MiB in reef demo, with the runtime's own 20 MiB of stacks and metadata), or
// the collector runs all the time: at 120 MiB, when the live heap was 75 MiB, the demo
// used two cores after 10 minutes (docs/reliability.md).
const defaultConsoleMemoryMiB = 150

// consoleGCPercent is the console's GOGC: the heap may grow to 1.4× the live heap
// between collections instead of 2×. The memory limit alone is a cliff: once the live
// heap nears it the collector runs all the time (at 120 MiB the demo used two cores after
// 10 minutes); a lower GOGC costs a little CPU all along and scales with the live heap.
// In reef demo, 40 instead of 50 keeps about 6 MB less for 0.01–0.02 of a core.
const consoleGCPercent = 40

// setConsoleMemoryLimit applies --memory-limit-mib unless the GOMEMLIMIT variable
// already set the runtime's limit, and consoleGCPercent unless GOGC is set.
func setConsoleMemoryLimit(mib int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(consoleGCPercent)
	}
	if mib == 0 || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(mib) << 20)
}

// writeHeapProfiles rewrites a heap profile at path every interval until ctx ends: set
// REEF_HEAPPROFILE=FILE to see what a long-running console keeps (go tool pprof FILE).
// Beside it, FILE.txt has the runtime's memory classes, which also cover what the heap
// profile does not: free heap not yet returned, stacks, and the runtime's own metadata.
func writeHeapProfiles(ctx context.Context, path string, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			runtime.GC()
			classes := memoryClasses() // before the profile: writing it allocates
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				_ = f.Close()
			}
			_ = os.WriteFile(path+".txt", classes, 0o644)
		}
	}
}

// memoryClasses formats the runtime's /memory/classes metrics and the goroutine count,
// one "name value" line each.
func memoryClasses() []byte {
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		switch {
		case strings.HasPrefix(d.Name, "/memory/classes/"), d.Name == "/sched/goroutines:goroutines",
			d.Name == "/gc/heap/goal:bytes", d.Name == "/gc/heap/live:bytes":
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	var b strings.Builder
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			fmt.Fprintf(&b, "%s %d\n", s.Name, s.Value.Uint64())
		}
	}
	return []byte(b.String())
}
