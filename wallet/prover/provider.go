package prover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/txsend"
)

// Chain is what a Provider needs of a chain; *chain.Chain has it.
type Chain interface {
	Client() *ethclient.Client
	ChainID() *big.Int
	Contracts() (contracts.Addresses, error)
	State() chain.State
	HeadChanged() <-chan struct{}
	Ready() <-chan struct{}
}

// ErrForeignPeer means the peer id is registered on chain by another account.
var ErrForeignPeer = errors.New("the peer is registered on chain by another account")

type config struct {
	peerID      []byte
	units       int
	threads     int
	duration    uint32
	autoRenew   bool
	batchMax    int
	batchWait   time.Duration
	log         *slog.Logger
	txOpts      []txsend.Option
	walletEvery time.Duration
	txTimeout   time.Duration
	duty        float64
}

// Option configures New.
type Option func(*config) error

// WithPeerID sets the peer's id bytes (a libp2p peer id's bytes); required. The on-chain peer id
// is PeerKey(id).
func WithPeerID(id []byte) Option {
	return func(c *config) error {
		if len(id) == 0 {
			return errors.New("empty peer id")
		}
		c.peerID = append([]byte(nil), id...)
		return nil
	}
}

// WithUnits sets the number of compute units registered for the peer (1 to 64). Default 2. A
// peer already registered keeps the count it was registered with.
func WithUnits(n int) Option {
	return func(c *config) error {
		if n < 1 || n > int(maxUnits) {
			return fmt.Errorf("units %d: want 1 to %d", n, maxUnits)
		}
		c.units = n
		return nil
	}
}

// WithThreads caps the hashing goroutines (one per unit, at most n). Default GOMAXPROCS.
func WithThreads(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("threads %d: want >= 1", n)
		}
		c.threads = n
		return nil
	}
}

// WithDuration sets a new commitment's length in epochs. Default 1000.
func WithDuration(epochs uint32) Option {
	return func(c *config) error {
		if epochs == 0 {
			return errors.New("duration 0")
		}
		c.duration = epochs
		return nil
	}
}

// WithAutoRenew finishes an expired or failed commitment (returning its collateral) and commits
// again. Default true.
func WithAutoRenew(on bool) Option {
	return func(c *config) error {
		c.autoRenew = on
		return nil
	}
}

// WithBatch sends proofs in transactions of at most max proofs, at the latest wait after the
// first one was found (and at once in the last fifth of an epoch). Default 8 and 2 s.
func WithBatch(max int, wait time.Duration) Option {
	return func(c *config) error {
		if max < 1 || max > 256 || wait < 0 {
			return fmt.Errorf("batch %d/%v: want 1 to 256 proofs and a wait >= 0", max, wait)
		}
		c.batchMax, c.batchWait = max, wait
		return nil
	}
}

// WithLogger logs registration, commitments, epochs, submissions and errors (never keys).
// Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nil logger")
		}
		c.log = l
		return nil
	}
}

// WithTxOptions passes options to the provider's transaction sender (gas headroom, polling).
func WithTxOptions(opts ...txsend.Option) Option {
	return func(c *config) error {
		c.txOpts = append(c.txOpts, opts...)
		return nil
	}
}

// WithWalletRefresh sets how often balances, rewards and deals are read. Default 2 s.
func WithWalletRefresh(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("wallet refresh %v: want > 0", d)
		}
		c.walletEvery = d
		return nil
	}
}

// WithDutyCycle lets each hashing goroutine work only a fraction f (0 < f <= 1) of the time: after
// each round it sleeps (1-f)/f times as long as the round took. The console uses it so the prover
// never takes a whole core from the UI. Default 1 (no pause).
func WithDutyCycle(f float64) Option {
	return func(c *config) error {
		if !(f > 0 && f <= 1) {
			return fmt.Errorf("duty cycle %v: want 0 < f <= 1", f)
		}
		c.duty = f
		return nil
	}
}

const maxUnits = 64

