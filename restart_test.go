package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/reefhq/reef/peer/p2p"
)

// nodeProcess is a running `reef node` and what it logged.
type nodeProcess struct {
	cmd    *exec.Cmd
	id     string
	api    string
	exited chan struct{}
	mu     sync.Mutex
	log    strings.Builder
}

// startNodeProcess runs `reef node ARGS --log-format json` and waits for its "node ready"
// line (and "api listening" when --api is given).
func startNodeProcess(t *testing.T, bin string, args ...string) *nodeProcess {
	t.Helper()
	p := &nodeProcess{cmd: exec.Command(bin, append(append([]string{"node"}, args...), "--log-format", "json")...), exited: make(chan struct{})}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	ready := make(chan struct{})
	go func() {
		defer close(p.exited)
		defer func() { _ = p.cmd.Wait() }()
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			var rec struct {
				Msg    string `json:"msg"`
				Addr   string `json:"addr"`
				PeerID string `json:"peer_id"`
			}
			if json.Unmarshal([]byte(line), &rec) != nil {
				continue
			}
			switch rec.Msg {
			case "api listening":
				p.mu.Lock()
				p.api = rec.Addr
				p.mu.Unlock()
			case "node ready":
				p.mu.Lock()
				p.id = rec.PeerID
				p.mu.Unlock()
				if !signalled {
					signalled = true
					close(ready)
				}
			}
		}
	}()
	select {
	case <-ready:
	case <-p.exited:
		t.Fatalf("reef node exited before it was ready:\n%s", p.logText())
	case <-time.After(60 * time.Second):
		t.Fatalf("reef node not ready after 60s:\n%s", p.logText())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p
}

