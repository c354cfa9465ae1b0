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
	"runtime"
	"strings"
	"syscall"
	"time"

	lpeer "github.com/libp2p/go-libp2p/core/peer"
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/internal/provider"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
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
	rate        particleRateOptions
	log         logOptions
	chain       chainOptions
	prover      proverOptions
	provider    bool
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
modules and create, alias or remove services; anyone may call them.

With --provider the node proves the capacity of --units compute units on an EVM chain:
it registers its peer id, keeps a capacity commitment and submits proofs every epoch,
with --account (password from --password-file, $` + PasswordEnv + ` or a prompt) or a dev
key. The chain is the embedded dev chain in <data-dir>/chain (20 s epochs; --chain-http
shares it), or any EVM endpoint with --chain-rpc. A node without --provider has a chain
only with --chain-rpc or --chain-http. GET /status then has a "chain" section (state
connected, connecting or down, with the last error), "capacity" and "wallet" for a
provider, and "wallet" for the --account or --dev-key of a node that does not prove.
An unreachable endpoint is retried with backoff while the node keeps running.`,
		Example: `  reef node --listen /ip4/0.0.0.0/tcp/7777 --api 127.0.0.1:18080
  reef node --bootstrap /ip4/203.0.113.7/tcp/7777/p2p/12D3KooW... --no-mdns
  reef node --allow-deploy 12D3KooW... --wasm-call-timeout 2s
  reef node --provider --units 4 --threads 2 --chain-http 127.0.0.1:8545 --api 127.0.0.1:18080
  reef node --provider --chain-rpc http://127.0.0.1:8545 --dev-key 2 --data-dir ~/.reef-b
  reef node --provider --chain-rpc https://rpc.example.org --account 0x8f... --password-file pw.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runNode(cmd, o) },
	}
	cmd.Flags().StringArrayVar(&o.listen, "listen", nil, "listen multiaddr (repeatable; default TCP, QUIC and WebSocket on all interfaces, port 7777)")
	cmd.Flags().StringArrayVar(&o.bootstrap, "bootstrap", nil, "bootstrap peer multiaddr with /p2p/ id (repeatable)")
	cmd.Flags().StringVar(&o.dataDir, "data-dir", p2p.DefaultDataDir(), "directory for the node's key and state")
	cmd.Flags().StringVar(&o.api, "api", "", "serve GET /status and GET /metrics on this address (e.g. 127.0.0.1:18080)")
	cmd.Flags().BoolVar(&o.noMDNS, "no-mdns", false, "do not discover peers on the local network with mDNS")
	cmd.Flags().StringArrayVar(&o.allowDeploy, "allow-deploy", nil, "peer id that may deploy Wasm services on this node (repeatable; the node itself always may)")
	cmd.Flags().BoolVar(&o.provider, "provider", false, "prove the capacity of --units compute units on the chain")
	o.chain.register(cmd, true, "")
	o.prover.register(cmd, 2, runtime.NumCPU(), true)
	o.wasm.register(cmd)
	o.rate.register(cmd)
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
	rateOpts, err := o.rate.options()
	if err != nil {
		return err
	}
	wasmOpts = append(wasmOpts, rateOpts...)
	for _, id := range o.allowDeploy {
		if _, err := lpeer.Decode(id); err != nil {
			return badInput("--allow-deploy %q is not a peer id: %v", id, err)
		}
	}
	var (
		chainCfg provider.ChainConfig
		role     provider.Role
		shared   *provider.Shared
	)
	withChain := o.provider || o.chain.wanted()
	if withChain {
		if chainCfg, err = o.chain.config(cmd, o.dataDir, log); err != nil {
			return err
		}
		if err := o.prover.check(); err != nil {
			return err
		}
		if role, err = o.prover.role(cmd, o.dataDir, o.chain.rpc == "", o.provider); err != nil {
			return err
		}
		role.Options = testHooks.prover
	}
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	if withChain {
		if shared, err = o.chain.openChain(ctx, chainCfg, log); err != nil {
			return err
		}
		defer shared.Close()
	}
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
	if shared != nil {
		if _, err := shared.Attach(ctx, n, role); err != nil {
			n.Close()
			return failure("starting the provider: %v", err)
		}
		st := shared.Status()
		log.Info("chain attached", "kind", st.Kind, "url", st.URL, "chain_id", st.ChainID, "state", st.State, "provider", role.Key != nil)
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
	nodes     int
	jsonOut   bool
	apiBase   string
	wasm      wasmOptions
	rate      particleRateOptions
	log       logOptions
	readyOut  io.Writer
	noChain   bool
	providers int
	chain     chainOptions
	prover    proverOptions
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
go with the devnet. Compiled modules are cached in the user cache directory.

The nodes share one embedded dev chain (in memory, 20 s epochs, contracts deployed at
start), served over HTTP on --chain-http (a free 127.0.0.1 port by default) so
'reef node --chain-rpc' and 'reef wallet --chain-rpc' can join it; the ready line gets
"chain":{"url","chain_id","contracts","epoch_s"}. The first --providers nodes prove the
capacity of --units units each with dev keys 1, 2, ... (the ready line gives each its
"account"); proving costs CPU, so none do by default. --no-chain starts no chain.`,
		Example: `  reef devnet --nodes 5 --json
  reef devnet --nodes 3 --providers 2 --epoch 10s --chain-http 127.0.0.1:8545 --api 127.0.0.1:18080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.readyOut = cmd.OutOrStdout()
			return runDevnet(cmd, o)
		},
	}
	cmd.Flags().IntVar(&o.nodes, "nodes", 5, "number of nodes")
	cmd.Flags().BoolVar(&o.jsonOut, "json", false, "print the ready line before any other output and log as JSON")
	cmd.Flags().StringVar(&o.apiBase, "api", "", "serve each node's API from this address upward (e.g. 127.0.0.1:18080 gives 18080, 18081, ...; port 0: a free port each)")
	cmd.Flags().BoolVar(&o.noChain, "no-chain", false, "start no chain")
	cmd.Flags().IntVar(&o.providers, "providers", 0, "how many nodes (the first ones) prove capacity on the chain, with dev keys 1, 2, ...")
	o.chain.register(cmd, false, "127.0.0.1:0")
	o.prover.register(cmd, 1, 1, false)
	o.wasm.register(cmd)
	o.rate.register(cmd)
	o.log.register(cmd)
	return cmd
}

