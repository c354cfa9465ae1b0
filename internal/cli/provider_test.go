package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/prover"
)

// fastChains makes the chains and provers the commands start in this test quick: an easy
// target (8 leading zero bits, about 256 hashes a proof), blocks as soon as transactions
// arrive, short proof batches, and a remote endpoint polled and retried often. Epochs stay
// real: the tests pass --epoch.
func fastChains(t *testing.T) {
	t.Helper()
	testHooks.params = func(p *contracts.Params) { p.Target = contracts.TargetForBits(8) }
	testHooks.chain = []chain.Option{chain.WithInstantMining(), chain.WithPollInterval(100 * time.Millisecond),
		chain.WithBackoff(100*time.Millisecond, 500*time.Millisecond)}
	testHooks.prover = []prover.Option{prover.WithBatch(4, 50*time.Millisecond), prover.WithWalletRefresh(200 * time.Millisecond)}
	t.Cleanup(func() {
		testHooks.params, testHooks.chain, testHooks.prover = nil, nil, nil
	})
}

// bgCmd is a long-running reef command (node, devnet) run in this process.
type bgCmd struct {
	t              *testing.T
	cancel         context.CancelFunc
	done           chan int
	stdout, stderr *syncBuffer
}

func startCmd(t *testing.T, stdin string, args ...string) *bgCmd {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &bgCmd{t: t, cancel: cancel, done: make(chan int, 1), stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	go func() {
		b.done <- executeWithInput(ctx, BuildInfo{Version: "test"}, args, strings.NewReader(stdin), b.stdout, b.stderr)
	}()
	t.Cleanup(func() { b.stop() })
	return b
}

// stop cancels the command and returns its exit code.
func (b *bgCmd) stop() int {
	b.cancel()
	select {
	case code := <-b.done:
		b.done <- code
		return code
	case <-time.After(30 * time.Second):
		b.t.Errorf("the command did not stop; stderr:\n%s", b.stderr.String())
		return -1
	}
}

// logValue waits for a JSON log record with msg and returns its field key.
func (b *bgCmd) logValue(msg, key string) string {
	b.t.Helper()
	var v string
	eventually(b.t, 60*time.Second, "log "+msg, func() bool {
		select {
		case code := <-b.done:
			b.done <- code
			b.t.Fatalf("the command exited with %d; stderr:\n%s", code, b.stderr.String())
		default:
		}
		sc := bufio.NewScanner(strings.NewReader(b.stderr.String()))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == msg {
				v = fmt.Sprint(rec[key])
				return true
			}
		}
		return false
	})
	return v
}

func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runningNode is `reef node` in this process with its API and first address.
type runningNode struct {
	*bgCmd
	api, addr string
}

// startNode runs `reef node` on loopback with a fresh data directory (unless args give one),
// its API on a free port and JSON logs.
func startNode(t *testing.T, args ...string) *runningNode {
	t.Helper()
	all := []string{"node", "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns", "--api", "127.0.0.1:0", "--log-format", "json"}
	if !strings.Contains(strings.Join(args, " "), "--data-dir") {
		all = append(all, "--data-dir", t.TempDir())
	}
	b := startCmd(t, "", append(all, args...)...)
	n := &runningNode{bgCmd: b}
	n.api = b.logValue("api listening", "addr")
	n.addr = strings.Fields(b.logValue("node ready", "addrs"))[0]
	return n
}

// nodeStatus is GET /status with the sections this issue adds.
type nodeStatus struct {
	PeerID   string                     `json:"peer_id"`
	Chain    *chainSection              `json:"chain"`
	Capacity *prover.CapacityStatus     `json:"capacity"`
	Wallet   *prover.WalletStatus       `json:"wallet"`
	Raw      map[string]json.RawMessage `json:"-"`
}

type chainSection struct {
	Kind      string              `json:"kind"`
	URL       string              `json:"url"`
	ChainID   uint64              `json:"chain_id"`
	State     string              `json:"state"`
	LastError string              `json:"last_error"`
	Failures  int                 `json:"failures"`
	Head      uint64              `json:"head"`
	Contracts contracts.Addresses `json:"contracts"`
}

func getStatus(t *testing.T, api string) nodeStatus {
	t.Helper()
	resp, err := http.Get("http://" + api + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st nodeStatus
	if err := json.NewDecoder(resp.Body).Decode(&st.Raw); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(st.Raw)
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// wantKeys fails unless the /status section has every key.
func wantKeys(t *testing.T, st nodeStatus, section string, keys ...string) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(st.Raw[section], &m); err != nil {
		t.Fatalf("section %q: %v (%s)", section, err, st.Raw[section])
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("/status %s lacks %q: %s", section, k, st.Raw[section])
		}
	}
}