// Provider registers a peer's compute units on the Capacity contract, keeps a capacity
// commitment for them and proves every unit every epoch: one hashing goroutine per unit (up to
// the thread cap), a submitter batching proofs into submitProofs transactions, and a controller
// following the chain's head that rotates the epoch's global nonce, restarts the workers at each
// epoch and renews the commitment. It keeps running while the chain is unreachable (State shows
// it) and resumes when it comes back.
//
// Snapshots (Capacity, Wallet, Status) are copies, safe to call from any goroutine at any rate.
type Provider struct {
	ch      Chain
	signer  txsend.Signer
	cfg     config
	log     *slog.Logger
	peerKey [32]byte
	capABI  *contracts.Capacity
	mktABI  *contracts.Market
	tokABI  *contracts.TestUSD
	pSubmit common.Hash // ProofSubmitted topic
	pWin    common.Hash // UnitSucceeded topic

	sender atomic.Pointer[txsend.Sender]
	sched  *sched
	meter  *Meter

	ctx     context.Context
	cancel  context.CancelFunc
	stop    chan struct{}
	kick    chan struct{}
	wg      sync.WaitGroup
	started atomic.Bool
	closed  sync.Once

	mu sync.Mutex
	st pstate
}

type pstate struct {
	phase   string
	lastErr string
	errAt   time.Time

	addrs      contracts.Addresses
	unitIDs    [][32]byte
	registered bool
	epochDur   time.Duration
	init       time.Time
	epoch      uint32
	nonce      [32]byte
	nonceEpoch uint32
	target     *big.Int
	min, max   uint32

	commitmentID uint64
	commitment   CommitmentSnapshot
	units        []unitState

	found, submitted, confirmed, dropped uint64
	recent                               []ProofRecord

	scanned   uint64
	netEpoch  uint32
	netUnits  map[[32]byte]uint32
	netRecent []NetworkProof

	wallet      WalletSnapshot
	startNative *big.Int
	startToken  *big.Int
	lastWallet  time.Time
	rewardEpoch uint32
	rewardAcc   *big.Int
	gasEpoch    uint32
	gasSpent    *big.Int
	gasSpentEp  *big.Int
	gasUsed     uint64
	txs         []TxRecord
}

type unitState struct {
	epoch     uint32 // the epoch the counters are for
	submitted uint32
	confirmed uint32
	chain     contracts.CapacityUnitView
}

// New returns a Provider proving with signer's account on ch. Call Start to run it.
func New(ch Chain, signer txsend.Signer, opts ...Option) (*Provider, error) {
	cfg := config{
		units:       2,
		threads:     runtime.GOMAXPROCS(0),
		duration:    1000,
		autoRenew:   true,
		batchMax:    8,
		batchWait:   2 * time.Second,
		log:         slog.New(slog.DiscardHandler),
		walletEvery: 2 * time.Second,
		txTimeout:   2 * time.Minute,
		duty:        1,
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("prover: %w", err)
		}
	}
	if ch == nil || signer == nil {
		return nil, errors.New("prover: nil chain or signer")
	}
	if len(cfg.peerID) == 0 {
		return nil, errors.New("prover: WithPeerID is required")
	}
	p := &Provider{
		ch:      ch,
		signer:  signer,
		cfg:     cfg,
		log:     cfg.log,
		peerKey: PeerKey(cfg.peerID),
		capABI:  contracts.NewCapacity(),
		mktABI:  contracts.NewMarket(),
		tokABI:  contracts.NewTestUSD(),
		stop:    make(chan struct{}),
		kick:    make(chan struct{}, 1),
	}
	p.pSubmit = p.capABI.GetABI().Events["ProofSubmitted"].ID
	p.pWin = p.capABI.GetABI().Events["UnitSucceeded"].ID
	p.st.unitIDs = unitIDs(p.peerKey, cfg.units)
	p.st.units = make([]unitState, cfg.units)
	p.st.phase = PhaseWaitingChain
	p.st.netUnits = map[[32]byte]uint32{}
	p.st.gasSpent, p.st.gasSpentEp, p.st.rewardAcc = new(big.Int), new(big.Int), new(big.Int)
	p.sched = newSched(p.st.unitIDs)
	p.meter = NewMeter(maxUnits, 60, 10)
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p, nil
}

