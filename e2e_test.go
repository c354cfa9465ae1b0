package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildReef builds the reef binary once per test run.
func buildReef(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "reef")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("building reef: %v", err)
	}
	return bin
}

type devnetLine struct {
	Peers []struct {
		ID    string   `json:"id"`
		Addrs []string `json:"addrs"`
	} `json:"peers"`
}

// startDevnetProcess runs `reef devnet --nodes n --json` and returns its ready line.
func startDevnetProcess(t *testing.T, bin string, n int) (devnetLine, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, "devnet", "--nodes", "3", "--json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var ready devnetLine
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("devnet printed nothing; stderr:\n%s", stderr.String())
		}
		if err := json.Unmarshal([]byte(line), &ready); err != nil {
			t.Fatalf("ready line %q: %v", line, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("devnet not ready after 30s; stderr:\n%s", stderr.String())
	}
	if len(ready.Peers) != n {
		t.Fatalf("ready line lists %d peers, want %d", len(ready.Peers), n)
	}
	return ready, cmd
}

func runReef(t *testing.T, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestEndToEndDevnetAndRun(t *testing.T) {
	bin := buildReef(t)
	ready, devnet := startDevnetProcess(t, bin, 3)
	relay := ready.Peers[0].Addrs[0]
	if !strings.Contains(relay, "/p2p/"+ready.Peers[0].ID) {
		t.Fatalf("relay address %s lacks /p2p/", relay)
	}
	peersJSON, _ := json.Marshal([]string{ready.Peers[0].ID, ready.Peers[1].ID, ready.Peers[2].ID})

	t.Run("function through the relay", func(t *testing.T) {
		code, out, errOut := runReef(t, bin, "run", "--relay", relay, "--arg", `name="e2e"`, "testdata/air/greet_relay.air")
		if code != 0 || out != "\"hello, e2e\"\n" {
			t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
		}
	})
	t.Run("hop to another node, with a trace file", func(t *testing.T) {
		trace := filepath.Join(t.TempDir(), "trace.jsonl")
		code, out, errOut := runReef(t, bin, "run", "--relay", relay, "--arg", "peers="+string(peersJSON), "--arg", "i=2", "--trace", trace, "testdata/air/hop_to.air")
		if code != 0 || out != "\"at "+ready.Peers[2].ID+"\"\n" {
			t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
		}
		b, err := os.ReadFile(trace)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\n"); n < 3 {
			t.Fatalf("trace has %d hops:\n%s", n, b)
		}
		if !strings.Contains(string(b), ready.Peers[0].ID) {
			t.Fatalf("trace does not mention the relay:\n%s", b)
		}
		// Every run on every peer: the client's own runs, and the hop reports of the
		// relay and of the target node, ordered by time.
		runs := map[string]int{}
		var last time.Time
		for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var h struct {
				Time         time.Time `json:"time"`
				Peer         string    `json:"peer"`
				Source       string    `json:"source"`
				Instructions int       `json:"instructions"`
				CallsIssued  []struct {
					Service, Function string
				} `json:"calls_issued"`
			}
			if err := json.Unmarshal([]byte(line), &h); err != nil {
				t.Fatalf("line %d: %v: %s", i+1, err, line)
			}
			if h.Time.Before(last) || h.Instructions == 0 || h.Peer == "" {
				t.Errorf("line %d out of order or incomplete: %s", i+1, line)
			}
			last = h.Time
			runs[h.Source+" "+h.Peer]++
			if h.Peer == ready.Peers[2].ID && len(h.CallsIssued) == 1 && h.CallsIssued[0].Function == "concat_strings" {
				runs["target call"]++
			}
		}
		if runs["reported "+ready.Peers[0].ID] != 2 || runs["reported "+ready.Peers[2].ID] != 2 || runs["target call"] != 1 {
			t.Fatalf("runs by source and peer %v; trace:\n%s", runs, b)
		}
	})
	t.Run("timeout says where the particle went", func(t *testing.T) {
		absent := `["` + ready.Peers[0].ID + `","12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"]`
		code, out, errOut := runReef(t, bin, "run", "--relay", relay, "--ttl", "2s", "--arg", "peers="+absent, "--arg", "i=1", "testdata/air/hop_to.air")
		if code != 3 || out != "" {
			t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
		}
		for _, want := range []string{"expired after its TTL of 2s", "sent to: " + ready.Peers[0].ID} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr %q lacks %q", errOut, want)
			}
		}
	})
	t.Run("bad input", func(t *testing.T) {
		if code, _, errOut := runReef(t, bin, "run", "--relay", "not-a-multiaddr", "testdata/air/echo.air"); code != 2 {
			t.Fatalf("bad relay: exit %d, stderr %s", code, errOut)
		}
		if code, _, errOut := runReef(t, bin, "run", "testdata/air/echo.air"); code != 2 || !strings.Contains(errOut, "--relay") {
			t.Fatalf("no relay: exit %d, stderr %s", code, errOut)
		}
	})
	t.Run("script error", func(t *testing.T) {
		code, _, errOut := runReef(t, bin, "run", "--relay", relay, "testdata/air/echo.air")
		if code != 1 || !strings.Contains(errOut, "argument 's' was not given") {
			t.Fatalf("exit %d, stderr %s", code, errOut)
		}
	})

	t.Run("deploy a Wasm service, call it, redeploy with --watch", func(t *testing.T) {
		testDeployAndWatch(t, bin, relay)
	})

	if err := devnet.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- devnet.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("devnet did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("devnet did not stop within 10s of SIGTERM")
	}
}

