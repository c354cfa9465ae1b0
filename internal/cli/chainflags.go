package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/internal/provider"
	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/prover"
)

// defaultDevKey is the dev key a provider proves with on the embedded chain when no account is
// given: dev key 0 deploys the contracts and is the faucet, so it is left alone.
const defaultDevKey = 1

// testHooks let this package's tests make chains and provers fast (an easy target, instant
// blocks, short batches). The product never sets them.
var testHooks struct {
	params func(*contracts.Params)
	chain  []chain.Option
	prover []prover.Option
}

// chainOptions are the chain flags of reef node, reef devnet and the console.
type chainOptions struct {
	rpc           string
	http          string
	epoch         time.Duration
	contractsFile string
	epochSet      bool
}

// register adds --chain-http and --epoch, and with remote also --chain-rpc and --contracts.
func (o *chainOptions) register(cmd *cobra.Command, remote bool, httpDefault string) {
	f := cmd.Flags()
	if remote {
		f.StringVar(&o.rpc, "chain-rpc", "", "use the EVM chain at this JSON-RPC URL instead of the embedded dev chain")
		f.StringVar(&o.contractsFile, "contracts", "", "with --chain-rpc: the contract addresses, as 'reef contracts deploy --json' prints them (default: the endpoint's reef_contracts, else <data-dir>/chain/deployments.json)")
	}
	f.StringVar(&o.http, "chain-http", httpDefault, "serve the embedded chain's JSON-RPC on this address (e.g. 127.0.0.1:8545) so other nodes and tools share it with --chain-rpc")
	f.DurationVar(&o.epoch, "epoch", contracts.DevEpoch, "epoch length of the embedded chain's contracts, when the chain is created (whole seconds)")
}

// wanted reports whether a chain flag asks for a chain.
func (o *chainOptions) wanted() bool { return o.rpc != "" || o.http != "" }

// config checks the flags and returns the chain configuration. dataDir holds the embedded
// chain ("" keeps it in memory) or, with --chain-rpc, the saved deployments.
func (o *chainOptions) config(cmd *cobra.Command, dataDir string, log *slog.Logger) (provider.ChainConfig, error) {
	o.epochSet = cmd.Flags().Changed("epoch")
	cfg := provider.ChainConfig{RPC: o.rpc, DataDir: dataDir, HTTP: o.http, Log: log, Options: testHooks.chain}
	if o.rpc != "" {
		switch {
		case o.http != "":
			return cfg, badInput("--chain-http serves the embedded chain; it does not go with --chain-rpc")
		case o.epochSet:
			return cfg, badInput("--epoch applies to the embedded chain; the chain at --chain-rpc has its own")
		}
		if o.contractsFile != "" {
			a, err := readAddresses(o.contractsFile)
			if err != nil {
				return cfg, err
			}
			cfg.Contracts = &a
		}
		return cfg, nil
	}
	if o.contractsFile != "" {
		return cfg, badInput("--contracts goes with --chain-rpc (the embedded chain deploys its own)")
	}
	if o.http != "" {
		if _, _, err := net.SplitHostPort(o.http); err != nil {
			return cfg, badInput("--chain-http %s: want HOST:PORT, e.g. 127.0.0.1:8545", o.http)
		}
	}
	p := contracts.DevParams()
	p.EpochDuration = o.epoch
	if testHooks.params != nil {
		testHooks.params(&p)
	}
	if err := p.Validate(); err != nil {
		return cfg, badInput("--epoch %v: %v", o.epoch, err)
	}
	cfg.Params = &p
	return cfg, nil
}

// readAddresses reads --contracts: a JSON object with capacity, market and token addresses.
func readAddresses(path string) (contracts.Addresses, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return contracts.Addresses{}, badInput("--contracts: %v", err)
	}
	var a contracts.Addresses
	if err := json.Unmarshal(b, &a); err != nil {
		return a, badInput("--contracts %s: %v (want the JSON 'reef contracts deploy --json' prints)", path, err)
	}
	if a.Capacity == (common.Address{}) {
		return a, badInput("--contracts %s: no capacity address", path)
	}
	return a, nil
}

// openChain starts the chain (or the connection) and, when --epoch was given for a chain that
// already exists with another epoch, says that the flag did not apply.
func (o *chainOptions) openChain(ctx context.Context, cfg provider.ChainConfig, log *slog.Logger) (*provider.Shared, error) {
	s, err := provider.Open(ctx, cfg)
	switch {
	case errors.Is(err, chain.ErrChainInUse):
		return nil, failure("%v", err)
	case err != nil && cfg.RPC != "":
		return nil, badInput("--chain-rpc: %v", err)
	case err != nil:
		return nil, failure("starting the embedded chain: %v", err)
	}
	if o.epochSet && cfg.RPC == "" {
		if d, err := provider.EpochDuration(ctx, s.Chain()); err == nil && d != o.epoch {
			log.Warn("the embedded chain exists with another epoch length; --epoch applies only when it is created (remove <data-dir>/chain to start over)",
				"epoch", d, "flag", o.epoch)
		}
	}
	return s, nil
}

