package tui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/internal/provider"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/themes"
	"github.com/reefhq/reef/views"
	"github.com/reefhq/reef/wallet/prover"
)

// Config is everything `reef` (the console) and `reef demo` need.
type Config struct {
	Theme themes.Theme
	// DataDir holds the node's identity and the log file (LogFileName).
	DataDir string
	// Listen, Bootstrap, NoMDNS and API are `reef node`'s flags.
	Listen    []string
	Bootstrap []string
	NoMDNS    bool
	API       string
	// Devnet is the number of in-process devnet peers to start and join (0: none).
	// With a devnet, the node listens on 127.0.0.1 ephemeral ports by default and
	// mDNS is off (the devnet is private to this process).
	Devnet int
	// History bounds the recorder (particles remembered).
	History int
	// LogLevel is the lowest level logged; LogBuffer bounds the Logs pane.
	LogLevel  slog.Level
	LogJSON   bool
	LogBuffer int
	// Demo, when set, runs sample traffic and shows the demo banner.
	Demo *TrafficOptions
	// Chain, when set, is the one chain the node and the devnet share (internal/provider);
	// nil: no chain.
	Chain *provider.ChainConfig
	// Provider, with Chain, makes the embedded node a capacity provider (its Key, units,
	// threads and duty cycle); nil: the node does not prove.
	Provider *provider.Role
	// ProgramOptions are added to the Bubble Tea program's (tests: input and output).
	ProgramOptions []tea.ProgramOption
}

// LogFileName is the log file in the data directory; the previous run's file is kept
// as LogFileName + ".1".
const LogFileName = "reef.log"

// defaultListen are the listen addresses without a devnet (those of `reef node`).
var defaultListen = []string{"/ip4/0.0.0.0/tcp/7777", "/ip4/0.0.0.0/udp/7777/quic-v1", "/ip4/0.0.0.0/tcp/7778/ws"}

// devnetListen is where the node listens beside an in-process devnet: loopback,
// ephemeral port, so several consoles on one machine do not clash.
var devnetListen = []string{"/ip4/127.0.0.1/tcp/0"}

// Backend is the running node, its devnet and what the console attached to them.
type Backend struct {
	Node    *peer.Node
	Devnet  *peer.Devnet
	Runner  *Runner
	Traffic *Traffic
	APIAddr string
	// Chain is the process's chain (nil without Config.Chain or when it failed to start);
	// Provider is the embedded node's capacity provider (nil: not proving).
	Chain    *provider.Shared
	Provider *prover.Provider

	stopWatch context.CancelFunc
	stopAPI   func()
}

// StartBackend starts the devnet (if configured), the node joined to it, the recorder's
// hooks and watchers on every node, the API and the demo traffic.
func StartBackend(ctx context.Context, cfg Config, log *slog.Logger, rec *recorder.Recorder) (*Backend, error) {
	b := &Backend{}
	wctx, cancel := context.WithCancel(context.Background())
	b.stopWatch = cancel
	hook := peer.WithRunHook(rec.Hook())
	b.openChain(ctx, cfg, log)
	listen, boot, mdns := cfg.Listen, cfg.Bootstrap, !cfg.NoMDNS
	if cfg.Devnet > 0 && len(cfg.Bootstrap) == 0 {
		log.Info("starting the devnet", "peers", cfg.Devnet)
		dn, err := peer.StartDevnet(ctx, cfg.Devnet, peer.WithLogger(log.With("logger", "devnet")), hook)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("starting the devnet: %w", err)
		}
		b.Devnet = dn
		for _, n := range dn.Nodes {
			rec.Watch(wctx, n)
		}
		boot = nil
		for _, a := range dn.Nodes[0].Net().Addrs() {
			boot = append(boot, a.String())
		}
		if len(listen) == 0 {
			listen = devnetListen
		}
		mdns = false
	} else if len(listen) == 0 {
		listen = defaultListen
	}
	node, err := peer.New(
		peer.WithDataDir(cfg.DataDir),
		peer.WithLogger(log.With("logger", "node")),
		hook,
		peer.WithP2P(p2p.WithListen(listen...), p2p.WithBootstrap(boot...), p2p.WithMDNS(mdns)),
	)
	if err != nil {
		b.Close()
		return nil, err
	}
	if err := node.Start(ctx); err != nil {
		node.Close()
		b.Close()
		return nil, fmt.Errorf("starting the node: %w", err)
	}
	b.Node = node
	rec.Watch(wctx, node)
	if b.Devnet != nil {
		// Join before anything runs: scripts and lookups need a routing table.
		jctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err := node.Net().WaitForPeers(jctx, len(b.Devnet.Nodes))
		cancel()
		if err != nil {
			log.Warn("the node has not joined the whole devnet yet", "error", err)
		}
	}
	b.attachChain(ctx, cfg, log)
	b.Runner = NewRunner(node)
	if cfg.API != "" {
		ln, err := net.Listen("tcp", cfg.API)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("--api %s: %w", cfg.API, err)
		}
		srv := &http.Server{Handler: node.APIHandler(), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("api server stopped", "error", err)
			}
		}()
		b.APIAddr = ln.Addr().String()
		b.stopAPI = func() {
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}
		log.Info("api listening", "addr", b.APIAddr)
	}
	if cfg.Demo != nil {
		t, err := StartTraffic(b.Runner, node.Net(), b.peers, log.With("logger", "demo"), *cfg.Demo)
		if err != nil {
			b.Close()
			return nil, err
		}
		b.Traffic = t
	}
	log.Info("console ready", "peer_id", node.ID(), "devnet", cfg.Devnet)
	return b, nil
}