// TestNodeProvidersShareOneChain: node A proves on its embedded chain, served with
// --chain-http, with a keystore account (unlocked with --password-file, funded from the dev
// chain's faucet); node B proves on the same chain through --chain-rpc with a dev key. Each
// sees the other's proofs, and both /status documents carry the chain, capacity and wallet
// sections with the fields the issue requires.
func TestNodeProvidersShareOneChain(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	fastChains(t)
	dirA := t.TempDir()
	pw := writeTemp(t, "pw", "s3cret\n")
	out, _ := mustRun(t, "", "wallet", "new", "--light-kdf", "--data-dir", dirA, "--password-file", pw)
	account := strings.TrimSpace(out)

	a := startNode(t, "--data-dir", dirA, "--provider", "--account", account, "--password-file", pw,
		"--chain-http", "127.0.0.1:0", "--epoch", "4s", "--units", "2", "--threads", "1")
	stA := getStatus(t, a.api)
	if stA.Chain == nil || stA.Chain.Kind != "embedded" || !strings.HasPrefix(stA.Chain.URL, "http://127.0.0.1:") || stA.Chain.Contracts.Capacity == ([20]byte{}) {
		t.Fatalf("node A's chain section: %s", stA.Raw["chain"])
	}
	b := startNode(t, "--provider", "--chain-rpc", stA.Chain.URL, "--dev-key", "2", "--units", "2", "--threads", "1")

	var sa, sb nodeStatus
	eventually(t, 90*time.Second, "each provider to see the other's proofs", func() bool {
		sa, sb = getStatus(t, a.api), getStatus(t, b.api)
		if sa.Capacity == nil || sb.Capacity == nil {
			t.Fatalf("no capacity section: %s / %s", sa.Raw["capacity"], sb.Raw["capacity"])
		}
		return sa.Capacity.ProofsConfirmed > 0 && sb.Capacity.ProofsConfirmed > 0 &&
			sa.Capacity.NetworkOthersRecent > 0 && sb.Capacity.NetworkOthersRecent > 0
	})
	if sb.Chain.Kind != "rpc" || sb.Chain.URL != stA.Chain.URL || sb.Chain.State != "connected" || sb.Chain.Contracts != sa.Chain.Contracts ||
		sb.Chain.ChainID != sa.Chain.ChainID {
		t.Fatalf("node B's chain %+v, node A's %+v", sb.Chain, sa.Chain)
	}
	if sa.Wallet.Address != account || sb.Wallet.Address != chain.DevKey(2).Address().Hex() {
		t.Fatalf("wallets %+v %+v", sa.Wallet, sb.Wallet)
	}
	if sa.Wallet.Balance == "0" || sa.Capacity.Units != 2 || sa.Capacity.Chain != "embedded" || sb.Capacity.Chain != "rpc" {
		t.Fatalf("A %+v %+v, B %+v", sa.Capacity, sa.Wallet, sb.Capacity)
	}
	for _, st := range []nodeStatus{sa, sb} {
		wantKeys(t, st, "capacity", "epoch", "epoch_ends_in_s", "hash_rate", "units", "proofs_found", "proofs_confirmed", "rewards")
		wantKeys(t, st, "wallet", "address", "balance", "token_balance")
		wantKeys(t, st, "chain", "kind", "chain_id", "state", "head", "contracts")
	}
	if code := b.stop(); code != 0 {
		t.Fatalf("node B exited %d: %s", code, b.stderr.String())
	}
	if code := a.stop(); code != 0 {
		t.Fatalf("node A exited %d: %s", code, a.stderr.String())
	}
	if strings.Contains(a.stderr.String(), "s3cret") {
		t.Fatal("the password is in the logs")
	}
}

// freePort returns a loopback port nothing listens on (now).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return port
}