func unitIDs(peer [32]byte, n int) [][32]byte {
	ids := make([][32]byte, n)
	for i := range ids {
		ids[i] = contracts.UnitID(peer, uint32(i))
	}
	return ids
}

// PeerKey is the on-chain id of a peer: the 32-byte Ed25519 public key inside a libp2p peer id
// (an identity multihash, as Fluence stores peer ids), or keccak256 of any other id bytes.
func PeerKey(id []byte) [32]byte {
	// identity multihash (0x00, length 0x24) of a protobuf PublicKey {Type: Ed25519 (0x08 0x01),
	// Data: 32 bytes (0x12 0x20)}
	if len(id) == 38 && id[0] == 0x00 && id[1] == 0x24 && id[2] == 0x08 && id[3] == 0x01 && id[4] == 0x12 && id[5] == 0x20 {
		var k [32]byte
		copy(k[:], id[6:])
		return k
	}
	return crypto.Keccak256Hash(id)
}

// Address is the provider's account.
func (p *Provider) Address() common.Address { return p.signer.Address() }

// PeerKey is the peer's on-chain id.
func (p *Provider) PeerKey() [32]byte { return p.peerKey }

// UnitIDs are the peer's compute unit ids.
func (p *Provider) UnitIDs() [][32]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][32]byte(nil), p.st.unitIDs...)
}

// Start launches the provider and returns at once; registration, the commitment and proving
// happen in the background and show in the snapshots. It runs until Close (ctx is not kept).
func (p *Provider) Start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !p.started.CompareAndSwap(false, true) {
		return errors.New("prover: already started")
	}
	workers := min(p.cfg.threads, p.cfg.units)
	p.wg.Add(3 + workers)
	go p.control()
	go p.submitLoop()
	go p.sampleLoop()
	for range workers {
		go p.worker()
	}
	p.log.Info("provider started", "address", p.Address().Hex(), "peer", common.Hash(p.peerKey).Hex(),
		"units", p.cfg.units, "workers", workers)
	return nil
}

// Close stops proving and waits for the goroutines. Transactions in flight are abandoned (they
// may still be mined).
func (p *Provider) Close() error {
	p.closed.Do(func() {
		p.cancel()
		close(p.stop)
		p.sched.stopJob()
		p.wg.Wait()
		p.setPhase(PhaseStopped)
	})
	return nil
}

// Refresh asks the controller to re-read the chain now.
func (p *Provider) Refresh() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *Provider) worker() {
	defer p.wg.Done()
	s := newSearcher()
	for {
		u, task, gen, ok := p.sched.acquire(p.stop)
		if !ok {
			return
		}
		s.start(&task)
		throttled := p.cfg.duty > 0 && p.cfg.duty < 1 // 0: not configured, full speed
		for {
			var t0 time.Time
			if throttled {
				t0 = time.Now()
			}
			n, found := s.round(RoundSize)
			p.meter.Add(u, uint64(n))
			if throttled {
				p.pause(time.Since(t0))
			}
			if found {
				p.sched.release(u, gen, &foundProof{Unit: u, UnitID: task.UnitID, LocalNonce: s.localNonce(), Hash: s.hash(), At: time.Now()})
				break
			}
			if p.sched.gen.Load() != gen {
				p.sched.release(u, gen, nil)
				break
			}
		}
	}
}

// pause sleeps after a round that took d, so the worker is busy only the duty-cycle fraction of
// the time; Close cuts it short.
func (p *Provider) pause(d time.Duration) {
	t := time.NewTimer(time.Duration(float64(d) * (1 - p.cfg.duty) / p.cfg.duty))
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.stop:
	}
}

