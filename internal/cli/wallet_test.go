package cli

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/reefhq/reef/wallet/chain"
)

func mustRun(t *testing.T, stdin string, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errOut := run(t, stdin, args...)
	if code != 0 {
		t.Fatalf("reef %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out, errOut
}

func wantExit(t *testing.T, want int, stderrHas string, stdin string, args ...string) {
	t.Helper()
	code, out, errOut := run(t, stdin, args...)
	if code != want || !strings.Contains(errOut, stderrHas) {
		t.Fatalf("reef %s: exit %d (want %d)\nstdout: %s\nstderr: %s (want %q)", strings.Join(args, " "), code, want, out, errOut, stderrHas)
	}
}

type balanceJSON struct {
	Chain struct {
		Kind    string `json:"kind"`
		ChainID uint64 `json:"chain_id"`
	} `json:"chain"`
	Accounts []balanceLine `json:"accounts"`
}

func balances(t *testing.T, args ...string) balanceJSON {
	t.Helper()
	out, _ := mustRun(t, "", append([]string{"wallet", "balance", "--json"}, args...)...)
	var b balanceJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("balance --json: %v\n%s", err, out)
	}
	return b
}

// TestWalletCLI runs new, list, balance, send and import end to end on the embedded chain of a
// temporary data directory.
func TestWalletCLI(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	dir := t.TempDir()
	pw := writeTemp(t, "pw", "hunter2\n")
	wrong := writeTemp(t, "wrong", "hunter3\n")
	dd := []string{"--data-dir", dir}

	// the dev key holding coins and the TestUSD supply, then a new account (password on stdin)
	out, _ := mustRun(t, "", append([]string{"wallet", "import", "--light-kdf", "--password-file", pw, "--dev-key", "0"}, dd...)...)
	dev := chain.DevKey(0).Address()
	if strings.TrimSpace(out) != dev.Hex() {
		t.Fatalf("import printed %q", out)
	}
	out, _ = mustRun(t, "s3cret\n", append([]string{"wallet", "new", "--light-kdf"}, dd...)...)
	if !common.IsHexAddress(strings.TrimSpace(out)) {
		t.Fatalf("new printed %q", out)
	}
	fresh := common.HexToAddress(strings.TrimSpace(out))

	out, _ = mustRun(t, "", append([]string{"wallet", "list"}, dd...)...)
	if !strings.Contains(out, "1  "+dev.Hex()) || !strings.Contains(out, "2  "+fresh.Hex()) {
		t.Fatalf("list:\n%s", out)
	}
	out, _ = mustRun(t, "", append([]string{"wallet", "list", "--json"}, dd...)...)
	var accts []struct{ Address common.Address }
	if err := json.Unmarshal([]byte(out), &accts); err != nil || len(accts) != 2 {
		t.Fatalf("list --json: %v %s", err, out)
	}

	b := balances(t, dd...)
	if b.Chain.Kind != "embedded" || b.Chain.ChainID != chain.DefaultChainID || len(b.Accounts) != 2 {
		t.Fatalf("balance: %+v", b)
	}
	if b.Accounts[0].TokenUSD != "1000000000" || b.Accounts[1].Balance != "0" || b.Accounts[1].TokenBalance != "0" {
		t.Fatalf("balances %+v", b.Accounts)
	}

	out, _ = mustRun(t, "", append([]string{"wallet", "send", "--password-file", pw, fresh.Hex(), "1.5"}, dd...)...)
	if !strings.Contains(out, "sent 1.5 ETH from "+dev.Hex()+" to "+fresh.Hex()) {
		t.Fatalf("send: %s", out)
	}
	mustRun(t, "", append([]string{"wallet", "send", "--password-file", pw, "--token", "usd", fresh.Hex(), "2.5"}, dd...)...)
	b = balances(t, append([]string{fresh.Hex()}, dd...)...)
	if b.Accounts[0].Balance != "1500000000000000000" || b.Accounts[0].TokenBalance != "2500000" || b.Accounts[0].BalanceETH != "1.5" {
		t.Fatalf("after sending: %+v", b.Accounts)
	}
	out, _ = mustRun(t, "", append([]string{"wallet", "balance", "--account", "2"}, dd...)...)
	if !strings.Contains(out, "1.5 ETH") || !strings.Contains(out, "2.5 tUSD") {
		t.Fatalf("balance text: %s", out)
	}

	// the new account sends back, password from the environment
	t.Setenv(PasswordEnv, "s3cret")
	mustRun(t, "", append([]string{"wallet", "send", "--account", fresh.Hex(), "--token", "usd", dev.Hex(), "0.5"}, dd...)...)
	t.Setenv(PasswordEnv, "")

	// errors: wrong password (2), bad input (2), too much (1: the chain refuses)
	wantExit(t, ExitBadInput, "wrong password for "+dev.Hex(), "", append([]string{"wallet", "send", "--password-file", wrong, fresh.Hex(), "1"}, dd...)...)
	wantExit(t, ExitBadInput, "wrong password", "nope\n", append([]string{"wallet", "send", "--account", "2", dev.Hex(), "1"}, dd...)...)
	wantExit(t, ExitBadInput, "not an address", "", append([]string{"wallet", "send", "--password-file", pw, "0x1234", "1"}, dd...)...)
	wantExit(t, ExitBadInput, "not a decimal number", "", append([]string{"wallet", "send", "--password-file", pw, fresh.Hex(), "1.2.3"}, dd...)...)
	wantExit(t, ExitBadInput, "more than 6 decimal places", "", append([]string{"wallet", "send", "--password-file", pw, "--token", "usd", fresh.Hex(), "0.0000001"}, dd...)...)
	wantExit(t, ExitBadInput, "--token", "", append([]string{"wallet", "send", "--password-file", pw, "--token", "btc", fresh.Hex(), "1"}, dd...)...)
	wantExit(t, ExitBadInput, "no such account", "", append([]string{"wallet", "send", "--password-file", pw, "--account", "7", fresh.Hex(), "1"}, dd...)...)
	wantExit(t, ExitFailure, "ERC20InsufficientBalance", "", append([]string{"wallet", "send", "--account", "2", "--password-file", writeTemp(t, "pw2", "s3cret"), "--token", "usd", dev.Hex(), "100"}, dd...)...)
	wantExit(t, ExitFailure, "insufficient funds", "", append([]string{"wallet", "send", "--account", "2", "--password-file", writeTemp(t, "pw3", "s3cret"), dev.Hex(), "100"}, dd...)...)
	wantExit(t, ExitBadInput, "no password", "", append([]string{"wallet", "new", "--light-kdf"}, dd...)...)
}

func TestWalletImport(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	dir := t.TempDir()
	dd := []string{"--data-dir", dir, "--light-kdf"}
	priv, _ := crypto.GenerateKey()
	hexKey := hex.EncodeToString(crypto.FromECDSA(priv))
	addr := crypto.PubkeyToAddress(priv.PublicKey)

	// a hex key from standard input needs the password elsewhere
	wantExit(t, ExitBadInput, "--password-file or $"+PasswordEnv, hexKey+"\n", append([]string{"wallet", "import", "-"}, dd...)...)
	t.Setenv(PasswordEnv, "pw")
	code, out, errOut := run(t, "0x"+hexKey+"\n", append([]string{"wallet", "import", "-"}, dd...)...)
	if code != 0 || strings.TrimSpace(out) != addr.Hex() {
		t.Fatalf("import -: %d %s %s", code, out, errOut)
	}
	if strings.Contains(out+errOut, hexKey) {
		t.Fatal("the key was printed")
	}
	wantExit(t, ExitBadInput, "already in the keystore", "0x"+hexKey, append([]string{"wallet", "import", "-"}, dd...)...)
	wantExit(t, ExitBadInput, "not a valid secp256k1 private key", "", append([]string{"wallet", "import", writeTemp(t, "bad.hex", "0xabc")}, dd...)...)

	// an encrypted key file written by geth, with its own password
	priv2, _ := crypto.GenerateKey()
	id, _ := uuid.NewRandom()
	js, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: crypto.PubkeyToAddress(priv2.PublicKey), PrivateKey: priv2}, "theirs", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "key.json")
	os.WriteFile(file, js, 0o600)
	wantExit(t, ExitBadInput, "wrong password", "", append([]string{"wallet", "import", file}, dd...)...) // $REEF_WALLET_PASSWORD is "pw"
	out, _ = mustRun(t, "", append([]string{"wallet", "import", "--password-file", writeTemp(t, "theirs", "theirs"), file}, dd...)...)
	if strings.TrimSpace(out) != crypto.PubkeyToAddress(priv2.PublicKey).Hex() {
		t.Fatalf("import json printed %q", out)
	}
	out, _ = mustRun(t, "", append([]string{"wallet", "list", "--json"}, dd[:2]...)...)
	if !strings.Contains(out, strings.ToLower(addr.Hex())) && !strings.Contains(out, addr.Hex()) {
		t.Fatalf("list: %s", out)
	}
	wantExit(t, ExitBadInput, "FILE", "", append([]string{"wallet", "import"}, dd...)...)
}

