package txsend_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/internal/chaintest"
	"github.com/reefhq/reef/wallet/txsend"
)

var dead = common.HexToAddress("0x000000000000000000000000000000000000dEaD")

func TestSendConcurrentNonces(t *testing.T) {
	c := chaintest.Start(t)
	var mu sync.Mutex
	var recs []txsend.Record
	s, err := txsend.New(c.Client(), chain.DevKey(5), c.ChainID(), txsend.WithPollInterval(10*time.Millisecond),
		txsend.WithObserver(func(r txsend.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Transact(ctx, txsend.Call{Label: "pay", To: &dead, Value: big.NewInt(int64(i + 1))})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	nonce, err := c.Client().NonceAt(ctx, chain.DevKey(5).Address(), nil)
	if err != nil || nonce != n {
		t.Fatalf("account nonce %d, %v; want %d", nonce, err, n)
	}
	bal, _ := c.Client().BalanceAt(ctx, dead, nil)
	if bal.Int64() != n*(n+1)/2 {
		t.Fatalf("balance %v", bal)
	}
	mu.Lock()
	defer mu.Unlock()
	mined := 0
	for _, r := range recs {
		if r.Status == txsend.StatusOK {
			mined++
			if r.Fee == nil || r.Fee.Sign() <= 0 || r.GasUsed != 21000 {
				t.Errorf("record %+v", r)
			}
		}
	}
	if mined != n || len(recs) != 2*n {
		t.Fatalf("%d records, %d mined", len(recs), mined)
	}
}

func TestNonceTooLowRetry(t *testing.T) {
	c := chaintest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := chaintest.Sender(t, c, chain.DevKey(6))
	b := chaintest.Sender(t, c, chain.DevKey(6)) // same account, its own nonce counter
	if _, err := a.Transact(ctx, txsend.Call{To: &dead, Value: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	// b has never read the nonce: it starts right. Now a's counter is stale after b sends.
	if _, err := b.Transact(ctx, txsend.Call{To: &dead, Value: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Transact(ctx, txsend.Call{To: &dead, Value: big.NewInt(1)}); err != nil {
		t.Fatalf("stale nonce not retried: %v", err)
	}
	if n, _ := c.Client().NonceAt(ctx, chain.DevKey(6).Address(), nil); n != 3 {
		t.Fatalf("nonce %d", n)
	}
}

func TestReplacementUnderpricedRetry(t *testing.T) {
	// blocks only every 30 s (or on Mine), so transactions stay pending
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := chain.OpenEmbedded(ctx, "", chain.WithBlockPeriod(30*time.Second), chain.WithDeployParams(chaintest.Params()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := chaintest.Sender(t, c, chain.DevKey(7))
	b := chaintest.Sender(t, c, chain.DevKey(7))
	if _, err := a.Send(ctx, txsend.Call{To: &dead, Value: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	b.ResetNonce()
	// b read the pending nonce (1) before a's second send; make its counter stale on purpose:
	if _, err := b.Send(ctx, txsend.Call{To: &dead, Value: big.NewInt(2)}); err != nil {
		t.Fatal(err)
	}
	// a still thinks 1 is next: same nonce, same price as b's pending one: "replacement
	// transaction underpriced", then a re-reads the pending nonce and sends with 2.
	tx, err := a.Send(ctx, txsend.Call{To: &dead, Value: big.NewInt(3)})
	if err != nil {
		t.Fatalf("underpriced replacement not retried: %v", err)
	}
	if tx.Nonce() != 2 {
		t.Fatalf("nonce %d, want 2", tx.Nonce())
	}
	if err := c.Mine(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Wait(ctx, tx, "third"); err != nil {
		t.Fatal(err)
	}
}

func TestRevertsExplained(t *testing.T) {
	c := chaintest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := chaintest.Sender(t, c, chain.DevKey(8)) // holds no tokens
	tok := contracts.NewTestUSD()
	token := c.Addresses().Token
	data := tok.PackTransfer(dead, big.NewInt(5))

	// found by estimation: nothing is sent
	_, err := s.Transact(ctx, txsend.Call{Label: "token transfer", To: &token, Data: data})
	var re *txsend.RevertError
	if !errors.As(err, &re) || re.Name != "ERC20InsufficientBalance" || re.TxHash != (common.Hash{}) {
		t.Fatalf("estimation revert: %v", err)
	}
	if re.Arg("needed").(*big.Int).Int64() != 5 || re.Arg("sender") != chain.DevKey(8).Address() {
		t.Fatalf("args %+v", re.Args)
	}
	if !strings.Contains(err.Error(), "token transfer reverted: ERC20InsufficientBalance(sender=0x") || !strings.Contains(err.Error(), "needed=5") {
		t.Fatalf("message %q", err)
	}
	if n, _ := c.Client().NonceAt(ctx, chain.DevKey(8).Address(), nil); n != 0 {
		t.Fatalf("a reverting call was sent (nonce %d)", n)
	}

	// mined and reverted (a fixed gas limit skips estimation): explained by replaying it
	r, err := s.Transact(ctx, txsend.Call{Label: "forced", To: &token, Data: data, Gas: 100_000})
	if !errors.As(err, &re) || re.Name != "ERC20InsufficientBalance" || re.TxHash == (common.Hash{}) || r == nil || r.Status != 0 {
		t.Fatalf("mined revert: %v (receipt %v)", err, r)
	}
	if !txsend.IsRevert(err, "ERC20InsufficientBalance") || txsend.IsRevert(err, "Other") {
		t.Fatal("IsRevert")
	}

	// out of gas
	_, err = s.Transact(ctx, txsend.Call{Label: "tiny", To: &token, Data: data, Gas: 23_000})
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "out of gas") {
		t.Fatalf("out of gas: %v", err)
	}

	// a read-only call explains too
	_, err = s.Call(ctx, c.Addresses().Capacity, contracts.NewCapacity().PackFinish(42))
	if !txsend.IsRevert(err, "UnknownCommitment") {
		t.Fatalf("call revert: %v", err)
	}
}

func TestDecoder(t *testing.T) {
	str, _ := abi.NewType("string", "", nil)
	u256, _ := abi.NewType("uint256", "", nil)
	errData, _ := abi.Arguments{{Type: str}}.Pack("boom")
	panicData, _ := abi.Arguments{{Type: u256}}.Pack(big.NewInt(0x11))
	d := contracts.NewDecoder()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"Error(string)", append([]byte{0x08, 0xc3, 0x79, 0xa0}, errData...), `reverted: "boom"`},
		{"Panic(uint256)", append([]byte{0x4e, 0x48, 0x7b, 0x71}, panicData...), "panic: arithmetic underflow or overflow"},
		{"custom", append(contracts.CapacityStaleEpochErrorID().Bytes()[:4], make([]byte, 64)...), "StaleEpoch(epoch=0, currentEpoch=0)"},
		{"unknown", []byte{1, 2, 3, 4}, "unknown error 0x01020304"},
		{"empty", nil, "no reason given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Decode(tt.data).Error(); !strings.Contains(got, tt.want) {
				t.Fatalf("%q does not contain %q", got, tt.want)
			}
		})
	}
	if err := d.FromRPC(errors.New("connection refused")); txsend.IsRevert(err) {
		t.Fatal("a network error is not a revert")
	}
}
