// Package txsend sends transactions for one account: a nonce manager (one mutex-guarded counter
// seeded from the pending nonce), EIP-1559 fees (legacy on chains without a base fee), gas
// estimation with headroom, receipt waiting, retries on "nonce too low" and "replacement
// transaction underpriced", and reverts explained with the contract's reason string or custom
// error (see Decoder).
//
// A Sender is safe for concurrent use; transactions from one Sender get consecutive nonces in
// the order Send is called.
package txsend

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// Signer signs transactions for one account (wallet.Key is one).
type Signer interface {
	Address() common.Address
	SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error)
}

// Backend is the part of an Ethereum client a Sender uses; *ethclient.Client satisfies it.
type Backend interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	SuggestGasPrice(ctx context.Context) (*big.Int, error)
	EstimateGas(ctx context.Context, call ethereum.CallMsg) (uint64, error)
	CallContract(ctx context.Context, call ethereum.CallMsg, blockNumber *big.Int) ([]byte, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// Call is one transaction to send.
type Call struct {
	Label string          // what it is, for errors, logs and the history ("submitProofs")
	To    *common.Address // nil creates a contract from Data
	Data  []byte
	Value *big.Int // nil: zero
	Gas   uint64   // 0: estimate, then add the headroom
}

// Status of a transaction in a Record.
type Status string

const (
	StatusPending  Status = "pending"
	StatusOK       Status = "ok"
	StatusReverted Status = "reverted"
)

// Record describes one sent transaction; observers get one when it is sent and one when it is
// mined.
type Record struct {
	Hash    common.Hash
	Label   string
	Nonce   uint64
	Status  Status
	Gas     uint64   // gas limit
	GasUsed uint64   // when mined
	Fee     *big.Int // gas used × effective gas price, when mined
	Block   uint64   // when mined
	SentAt  time.Time
	MinedAt time.Time
	Err     string // the revert, explained
}

// Sender sends transactions for one Signer.
type Sender struct {
	b        Backend
	signer   Signer
	chainID  *big.Int
	headroom float64
	poll     time.Duration
	retries  int
	dec      *Decoder
	log      *slog.Logger
	observe  func(Record)

	mu    sync.Mutex // held across sign and send, so nonces go out in order
	next  uint64
	valid bool
}

// Option configures New.
type Option func(*Sender) error

// WithGasHeadroom multiplies estimated gas by f (at least 1). Default 1.25.
func WithGasHeadroom(f float64) Option {
	return func(s *Sender) error {
		if f < 1 || f > 10 {
			return fmt.Errorf("gas headroom %v: want 1 to 10", f)
		}
		s.headroom = f
		return nil
	}
}

// WithPollInterval sets how often Wait asks for a receipt. Default 200 ms.
func WithPollInterval(d time.Duration) Option {
	return func(s *Sender) error {
		if d <= 0 {
			return fmt.Errorf("poll interval %v: want > 0", d)
		}
		s.poll = d
		return nil
	}
}

// WithRetries sets how many times Send re-signs with a fresh nonce after "nonce too low" or
// "replacement transaction underpriced". Default 3.
func WithRetries(n int) Option {
	return func(s *Sender) error {
		if n < 0 {
			return fmt.Errorf("retries %d: want >= 0", n)
		}
		s.retries = n
		return nil
	}
}

// WithDecoder explains reverts with these contracts' errors. Default: only Error(string) and
// Panic(uint256).
func WithDecoder(d *Decoder) Option {
	return func(s *Sender) error {
		s.dec = d
		return nil
	}
}

// WithLogger logs sends, receipts and retries (hashes, labels, nonces; never keys or call data).
// Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(s *Sender) error {
		if l == nil {
			return errors.New("nil logger")
		}
		s.log = l
		return nil
	}
}

// WithObserver calls f with a Record when a transaction is sent and when it is mined. f must
// not block.
func WithObserver(f func(Record)) Option {
	return func(s *Sender) error {
		s.observe = f
		return nil
	}
}

// New returns a Sender for signer on the chain chainID.
func New(b Backend, signer Signer, chainID *big.Int, opts ...Option) (*Sender, error) {
	if b == nil || signer == nil || chainID == nil {
		return nil, errors.New("txsend: nil backend, signer or chain id")
	}
	s := &Sender{
		b:        b,
		signer:   signer,
		chainID:  new(big.Int).Set(chainID),
		headroom: 1.25,
		poll:     200 * time.Millisecond,
		retries:  3,
		dec:      NewDecoder(),
		log:      slog.New(slog.DiscardHandler),
		observe:  func(Record) {},
	}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, fmt.Errorf("txsend: %w", err)
		}
	}
	return s, nil
}

// Address is the sending account.
func (s *Sender) Address() common.Address { return s.signer.Address() }

// ChainID is the chain the Sender signs for.
func (s *Sender) ChainID() *big.Int { return new(big.Int).Set(s.chainID) }

// Decoder is the revert decoder in use.
func (s *Sender) Decoder() *Decoder { return s.dec }

