// Package chain gives a node its EVM chain: either an embedded go-ethereum dev chain running in
// the process (OpenEmbedded) or any EVM JSON-RPC endpoint (Connect, Dial).
//
// A *Chain is shared: one embedded chain (or one connection) serves every provider node of a
// process, each with its own key and txsend.Sender on Client(). State reports the connection
// (connected or reconnecting, last error, last head) for the console; HeadChanged wakes
// watchers on each new block.
//
// The embedded chain is the pieces of "geth --dev" assembled in-process: a node.Node with its
// database in <data-dir>/chain, eth.Ethereum, and a simulated beacon sealing a block every
// period (1 s by default). Its state survives restarts; on first start the genesis timestamp is
// now, DevAccounts deterministic dev keys (DevKey) are funded, and our contracts are deployed
// from DevKey(0) with their addresses saved in <data-dir>/chain/embedded.json. WithHTTP
// serves its JSON-RPC on 127.0.0.1:PORT so other processes can share it; it also answers
// reef_contracts, so `--chain-rpc` clients find the contract addresses without configuration.
package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	neturl "net/url"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/reefhq/reef/wallet/contracts"
)

// Kind of chain.
type Kind string

const (
	KindEmbedded Kind = "embedded" // the in-process dev chain
	KindRPC      Kind = "rpc"      // an external JSON-RPC endpoint
)

// ErrNotEmbedded is returned by the dev-only methods (Faucet, AdjustTime, Mine) on an RPC chain.
var ErrNotEmbedded = errors.New("only the embedded dev chain can do this")

// ErrNoContracts means the chain has no known deployment of our contracts.
var ErrNoContracts = errors.New("no Reef contracts known on this chain (deploy them with: reef contracts deploy --chain-rpc URL)")

