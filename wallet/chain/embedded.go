package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	gethlog "github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/txsend"
)

// ErrChainInUse means another process (a running node) holds the embedded chain's data directory.
var ErrChainInUse = errors.New("the embedded chain's data directory is in use by another reef process")

// metaFile is the embedded chain's metadata in <data-dir>/chain.
const metaFile = "embedded.json"

// embeddedMeta is persisted next to the chain database: what the genesis was and where the
// contracts are.
type embeddedMeta struct {
	ChainID     uint64                `json:"chain_id"`
	GenesisTime uint64                `json:"genesis_time"`
	GenesisHash common.Hash           `json:"genesis_hash"`
	DevAccounts int                   `json:"dev_accounts"`
	Contracts   *contracts.Deployment `json:"contracts,omitempty"`
	Params      *paramsJSON           `json:"params,omitempty"`
}

// paramsJSON records the deployment parameters for people reading embedded.json.
type paramsJSON struct {
	EpochSeconds       uint64 `json:"epoch_seconds"`
	MinProofsPerEpoch  uint32 `json:"min_proofs_per_epoch"`
	MaxProofsPerEpoch  uint32 `json:"max_proofs_per_epoch"`
	Target             string `json:"target"`
	CollateralPerUnit  string `json:"collateral_per_unit_wei"`
	RewardPerUnitEpoch string `json:"reward_per_unit_epoch_wei"`
	SlashingRateBps    uint16 `json:"slashing_rate_bps"`
	MaxFailedRatio     uint32 `json:"max_failed_ratio"`
}

// devNode is the running embedded chain.
type devNode struct {
	stack   *node.Node
	eth     *eth.Ethereum
	beacon  *catalyst.SimulatedBeacon
	faucet  *txsend.Sender
	sealMu  sync.Mutex // the simulated beacon has no lock of its own
	instant atomic.Bool
	kick    chan struct{}
}

