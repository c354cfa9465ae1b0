package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	lpeer "github.com/libp2p/go-libp2p/core/peer"
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
)

// logOptions are the logging flags of long-running commands.
type logOptions struct {
	format string
	level  string
}

func (o *logOptions) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "log-format", "text", "log format: text or json")
	cmd.Flags().StringVar(&o.level, "log-level", "info", "log level: debug, info, warn or error")
}

func (o *logOptions) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(o.level)); err != nil {
		return nil, badInput("--log-level %q: %v", o.level, err)
	}
	hopts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler
	switch o.format {
	case "text":
		h = slog.NewTextHandler(w, hopts)
	case "json":
		h = slog.NewJSONHandler(w, hopts)
	default:
		return nil, badInput("--log-format %q: want text or json", o.format)
	}
	p2p.RouteLibraryLogs(h)
	return slog.New(h), nil
}

// withSignals returns a context cancelled by SIGINT or SIGTERM.
func withSignals(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// serveAPI serves the node API on addr until ctx ends.
func serveAPI(ctx context.Context, addr string, h http.Handler, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", badInput("--api %s: %v", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("api server stopped", "error", err)
		}
	}()
	return ln.Addr().String(), nil
}

type nodeOptions struct {
	listen      []string
	bootstrap   []string
	dataDir     string
	api         string
	noMDNS      bool
	allowDeploy []string
	wasm        wasmOptions
	log         logOptions
}

// wasmOptions are the Wasm service limits of `reef node` and `reef devnet`.
type wasmOptions struct {
	memoryMiB   int
	callTimeout time.Duration
}

func (o *wasmOptions) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&o.memoryMiB, "wasm-memory-mib", 64, "memory limit of one instance of a Wasm service, in MiB")
	cmd.Flags().DurationVar(&o.callTimeout, "wasm-call-timeout", 5*time.Second, "deadline of one call to a Wasm service")
}

func (o *wasmOptions) options() ([]peer.Option, error) {
	if o.memoryMiB < 1 || o.memoryMiB > 4096 {
		return nil, badInput("--wasm-memory-mib %d: want 1 to 4096", o.memoryMiB)
	}
	if o.callTimeout <= 0 {
		return nil, badInput("--wasm-call-timeout must be positive")
	}
	return []peer.Option{peer.WithWasmMemoryLimit(uint64(o.memoryMiB) << 20), peer.WithWasmCallTimeout(o.callTimeout)}, nil
}

