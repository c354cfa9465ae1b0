package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/contracts"
)

// Connect returns a Chain for the JSON-RPC endpoint rawURL (http or https) at once, without
// waiting for it: a background loop connects, learns the chain id and the contract addresses,
// and polls the head, backing off while the endpoint is down (State shows it). Only a malformed
// URL is an error. Contract addresses come from WithAddresses, else from the endpoint
// (reef_contracts, served by an embedded Reef chain), else from the deployments saved in
// WithDataDir.
func Connect(rawURL string, opts ...Option) (*Chain, error) {
	cfg, err := apply(opts)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("chain: RPC URL %q: want an http:// or https:// URL (e.g. http://127.0.0.1:8545)", rawURL)
	}
	rc, err := rpc.DialOptions(context.Background(), rawURL)
	if err != nil {
		return nil, fmt.Errorf("chain: %w", err)
	}
	c := newChain(KindRPC, rawURL, cfg.log)
	c.client = ethclient.NewClient(rc)
	c.wg.Add(1)
	go c.remoteLoop(cfg)
	return c, nil
}

// Dial connects to rawURL and waits until the chain answers (chain id and contract addresses
// resolved) or ctx ends, retrying with backoff meanwhile. An unreachable endpoint is an error
// naming the URL and the last failure; bound ctx to bound the wait.
func Dial(ctx context.Context, rawURL string, opts ...Option) (*Chain, error) {
	c, err := Connect(rawURL, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.WaitReady(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *Chain) remoteLoop(cfg config) {
	defer c.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-c.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	backoff := cfg.backoffMin
	for {
		err := c.pollRemote(ctx, cfg)
		wait := cfg.poll
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.observeError(err)
			wait = backoff
			backoff = min(2*backoff, cfg.backoffMax)
		} else {
			backoff = cfg.backoffMin
		}
		select {
		case <-c.stop:
			return
		case <-time.After(wait):
		}
	}
}

func (c *Chain) pollRemote(ctx context.Context, cfg config) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.callTimeout)
	defer cancel()
	select {
	case <-c.ready:
		if c.Addresses().IsZero() && time.Since(c.lastResolve) >= 2*time.Second {
			if err := c.resolveContracts(ctx, cfg); err != nil {
				return err
			}
		}
	default:
		if err := c.resolve(ctx, cfg); err != nil {
			return err
		}
	}
	h, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	c.observeHead(h.Number.Uint64(), h.Hash(), h.Time)
	return nil
}

// resolve learns the chain id and the contract addresses, then marks the chain ready.
func (c *Chain) resolve(ctx context.Context, cfg config) error {
	id, err := c.client.ChainID(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.chainID = id
	c.state.ChainID = id.Uint64()
	c.deploy.ChainID = id.Uint64()
	c.mu.Unlock()
	if err := c.resolveContracts(ctx, cfg); err != nil {
		return err
	}
	if c.Addresses().IsZero() {
		c.log.Warn("chain connected; no Reef contracts known yet", "url", c.url, "chain_id", id)
	}
	close(c.ready)
	return nil
}

// resolveContracts looks the contract addresses up: configuration, then reef_contracts, then
// the deployments saved in the data directory. Not finding them is not an error (they may be
// deployed later; the poll loop keeps looking).
func (c *Chain) resolveContracts(ctx context.Context, cfg config) error {
	c.lastResolve = time.Now()
	id := c.ChainID()
	var d contracts.Deployment
	source := ""
	switch {
	case cfg.addrs != nil:
		d.Addresses, source = *cfg.addrs, "configuration"
	default:
		var remote contracts.Deployment
		if err := c.client.Client().CallContext(ctx, &remote, "reef_contracts"); err == nil && !remote.IsZero() {
			d, source = remote, "reef_contracts"
		} else if cfg.dataDir != "" {
			g, err := c.client.HeaderByNumber(ctx, big.NewInt(0))
			if err != nil {
				return err
			}
			saved, ok, err := LoadDeployment(cfg.dataDir, id.Uint64(), g.Hash())
			if err != nil {
				return err
			}
			if ok {
				d, source = saved, DeploymentsPath(cfg.dataDir)
			}
		}
	}
	if d.IsZero() {
		return nil
	}
	code, err := c.client.CodeAt(ctx, d.Capacity, nil)
	if err != nil {
		return err
	}
	if len(code) == 0 {
		c.log.Warn("no Capacity contract at the configured address", "address", d.Capacity.Hex(), "source", source)
		return nil
	}
	d.ChainID = id.Uint64()
	c.mu.Lock()
	c.deploy = d
	c.mu.Unlock()
	c.log.Info("chain contracts found", "url", c.url, "chain_id", id, "capacity", d.Capacity.Hex(), "from", source)
	return nil
}

// Contracts returns the contract addresses, or ErrNoContracts.
func (c *Chain) Contracts() (contracts.Addresses, error) {
	a := c.Addresses()
	if a.Capacity == (common.Address{}) {
		return a, ErrNoContracts
	}
	return a, nil
}

// DeploymentsPath is where `reef contracts deploy` saves deployments: <dataDir>/chain/deployments.json.
func DeploymentsPath(dataDir string) string {
	return filepath.Join(dataDir, "chain", "deployments.json")
}

// deploymentKey identifies a chain by id and genesis: two dev chains share id 1337.
func deploymentKey(chainID uint64, genesis common.Hash) string {
	return fmt.Sprintf("%d:%s", chainID, genesis.Hex())
}

// SaveDeployment records d for the chain (chainID, genesis) in DeploymentsPath(dataDir).
func SaveDeployment(dataDir string, genesis common.Hash, d contracts.Deployment) error {
	p := DeploymentsPath(dataDir)
	all := map[string]contracts.Deployment{}
	if b, err := os.ReadFile(p); err == nil {
		if err := json.Unmarshal(b, &all); err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	all[deploymentKey(d.ChainID, genesis)] = d
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	return wallet.WriteFileAtomic(p, append(b, '\n'), 0o600)
}

// LoadDeployment finds the deployment saved for the chain (chainID, genesis).
func LoadDeployment(dataDir string, chainID uint64, genesis common.Hash) (contracts.Deployment, bool, error) {
	b, err := os.ReadFile(DeploymentsPath(dataDir))
	if errors.Is(err, os.ErrNotExist) {
		return contracts.Deployment{}, false, nil
	}
	if err != nil {
		return contracts.Deployment{}, false, err
	}
	all := map[string]contracts.Deployment{}
	if err := json.Unmarshal(b, &all); err != nil {
		return contracts.Deployment{}, false, fmt.Errorf("reading %s: %w", DeploymentsPath(dataDir), err)
	}
	d, ok := all[deploymentKey(chainID, genesis)]
	return d, ok, nil
}

// GenesisHash returns the hash of block 0 of the chain behind c.
func GenesisHash(ctx context.Context, c *ethclient.Client) (common.Hash, error) {
	h, err := c.HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		return common.Hash{}, err
	}
	return h.Hash(), nil
}

// Describe is a one-line description: "embedded chain 1337 (http://127.0.0.1:8545)" or
// "chain 11155111 at https://...".
func (c *Chain) Describe() string {
	st := c.State()
	var b strings.Builder
	if c.kind == KindEmbedded {
		fmt.Fprintf(&b, "embedded chain %d", st.ChainID)
		if c.url != "" {
			fmt.Fprintf(&b, " (%s)", c.url)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "chain %d at %s", st.ChainID, c.url)
	return b.String()
}