func TestEndToEndNodeAPI(t *testing.T) {
	bin := buildReef(t)
	cmd := exec.Command(bin, "node", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--data-dir", t.TempDir(), "--no-mdns", "--log-format", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	apiRe := regexp.MustCompile(`"msg":"api listening","addr":"([^"]+)"`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := apiRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-found:
	case <-time.After(20 * time.Second):
		t.Fatal("node did not report its API address")
	}
	resp, err := http.Get("http://" + addr + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if id, _ := st["peer_id"].(string); !strings.HasPrefix(id, "12D3KooW") {
		t.Fatalf("status = %v", st)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node did not exit cleanly on SIGINT: %v", err)
	}
}

// testDeployAndWatch deploys testdata's kvgo guest with reef deploy, calls it by alias
// with reef run (a compiled Aqua function), then runs reef deploy --watch, replaces the
// file with the guest's version 2 and checks the redeploy.
func testDeployAndWatch(t *testing.T, bin, relay string) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	module := filepath.Join(dir, "kv.wasm")
	copyFile := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		// As a build does: write beside, then rename over.
		if err := os.WriteFile(to+".tmp", b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(to+".tmp", to); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("wasm/testdata/guests/kvgo/kvgo.wasm", module)
	type line struct {
		Time      string   `json:"time"`
		ServiceID string   `json:"service_id"`
		Module    string   `json:"module"`
		Alias     string   `json:"alias"`
		Replaced  []string `json:"replaced"`
		Redeploy  bool     `json:"redeploy"`
	}
	code, out, errOut := runReef(t, bin, "deploy", "--relay", relay, "--name", "kv", "--key-dir", keys, module)
	var first line
	if code != 0 || json.Unmarshal([]byte(out), &first) != nil || first.ServiceID == "" || first.Alias != "kv" || len(first.Module) != 64 {
		t.Fatalf("deploy: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	call := func(want string) {
		t.Helper()
		code, out, errOut := runReef(t, bin, "run", "--relay", relay, "--arg", `alias="kv"`, "--arg", `name="e2e"`, "testdata/air/call_service.air")
		if code != 0 || out != want+"\n" {
			t.Fatalf("run: exit %d, stdout %q (want %s), stderr %s", code, out, want, errOut)
		}
	}
	call(`["Hello, e2e!","1"]`)

	watch := exec.Command(bin, "deploy", "--relay", relay, "--name", "kv", "--key-dir", keys, "--watch", module)
	stdout, err := watch.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	watch.Stderr = &stderr
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if watch.ProcessState == nil {
			_ = watch.Process.Kill()
			_ = watch.Wait()
		}
	})
	lines := make(chan line, 10)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var l line
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				lines <- l
			}
		}
		close(lines)
	}()
	next := func() line {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("deploy --watch stopped; stderr:\n%s", stderr.String())
			}
			return l
		case <-time.After(60 * time.Second):
			t.Fatalf("no deploy line within 60s; stderr:\n%s", stderr.String())
		}
		return line{}
	}
	l1 := next()
	if l1.Time == "" || l1.Redeploy || len(l1.Replaced) != 1 || l1.Replaced[0] != first.ServiceID {
		t.Fatalf("first --watch line %+v", l1)
	}
	copyFile("wasm/testdata/guests/kvgo/kvgo-v2.wasm", module)
	l2 := next()
	if !l2.Redeploy || l2.Module == l1.Module || len(l2.Replaced) != 1 || l2.Replaced[0] != l1.ServiceID || l2.Time == "" {
		t.Fatalf("redeploy line %+v after %+v", l2, l1)
	}
	call(`["Hello, e2e!","2"]`)
	if err := watch.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := watch.Wait(); err != nil {
		t.Fatalf("deploy --watch did not exit cleanly on SIGINT: %v; stderr:\n%s", err, stderr.String())
	}
}