// ResetNonce makes the next Send read the pending nonce from the chain again.
func (s *Sender) ResetNonce() {
	s.mu.Lock()
	s.valid = false
	s.mu.Unlock()
}

// Transact sends c and waits for its receipt. A revert, found by estimation or after mining, is
// a *RevertError.
func (s *Sender) Transact(ctx context.Context, c Call) (*types.Receipt, error) {
	tx, err := s.Send(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.Wait(ctx, tx, c.Label)
}

// Deploy creates a contract from bytecode followed by the packed constructor arguments and
// waits for it.
func (s *Sender) Deploy(ctx context.Context, label string, bytecode, ctorArgs []byte) (common.Address, *types.Receipt, error) {
	data := append(append([]byte{}, bytecode...), ctorArgs...)
	tx, err := s.Send(ctx, Call{Label: label, Data: data})
	if err != nil {
		return common.Address{}, nil, err
	}
	r, err := s.Wait(ctx, tx, label)
	if err != nil {
		return common.Address{}, nil, err
	}
	addr := r.ContractAddress
	if addr == (common.Address{}) {
		addr = crypto.CreateAddress(s.Address(), tx.Nonce())
	}
	return addr, r, nil
}

// Call runs a read-only call from the Sender's address against the latest block; reverts are
// explained.
func (s *Sender) Call(ctx context.Context, to common.Address, data []byte) ([]byte, error) {
	out, err := s.b.CallContract(ctx, ethereum.CallMsg{From: s.Address(), To: &to, Data: data}, nil)
	return out, s.dec.FromRPC(err)
}

// Send estimates gas (a revert here is returned as a *RevertError and nothing is sent), prices
// the transaction, signs it with the next nonce and sends it.
func (s *Sender) Send(ctx context.Context, c Call) (*types.Transaction, error) {
	value := c.Value
	if value == nil {
		value = new(big.Int)
	}
	head, err := s.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: reading the head: %w", c.labelOr(), err)
	}
	gas := c.Gas
	if gas == 0 {
		est, err := s.b.EstimateGas(ctx, ethereum.CallMsg{From: s.Address(), To: c.To, Data: c.Data, Value: value})
		if err != nil {
			err = s.dec.FromRPC(err)
			var re *RevertError
			if errors.As(err, &re) {
				re.Label = c.labelOr()
				return nil, re
			}
			return nil, fmt.Errorf("%s: estimating gas: %w", c.labelOr(), err)
		}
		gas = uint64(float64(est) * s.headroom)
		if gas < est+5000 {
			gas = est + 5000
		}
		if head.GasLimit > 0 && gas > head.GasLimit {
			gas = max(est, head.GasLimit)
		}
	}
	mk, err := s.pricer(ctx, head)
	if err != nil {
		return nil, fmt.Errorf("%s: pricing: %w", c.labelOr(), err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if !s.valid {
			n, err := s.b.PendingNonceAt(ctx, s.Address())
			if err != nil {
				return nil, fmt.Errorf("%s: reading the nonce: %w", c.labelOr(), err)
			}
			s.next, s.valid = n, true
		}
		nonce := s.next
		tx, err := s.signer.SignTx(mk(nonce, gas, c.To, value, c.Data), s.chainID)
		if err != nil {
			return nil, fmt.Errorf("%s: signing: %w", c.labelOr(), err)
		}
		err = s.b.SendTransaction(ctx, tx)
		kind := classify(err)
		if err == nil || kind == errKnown {
			s.next = nonce + 1
			s.log.Debug("tx sent", "label", c.labelOr(), "hash", tx.Hash().Hex(), "nonce", nonce, "gas", gas)
			s.observe(Record{Hash: tx.Hash(), Label: c.labelOr(), Nonce: nonce, Status: StatusPending, Gas: gas, SentAt: time.Now()})
			return tx, nil
		}
		if (kind == errNonceLow || kind == errUnderpriced) && attempt < s.retries {
			pending, perr := s.b.PendingNonceAt(ctx, s.Address())
			if perr != nil {
				s.valid = false
				return nil, fmt.Errorf("%s: %w (and re-reading the nonce: %v)", c.labelOr(), err, perr)
			}
			s.next = max(pending, nonce+1)
			s.log.Debug("tx nonce retry", "label", c.labelOr(), "nonce", nonce, "next", s.next, "error", err)
			continue
		}
		// The transaction may or may not have reached the pool: read the nonce again next time.
		s.valid = false
		return nil, fmt.Errorf("%s: sending: %w", c.labelOr(), err)
	}
}

type makeTx func(nonce, gas uint64, to *common.Address, value *big.Int, data []byte) *types.Transaction

// pricer returns a builder of EIP-1559 transactions (fee cap 2 × base fee + tip), or legacy ones
// on chains without a base fee.
func (s *Sender) pricer(ctx context.Context, head *types.Header) (makeTx, error) {
	if head.BaseFee == nil {
		price, err := s.b.SuggestGasPrice(ctx)
		if err != nil {
			return nil, err
		}
		return func(nonce, gas uint64, to *common.Address, value *big.Int, data []byte) *types.Transaction {
			return types.NewTx(&types.LegacyTx{Nonce: nonce, GasPrice: price, Gas: gas, To: to, Value: value, Data: data})
		}, nil
	}
	tip, err := s.b.SuggestGasTipCap(ctx)
	if err != nil || tip == nil {
		tip = big.NewInt(params.GWei)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	return func(nonce, gas uint64, to *common.Address, value *big.Int, data []byte) *types.Transaction {
		return types.NewTx(&types.DynamicFeeTx{
			ChainID: s.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Value: value, Data: data,
		})
	}, nil
}

// Wait polls for tx's receipt until it is mined or ctx ends. A reverted transaction is replayed
// with eth_call at its block to explain it, and returned as a *RevertError with the receipt.
func (s *Sender) Wait(ctx context.Context, tx *types.Transaction, label string) (*types.Receipt, error) {
	if label == "" {
		label = "transaction"
	}
	t := time.NewTicker(s.poll)
	defer t.Stop()
	var lastErr error
	for {
		r, err := s.b.TransactionReceipt(ctx, tx.Hash())
		if err == nil && r != nil {
			if err := s.waitHead(ctx, r.BlockNumber, t.C); err != nil {
				return nil, fmt.Errorf("%s: tx %s mined in block %v: %w", label, tx.Hash().Hex(), r.BlockNumber, err)
			}
			return s.mined(ctx, tx, label, r)
		}
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return nil, fmt.Errorf("%s: waiting for tx %s: %w (last error: %v)", label, tx.Hash().Hex(), ctx.Err(), lastErr)
			}
			return nil, fmt.Errorf("%s: waiting for tx %s: %w", label, tx.Hash().Hex(), ctx.Err())
		case <-t.C:
		}
	}
}