// logged returns the value of key in every JSON log record with message msg.
func (p *nodeProcess) logged(msg, key string) []string {
	var out []string
	for _, line := range strings.Split(p.logText(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != msg {
			continue
		}
		out = append(out, fmt.Sprint(rec[key]))
	}
	return out
}

func (p *nodeProcess) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// status fetches GET /status.
func (p *nodeProcess) status(t *testing.T, into any) {
	t.Helper()
	resp, err := http.Get("http://" + p.api + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("/status: %v: %s", err, b)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *nodeProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the node did not die within 10s of SIGKILL")
	}
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// restartStatus is what the restart test reads from /status.
type restartStatus struct {
	PeerID   string `json:"peer_id"`
	Services struct {
		Count    int `json:"count"`
		Modules  int `json:"modules"`
		Services []struct {
			ID      string   `json:"id"`
			Aliases []string `json:"aliases"`
			Module  string   `json:"module"`
			Error   string   `json:"error"`
		} `json:"services"`
	} `json:"services"`
	Capacity *struct {
		Phase      string `json:"phase"`
		Commitment string `json:"commitment"`
		Units      int    `json:"units"`
		Connected  bool   `json:"connected"`
		LastError  string `json:"last_error"`
	} `json:"capacity"`
	Wallet *struct {
		Address string `json:"address"`
	} `json:"wallet"`
}

// services maps each alias to "service id module".
func (s restartStatus) aliases() map[string]string {
	out := map[string]string{}
	for _, sv := range s.Services.Services {
		for _, a := range sv.Aliases {
			out[a] = sv.ID + " " + sv.Module
		}
	}
	return out
}

// TestRestartAfterSIGKILL runs the built binary as a node with a data directory and
// deploys two services under aliases; then, while clients keep calling the services and
// a third deploy may be under way, the node is killed with SIGKILL. Started again on the
// same data directory it has the same peer id, the same services under the same ids,
// modules and aliases, answering as before; a deploy that was cut off left either
// nothing or a working service, never a broken one; deploying works again.
func TestRestartAfterSIGKILL(t *testing.T) { testRestart(t, false) }

// TestRestartProviderAfterSIGKILL is TestRestartAfterSIGKILL with the node also a
// capacity provider (reef node --provider) proving with a keystore account on the
// embedded chain in its data directory: after the SIGKILL the node also comes back with
// the same wallet account and carries on with the same commitment.
func TestRestartProviderAfterSIGKILL(t *testing.T) { testRestart(t, true) }

func testRestart(t *testing.T, provider bool) {
	bin := buildReef(t)
	data := t.TempDir()
	keys := filepath.Join(t.TempDir(), "deployer")
	deployer, err := p2p.LoadOrCreateIdentity(keys)
	if err != nil {
		t.Fatal(err)
	}
	listen := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freeTCPPort(t))
	args := []string{"--data-dir", data, "--listen", listen, "--api", "127.0.0.1:0", "--no-mdns", "--allow-deploy", deployer.PeerID.String()}

	// The wallet: a keystore account, and the provider flags, when this build has them.
	var account string
	if provider {
		help, _ := exec.Command(bin, "node", "--help").CombinedOutput()
		if !strings.Contains(string(help), "--provider") || !strings.Contains(string(help), "--password-file") {
			t.Fatal("reef node has no --provider or --password-file flag")
		}
		pw := filepath.Join(t.TempDir(), "password")
		if err := os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runReef(t, bin, "wallet", "new", "--data-dir", data, "--password-file", pw, "--light-kdf", "--json")
		var acc struct {
			Address string `json:"address"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &acc) != nil || acc.Address == "" {
			t.Fatalf("wallet new: exit %d, stdout %q, stderr %s", code, out, errOut)
		}
		account = acc.Address
		args = append(args, "--provider", "--units", "2", "--threads", "1", "--account", account, "--password-file", pw)
	}

	n1 := startNodeProcess(t, bin, args...)
	relay := listen + "/p2p/" + n1.id
	deploy := func(alias, module string) (code int, out, errOut string) {
		return runReef(t, bin, "deploy", "--relay", relay, "--name", alias, "--key-dir", keys, "--ttl", "10s", module)
	}
	call := func(alias string) (int, string, string) {
		return runReef(t, bin, "run", "--relay", relay, "--ttl", "10s", "--arg", `alias="`+alias+`"`, "--arg", `name="restart"`, "testdata/air/call_service.air")
	}
	for _, d := range [][2]string{{"kv", "wasm/testdata/guests/kvgo/kvgo.wasm"}, {"kv2", "wasm/testdata/guests/kvgo/kvgo-v2.wasm"}} {
		if code, out, errOut := deploy(d[0], d[1]); code != 0 {
			t.Fatalf("deploy %s: exit %d, stdout %q, stderr %s", d[0], code, out, errOut)
		}
	}
	want := map[string]string{"kv": `["Hello, restart!","1"]`, "kv2": `["Hello, restart!","2"]`}
	for alias, w := range want {
		if code, out, errOut := call(alias); code != 0 || strings.TrimSpace(out) != w {
			t.Fatalf("run %s: exit %d, stdout %q, stderr %s", alias, code, out, errOut)
		}
	}
	var before restartStatus
	n1.status(t, &before)
	if before.PeerID != n1.id || len(before.aliases()) != 2 {
		t.Fatalf("status before the kill: %+v", before)
	}
	var commitment string
	if provider {
		before = waitCommitment(t, n1, true)
		created := n1.logged("commitment created", "commitment")
		if len(created) != 1 {
			t.Fatalf("the provider logged %d commitments (%v); want 1\n%s", len(created), created, n1.logText())
		}
		commitment = created[0]
		t.Logf("before the kill: wallet %s, commitment %s (%s), phase %s", before.Wallet.Address, commitment, before.Capacity.Commitment, before.Capacity.Phase)
	}

	// Traffic: clients calling both services, and a third deploy; the kill lands in the
	// middle of them.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var calls atomic.Int64
	for _, alias := range []string{"kv", "kv2"} {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if code, _, _ := call(alias); code == 0 {
					calls.Add(1)
				}
			}
		})
	}
	deployDone := make(chan int, 1)
	go func() {
		code, _, _ := deploy("kv3", "wasm/testdata/guests/kvgo/kvgo.wasm")
		deployDone <- code
	}()
	for calls.Load() < 4 {
		time.Sleep(20 * time.Millisecond)
	}
	n1.kill(t)
	killedAt := calls.Load()
	close(stop)
	wg.Wait()
	kv3Code := <-deployDone
	t.Logf("SIGKILL after %d calls during the traffic; the third deploy exited %d", killedAt, kv3Code)

	n2 := startNodeProcess(t, bin, args...)
	if n2.id != n1.id {
		t.Fatalf("peer id changed across the restart: %s then %s", n1.id, n2.id)
	}
	var after restartStatus
	n2.status(t, &after)
	got := after.aliases()
	for alias, svc := range before.aliases() {
		if got[alias] != svc {
			t.Errorf("alias %s: %q after the restart, %q before", alias, got[alias], svc)
		}
	}
	for _, sv := range after.Services.Services {
		if sv.Error != "" {
			t.Errorf("service %s %v was not restored: %s", sv.ID, sv.Aliases, sv.Error)
		}
	}
	for alias, w := range want {
		if code, out, errOut := call(alias); code != 0 || strings.TrimSpace(out) != w {
			t.Errorf("run %s after the restart: exit %d, stdout %q, stderr %s", alias, code, out, errOut)
		}
	}
	// The deploy the kill cut off: either it had finished (and the service is there and
	// answers), or it left nothing behind the alias.
	if _, ok := got["kv3"]; ok || kv3Code == 0 {
		if code, out, errOut := call("kv3"); code != 0 || strings.TrimSpace(out) != want["kv"] {
			t.Errorf("kv3 (deploy exit %d, alias present %v): run: exit %d, stdout %q, stderr %s", kv3Code, ok, code, out, errOut)
		}
	}
	// Deploying still works on the restored store: a redeploy replaces the old id.
	code, out, errOut := deploy("kv", "wasm/testdata/guests/kvgo/kvgo-v2.wasm")
	var line struct {
		ServiceID string   `json:"service_id"`
		Replaced  []string `json:"replaced"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &line) != nil || !slices.Equal(line.Replaced, []string{strings.Fields(before.aliases()["kv"])[0]}) {
		t.Errorf("redeploy after the restart: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if provider {
		after = waitCommitment(t, n2, false)
		t.Logf("after the restart: wallet %s, commitment %s, phase %s", after.Wallet.Address, after.Capacity.Commitment, after.Capacity.Phase)
		if !strings.EqualFold(after.Wallet.Address, account) || !strings.EqualFold(before.Wallet.Address, account) {
			t.Errorf("wallet address %s before, %s after the restart; the account is %s", before.Wallet.Address, after.Wallet.Address, account)
		}
		if after.Capacity.Units != before.Capacity.Units {
			t.Errorf("%d units before, %d after the restart", before.Capacity.Units, after.Capacity.Units)
		}
		// The provider carries on with its commitment: it does not make a new one.
		for _, id := range n2.logged("commitment created", "commitment") {
			if id != commitment {
				t.Errorf("after the restart the provider made commitment %s; it had %s", id, commitment)
			}
		}
	}
	if err := n2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-n2.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the restarted node did not stop within 20s of SIGTERM")
	}
}

// waitCommitment waits until the provider reports its wallet and a commitment (and,
// with created, has logged making it).
func waitCommitment(t *testing.T, p *nodeProcess, created bool) restartStatus {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	var st restartStatus
	for {
		st = restartStatus{}
		p.status(t, &st)
		if st.Capacity != nil && st.Wallet != nil && st.Wallet.Address != "" && st.Capacity.Commitment != "" &&
			st.Capacity.Commitment != "none" && (!created || len(p.logged("commitment created", "commitment")) > 0) {
			return st
		}
		if time.Now().After(deadline) {
			b, _ := json.Marshal(st)
			t.Fatalf("no commitment within 90s: %s\n%s", b, p.logText())
		}
		time.Sleep(250 * time.Millisecond)
	}
}
