package provider

import (
	"context"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/prover"
)

// balanceEvery is how often a node that does not prove reads its account's balances.
const balanceEvery = 2 * time.Second

// balances reads one account's native and TestUSD balances in the background, for the
// "wallet" section of a node that does not prove. Failures keep the last values (the "chain"
// section says the endpoint is down).
type balances struct {
	ch   *chain.Chain
	addr common.Address
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	mu sync.Mutex
	st prover.WalletStatus
}

func newBalances(ch *chain.Chain, addr common.Address) *balances {
	b := &balances{ch: ch, addr: addr, stop: make(chan struct{}),
		st: prover.WalletStatus{Address: addr.Hex(), Balance: "0", TokenBalance: "0"}}
	b.wg.Add(1)
	go b.loop()
	return b
}

func (b *balances) loop() {
	defer b.wg.Done()
	select {
	case <-b.ch.Ready():
	case <-b.stop:
		return
	}
	for {
		b.read()
		select {
		case <-b.stop:
			return
		case <-time.After(balanceEvery):
		}
	}
}

func (b *balances) read() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-b.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	cl := b.ch.Client()
	bal, err := cl.BalanceAt(ctx, b.addr, nil)
	if err != nil {
		return
	}
	b.mu.Lock()
	b.st.Balance = bal.String()
	b.mu.Unlock()
	token := b.ch.Addresses().Token
	if token == (common.Address{}) {
		return
	}
	tok := contracts.NewTestUSD()
	out, err := cl.CallContract(ctx, ethereum.CallMsg{To: &token, Data: tok.PackBalanceOf(b.addr)}, nil)
	if err != nil {
		return
	}
	if v, err := tok.UnpackBalanceOf(out); err == nil {
		b.mu.Lock()
		b.st.TokenBalance = v.String()
		b.mu.Unlock()
	}
}

func (b *balances) status() prover.WalletStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.st
}

func (b *balances) close() {
	b.once.Do(func() {
		close(b.stop)
		b.wg.Wait()
	})
}