func (p *Provider) sampleLoop() {
	defer p.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	p.meter.Sample(time.Now())
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			p.meter.Sample(now)
		}
	}
}

// control follows the chain and drives registration, the commitment and the epochs.
func (p *Provider) control() {
	defer p.wg.Done()
	select {
	case <-p.ch.Ready():
	case <-p.stop:
		return
	}
	backoff := time.Second
	for {
		head := p.ch.HeadChanged()
		err := p.step(p.ctx)
		if p.ctx.Err() != nil {
			return
		}
		wait := 5 * time.Second
		if err != nil {
			p.setError(err)
			wait = backoff
			backoff = min(2*backoff, 30*time.Second)
			head = nil // during backoff, don't wake on every head
		} else {
			backoff = time.Second
		}
		select {
		case <-p.stop:
			return
		case <-head:
		case <-p.kick:
		case <-time.After(wait):
		}
	}
}

// call runs a read-only contract call.
func call[T any](ctx context.Context, c *ethclient.Client, to common.Address, data []byte, unpack func([]byte) (T, error)) (T, error) {
	var zero T
	out, err := c.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		return zero, contracts.NewDecoder().FromRPC(err)
	}
	return unpack(out)
}

func (p *Provider) transact(ctx context.Context, label string, to common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.txTimeout)
	defer cancel()
	return p.sender.Load().Transact(ctx, txsend.Call{Label: label, To: &to, Data: data, Value: value})
}

// step is one pass of the controller.
func (p *Provider) step(ctx context.Context) error {
	cl := p.ch.Client()
	if p.sender.Load() == nil {
		addrs, err := p.ch.Contracts()
		if err != nil {
			p.setPhase(PhaseNoContracts)
			return err
		}
		id := p.ch.ChainID()
		if id == nil {
			return errors.New("chain id unknown")
		}
		opts := append([]txsend.Option{
			txsend.WithDecoder(contracts.NewDecoder()),
			txsend.WithObserver(p.onTx),
			txsend.WithLogger(p.log),
		}, p.cfg.txOpts...)
		s, err := txsend.New(cl, p.signer, id, opts...)
		if err != nil {
			return err
		}
		p.mu.Lock()
		p.st.addrs = addrs
		p.mu.Unlock()
		p.sender.Store(s)
	}
	addrs := p.addresses()
	capAddr := addrs.Capacity

	ep, err := call(ctx, cl, capAddr, p.capABI.PackEpochParams(), p.capABI.UnpackEpochParams)
	if err != nil {
		return fmt.Errorf("reading epoch parameters: %w", err)
	}
	p.mu.Lock()
	p.st.epochDur = time.Duration(ep.Duration.Uint64()) * time.Second
	p.st.init = time.Unix(ep.Init.Int64(), 0)
	p.mu.Unlock()

	if err := p.ensureRegistered(ctx, cl, capAddr); err != nil {
		return err
	}
	id, err := p.ensureCommitment(ctx, cl, capAddr)
	if err != nil || id == 0 {
		return err
	}
	info, err := call(ctx, cl, capAddr, p.capABI.PackCommitmentInfo(id), p.capABI.UnpackCommitmentInfo)
	if err != nil {
		return fmt.Errorf("reading commitment %d: %w", id, err)
	}
	p.setCommitment(id, info)

	switch info.Status {
	case contracts.StatusWaitStart:
		p.sched.stopJob()
		p.setPhase(PhaseWaitingStart)
	case contracts.StatusActive:
		if ep.NonceEpoch < ep.Epoch {
			if _, err := p.transact(ctx, "advanceEpoch", capAddr, p.capABI.PackAdvanceEpoch(), nil); err != nil && !txsend.IsRevert(err) {
				return fmt.Errorf("advancing the epoch: %w", err)
			}
			if ep, err = call(ctx, cl, capAddr, p.capABI.PackEpochParams(), p.capABI.UnpackEpochParams); err != nil {
				return fmt.Errorf("reading epoch parameters: %w", err)
			}
		}
		if err := p.prove(ctx, cl, capAddr, ep); err != nil {
			return err
		}
	case contracts.StatusInactive, contracts.StatusFailed:
		p.sched.stopJob()
		if !p.cfg.autoRenew {
			if info.Status == contracts.StatusFailed {
				p.setPhase(PhaseWaitingFailure)
			} else {
				p.setPhase(PhaseEnded)
			}
			break
		}
		p.setPhase(PhaseRenewing)
		p.log.Info("commitment ended; finishing it to renew", "commitment", id, "status", contracts.StatusName(info.Status))
		if _, err := p.transact(ctx, "finish", capAddr, p.capABI.PackFinish(id), nil); err != nil {
			return fmt.Errorf("finishing commitment %d: %w", id, err)
		}
		p.mu.Lock()
		p.st.commitmentID = 0
		p.mu.Unlock()
		p.Refresh()
	case contracts.StatusFinished:
		p.sched.stopJob()
		p.mu.Lock()
		p.st.commitmentID = 0
		p.mu.Unlock()
		p.Refresh()
	}
	p.updateEpoch(ep)
	if err := p.scanNetwork(ctx, cl, capAddr); err != nil {
		p.log.Debug("scanning proofs", "error", err)
	}
	p.mu.Lock()
	due := time.Since(p.st.lastWallet) >= p.cfg.walletEvery
	p.mu.Unlock()
	if due {
		if err := p.refreshWallet(ctx, cl, addrs); err != nil {
			return fmt.Errorf("reading balances: %w", err)
		}
	}
	p.clearError()
	return nil
}