// proverOptions are the provider flags: the prover's size and the account it proves with.
type proverOptions struct {
	units   int
	threads int
	devKey  int
	w       walletFlags // account and password
}

// register adds --units and --threads, and with accounts also --account, --password-file and
// --dev-key.
func (o *proverOptions) register(cmd *cobra.Command, units, threads int, accounts bool) {
	f := cmd.Flags()
	f.IntVar(&o.units, "units", units, "compute units the provider registers and proves (1 to 64)")
	f.IntVar(&o.threads, "threads", threads, "most hashing goroutines of the prover (one per unit)")
	o.devKey = -1
	if accounts {
		o.w.addAccount(cmd)
		o.w.addPassword(cmd)
		f.Lookup("account").Usage = fmt.Sprintf("account the provider proves with, or whose balances /status shows: an address or a number from 'reef wallet list' (default: dev key %d on the embedded chain, else the keystore's first)", defaultDevKey)
		f.IntVar(&o.devKey, "dev-key", -1, fmt.Sprintf("prove with the deterministic dev key N (dev chains only; default on the embedded chain: %d)", defaultDevKey))
	}
}

func (o *proverOptions) check() error {
	if o.units < 1 || o.units > 64 {
		return badInput("--units %d: want 1 to 64", o.units)
	}
	if o.threads < 1 {
		return badInput("--threads %d: want at least 1", o.threads)
	}
	return nil
}

// role resolves the node's account. A provider (prove) proves with --dev-key N, else --account
// (unlocked: its password is read now), else dev key 1 on the embedded chain, else the
// keystore's first account. A node that does not prove shows the balances of --dev-key or
// --account, if given (no password needed).
func (o *proverOptions) role(cmd *cobra.Command, dataDir string, embedded, prove bool) (provider.Role, error) {
	r := provider.Role{Units: o.units, Threads: o.threads}
	if o.devKey < -1 {
		return r, badInput("--dev-key %d: want a dev key index, 0 or more", o.devKey)
	}
	if o.devKey >= 0 && o.w.account != "" {
		return r, badInput("give --account or --dev-key, not both")
	}
	if o.devKey >= 0 {
		if prove {
			r.Key = chain.DevKey(o.devKey)
		} else {
			r.Address = chain.DevKey(o.devKey).Address()
		}
		return r, nil
	}
	if !prove && o.w.account == "" {
		return r, nil
	}
	if prove && o.w.account == "" && embedded {
		r.Key = chain.DevKey(defaultDevKey)
		return r, nil
	}
	o.w.dataDir = dataDir
	ks, err := o.w.keystore()
	if err != nil {
		return r, err
	}
	if !prove {
		a, err := ks.Find(o.w.account)
		if err != nil {
			return r, badInput("--account: %v", err)
		}
		r.Address = a.Address
		return r, nil
	}
	if _, err := ks.Find(o.w.account); errors.Is(err, wallet.ErrNoAccounts) {
		return r, badInput("the provider needs an account: --account (see reef wallet new and import) or, on a dev chain, --dev-key N")
	}
	if r.Key, err = o.w.unlock(cmd, ks); err != nil {
		return r, err
	}
	return r, nil
}

// consoleDutyCycle throttles the console's prover: each hashing goroutine works half the time,
// so with one thread it takes at most half a core from the UI and the devnet.
const consoleDutyCycle = 0.5

// registerChainFlags adds the console's chain and provider flags.
func (o *consoleOptions) registerChainFlags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&o.noProvider, "no-provider", false, "the embedded node does not prove capacity (and, without --chain-rpc or --chain-http, no chain starts)")
	o.node.chain.register(cmd, true, "")
	o.node.prover.register(cmd, 2, 1, true)
}

// chainConfig is the console's chain and the embedded node's role: by default the embedded
// dev chain of --data-dir, shared by the devnet, with the node proving 2 units on 1 thread at
// half duty; none of it with --no-provider unless --chain-rpc or --chain-http asks for a chain.
func (o *consoleOptions) chainConfig(cmd *cobra.Command) (*provider.ChainConfig, *provider.Role, error) {
	if o.noProvider && !o.node.chain.wanted() {
		return nil, nil, nil
	}
	cfg, err := o.node.chain.config(cmd, o.node.dataDir, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := o.node.prover.check(); err != nil {
		return nil, nil, err
	}
	role, err := o.node.prover.role(cmd, o.node.dataDir, o.node.chain.rpc == "", !o.noProvider)
	if err != nil {
		return nil, nil, err
	}
	role.DutyCycle = consoleDutyCycle
	role.Options = testHooks.prover
	return &cfg, &role, nil
}