// TestNodeDeadChainRPC: a provider whose --chain-rpc endpoint is down starts anyway, keeps
// serving particles, shows the chain down with the error in /status and in its logs, and
// proves once the endpoint comes up.
func TestNodeDeadChainRPC(t *testing.T) {
	fastChains(t)
	port := freePort(t)
	url := "http://127.0.0.1:" + port
	n := startNode(t, "--provider", "--chain-rpc", url, "--dev-key", "3", "--units", "1", "--threads", "1")

	var st nodeStatus
	eventually(t, 30*time.Second, "the chain reported down", func() bool {
		st = getStatus(t, n.api)
		return st.Chain != nil && st.Chain.State == "down" && st.Chain.Failures > 0
	})
	if !strings.Contains(st.Chain.LastError, "connection refused") || st.Chain.URL != url || st.Chain.Kind != "rpc" {
		t.Fatalf("chain section %s", st.Raw["chain"])
	}
	if st.Capacity == nil || st.Capacity.Phase != prover.PhaseWaitingChain || st.Capacity.Connected {
		t.Fatalf("capacity section %s", st.Raw["capacity"])
	}
	if !strings.Contains(n.stderr.String(), "chain unreachable, retrying") {
		t.Fatalf("the logs don't say the chain is down:\n%s", n.stderr.String())
	}
	// the node still runs particles
	out, errOut := mustRun(t, "", "run", "--relay", n.addr, "--arg", `s="still here"`, "../../testdata/air/echo.air")
	if out != "\"still here\"\n" {
		t.Fatalf("run: %q %s", out, errOut)
	}

	// the endpoint comes up: a chain on that port
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := contracts.DevParams()
	p.EpochDuration, p.Target = 4*time.Second, contracts.TargetForBits(8)
	host, err := chain.OpenEmbedded(ctx, "", chain.WithHTTP("127.0.0.1:"+port), chain.WithInstantMining(), chain.WithDeployParams(p))
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	eventually(t, 90*time.Second, "proofs after the endpoint came up", func() bool {
		st = getStatus(t, n.api)
		return st.Chain.State == "connected" && st.Capacity.ProofsConfirmed > 0
	})
	if st.Chain.Contracts != host.Addresses() {
		t.Fatalf("contracts %+v, want %+v", st.Chain.Contracts, host.Addresses())
	}
	if !strings.Contains(n.stderr.String(), "chain connection restored") {
		t.Fatalf("the logs don't say the chain is back:\n%s", n.stderr.String())
	}
}

// TestNodeChainWithoutProvider: a node with a chain but without --provider has the chain
// section and, for --dev-key or --account, the balances of that account (no password
// needed); a node without chain flags has no chain at all.
func TestNodeChainWithoutProvider(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	fastChains(t)
	n := startNode(t, "--chain-http", "127.0.0.1:0", "--dev-key", "4")
	var st nodeStatus
	eventually(t, 30*time.Second, "the balances", func() bool {
		st = getStatus(t, n.api)
		return st.Wallet != nil && st.Wallet.Balance != "0"
	})
	if st.Capacity != nil || st.Chain == nil || st.Chain.State != "connected" || st.Chain.Kind != "embedded" {
		t.Fatalf("status %s %s %s", st.Raw["chain"], st.Raw["capacity"], st.Raw["wallet"])
	}
	if st.Wallet.Address != chain.DevKey(4).Address().Hex() || st.Wallet.Balance != chain.DevAccountBalance.String() || st.Wallet.TokenBalance != "0" {
		t.Fatalf("wallet %+v", st.Wallet)
	}

	// a keystore account over RPC, watched without its password
	dir := t.TempDir()
	mustRun(t, "", "wallet", "import", "--light-kdf", "--dev-key", "0", "--data-dir", dir, "--password-file", writeTemp(t, "pw", "pw"))
	m := startNode(t, "--data-dir", dir, "--chain-rpc", st.Chain.URL, "--account", "1")
	eventually(t, 30*time.Second, "the token balance", func() bool {
		st = getStatus(t, m.api)
		return st.Wallet != nil && st.Wallet.TokenBalance != "0"
	})
	if st.Wallet.Address != chain.DevKey(0).Address().Hex() || st.Chain.Kind != "rpc" || st.Capacity != nil {
		t.Fatalf("status %s %s", st.Raw["chain"], st.Raw["wallet"])
	}

	plain := startNode(t)
	st = getStatus(t, plain.api)
	for _, k := range []string{"chain", "capacity", "wallet"} {
		if _, ok := st.Raw[k]; ok {
			t.Errorf("a node without chain flags has a %q section", k)
		}
	}
}