// OpenEmbedded starts the embedded dev chain with its state in <dataDir>/chain ("" keeps
// everything in memory). On first start it creates the genesis (timestamp now, dev keys funded)
// and deploys the contracts from DevKey(0); later starts reuse both. ctx bounds only starting;
// the chain runs until Close.
func OpenEmbedded(ctx context.Context, dataDir string, opts ...Option) (*Chain, error) {
	cfg, err := apply(opts)
	if err != nil {
		return nil, err
	}
	var chainDir, metaPath string
	meta := &embeddedMeta{}
	fresh := true
	if dataDir != "" {
		chainDir = filepath.Join(dataDir, "chain")
		if err := os.MkdirAll(chainDir, 0o700); err != nil {
			return nil, fmt.Errorf("chain: %w", err)
		}
		metaPath = filepath.Join(chainDir, metaFile)
		if b, err := os.ReadFile(metaPath); err == nil {
			if err := json.Unmarshal(b, meta); err != nil {
				return nil, fmt.Errorf("chain: reading %s: %w", metaPath, err)
			}
			fresh = false
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("chain: %w", err)
		}
	}
	if fresh {
		meta = &embeddedMeta{ChainID: cfg.chainID, GenesisTime: uint64(time.Now().Unix()), DevAccounts: cfg.devAccounts}
		if metaPath != "" {
			if err := saveMeta(metaPath, meta); err != nil {
				return nil, err
			}
		}
	}

	nodeCfg := node.Config{
		Name:        "geth",
		DataDir:     chainDir,
		P2P:         p2p.Config{NoDiscovery: true, MaxPeers: 0, ListenAddr: ""},
		Logger:      gethlog.NewLogger(gethlog.DiscardHandler()),
		DBEngine:    "pebble",
		HTTPModules: []string{"eth", "net", "web3", "reef"},
		HTTPTimeouts: rpc.HTTPTimeouts{
			ReadTimeout: 30 * time.Second, ReadHeaderTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		},
		HTTPVirtualHosts:     []string{"localhost"},
		BatchRequestLimit:    1000,
		BatchResponseMaxSize: 25 * 1000 * 1000,
		HTTPBodyLimit:        5 * 1024 * 1024,
	}
	if cfg.httpAddr != "" {
		host, port, _ := net.SplitHostPort(cfg.httpAddr)
		nodeCfg.HTTPHost = host
		nodeCfg.HTTPPort, _ = strconv.Atoi(port)
	}
	if chainDir != "" {
		// geth insists on a key directory; point it at ours (it adds no backends, so it never
		// reads or writes keys there).
		nodeCfg.KeyStoreDir = filepath.Join(dataDir, "keystore")
	}
	stack, err := node.New(&nodeCfg)
	if errors.Is(err, node.ErrDatadirUsed) {
		return nil, fmt.Errorf("chain: %s: %w (stop it, or share its chain: start it with --chain-http and pass --chain-rpc)", chainDir, ErrChainInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("chain: %w", err)
	}
	dn := &devNode{stack: stack, kick: make(chan struct{}, 1)}
	ok := false
	defer func() {
		if !ok {
			dn.close()
		}
	}()

	ethCfg := ethconfig.Defaults
	ethCfg.NetworkId = meta.ChainID
	ethCfg.SyncMode = ethconfig.FullSync
	ethCfg.TxPool.NoLocals = true
	ethCfg.Miner.GasPrice = big.NewInt(1)
	ethCfg.Genesis = devGenesis(meta)
	// No log index: our log queries cover the last few hundred blocks, where an unindexed search
	// is fast, and the indexer's background work costs more than it saves on a small chain.
	ethCfg.LogNoHistory = true
	// go-ethereum's caches are sized for mainnet (2 GiB of database cache, 600 MiB of clean
	// trie nodes, ...) and fill slowly as blocks are made: a dev chain's state is a few MB,
	// so small caches keep the embedding process's memory flat. No state snapshot either
	// (its diff layers' bloom filters held 10-16 MB of the console's heap): the state is read
	// from the trie, which is small.
	ethCfg.DatabaseCache = 16
	ethCfg.TrieCleanCache = 16
	ethCfg.TrieDirtyCache = 16
	ethCfg.SnapshotCache = 0
	if chainDir != "" {
		existing, scheme, err := storedChain(stack)
		if err != nil {
			return nil, fmt.Errorf("chain: %w", err)
		}
		if existing {
			ethCfg.Genesis = nil // use the genesis stored in the database
		}
		// Crash safety: go-ethereum's default path scheme keeps the latest states in memory
		// and writes them on a clean shutdown only, so a node killed with SIGKILL restarted
		// on an old state without our contracts. The hash scheme in archive mode writes
		// every block's state as it is made; a dev chain's state is small. A database made
		// by an earlier version with the path scheme keeps it (go-ethereum cannot switch).
		if !existing || scheme == rawdb.HashScheme {
			ethCfg.StateScheme = rawdb.HashScheme
			ethCfg.NoPruning = true
		} else {
			cfg.log.Warn("the embedded chain uses the path state scheme: a crash can lose its latest blocks; remove the chain directory to start a crash-safe one", "dir", chainDir)
		}
	}
	backend, err := eth.New(stack, &ethCfg)
	if err != nil {
		return nil, fmt.Errorf("chain: starting the dev chain: %w", err)
	}
	dn.eth = backend
	fs := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(fs)}})

	c := newChain(KindEmbedded, "", cfg.log)
	c.dev = dn
	stack.RegisterAPIs([]rpc.API{{Namespace: "reef", Service: &reefAPI{c: c}}})
	if err := stack.Start(); err != nil {
		if cfg.httpAddr != "" {
			return nil, fmt.Errorf("chain: starting (is %s free?): %w", cfg.httpAddr, err)
		}
		return nil, fmt.Errorf("chain: starting: %w", err)
	}
	genesis := backend.BlockChain().Genesis().Hash()
	if meta.GenesisHash == (common.Hash{}) {
		meta.GenesisHash = genesis
	} else if meta.GenesisHash != genesis {
		return nil, fmt.Errorf("chain: the database in %s has genesis %s, %s says %s", chainDir, genesis.Hex(), metaFile, meta.GenesisHash.Hex())
	}
	dn.beacon, err = catalyst.NewSimulatedBeacon(0, DevKey(0).Address(), backend)
	if err != nil {
		return nil, fmt.Errorf("chain: starting the beacon: %w", err)
	}
	c.client = ethclient.NewClient(stack.Attach())
	if cfg.httpAddr != "" {
		c.url = stack.HTTPEndpoint()
		c.state.URL = c.url
	}
	c.chainID = new(big.Int).SetUint64(meta.ChainID)
	c.state.ChainID = meta.ChainID
	head := backend.BlockChain().CurrentBlock()
	c.observeHead(head.Number.Uint64(), head.Hash(), head.Time)

	dn.faucet, err = txsend.New(c.client, DevKey(0), c.chainID, txsend.WithDecoder(contracts.NewDecoder()), txsend.WithPollInterval(20*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("chain: %w", err)
	}
	dn.instant.Store(true) // mine deployment transactions at once
	c.wg.Add(2)
	go c.sealLoop(cfg.period)
	go c.headLoop()

	if meta.Contracts != nil {
		code, err := c.client.CodeAt(ctx, meta.Contracts.Capacity, nil)
		if err != nil {
			return nil, fmt.Errorf("chain: %w", err)
		}
		if len(code) == 0 {
			cfg.log.Warn("saved contract addresses have no code; deploying again", "capacity", meta.Contracts.Capacity.Hex())
			meta.Contracts = nil
		}
	}
	if meta.Contracts == nil {
		p := contracts.DevParams()
		if cfg.params != nil {
			p = *cfg.params
		}
		d, err := contracts.Deploy(ctx, dn.faucet, p)
		if err != nil {
			return nil, fmt.Errorf("chain: deploying the contracts: %w", err)
		}
		meta.Contracts = &d
		meta.Params = &paramsJSON{
			EpochSeconds: uint64(p.EpochDuration / time.Second), MinProofsPerEpoch: p.MinProofsPerEpoch,
			MaxProofsPerEpoch: p.MaxProofsPerEpoch, Target: "0x" + p.Target.Text(16),
			CollateralPerUnit: p.CollateralPerUnit.String(), RewardPerUnitEpoch: p.RewardPerUnitEpoch.String(),
			SlashingRateBps: p.SlashingRateBps, MaxFailedRatio: p.MaxFailedRatio,
		}
		cfg.log.Info("contracts deployed on the embedded chain", "capacity", d.Capacity.Hex(), "market", d.Market.Hex(),
			"token", d.Token.Hex(), "gas", d.GasUsed)
	}
	if metaPath != "" {
		if err := saveMeta(metaPath, meta); err != nil {
			return nil, err
		}
	}
	dn.instant.Store(cfg.instant)
	c.deploy = *meta.Contracts
	close(c.ready)
	ok = true
	cfg.log.Info("embedded chain ready", "chain_id", meta.ChainID, "head", c.State().Head, "http", c.url, "dir", chainDir)
	return c, nil
}