func (p *Provider) addresses() contracts.Addresses {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st.addrs
}

// ensureRegistered registers the peer and its units, or adopts an existing registration.
func (p *Provider) ensureRegistered(ctx context.Context, cl *ethclient.Client, capAddr common.Address) error {
	p.mu.Lock()
	done := p.st.registered
	p.mu.Unlock()
	if done {
		return nil
	}
	info, err := call(ctx, cl, capAddr, p.capABI.PackPeerInfo(p.peerKey), p.capABI.UnpackPeerInfo)
	if err != nil {
		return fmt.Errorf("reading the peer: %w", err)
	}
	switch {
	case info.Owner == (common.Address{}):
		p.setPhase(PhaseRegistering)
		if _, err := p.transact(ctx, "registerPeer", capAddr, p.capABI.PackRegisterPeer(p.peerKey, uint32(p.cfg.units)), nil); err != nil {
			return p.fundsHint(fmt.Errorf("registering the peer: %w", err))
		}
		p.log.Info("peer registered", "peer", common.Hash(p.peerKey).Hex(), "units", p.cfg.units)
	case info.Owner != p.Address():
		p.setPhase(PhaseForeignPeer)
		return fmt.Errorf("%w (%s)", ErrForeignPeer, info.Owner.Hex())
	case int(info.UnitCount) != p.cfg.units:
		p.log.Warn("the peer is registered with another unit count; proving the registered units",
			"registered", info.UnitCount, "configured", p.cfg.units)
		p.adoptUnits(int(info.UnitCount))
	}
	p.mu.Lock()
	p.st.registered = true
	p.st.commitmentID = info.CommitmentId
	p.mu.Unlock()
	return nil
}