// TestNodeProviderBadInput: a wrong password and bad chain flags fail at once with exit 2,
// before anything starts.
func TestNodeProviderBadInput(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	dir := t.TempDir()
	pw := writeTemp(t, "pw", "right\n")
	mustRun(t, "", "wallet", "import", "--light-kdf", "--dev-key", "5", "--data-dir", dir, "--password-file", pw)
	addr := chain.DevKey(5).Address().Hex()
	node := []string{"node", "--data-dir", dir, "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"}
	args := func(more ...string) []string { return append(append([]string(nil), node...), more...) }

	wantExit(t, ExitBadInput, "wrong password for "+addr, "", args("--provider", "--account", addr, "--password-file", writeTemp(t, "wrong", "wrong\n"))...)
	wantExit(t, ExitBadInput, "wrong password for "+addr, "nope\n", args("--provider", "--account", "1")...)
	t.Setenv(PasswordEnv, "also wrong")
	wantExit(t, ExitBadInput, "wrong password for "+addr, "", args("--provider", "--account", addr)...)
	t.Setenv(PasswordEnv, "")

	empty := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"node", "--data-dir", empty, "--provider", "--chain-rpc", "http://127.0.0.1:1"}, "the provider needs an account"},
		{[]string{"node", "--provider", "--units", "0"}, "--units 0"},
		{[]string{"node", "--provider", "--threads", "0"}, "--threads 0"},
		{[]string{"node", "--provider", "--dev-key", "1", "--account", "1"}, "not both"},
		{[]string{"node", "--chain-rpc", "http://127.0.0.1:1", "--chain-http", "127.0.0.1:0"}, "--chain-http serves the embedded chain"},
		{[]string{"node", "--chain-rpc", "http://127.0.0.1:1", "--epoch", "5s"}, "--epoch applies to the embedded chain"},
		{[]string{"node", "--chain-http", "127.0.0.1:0", "--contracts", "x.json"}, "--contracts goes with --chain-rpc"},
		{[]string{"node", "--chain-rpc", "http://127.0.0.1:1", "--contracts", "/nonexistent.json"}, "no such file"},
		{[]string{"node", "--chain-rpc", "ftp://x"}, "--chain-rpc"},
		{[]string{"node", "--chain-http", "nope"}, "--chain-http nope"},
		{[]string{"node", "--provider", "--epoch", "1500ms"}, "--epoch 1.5s"},
		{[]string{"devnet", "--nodes", "2", "--providers", "3"}, "--providers 3"},
		{[]string{"devnet", "--no-chain", "--providers", "1"}, "drop --no-chain"},
	} {
		code, out, errOut := run(t, "", tt.args...)
		if code != ExitBadInput || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

// TestDevnetSharesOneChain: `reef devnet --json` starts one chain, prints its URL and
// contracts in the ready line, every node's /status names that chain, the providers among
// them see each other's proofs, and another process can use the chain over --chain-rpc.
func TestDevnetSharesOneChain(t *testing.T) {
	fastChains(t)
	d := startCmd(t, "", "devnet", "--nodes", "3", "--providers", "2", "--epoch", "4s", "--api", "127.0.0.1:0", "--json")
	var ready struct {
		Peers []devnetPeer `json:"peers"`
		Chain *devnetChain `json:"chain"`
	}
	eventually(t, 60*time.Second, "the ready line", func() bool {
		line, _, ok := strings.Cut(d.stdout.String(), "\n")
		return ok && json.Unmarshal([]byte(line), &ready) == nil
	})
	if ready.Chain == nil || ready.Chain.Kind != "embedded" || !strings.HasPrefix(ready.Chain.URL, "http://127.0.0.1:") ||
		ready.Chain.ChainID != chain.DefaultChainID || ready.Chain.Contracts.Capacity == ([20]byte{}) || ready.Chain.EpochS != 4 {
		t.Fatalf("ready line chain %+v", ready.Chain)
	}
	if len(ready.Peers) != 3 || ready.Peers[0].Account != chain.DevKey(1).Address().Hex() ||
		ready.Peers[1].Account != chain.DevKey(2).Address().Hex() || ready.Peers[2].Account != "" {
		t.Fatalf("ready line peers %+v", ready.Peers)
	}
	for i, p := range ready.Peers {
		st := getStatus(t, p.API)
		if st.Chain == nil || st.Chain.URL != ready.Chain.URL || st.Chain.Contracts != ready.Chain.Contracts || st.Chain.State != "connected" {
			t.Fatalf("node %d's chain section %s", i, st.Raw["chain"])
		}
		if (st.Capacity != nil) != (i < 2) {
			t.Fatalf("node %d's capacity section %s", i, st.Raw["capacity"])
		}
	}
	eventually(t, 90*time.Second, "both providers to see each other's proofs", func() bool {
		for _, p := range ready.Peers[:2] {
			c := getStatus(t, p.API).Capacity
			if c.ProofsConfirmed == 0 || c.NetworkOthersRecent == 0 {
				return false
			}
		}
		return true
	})
	// another process shares the chain over HTTP
	b := balances(t, "--data-dir", t.TempDir(), "--chain-rpc", ready.Chain.URL, chain.DevKey(1).Address().Hex())
	if b.Chain.Kind != "rpc" || b.Accounts[0].Balance == chain.DevAccountBalance.String() {
		t.Fatalf("the provider's balance over RPC: %+v", b)
	}
	if code := d.stop(); code != 0 {
		t.Fatalf("devnet exited %d: %s", code, d.stderr.String())
	}
}
