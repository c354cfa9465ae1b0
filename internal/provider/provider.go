// Package provider hangs an EVM chain off a process's nodes. Open starts the one chain a
// process shares (the embedded go-ethereum dev chain, or a connection to any JSON-RPC
// endpoint); Attach gives a node its "chain" section in GET /status and, for a node that
// provides capacity, a prover (wallet/prover) for its peer id with the "capacity" and "wallet"
// sections. reef node, reef devnet and the console (tui) all start their chain here.
package provider

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/prover"
)

// ChainConfig says which chain the nodes of a process share.
type ChainConfig struct {
	// RPC is an EVM JSON-RPC endpoint (http:// or https://); empty means the embedded dev chain.
	RPC string
	// DataDir: for the embedded chain, its state lives in <DataDir>/chain ("" keeps it in
	// memory); for RPC, deployments saved by `reef contracts deploy` are looked up in
	// <DataDir>/chain/deployments.json.
	DataDir string
	// HTTP serves the embedded chain's JSON-RPC on this address, e.g. "127.0.0.1:8545" (port 0
	// picks a free one; Chain().URL() says which).
	HTTP string
	// Params are the embedded chain's contract parameters when it is created (nil:
	// contracts.DevParams()). A chain that exists keeps its own.
	Params *contracts.Params
	// Contracts are the contract addresses on an RPC chain (nil: the endpoint's reef_contracts,
	// else DataDir's deployments).
	Contracts *contracts.Addresses
	// Log receives the chain's and the provers' logs (nil: none).
	Log *slog.Logger
	// Options are added to the chain's (tests: instant mining, backoff).
	Options []chain.Option
}

// Shared is a process's chain and what its nodes run on it. Close stops the provers and
// balance readers, then the chain.
type Shared struct {
	ch  *chain.Chain
	log *slog.Logger

	mu      sync.Mutex
	closers []func()
	closed  bool
}

// Open starts the embedded chain (ready when Open returns, contracts deployed on its first
// start) or connects to cfg.RPC. A connection never fails for an unreachable endpoint: it
// retries with backoff in the background and Status shows it; only a malformed URL is an
// error. ctx bounds starting the embedded chain.
func Open(ctx context.Context, cfg ChainConfig) (*Shared, error) {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := []chain.Option{chain.WithLogger(log.With("logger", "chain"))}
	var (
		ch  *chain.Chain
		err error
	)
	if cfg.RPC != "" {
		if cfg.HTTP != "" {
			return nil, errors.New("serving the chain over HTTP needs the embedded chain, not an RPC endpoint")
		}
		if cfg.Params != nil {
			return nil, errors.New("contract parameters apply to the embedded chain, not to an RPC endpoint")
		}
		if cfg.DataDir != "" {
			opts = append(opts, chain.WithDataDir(cfg.DataDir))
		}
		if cfg.Contracts != nil {
			opts = append(opts, chain.WithAddresses(*cfg.Contracts))
		}
		ch, err = chain.Connect(cfg.RPC, append(opts, cfg.Options...)...)
	} else {
		if cfg.Contracts != nil {
			return nil, errors.New("contract addresses apply to an RPC endpoint; the embedded chain deploys its own")
		}
		if cfg.HTTP != "" {
			opts = append(opts, chain.WithHTTP(cfg.HTTP))
		}
		if cfg.Params != nil {
			opts = append(opts, chain.WithDeployParams(*cfg.Params))
		}
		ch, err = chain.OpenEmbedded(ctx, cfg.DataDir, append(opts, cfg.Options...)...)
	}
	if err != nil {
		return nil, err
	}
	return &Shared{ch: ch, log: log}, nil
}

// Chain is the shared chain.
func (s *Shared) Chain() *chain.Chain { return s.ch }

// Close stops every prover and balance reader, then the chain (or the connection).
func (s *Shared) Close() error {
	s.mu.Lock()
	closers := s.closers
	s.closers, s.closed = nil, true
	s.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
	return s.ch.Close()
}

func (s *Shared) onClose(f func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		f()
		return errors.New("provider: the chain is closed")
	}
	s.closers = append(s.closers, f)
	return nil
}

// Chain connection states in ChainStatus.
const (
	StateConnected  = "connected"  // the last poll of the endpoint answered
	StateConnecting = "connecting" // no answer yet, no failure either
	StateDown       = "down"       // the endpoint fails; LastError says why, retried with backoff
)

// ChainStatus is the "chain" section of a node's GET /status.
type ChainStatus struct {
	Kind        chain.Kind           `json:"kind"` // "embedded" or "rpc"
	URL         string               `json:"url,omitempty"`
	ChainID     uint64               `json:"chain_id"`
	State       string               `json:"state"` // StateConnected, StateConnecting or StateDown
	LastError   string               `json:"last_error,omitempty"`
	LastErrorAt time.Time            `json:"last_error_at,omitzero"`
	Failures    int                  `json:"failures"` // consecutive failed polls
	Head        uint64               `json:"head"`
	HeadAgeS    float64              `json:"head_age_s"` // by the head's timestamp; 0 when it is ahead of the clock
	Contracts   *contracts.Addresses `json:"contracts,omitempty"`
}

// Status is the chain's connection as /status shows it.
func (s *Shared) Status() ChainStatus {
	st := s.ch.State()
	cs := ChainStatus{
		Kind: st.Kind, URL: st.URL, ChainID: st.ChainID, State: StateConnecting, LastError: st.LastError,
		LastErrorAt: st.LastErrorAt, Failures: st.Failures, Head: st.Head,
		HeadAgeS: math.Round(max(st.HeadAge(time.Now()), 0).Seconds()*10) / 10, // the dev chain may run ahead
	}
	switch {
	case st.Connected:
		cs.State = StateConnected
	case st.LastError != "":
		cs.State = StateDown
	}
	if a := s.ch.Addresses(); !a.IsZero() {
		cs.Contracts = &a
	}
	return cs
}

