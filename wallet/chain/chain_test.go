package chain_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/internal/chaintest"
	"github.com/reefhq/reef/wallet/txsend"
)

func TestDevKeysAreStable(t *testing.T) {
	// documented in DevKey's comment
	if got := chain.DevKey(0).Address().Hex(); got != "0xD6681f7E19454541f14Aa2f9D6A13321B50bFf86" {
		t.Fatalf("DevKey(0) = %s", got)
	}
	seen := map[common.Address]bool{}
	for i := range chain.DefaultDevAccounts {
		a := chain.DevKey(i).Address()
		if seen[a] {
			t.Fatalf("dev key %d repeats", i)
		}
		seen[a] = true
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestRestartKeepsState: the embedded chain keeps blocks, balances, contract state and the
// contract addresses in the data directory; a second process can't open it meanwhile.
func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := chain.OpenEmbedded(ctx, dir, chain.WithInstantMining(), chain.WithDeployParams(chaintest.Params()))
	if err != nil {
		t.Fatal(err)
	}
	addrs := c.Addresses()
	if addrs.IsZero() {
		t.Fatal("no contracts deployed")
	}
	// a token transfer and a coin transfer from the deployer
	dest := common.HexToAddress("0x00000000000000000000000000000000000b0b00")
	if err := c.FaucetToken(ctx, dest, big.NewInt(777)); err != nil {
		t.Fatal(err)
	}
	if err := c.Faucet(ctx, dest, big.NewInt(12345)); err != nil {
		t.Fatal(err)
	}
	head := c.State().Head
	genesisTime := readMeta(t, dir)["genesis_time"]

	if _, err := chain.OpenEmbedded(ctx, dir); !errors.Is(err, chain.ErrChainInUse) {
		t.Fatalf("second open: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c, err = chain.OpenEmbedded(ctx, dir, chain.WithInstantMining())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Addresses() != addrs {
		t.Fatalf("addresses changed: %+v, was %+v", c.Addresses(), addrs)
	}
	if got := c.State().Head; got < head {
		t.Fatalf("head %d after restart, was %d", got, head)
	}
	if m := readMeta(t, dir); m["genesis_time"] != genesisTime {
		t.Fatalf("genesis time changed")
	}
	bal, err := c.Client().BalanceAt(ctx, dest, nil)
	if err != nil || bal.Int64() != 12345 {
		t.Fatalf("balance %v, %v", bal, err)
	}
	tok := contracts.NewTestUSD()
	out, err := c.Client().CallContract(ctx, ethereum.CallMsg{To: &addrs.Token, Data: tok.PackBalanceOf(dest)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tb, _ := tok.UnpackBalanceOf(out); tb.Int64() != 777 {
		t.Fatalf("token balance %v", tb)
	}
	// and it still mines
	if err := c.Faucet(ctx, dest, big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
}

func readMeta(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "chain", "embedded.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSharedOverHTTP: a second client reaches the embedded chain over --chain-http, finds the
// contracts through reef_contracts, follows the head and sends transactions.
func TestSharedOverHTTP(t *testing.T) {
	host := chaintest.Start(t, chain.WithHTTP("127.0.0.1:0"))
	if host.URL() == "" {
		t.Fatal("no HTTP endpoint")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	remote, err := chain.Dial(ctx, host.URL(), chain.WithPollInterval(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	if remote.Kind() != chain.KindRPC || remote.ChainID().Uint64() != chain.DefaultChainID {
		t.Fatalf("kind %s, chain id %v", remote.Kind(), remote.ChainID())
	}
	if remote.Addresses() != host.Addresses() {
		t.Fatalf("addresses %+v, host %+v", remote.Addresses(), host.Addresses())
	}
	s, err := txsend.New(remote.Client(), chain.DevKey(9), remote.ChainID(), txsend.WithPollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	before := remote.State().Head
	to := common.HexToAddress("0x00000000000000000000000000000000000c0c00")
	r, err := s.Transact(ctx, txsend.Call{To: &to, Value: big.NewInt(5)})
	if err != nil {
		t.Fatal(err)
	}
	chaintest.Eventually(t, 5*time.Second, "the remote head to pass the transaction", func() bool {
		return remote.State().Head >= r.BlockNumber.Uint64() && remote.State().Head > before
	})
	st := remote.State()
	if !st.Connected || st.Reconnecting || st.HeadTime.IsZero() {
		t.Fatalf("state %+v", st)
	}
	bal, err := host.Client().BalanceAt(ctx, to, nil)
	if err != nil || bal.Int64() != 5 {
		t.Fatalf("the host sees balance %v, %v", bal, err)
	}
}

// TestRPCDownThenUp: an endpoint that is down is retried with backoff and reported; the chain
// connects once the endpoint comes up. Dial with a deadline fails clearly instead of hanging.
func TestRPCDownThenUp(t *testing.T) {
	port := freePort(t)
	url := "http://127.0.0.1:" + strconv.Itoa(port)

	// Dial returns at its context's deadline (a hang would hit the test's timeout).
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	_, err := chain.Dial(ctx, url, chain.WithBackoff(50*time.Millisecond, 100*time.Millisecond))
	cancel()
	if err == nil {
		t.Fatal("dial of a dead endpoint succeeded")
	}
	if msg := err.Error(); !contains(msg, url) || !contains(msg, "connection refused") {
		t.Fatalf("unclear error: %q", msg)
	}

	c, err := chain.Connect(url, chain.WithBackoff(50*time.Millisecond, 200*time.Millisecond), chain.WithPollInterval(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	chaintest.Eventually(t, 5*time.Second, "a failure to be reported", func() bool {
		st := c.State()
		return st.Reconnecting && !st.Connected && st.LastError != "" && st.Failures >= 2
	})
	if _, err := c.Contracts(); !errors.Is(err, chain.ErrNoContracts) {
		t.Fatalf("contracts while down: %v", err)
	}

	host := chaintest.Start(t, chain.WithHTTP("127.0.0.1:"+strconv.Itoa(port)))
	rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer rcancel()
	if err := c.WaitReady(rctx); err != nil {
		t.Fatal(err)
	}
	chaintest.Eventually(t, 5*time.Second, "connected", func() bool { return c.State().Connected })
	// the endpoint may have answered before its contracts were deployed: they are looked up again
	chaintest.Eventually(t, 10*time.Second, "the contract addresses", func() bool { return c.Addresses() == host.Addresses() })
	if st := c.State(); st.Reconnecting || st.Failures != 0 || st.Head == 0 {
		t.Fatalf("state after recovery %+v", st)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestDeploymentsFile: addresses saved for a chain are found by a client with that data
// directory, and only for the same chain (id and genesis).
func TestDeploymentsFile(t *testing.T) {
	dir := t.TempDir()
	g1 := common.HexToHash("0x01")
	d := contracts.Deployment{Addresses: contracts.Addresses{Capacity: common.HexToAddress("0xc0")}, ChainID: 5}
	if err := chain.SaveDeployment(dir, g1, d); err != nil {
		t.Fatal(err)
	}
	if err := chain.SaveDeployment(dir, g1, contracts.Deployment{ChainID: 6}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := chain.LoadDeployment(dir, 5, g1)
	if err != nil || !ok || got.Capacity != d.Capacity {
		t.Fatalf("load: %+v %v %v", got, ok, err)
	}
	if _, ok, _ := chain.LoadDeployment(dir, 5, common.HexToHash("0x02")); ok {
		t.Fatal("found for another genesis")
	}
	if fi, err := os.Stat(chain.DeploymentsPath(dir)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v %v", fi, err)
	}
}

func TestAdjustTimeMovesEpochs(t *testing.T) {
	c := chaintest.Start(t)
	ctx := context.Background()
	cp := contracts.NewCapacity()
	epoch := func() uint32 {
		a := c.Addresses().Capacity
		out, err := c.Client().CallContract(ctx, ethereum.CallMsg{To: &a, Data: cp.PackCurrentEpoch()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := cp.UnpackCurrentEpoch(out)
		return e
	}
	e0 := epoch()
	chaintest.NextEpoch(t, c, 3, chaintest.Epoch)
	if e := epoch(); e != e0+3 {
		t.Fatalf("epoch %d, want %d", e, e0+3)
	}
	if err := c.Mine(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
		{"https://mainnet.example.io/v3/0123456789abcdef", "https://mainnet.example.io/***"},
		{"wss://user:secret@rpc.example.org:8546/ws?key=abc", "wss://***@rpc.example.org:8546/***?***"},
		{"not a url", "***"},
	} {
		got := chain.RedactURL(c.in)
		if got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
		if strings.Contains(got, "secret") || strings.Contains(got, "0123456789abcdef") || strings.Contains(got, "key=abc") {
			t.Errorf("RedactURL(%q) = %q leaks a credential", c.in, got)
		}
	}
}