// storedChain reports whether the chain database already holds a chain, and its state
// scheme.
func storedChain(stack *node.Node) (bool, string, error) {
	if rawdb.PreexistingDatabase(stack.ResolvePath("chaindata")) == "" {
		return false, "", nil
	}
	db, err := stack.OpenDatabaseWithOptions("chaindata", node.DatabaseOptions{ReadOnly: true})
	if err != nil {
		return false, "", err
	}
	defer db.Close()
	if rawdb.ReadCanonicalHash(db, 0) == (common.Hash{}) {
		return false, "", nil
	}
	return true, rawdb.ReadStateScheme(db), nil
}

// devGenesis is the embedded chain's genesis: the dev protocol rules up to Osaka (today's
// mainnet gas schedule; later forks reprice storage), the system contracts, and the dev keys.
func devGenesis(m *embeddedMeta) *core.Genesis {
	cfg := *params.AllDevChainProtocolChanges
	cfg.ChainID = new(big.Int).SetUint64(m.ChainID)
	cfg.BogotaTime = nil
	cfg.AmsterdamTime = nil
	alloc := core.SystemContractAllocs()
	for i := range m.DevAccounts {
		alloc[DevKey(i).Address()] = types.Account{Balance: new(big.Int).Set(DevAccountBalance)}
	}
	return &core.Genesis{
		Config:     &cfg,
		Timestamp:  m.GenesisTime,
		GasLimit:   ethconfig.Defaults.Miner.GasCeil,
		BaseFee:    big.NewInt(params.InitialBaseFee),
		Difficulty: big.NewInt(0),
		Alloc:      alloc,
	}
}

func saveMeta(path string, m *embeddedMeta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := wallet.WriteFileAtomic(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("chain: saving %s: %w", path, err)
	}
	return nil
}

// sealLoop seals a block every period, and at once on new transactions while instant mining.
func (c *Chain) sealLoop(period time.Duration) {
	defer c.wg.Done()
	dn := c.dev
	txs := make(chan core.NewTxsEvent, 16)
	sub := dn.eth.TxPool().SubscribeTransactions(txs, true)
	defer sub.Unsubscribe()
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			dn.seal(false)
		case <-txs:
			if dn.instant.Load() {
				dn.seal(true)
			}
		case <-dn.kick:
			dn.seal(true)
		}
	}
}