// peers are the full nodes scripts may visit: the devnet's and ours.
func (b *Backend) peers() []string {
	out := []string{b.Node.ID()}
	if b.Devnet != nil {
		for _, n := range b.Devnet.Nodes {
			out = append(out, n.ID())
		}
	}
	return out
}

// Live is what the UI reads from the backend.
func (b *Backend) Live(rec *recorder.Recorder) *Live {
	return &Live{
		Node:   NodeAdapter{b.Node},
		Probe:  b.Node.Net(),
		Events: []*events.Broker[events.Event]{b.Node.Events()},
		Rate:   func() float64 { return rec.Rate(5 * time.Second) },
		// A full node always has its Wasm services (a client node has none).
		Services: b.Node.Services(),
		Capacity: b.capacity(),
	}
}

// Close stops everything, the traffic first.
func (b *Backend) Close() error {
	if b.Traffic != nil {
		b.Traffic.Stop()
	}
	if b.stopAPI != nil {
		b.stopAPI()
	}
	var errs []error
	if b.Node != nil {
		errs = append(errs, b.Node.Close())
	}
	if b.Runner != nil {
		b.Runner.Wait()
	}
	if b.Devnet != nil {
		errs = append(errs, b.Devnet.Close())
	}
	if b.Chain != nil {
		errs = append(errs, b.Chain.Close())
	}
	if b.stopWatch != nil {
		b.stopWatch()
	}
	return errors.Join(errs...)
}

// backendHolder hands the backend started by the model's start command to Run, which
// closes it, including when the user quits before it is up.
type backendHolder struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	b      *Backend
	closed bool
}

func (h *backendHolder) begin() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.wg.Add(1)
	return true
}

func (h *backendHolder) end(b *Backend) {
	h.mu.Lock()
	if b != nil {
		if h.closed {
			_ = b.Close()
		} else {
			h.b = b
		}
	}
	h.mu.Unlock()
	h.wg.Done()
}

func (h *backendHolder) close() error {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.wg.Wait()
	if h.b != nil {
		return h.b.Close()
	}
	return nil
}

// Console is a console ready to run: its logging, recorder and model.
type Console struct {
	Model    *Model
	Recorder *recorder.Recorder
	Logger   *slog.Logger
	LogFile  string

	cfg    Config
	ring   *logbuf.Ring
	file   *logbuf.FileWriter
	holder backendHolder
	prev   *slog.Logger
}

// NewConsole sets up logging (the log file and the ring; library logs routed there;
// nothing goes to the terminal) and builds the model. Close undoes it.
func NewConsole(cfg Config) (*Console, error) {
	if cfg.LogBuffer <= 0 {
		cfg.LogBuffer = views.LogsDefaultMax
	}
	if cfg.History <= 0 {
		cfg.History = 10_000
	}
	if cfg.DataDir == "" {
		cfg.DataDir = p2p.DefaultDataDir()
	}
	path := filepath.Join(cfg.DataDir, LogFileName)
	fw, err := logbuf.OpenFile(path, 0, 0)
	if err != nil {
		return nil, err
	}
	ring := logbuf.NewRing(cfg.LogBuffer)
	var fileH slog.Handler = slog.NewTextHandler(fw, &slog.HandlerOptions{Level: cfg.LogLevel})
	if cfg.LogJSON {
		fileH = slog.NewJSONHandler(fw, &slog.HandlerOptions{Level: cfg.LogLevel})
	}
	h := logbuf.NewHandler(cfg.LogLevel, fileH, ring)
	c := &Console{cfg: cfg, ring: ring, file: fw, LogFile: path, Logger: slog.New(h), prev: slog.Default()}
	p2p.RouteLibraryLogs(h)
	slog.SetDefault(c.Logger)
	c.Recorder = recorder.New(recorder.WithMaxParticles(cfg.History))

	common := views.NewCommon(cfg.Theme)
	runner := &lazyRunner{}
	opts := Options{
		Trace:   c.Recorder,
		Logs:    ring,
		LogMax:  cfg.LogBuffer,
		LogFile: path,
		Panes:   ParticlePanes(common, c.Recorder, runner),
		More:    NodePanes(common),
	}
	if cfg.Demo != nil {
		opts.Banner = DemoBanner
	}
	opts.Start = func(ctx context.Context) (*Live, error) {
		if !c.holder.begin() {
			return nil, errors.New("the console is closing")
		}
		b, err := StartBackend(ctx, cfg, c.Logger, c.Recorder)
		c.holder.end(b)
		if err != nil {
			c.Logger.Error("the node did not start", "error", err)
			return nil, err
		}
		runner.set(b.Runner)
		return b.Live(c.Recorder), nil
	}
	c.Model = New(common, opts)
	return c, nil
}

// Run runs the console until the user quits or ctx ends, then closes it.
func (c *Console) Run(ctx context.Context) error {
	defer c.Close()
	p := tea.NewProgram(c.Model, append([]tea.ProgramOption{tea.WithContext(ctx)}, c.cfg.ProgramOptions...)...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // interrupted by a signal: a normal exit
	}
	return err
}

// Close stops the node and devnet, and restores logging. It is safe to call twice.
func (c *Console) Close() error {
	c.Model.Close()
	err := c.holder.close()
	p2p.RouteLibraryLogs(slog.DiscardHandler)
	slog.SetDefault(c.prev)
	c.Model.c.Zone.Close()
	if ferr := c.file.Close(); err == nil {
		err = ferr
	}
	return err
}

// Run builds a console from cfg and runs it.
func Run(ctx context.Context, cfg Config) error {
	c, err := NewConsole(cfg)
	if err != nil {
		return err
	}
	return c.Run(ctx)
}