// devnetPeer is one entry of the ready line.
type devnetPeer struct {
	ID      string   `json:"id"`
	Addrs   []string `json:"addrs"`
	API     string   `json:"api,omitempty"`
	Account string   `json:"account,omitempty"` // a provider's address
}

// devnetChain is the ready line's chain.
type devnetChain struct {
	Kind      string              `json:"kind"`
	URL       string              `json:"url,omitempty"`
	ChainID   uint64              `json:"chain_id"`
	Contracts contracts.Addresses `json:"contracts"`
	EpochS    float64             `json:"epoch_s"`
}

func runDevnet(cmd *cobra.Command, o devnetOptions) error {
	if o.nodes < 1 || o.nodes > 200 {
		return badInput("--nodes %d: want 1 to 200", o.nodes)
	}
	if o.providers < 0 || o.providers > o.nodes {
		return badInput("--providers %d: want 0 to --nodes (%d)", o.providers, o.nodes)
	}
	if o.noChain && o.providers > 0 {
		return badInput("--providers needs the chain: drop --no-chain")
	}
	if err := o.prover.check(); err != nil {
		return err
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
	rateOpts, err := o.rate.options()
	if err != nil {
		return err
	}
	wasmOpts = append(wasmOpts, rateOpts...)
	var chainCfg provider.ChainConfig
	if !o.noChain {
		if chainCfg, err = o.chain.config(cmd, "", log); err != nil {
			return err
		}
	}
	ctx, stop := withSignals(cmd.Context())
	defer stop()
	var shared *provider.Shared
	if !o.noChain {
		if shared, err = o.chain.openChain(ctx, chainCfg, log); err != nil {
			return err
		}
		defer shared.Close()
	}
	dn, err := peer.StartDevnet(ctx, o.nodes, append([]peer.Option{peer.WithLogger(log)}, wasmOpts...)...)
	if err != nil {
		return failure("starting the devnet: %v", err)
	}
	defer dn.Close()
	var ready struct {
		Peers []devnetPeer `json:"peers"`
		Chain *devnetChain `json:"chain,omitempty"`
	}
	if shared != nil {
		ch := shared.Chain()
		ready.Chain = &devnetChain{Kind: string(ch.Kind()), URL: ch.URL(), ChainID: ch.State().ChainID, Contracts: ch.Addresses()}
		if d, err := provider.EpochDuration(ctx, ch); err == nil {
			ready.Chain.EpochS = d.Seconds()
		}
	}
	for i, n := range dn.Nodes {
		p := devnetPeer{ID: n.ID()}
		if shared != nil {
			role := provider.Role{Units: o.prover.units, Threads: o.prover.threads, Options: testHooks.prover}
			if i < o.providers {
				role.Key = chain.DevKey(defaultDevKey + i)
				p.Account = role.Key.Address().Hex()
			}
			if _, err := shared.Attach(ctx, n, role); err != nil {
				return failure("starting the provider of node %d: %v", i, err)
			}
		}
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
			if base != 0 {
				base += i
			}
			if p.API, err = serveAPI(ctx, net.JoinHostPort(host, fmt.Sprint(base)), n.APIHandler(), log); err != nil {
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