// seal commits a block; with drain it keeps committing while executable transactions remain.
func (dn *devNode) seal(drain bool) {
	dn.sealMu.Lock()
	defer dn.sealMu.Unlock()
	dn.beacon.Commit()
	if !drain {
		return
	}
	for range 16 {
		_ = dn.eth.TxPool().Sync()
		if pending, _ := dn.eth.TxPool().Stats(); pending == 0 {
			return
		}
		dn.beacon.Commit()
	}
}

// headLoop follows the embedded chain's head.
func (c *Chain) headLoop() {
	defer c.wg.Done()
	heads := make(chan core.ChainHeadEvent, 16)
	sub := c.dev.eth.BlockChain().SubscribeChainHeadEvent(heads)
	defer sub.Unsubscribe()
	for {
		select {
		case <-c.stop:
			return
		case ev := <-heads:
			c.observeHead(ev.Header.Number.Uint64(), ev.Header.Hash(), ev.Header.Time)
		case <-sub.Err():
			return
		}
	}
}

func (dn *devNode) close() error {
	var errs []error
	if dn.beacon != nil {
		dn.sealMu.Lock()
		errs = append(errs, dn.beacon.Stop())
		dn.sealMu.Unlock()
	}
	if dn.stack != nil {
		errs = append(errs, dn.stack.Close())
	}
	return errors.Join(errs...)
}

// Mine seals a block now (embedded only), including pending transactions.
func (c *Chain) Mine(ctx context.Context) error {
	if c.dev == nil {
		return ErrNotEmbedded
	}
	before := c.State().Head
	select {
	case c.dev.kick <- struct{}{}:
	default:
	}
	for c.State().Head == before {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.HeadChanged():
		}
	}
	return nil
}

// AdjustTime seals a block whose timestamp is d after the head's (embedded only), moving the
// chain clock forward: tests use it to end epochs without waiting. Later blocks keep at least 1 s
// between timestamps, so the chain stays ahead of the wall clock by d.
func (c *Chain) AdjustTime(ctx context.Context, d time.Duration) error {
	if c.dev == nil {
		return ErrNotEmbedded
	}
	if d < time.Second {
		return fmt.Errorf("adjust time by %v: want at least 1s", d)
	}
	dn := c.dev
	for {
		dn.sealMu.Lock()
		pool := dn.eth.TxPool()
		if pending, _ := pool.Stats(); pending > 0 {
			dn.beacon.Commit()
		}
		_ = pool.Sync()
		err := dn.beacon.AdjustTime(d)
		dn.sealMu.Unlock()
		if err == nil {
			h := dn.eth.BlockChain().CurrentBlock()
			c.observeHead(h.Number.Uint64(), h.Hash(), h.Time)
			return nil
		}
		if !strings.Contains(err.Error(), "non-empty block") {
			return fmt.Errorf("chain: adjusting time: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Faucet sends wei of the native coin from DevKey(0) to `to` (embedded only) and waits for it.
func (c *Chain) Faucet(ctx context.Context, to common.Address, wei *big.Int) error {
	if c.dev == nil {
		return ErrNotEmbedded
	}
	_, err := c.dev.faucet.Transact(ctx, txsend.Call{Label: "faucet", To: &to, Value: wei})
	return err
}

// FaucetToken sends TestUSD base units from DevKey(0), which holds the supply, to `to`
// (embedded only) and waits for it.
func (c *Chain) FaucetToken(ctx context.Context, to common.Address, amount *big.Int) error {
	if c.dev == nil {
		return ErrNotEmbedded
	}
	token := c.Addresses().Token
	_, err := c.dev.faucet.Transact(ctx, txsend.Call{Label: "token faucet", To: &token, Data: contracts.NewTestUSD().PackTransfer(to, amount)})
	return err
}

// reefAPI is the reef_ JSON-RPC namespace of the embedded chain.
type reefAPI struct{ c *Chain }

// Contracts answers reef_contracts: the deployment of Reef's contracts on this chain.
func (a *reefAPI) Contracts() (contracts.Deployment, error) {
	select {
	case <-a.c.ready:
		return a.c.Deployment(), nil
	default:
		return contracts.Deployment{}, errors.New("contracts not deployed yet")
	}
}