// TestWalletRPC: a dead endpoint fails quickly and clearly; a live one (another process's
// embedded chain over HTTP) works; the data directory of a running chain is refused with a hint.
func TestWalletRPC(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	dir := t.TempDir()
	// --timeout bounds the wait (a hang would hit the test's timeout).
	wantExit(t, ExitFailure, "http://127.0.0.1:1 unreachable", "", "wallet", "balance", "--data-dir", dir, "--chain-rpc", "http://127.0.0.1:1", "--timeout", "2s", chain.DevKey(0).Address().Hex())
	wantExit(t, ExitBadInput, "--chain-rpc", "", "wallet", "balance", "--chain-rpc", "ftp://x", chain.DevKey(0).Address().Hex())

	// a running chain holding the data directory
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	host, err := chain.OpenEmbedded(ctx, dir, chain.WithHTTP("127.0.0.1:0"), chain.WithInstantMining())
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	wantExit(t, ExitFailure, "--chain-rpc", "", "wallet", "balance", "--data-dir", dir, chain.DevKey(3).Address().Hex())
	b := balances(t, "--data-dir", t.TempDir(), "--chain-rpc", host.URL(), chain.DevKey(3).Address().Hex())
	if b.Chain.Kind != "rpc" || b.Accounts[0].Balance != chain.DevAccountBalance.String() {
		t.Fatalf("over RPC: %+v", b)
	}

	// contracts deploy to that chain from a dev key; the addresses are saved for the chain
	wantExit(t, ExitBadInput, "--chain-rpc is required", "", "contracts", "deploy", "--dev-key", "4")
	d2 := t.TempDir()
	out, _ := mustRun(t, "", "contracts", "deploy", "--data-dir", d2, "--chain-rpc", host.URL(), "--dev-key", "4", "--epoch", "30s", "--target-bits", "12", "--json")
	var dep struct {
		Capacity, Market, Token common.Address
		ChainID                 uint64 `json:"chain_id"`
	}
	if err := json.Unmarshal([]byte(out), &dep); err != nil || dep.Capacity == (common.Address{}) || dep.ChainID != chain.DefaultChainID {
		t.Fatalf("deploy: %v %s", err, out)
	}
	if dep.Capacity == host.Addresses().Capacity {
		t.Fatal("deploy reused the chain's own contracts")
	}
	g, err := chain.GenesisHash(ctx, host.Client())
	if err != nil {
		t.Fatal(err)
	}
	saved, ok, err := chain.LoadDeployment(d2, chain.DefaultChainID, g)
	if err != nil || !ok || saved.Capacity != dep.Capacity {
		t.Fatalf("saved %+v %v %v", saved, ok, err)
	}
	if code, err := host.Client().CodeAt(ctx, dep.Market, nil); err != nil || len(code) == 0 {
		t.Fatalf("no code at the market: %v", err)
	}
}