// ensureCommitment returns the peer's commitment, creating one if there is none.
func (p *Provider) ensureCommitment(ctx context.Context, cl *ethclient.Client, capAddr common.Address) (uint64, error) {
	p.mu.Lock()
	id := p.st.commitmentID
	p.mu.Unlock()
	if id != 0 {
		return id, nil
	}
	info, err := call(ctx, cl, capAddr, p.capABI.PackPeerInfo(p.peerKey), p.capABI.UnpackPeerInfo)
	if err != nil {
		return 0, fmt.Errorf("reading the peer: %w", err)
	}
	if info.CommitmentId == 0 {
		p.setPhase(PhaseCommitting)
		perUnit, err := call(ctx, cl, capAddr, p.capABI.PackCollateralPerUnit(), p.capABI.UnpackCollateralPerUnit)
		if err != nil {
			return 0, err
		}
		value := new(big.Int).Mul(perUnit, big.NewInt(int64(info.UnitCount)))
		r, err := p.transact(ctx, "createCommitment", capAddr, p.capABI.PackCreateCommitment(p.peerKey, p.cfg.duration), value)
		if err != nil {
			return 0, p.fundsHint(fmt.Errorf("creating the commitment: %w", err))
		}
		for _, l := range r.Logs {
			if ev, err := p.capABI.UnpackCommitmentCreatedEvent(l); err == nil {
				info.CommitmentId = ev.CommitmentId
				p.log.Info("commitment created", "commitment", ev.CommitmentId, "start_epoch", ev.StartEpoch,
					"end_epoch", ev.EndEpoch, "collateral_wei", ev.Collateral.String())
			}
		}
	}
	p.mu.Lock()
	p.st.commitmentID = info.CommitmentId
	p.mu.Unlock()
	return info.CommitmentId, nil
}

// adoptUnits switches to the unit count the peer is registered with (before proving starts).
func (p *Provider) adoptUnits(n int) {
	ids := unitIDs(p.peerKey, n)
	p.sched.reset(ids)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.unitIDs = ids
	p.st.units = make([]unitState, n)
}

func (p *Provider) fundsHint(err error) error {
	if err != nil && containsFold(err.Error(), "insufficient funds") {
		p.setPhase(PhaseWaitingFunds)
		return fmt.Errorf("%w: send native coins to %s", err, p.Address().Hex())
	}
	return err
}

// prove reads the units and (re)starts the workers when the epoch or its parameters changed.
func (p *Provider) prove(ctx context.Context, cl *ethclient.Client, capAddr common.Address, ep contracts.EpochParamsOutput) error {
	ids := p.UnitIDs()
	views, err := call(ctx, cl, capAddr, p.capABI.PackUnitStates(ids), p.capABI.UnpackUnitStates)
	if err != nil {
		return fmt.Errorf("reading the units: %w", err)
	}
	counts := make([]uint32, len(ids))
	active := make([]bool, len(ids))
	anyActive := false
	p.mu.Lock()
	for i, v := range views {
		u := &p.st.units[i]
		if u.epoch != ep.Epoch {
			*u = unitState{epoch: ep.Epoch}
		}
		u.chain = v
		u.confirmed = max(u.confirmed, v.ProofsThisEpoch)
		counts[i] = v.ProofsThisEpoch
		active[i] = v.DealId == 0
		anyActive = anyActive || active[i]
	}
	p.mu.Unlock()
	if !anyActive {
		p.sched.stopJob()
		p.setPhase(PhaseInDeal)
		return nil
	}
	if ep.NonceEpoch != ep.Epoch {
		p.sched.stopJob()
		p.setPhase(PhaseWaitingEpoch)
		return nil
	}
	next := job{epoch: ep.Epoch, nonce: ep.Nonce, target: TargetBytes(ep.Target), max: ep.MaxProofs}
	cur, running := p.sched.current()
	if !running || cur != next || !sameActive(p.sched, active) {
		if !running || cur.epoch != next.epoch {
			p.log.Info("proving epoch", "epoch", ep.Epoch, "nonce", common.Hash(ep.Nonce).Hex(), "target_bits",
				fmt.Sprintf("%.1f", contracts.TargetBits(ep.Target)), "min", ep.MinProofs, "max", ep.MaxProofs)
		}
		p.sched.setJob(next, counts, active)
	} else {
		p.sched.floor(counts)
	}
	p.setPhase(PhaseProving)
	return nil
}

func sameActive(s *sched, active []bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, a := range active {
		if i < len(s.units) && s.units[i].active != a {
			return false
		}
	}
	return true
}

