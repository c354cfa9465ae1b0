package p2p

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// mDNS multicasts to 224.0.0.251 on every multicast-capable interface. So that the test
// never sends a packet beyond this machine, it runs only inside a private network
// namespace: the test binary re-executes itself in a new namespace where the only
// interface is a loopback with multicast switched on. Where no namespace can be made
// (not Linux, no CAP_SYS_ADMIN, no iproute2), it skips and says why.
const inNetnsEnv = "REEF_P2P_MDNS_NETNS"

func TestMDNSDiscovery(t *testing.T) {
	if os.Getenv(inNetnsEnv) == "1" {
		mdnsInNamespace(t)
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("mDNS test runs only in a private Linux network namespace, so that multicast stays on this machine")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("mDNS test needs iproute2's ip to set up its private network namespace")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMDNSDiscovery$", "-test.v", "-test.count=1", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), inNetnsEnv+"=1", "REEF_P2P_IP="+ip)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EINVAL) {
		t.Skipf("cannot create a network namespace for the mDNS test (needs CAP_SYS_ADMIN): %v", err)
	}
	if m := regexp.MustCompile(`(?m)^\s+mdns_test.go:\d+: (SKIP: .*)$`).FindSubmatch(out); m != nil {
		t.Skip(string(m[1]))
	}
	if err != nil {
		t.Fatalf("mDNS test in its namespace failed: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestMDNSDiscovery")) {
		t.Fatalf("mDNS test in its namespace did not pass:\n%s", out)
	}
	for _, line := range regexp.MustCompile(`(?m)^\s+mdns_test.go:\d+: .*$`).FindAll(out, -1) {
		t.Log(string(regexp.MustCompile(`^\s+mdns_test.go:\d+: `).ReplaceAll(line, nil)))
	}
}

func mdnsInNamespace(t *testing.T) {
	ip := os.Getenv("REEF_P2P_IP")
	// Nothing but lo exists here; make it up and multicast-capable, and route multicast
	// to it.
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "set", "lo", "multicast", "on"},
		{"route", "add", "224.0.0.0/4", "dev", "lo"},
	} {
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			t.Skipf("SKIP: cannot set up loopback multicast in the namespace (ip %v: %v: %s)", args, err, out)
		}
	}
	links, err := exec.Command(ip, "-br", "link").Output()
	if err != nil || bytes.Count(bytes.TrimSpace(links), []byte("\n")) != 0 {
		t.Fatalf("namespace is not private: %s %v", links, err)
	}
	a := newNode(t, WithMDNS(true))
	b := newNode(t, WithMDNS(true))
	if a.mdns == nil || b.mdns == nil {
		t.Fatal("mDNS did not start")
	}
	start := time.Now()
	eventually(t, 20*time.Second, "mDNS discovery", func() bool {
		return inTable(a, b.ID()) && inTable(b, a.ID())
	})
	t.Logf("two nodes found each other by mDNS in %v (private network namespace, loopback only)", time.Since(start).Round(time.Millisecond))
}