// Role is what a node does on the chain.
type Role struct {
	// Key, when set, makes the node a capacity provider proving with this account: it registers
	// the node's peer id with Units compute units, keeps a commitment and proves every epoch.
	Key *wallet.Key
	// Address, for a node that does not prove, is the account whose balances its "wallet"
	// section shows (zero: no wallet section).
	Address common.Address
	// Units (default 2) and Threads (default GOMAXPROCS) size the prover; DutyCycle (0 or 1:
	// always busy) throttles each hashing goroutine.
	Units, Threads int
	DutyCycle      float64
	// Log receives the prover's logs (nil: the chain's logger).
	Log *slog.Logger
	// Options are added to the prover's (tests: short batches).
	Options []prover.Option
}

// Attach adds the "chain" section to n's GET /status and, by role, a prover for n's peer id
// (started; its "capacity" and "wallet" sections added) or a reader of an account's balances
// (the "wallet" section). It returns the prover, or nil. On the embedded chain a provider
// account that cannot pay its collateral and gas is topped up from the faucet first. ctx
// bounds that top-up.
func (s *Shared) Attach(ctx context.Context, n *peer.Node, r Role) (*prover.Provider, error) {
	n.AddStatusSection("chain", func() any { return s.Status() })
	switch {
	case r.Key != nil:
		p, err := s.startProver(ctx, n, r)
		if err != nil {
			return nil, err
		}
		n.AddStatusSection("capacity", func() any { return p.Status().Capacity })
		n.AddStatusSection("wallet", func() any { return p.Status().Wallet })
		return p, nil
	case r.Address != (common.Address{}):
		w := newBalances(s.ch, r.Address)
		if err := s.onClose(w.close); err != nil {
			return nil, err
		}
		n.AddStatusSection("wallet", func() any { return w.status() })
	}
	return nil, nil
}

func (s *Shared) startProver(ctx context.Context, n *peer.Node, r Role) (*prover.Provider, error) {
	pid, err := lpeer.Decode(n.ID())
	if err != nil {
		return nil, fmt.Errorf("provider: peer id %s: %w", n.ID(), err)
	}
	log := r.Log
	if log == nil {
		log = s.log
	}
	opts := []prover.Option{prover.WithPeerID([]byte(pid)), prover.WithLogger(log.With("logger", "prover"))}
	if r.Units > 0 {
		opts = append(opts, prover.WithUnits(r.Units))
	}
	if r.Threads > 0 {
		opts = append(opts, prover.WithThreads(r.Threads))
	}
	if r.DutyCycle > 0 && r.DutyCycle < 1 {
		opts = append(opts, prover.WithDutyCycle(r.DutyCycle))
	}
	p, err := prover.New(s.ch, r.Key, append(opts, r.Options...)...)
	if err != nil {
		return nil, err
	}
	if s.ch.Kind() == chain.KindEmbedded {
		units := r.Units
		if units <= 0 {
			units = 2
		}
		if err := s.fund(ctx, r.Key.Address(), units); err != nil {
			return nil, err
		}
	}
	if err := s.onClose(func() { p.Close() }); err != nil {
		return nil, err
	}
	if err := p.Start(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// fund tops addr up from the embedded chain's faucet when it holds less than the collateral
// for units plus 1 ETH for gas: a new keystore account has nothing on a dev chain.
func (s *Shared) fund(ctx context.Context, addr common.Address, units int) error {
	cl := s.ch.Client()
	capAddr := s.ch.Addresses().Capacity
	c := contracts.NewCapacity()
	out, err := cl.CallContract(ctx, ethereum.CallMsg{To: &capAddr, Data: c.PackCollateralPerUnit()}, nil)
	if err != nil {
		return fmt.Errorf("provider: reading the collateral: %w", err)
	}
	per, err := c.UnpackCollateralPerUnit(out)
	if err != nil {
		return fmt.Errorf("provider: reading the collateral: %w", err)
	}
	need := new(big.Int).Mul(per, big.NewInt(int64(units)))
	need.Add(need, contracts.Ether(1))
	bal, err := cl.BalanceAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("provider: reading the balance of %s: %w", addr.Hex(), err)
	}
	if bal.Cmp(need) >= 0 {
		return nil
	}
	give := new(big.Int).Add(need, contracts.Ether(100))
	s.log.Info("funding the provider account from the dev chain's faucet", "address", addr.Hex(), "wei", give.String())
	if err := s.ch.Faucet(ctx, addr, give); err != nil {
		return fmt.Errorf("provider: funding %s from the faucet: %w", addr.Hex(), err)
	}
	return nil
}

// EpochDuration reads the epoch length from the Capacity contract.
func EpochDuration(ctx context.Context, ch *chain.Chain) (time.Duration, error) {
	a, err := ch.Contracts()
	if err != nil {
		return 0, err
	}
	c := contracts.NewCapacity()
	out, err := ch.Client().CallContract(ctx, ethereum.CallMsg{To: &a.Capacity, Data: c.PackEpochParams()}, nil)
	if err != nil {
		return 0, err
	}
	ep, err := c.UnpackEpochParams(out)
	if err != nil {
		return 0, err
	}
	return time.Duration(ep.Duration.Uint64()) * time.Second, nil
}