func (p *Provider) updateEpoch(ep contracts.EpochParamsOutput) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ep.Epoch != p.st.epoch {
		p.st.epoch = ep.Epoch
	}
	p.st.nonce, p.st.nonceEpoch = ep.Nonce, ep.NonceEpoch
	p.st.target = ep.Target
	p.st.min, p.st.max = ep.MinProofs, ep.MaxProofs
}

func (p *Provider) setCommitment(id uint64, v contracts.CapacityCommitmentView) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var success uint32
	for _, u := range p.st.units {
		success += u.chain.SuccessEpochs
	}
	p.st.commitment = CommitmentSnapshot{
		ID: id, Status: contracts.StatusName(v.Status), StatusCode: v.Status, StartEpoch: v.StartEpoch, EndEpoch: v.EndEpoch,
		SuccessEpochs: success, FailCount: v.FailCount, FailLimit: v.FailLimit,
		Collateral: v.Collateral, Slashed: v.Slashed, Rewards: v.Rewards,
	}
}

// scanNetwork reads ProofSubmitted events since the last scan.
func (p *Provider) scanNetwork(ctx context.Context, cl *ethclient.Client, capAddr common.Address) error {
	head := p.ch.State().Head
	p.mu.Lock()
	from := p.st.scanned + 1
	if p.st.scanned == 0 && head > 256 {
		from = head - 256
	}
	p.mu.Unlock()
	if head < from {
		return nil
	}
	to := min(head, from+1999)
	logs, err := cl.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{capAddr}, Topics: [][]common.Hash{{p.pSubmit}},
	})
	if err != nil {
		return err
	}
	mine := map[[32]byte]bool{}
	for _, id := range p.UnitIDs() {
		mine[id] = true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range logs {
		ev, err := p.capABI.UnpackProofSubmittedEvent(&logs[i])
		if err != nil {
			continue
		}
		if ev.Epoch > p.st.netEpoch {
			p.st.netEpoch = ev.Epoch
			p.st.netUnits = map[[32]byte]uint32{}
		}
		if ev.Epoch == p.st.netEpoch {
			p.st.netUnits[ev.UnitId] = max(p.st.netUnits[ev.UnitId], ev.Count)
		}
		np := NetworkProof{Block: logs[i].BlockNumber, Tx: logs[i].TxHash, Epoch: ev.Epoch, CommitmentID: ev.CommitmentId,
			UnitID: ev.UnitId, Count: ev.Count, Mine: mine[ev.UnitId]}
		p.st.netRecent = prepend(p.st.netRecent, np, 32)
	}
	p.st.scanned = to
	return nil
}

func prepend[T any](s []T, v T, keep int) []T {
	s = append(s, v)
	copy(s[1:], s[:len(s)-1])
	s[0] = v
	if len(s) > keep {
		s = s[:keep]
	}
	return s
}