// State is the chain connection as the console and /status show it.
type State struct {
	Kind         Kind      `json:"kind"`
	URL          string    `json:"url,omitempty"` // the RPC URL, or the embedded chain's HTTP endpoint if served
	ChainID      uint64    `json:"chain_id"`
	Connected    bool      `json:"connected"`
	Reconnecting bool      `json:"reconnecting"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	Failures     int       `json:"failures"` // consecutive failed polls
	Head         uint64    `json:"head"`
	HeadHash     string    `json:"head_hash,omitempty"`
	HeadTime     time.Time `json:"head_time,omitzero"` // the head block's timestamp
	HeadSeenAt   time.Time `json:"head_seen_at,omitzero"`
}

// HeadAge is how old the head block is at now (by its timestamp), or 0 without a head.
func (s State) HeadAge(now time.Time) time.Duration {
	if s.HeadTime.IsZero() {
		return 0
	}
	return now.Sub(s.HeadTime)
}

// Chain is an EVM chain with our contracts: embedded or remote. It is safe for concurrent use.
type Chain struct {
	kind   Kind
	url    string
	client *ethclient.Client
	log    *slog.Logger

	mu       sync.Mutex
	state    State
	chainID  *big.Int
	deploy   contracts.Deployment
	headCh   chan struct{}
	ready    chan struct{}
	readyErr error

	dev         *devNode  // embedded only
	lastResolve time.Time // RPC only, the remote loop's
	stop        chan struct{}
	wg          sync.WaitGroup
	closed      sync.Once
}

// Kind is "embedded" or "rpc".
func (c *Chain) Kind() Kind { return c.kind }

// URL is the RPC URL, or the embedded chain's HTTP endpoint ("" when not served over HTTP).
func (c *Chain) URL() string { return c.url }

// Client is the chain's JSON-RPC client (in-process for the embedded chain).
func (c *Chain) Client() *ethclient.Client { return c.client }

// ChainID is the chain id, or nil before the first successful connection.
func (c *Chain) ChainID() *big.Int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chainID == nil {
		return nil
	}
	return new(big.Int).Set(c.chainID)
}

// Addresses of our contracts on this chain (zero if unknown).
func (c *Chain) Addresses() contracts.Addresses {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deploy.Addresses
}

// Deployment is the known deployment of our contracts (zero if unknown).
func (c *Chain) Deployment() contracts.Deployment {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deploy
}

// State returns the connection state.
func (c *Chain) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// HeadChanged returns a channel closed when the next head arrives (or the chain closes).
func (c *Chain) HeadChanged() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.headCh
}

// Ready is closed once the chain id and contract addresses are known (at once for the embedded
// chain).
func (c *Chain) Ready() <-chan struct{} { return c.ready }

// WaitReady blocks until the chain is connected and its contracts are resolved, or ctx ends; then
// it returns the last connection error.
func (c *Chain) WaitReady(ctx context.Context) error {
	select {
	case <-c.ready:
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.readyErr
	case <-ctx.Done():
		st := c.State()
		if st.LastError != "" {
			return fmt.Errorf("chain %s unreachable after %d attempts: %s", c.url, st.Failures, st.LastError)
		}
		return fmt.Errorf("chain %s: %w", c.url, ctx.Err())
	}
}

// Close stops the chain (the embedded one) or the connection. The Client is unusable afterwards.
func (c *Chain) Close() error {
	var err error
	c.closed.Do(func() {
		close(c.stop)
		c.wg.Wait()
		if c.client != nil {
			c.client.Close()
		}
		if c.dev != nil {
			err = c.dev.close()
		}
		c.mu.Lock()
		close(c.headCh)
		c.headCh = make(chan struct{})
		c.mu.Unlock()
	})
	return err
}

func newChain(kind Kind, rawURL string, log *slog.Logger) *Chain {
	url := RedactURL(rawURL)
	return &Chain{
		kind:   kind,
		url:    url,
		log:    log,
		state:  State{Kind: kind, URL: url},
		headCh: make(chan struct{}),
		ready:  make(chan struct{}),
		stop:   make(chan struct{}),
	}
}

// observeHead records a new head; it wakes HeadChanged watchers when the head moved.
func (c *Chain) observeHead(number uint64, hash common.Hash, ts uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := &c.state
	wasDown := !st.Connected
	st.Connected, st.Reconnecting, st.Failures = true, false, 0
	if wasDown && st.LastError != "" {
		c.log.Info("chain connection restored", "url", c.url, "head", number)
	}
	if number == st.Head && hash.Hex() == st.HeadHash {
		return
	}
	st.Head, st.HeadHash, st.HeadTime, st.HeadSeenAt = number, hash.Hex(), time.Unix(int64(ts), 0), time.Now()
	close(c.headCh)
	c.headCh = make(chan struct{})
}

// observeError records a failed poll.
func (c *Chain) observeError(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := &c.state
	if st.Connected || st.Failures == 0 {
		c.log.Warn("chain unreachable, retrying", "url", c.url, "error", err)
	}
	st.Connected, st.Reconnecting = false, true
	st.LastError, st.LastErrorAt = err.Error(), time.Now()
	st.Failures++
}

type config struct {
	log         *slog.Logger
	httpAddr    string
	period      time.Duration
	instant     bool
	params      *contracts.Params
	devAccounts int
	chainID     uint64
	addrs       *contracts.Addresses
	dataDir     string
	poll        time.Duration
	backoffMin  time.Duration
	backoffMax  time.Duration
	callTimeout time.Duration
}

func defaults() config {
	return config{
		log:         slog.New(slog.DiscardHandler),
		period:      time.Second,
		devAccounts: DefaultDevAccounts,
		chainID:     DefaultChainID,
		poll:        time.Second,
		backoffMin:  500 * time.Millisecond,
		backoffMax:  15 * time.Second,
		callTimeout: 5 * time.Second,
	}
}

// Option configures OpenEmbedded, Connect and Dial. Each says which it applies to.
type Option func(*config) error

// WithLogger logs chain events (start, deployment, connection lost and restored). Default: none.
// go-ethereum's own logs stay discarded.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.log = l
		return nil
	}
}

// WithHTTP (embedded) serves the chain's JSON-RPC (eth, net, web3, reef) over HTTP on addr,
// e.g. "127.0.0.1:8545"; port 0 picks a free port (see URL). Default: not served.
func WithHTTP(addr string) Option {
	return func(c *config) error {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("http address %q: %w", addr, err)
		}
		if _, err := strconv.ParseUint(port, 10, 16); err != nil || host == "" {
			return fmt.Errorf("http address %q: want HOST:PORT", addr)
		}
		c.httpAddr = addr
		return nil
	}
}

// WithBlockPeriod (embedded) seals a block every d (whole seconds, at least 1 s). Default 1 s.
func WithBlockPeriod(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			return fmt.Errorf("block period %v: want at least 1s", d)
		}
		c.period = d
		return nil
	}
}

// WithInstantMining (embedded) also seals a block as soon as transactions arrive, so receipts
// come in milliseconds. For tests; each block still advances the chain clock by at least 1 s.
// Default off.
func WithInstantMining() Option {
	return func(c *config) error {
		c.instant = true
		return nil
	}
}

// WithDeployParams (embedded) sets the contract parameters used on first start. Default
// contracts.DevParams().
func WithDeployParams(p contracts.Params) Option {
	return func(c *config) error {
		if err := p.Validate(); err != nil {
			return err
		}
		c.params = &p
		return nil
	}
}

// WithDevAccounts (embedded) funds the first n dev keys at genesis (first start only). Default
// DefaultDevAccounts.
func WithDevAccounts(n int) Option {
	return func(c *config) error {
		if n < 1 || n > 10000 {
			return fmt.Errorf("dev accounts %d: want 1 to 10000", n)
		}
		c.devAccounts = n
		return nil
	}
}

// WithChainID (embedded) sets the chain id on first start. Default DefaultChainID (1337).
func WithChainID(id uint64) Option {
	return func(c *config) error {
		if id == 0 {
			return errors.New("chain id 0")
		}
		c.chainID = id
		return nil
	}
}

// WithAddresses (RPC) uses these contract addresses instead of looking them up.
func WithAddresses(a contracts.Addresses) Option {
	return func(c *config) error {
		c.addrs = &a
		return nil
	}
}

// WithDataDir (RPC) looks up contract addresses saved by `reef contracts deploy` in
// <dir>/chain/deployments.json when the endpoint doesn't report them (reef_contracts).
func WithDataDir(dir string) Option {
	return func(c *config) error {
		c.dataDir = dir
		return nil
	}
}

// WithPollInterval (RPC) polls the head every d. Default 1 s.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("poll interval %v: want > 0", d)
		}
		c.poll = d
		return nil
	}
}

// WithBackoff (RPC) retries a failed endpoint after lo, doubling up to hi. Default 500 ms to 15 s.
func WithBackoff(lo, hi time.Duration) Option {
	return func(c *config) error {
		if lo <= 0 || hi < lo {
			return fmt.Errorf("backoff %v..%v: want 0 < lo <= hi", lo, hi)
		}
		c.backoffMin, c.backoffMax = lo, hi
		return nil
	}
}

// WithCallTimeout (RPC) bounds each background call to the endpoint. Default 5 s.
func WithCallTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("call timeout %v: want > 0", d)
		}
		c.callTimeout = d
		return nil
	}
}

func apply(opts []Option) (config, error) {
	cfg := defaults()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return cfg, fmt.Errorf("chain: %w", err)
		}
	}
	return cfg, nil
}

// RedactURL is an endpoint URL fit to show: hosted endpoints carry API keys in the user
// info, the path or the query, and the URL appears in logs, GET /status and the console,
// so those are replaced with "***" (scheme, host and port stay).
func RedactURL(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil || u.Host == "" {
		return "***"
	}
	out := u.Scheme + "://"
	if u.User != nil {
		out += "***@"
	}
	out += u.Host
	if u.Path != "" && u.Path != "/" {
		out += "/***"
	}
	if u.RawQuery != "" {
		out += "?***"
	}
	return out
}