// waitHead waits until the node's latest block is at least block. go-ethereum serves a
// receipt a moment before it moves its head to the receipt's block, so a read or a gas
// estimate made right after Wait could otherwise see the state before the transaction.
func (s *Sender) waitHead(ctx context.Context, block *big.Int, tick <-chan time.Time) error {
	if block == nil {
		return nil
	}
	for {
		h, err := s.b.HeaderByNumber(ctx, nil)
		if err == nil && h.Number.Cmp(block) >= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the chain's head to reach it: %w", ctx.Err())
		case <-tick:
		}
	}
}

func (s *Sender) mined(ctx context.Context, tx *types.Transaction, label string, r *types.Receipt) (*types.Receipt, error) {
	rec := Record{
		Hash: tx.Hash(), Label: label, Nonce: tx.Nonce(), Gas: tx.Gas(), GasUsed: r.GasUsed,
		Block: r.BlockNumber.Uint64(), MinedAt: time.Now(), Status: StatusOK,
	}
	if r.EffectiveGasPrice != nil {
		rec.Fee = new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
	}
	if r.Status == types.ReceiptStatusSuccessful {
		s.log.Debug("tx mined", "label", label, "hash", tx.Hash().Hex(), "block", rec.Block, "gas_used", r.GasUsed)
		s.observe(rec)
		return r, nil
	}
	re := s.explain(ctx, tx, r)
	re.Label, re.TxHash, re.Block = label, tx.Hash(), rec.Block
	rec.Status, rec.Err = StatusReverted, re.Error()
	s.log.Debug("tx reverted", "label", label, "hash", tx.Hash().Hex(), "block", rec.Block, "reason", re.Name)
	s.observe(rec)
	return r, re
}

// explain replays a reverted transaction at its block.
func (s *Sender) explain(ctx context.Context, tx *types.Transaction, r *types.Receipt) *RevertError {
	if r.GasUsed >= tx.Gas() {
		return &RevertError{Reason: fmt.Sprintf("out of gas (limit %d)", tx.Gas())}
	}
	msg := ethereum.CallMsg{From: s.Address(), To: tx.To(), Data: tx.Data(), Value: tx.Value(), Gas: tx.Gas()}
	_, err := s.b.CallContract(ctx, msg, r.BlockNumber)
	var re *RevertError
	if errors.As(s.dec.FromRPC(err), &re) {
		return re
	}
	return &RevertError{Reason: "reverted on chain (the replay at its block did not revert)"}
}

func (c Call) labelOr() string {
	if c.Label != "" {
		return c.Label
	}
	if c.To == nil {
		return "deploy"
	}
	return "transaction"
}

type errKind int

const (
	errOther errKind = iota
	errNonceLow
	errUnderpriced
	errKnown
)

// classify recognises txpool errors by message: they cross JSON-RPC as strings.
func classify(err error) errKind {
	if err == nil {
		return errOther
	}
	m := strings.ToLower(err.Error())
	switch {
	case strings.Contains(m, "nonce too low"):
		return errNonceLow
	case strings.Contains(m, "replacement transaction underpriced"), strings.Contains(m, "replacement underpriced"):
		return errUnderpriced
	case strings.Contains(m, "already known"), strings.Contains(m, "known transaction"):
		return errKnown
	}
	return errOther
}