// refreshWallet reads balances, rewards and deals.
func (p *Provider) refreshWallet(ctx context.Context, cl *ethclient.Client, a contracts.Addresses) error {
	me := p.Address()
	native, err := cl.BalanceAt(ctx, me, nil)
	if err != nil {
		return err
	}
	token, err := call(ctx, cl, a.Token, p.tokABI.PackBalanceOf(me), p.tokABI.UnpackBalanceOf)
	if err != nil {
		return err
	}
	rw, err := call(ctx, cl, a.Capacity, p.capABI.PackRewardsOf(me), p.capABI.UnpackRewardsOf)
	if err != nil {
		return err
	}
	perEpoch, err := call(ctx, cl, a.Capacity, p.capABI.PackRewardPerUnitEpoch(), p.capABI.UnpackRewardPerUnitEpoch)
	if err != nil {
		return err
	}
	// deals of our units
	p.mu.Lock()
	var dealUnits = map[uint64][][32]byte{}
	for i, u := range p.st.units {
		if u.chain.DealId != 0 {
			dealUnits[u.chain.DealId] = append(dealUnits[u.chain.DealId], p.st.unitIDs[i])
		}
	}
	p.mu.Unlock()
	var deals []DealSnapshot
	for id, uids := range dealUnits {
		info, err := call(ctx, cl, a.Market, p.mktABI.PackDealInfo(id), p.mktABI.UnpackDealInfo)
		if err != nil {
			return err
		}
		d := DealSnapshot{ID: id, Status: contracts.DealStatusName(info.Status), Price: info.Price, OurUnits: len(uids),
			Workers: info.Workers, PaidThrough: info.PaidThrough, FundedThrough: info.FundedThrough, Balance: info.Balance, Earned: new(big.Int)}
		for _, uid := range uids {
			ud, err := call(ctx, cl, a.Market, p.mktABI.PackUnitDeal(uid), p.mktABI.UnpackUnitDeal)
			if err != nil {
				return err
			}
			d.Earned.Add(d.Earned, ud.Earned)
		}
		deals = append(deals, d)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.st.startNative == nil {
		p.st.startNative, p.st.startToken = native, token
	}
	w := &p.st.wallet
	w.Address = me
	w.Native, w.Token = native, token
	w.NativeDelta = new(big.Int).Sub(native, p.st.startNative)
	w.TokenDelta = new(big.Int).Sub(token, p.st.startToken)
	w.RewardPerUnitEpoch = perEpoch
	w.RewardsEarned, w.RewardsWithdrawn, w.RewardsWithdrawable = rw.Earned, rw.Withdrawn, rw.Withdrawable
	w.Deals = deals
	p.st.lastWallet = time.Now()
	w.At = p.st.lastWallet
	return nil
}

// onTx records our transactions (the sender's observer).
func (p *Provider) onTx(r txsend.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rec := TxRecord{Hash: r.Hash, Label: r.Label, Status: string(r.Status), GasUsed: r.GasUsed, Fee: r.Fee, Block: r.Block, At: r.SentAt, Err: r.Err}
	for i := range p.st.txs {
		if p.st.txs[i].Hash == r.Hash {
			rec.At = p.st.txs[i].At
			p.st.txs[i] = rec
			p.addGasLocked(r)
			return
		}
	}
	if rec.At.IsZero() {
		rec.At = r.MinedAt
	}
	p.st.txs = prepend(p.st.txs, rec, 32)
	p.addGasLocked(r)
}

func (p *Provider) addGasLocked(r txsend.Record) {
	if r.Status == txsend.StatusPending || r.Fee == nil {
		return
	}
	if p.st.gasEpoch != p.st.epoch {
		p.st.gasEpoch = p.st.epoch
		p.st.gasSpentEp = new(big.Int)
	}
	p.st.gasSpent = new(big.Int).Add(p.st.gasSpent, r.Fee)
	p.st.gasSpentEp = new(big.Int).Add(p.st.gasSpentEp, r.Fee)
	p.st.gasUsed += r.GasUsed
}

func (p *Provider) setPhase(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.phase = s
}

func (p *Provider) setError(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	msg := err.Error()
	if msg != p.st.lastErr {
		p.log.Warn("provider", "error", msg)
	}
	p.st.lastErr, p.st.errAt = msg, time.Now()
}

func (p *Provider) clearError() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.lastErr = ""
}

// WithdrawRewards withdraws the account's capacity rewards and returns the amount (wei).
func (p *Provider) WithdrawRewards(ctx context.Context) (*big.Int, error) {
	s := p.sender.Load()
	if s == nil {
		return nil, errors.New("prover: not connected yet")
	}
	a := p.addresses()
	r, err := s.Transact(ctx, txsend.Call{Label: "withdrawRewards", To: &a.Capacity, Data: p.capABI.PackWithdrawRewards()})
	if err != nil {
		return nil, err
	}
	for _, l := range r.Logs {
		if ev, err := p.capABI.UnpackRewardsWithdrawnEvent(l); err == nil {
			p.Refresh()
			return ev.Amount, nil
		}
	}
	return new(big.Int), nil
}