func newNodeCmd() *cobra.Command {
	var o nodeOptions
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run one headless full node",
		Long: `Run one headless full node: a libp2p host (TCP, QUIC, WebSocket) in the private Reef
Kademlia DHT that executes particles, serves builtins and Wasm services, and forwards
particles. Logs go to stderr; SIGINT or SIGTERM shut it down cleanly.

Wasm services (dist.*, srv.*, reef deploy) are kept in the data directory and restored
on restart. Only the node itself and the peers named with --allow-deploy may add
modules and create, alias or remove services; anyone may call them.`,
		Example: `  reef node --listen /ip4/0.0.0.0/tcp/7777 --api 127.0.0.1:18080
  reef node --bootstrap /ip4/203.0.113.7/tcp/7777/p2p/12D3KooW... --no-mdns
  reef node --allow-deploy 12D3KooW... --wasm-call-timeout 2s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runNode(cmd, o) },
	}
	cmd.Flags().StringArrayVar(&o.listen, "listen", nil, "listen multiaddr (repeatable; default TCP, QUIC and WebSocket on all interfaces, port 7777)")
	cmd.Flags().StringArrayVar(&o.bootstrap, "bootstrap", nil, "bootstrap peer multiaddr with /p2p/ id (repeatable)")
	cmd.Flags().StringVar(&o.dataDir, "data-dir", p2p.DefaultDataDir(), "directory for the node's key and state")
	cmd.Flags().StringVar(&o.api, "api", "", "serve GET /status and GET /metrics on this address (e.g. 127.0.0.1:18080)")
	cmd.Flags().BoolVar(&o.noMDNS, "no-mdns", false, "do not discover peers on the local network with mDNS")
	cmd.Flags().StringArrayVar(&o.allowDeploy, "allow-deploy", nil, "peer id that may deploy Wasm services on this node (repeatable; the node itself always may)")
	o.wasm.register(cmd)
	o.log.register(cmd)
	return cmd
}

// defaultListen are the node's listen addresses when --listen is not given.
var defaultListen = []string{"/ip4/0.0.0.0/tcp/7777", "/ip4/0.0.0.0/udp/7777/quic-v1", "/ip4/0.0.0.0/tcp/7778/ws"}

func runNode(cmd *cobra.Command, o nodeOptions) error {
	log, err := o.log.logger(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	listen := o.listen
	if len(listen) == 0 {
		listen = defaultListen
	}
	wasmOpts, err := o.wasm.options()
	if err != nil {
		return err
	}
	for _, id := range o.allowDeploy {
		if _, err := lpeer.Decode(id); err != nil {
			return badInput("--allow-deploy %q is not a peer id: %v", id, err)
		}
	}
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	n, err := peer.New(append([]peer.Option{
		peer.WithDataDir(o.dataDir),
		peer.WithLogger(log),
		peer.WithP2P(p2p.WithListen(listen...), p2p.WithBootstrap(o.bootstrap...), p2p.WithMDNS(!o.noMDNS)),
		peer.WithAllowDeploy(o.allowDeploy...),
	}, wasmOpts...)...)
	if err != nil {
		return failure("%v", err)
	}
	if err := n.Start(ctx); err != nil {
		n.Close()
		return failure("starting the node: %v", err)
	}
	if o.api != "" {
		addr, err := serveAPI(ctx, o.api, n.APIHandler(), log)
		if err != nil {
			n.Close()
			return err
		}
		log.Info("api listening", "addr", addr)
	}
	var addrs []string
	for _, a := range n.Net().Addrs() {
		addrs = append(addrs, a.String())
	}
	log.Info("node ready", "peer_id", n.ID(), "addrs", strings.Join(addrs, " "))
	<-ctx.Done()
	log.Info("shutting down")
	return n.Close()
}

type devnetOptions struct {
	nodes    int
	jsonOut  bool
	apiBase  string
	wasm     wasmOptions
	log      logOptions
	readyOut io.Writer
}

func newDevnetCmd() *cobra.Command {
	var o devnetOptions
	cmd := &cobra.Command{
		Use:   "devnet",
		Short: "Run a local network of full nodes in one process",
		Long: `Run N full nodes in one process on 127.0.0.1 with free ports and fresh keys, their DHT
bootstrapped so every routing table is filled. When ready it prints one line
{"peers":[{"id":...,"addrs":[...]}...]} and serves until SIGINT or SIGTERM.

Every peer may deploy Wasm services on a devnet (reef deploy); they live in memory and
go with the devnet. Compiled modules are cached in the user cache directory.`,
		Example: `  reef devnet --nodes 5 --json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.readyOut = cmd.OutOrStdout()
			return runDevnet(cmd, o)
		},
	}
	cmd.Flags().IntVar(&o.nodes, "nodes", 5, "number of nodes")
	cmd.Flags().BoolVar(&o.jsonOut, "json", false, "print the ready line before any other output and log as JSON")
	cmd.Flags().StringVar(&o.apiBase, "api", "", "serve each node's API from this address upward (e.g. 127.0.0.1:18080 gives 18080, 18081, ...)")
	o.wasm.register(cmd)
	o.log.register(cmd)
	return cmd
}

// devnetPeer is one entry of the ready line.
type devnetPeer struct {
	ID    string   `json:"id"`
	Addrs []string `json:"addrs"`
	API   string   `json:"api,omitempty"`
}

func runDevnet(cmd *cobra.Command, o devnetOptions) error {
	if o.nodes < 1 || o.nodes > 200 {
		return badInput("--nodes %d: want 1 to 200", o.nodes)
	}
	if o.jsonOut {
		o.log.format = "json"
	}
	log, err := o.log.logger(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	wasmOpts, err := o.wasm.options()
	if err != nil {
		return err
	}
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	dn, err := peer.StartDevnet(ctx, o.nodes, append([]peer.Option{peer.WithLogger(log)}, wasmOpts...)...)
	if err != nil {
		return failure("starting the devnet: %v", err)
	}
	defer dn.Close()
	var ready struct {
		Peers []devnetPeer `json:"peers"`
	}
	for i, n := range dn.Nodes {
		p := devnetPeer{ID: n.ID()}
		for _, a := range n.Net().Addrs() {
			p.Addrs = append(p.Addrs, a.String())
		}
		if o.apiBase != "" {
			host, port, err := net.SplitHostPort(o.apiBase)
			if err != nil {
				return badInput("--api %s: %v", o.apiBase, err)
			}
			var base int
			if _, err := fmt.Sscan(port, &base); err != nil {
				return badInput("--api %s: bad port", o.apiBase)
			}
			if p.API, err = serveAPI(ctx, net.JoinHostPort(host, fmt.Sprint(base+i)), n.APIHandler(), log); err != nil {
				return err
			}
		}
		ready.Peers = append(ready.Peers, p)
	}
	line, _ := json.Marshal(ready)
	fmt.Fprintln(o.readyOut, string(line))
	log.Info("devnet ready", "nodes", len(dn.Nodes))
	<-ctx.Done()
	log.Info("shutting down the devnet")
	return nil
}
