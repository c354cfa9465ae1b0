package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmux runs a tmux command on the test's own server socket.
func tmux(t *testing.T, sock string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", sock}, args...)...).CombinedOutput()
	return string(out), err
}

// waitPane polls the pane's text until ok, or fails after timeout.
func waitPane(t *testing.T, sock, what string, timeout time.Duration, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var screen string
	for time.Now().Before(deadline) {
		out, err := tmux(t, sock, "capture-pane", "-p", "-t", "reef")
		if err == nil {
			screen = out
			if ok(screen) {
				return screen
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; the pane:\n%s", what, screen)
	return ""
}

// TestConsoleSmokeInTmux runs the built binary in a real pseudo-terminal (tmux) with no
// subcommand: the console opens with its header and panes, the devnet's peers show up,
// keys work, q quits with status 0, and nothing but the UI reached the terminal.
func TestConsoleSmokeInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux); the console smoke test needs a real terminal")
	}
	bin := buildReef(t)
	dir := t.TempDir()
	sock := fmt.Sprintf("reef-smoke-%d", os.Getpid())
	t.Cleanup(func() { _, _ = tmux(t, sock, "kill-server") })
	exitFile := filepath.Join(dir, "exit-status")
	// tmux runs the command through sh; the exit status is written to a file (tmux's own
	// pane_dead_status is not always recorded).
	cmd := fmt.Sprintf("%s --data-dir %s; echo $? > %s", bin, dir, exitFile)
	if out, err := tmux(t, sock, "-f", "/dev/null", "new-session", "-d", "-s", "reef", "-x", "120", "-y", "40", cmd); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	// Keep the pane after the program exits, to check its exit status and what is left
	// on the terminal.
	if out, err := tmux(t, sock, "set-option", "-t", "reef", "remain-on-exit", "on"); err != nil {
		t.Fatalf("tmux set-option: %v: %s", err, out)
	}
	start := time.Now()
	waitPane(t, sock, "the first frame", 5*time.Second, func(s string) bool {
		return strings.Contains(s, "reef │") && strings.Contains(s, "Topology") && strings.Contains(s, "Logs")
	})
	t.Logf("first frame after %s", time.Since(start).Round(time.Millisecond))
	screen := waitPane(t, sock, "the devnet's peers", 30*time.Second, func(s string) bool {
		return strings.Contains(s, "4 connected") && strings.Contains(s, "4 peers in the routing table")
	})
	for _, want := range []string{"1 Particles", "5 Topology", "6 Logs", "particles/s", "theme dark"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q", want)
		}
	}
	// A key: cycle the theme.
	if _, err := tmux(t, sock, "send-keys", "-t", "reef", "t"); err != nil {
		t.Fatal(err)
	}
	waitPane(t, sock, "the light theme", 5*time.Second, func(s string) bool { return strings.Contains(s, "theme light") })
	if _, err := tmux(t, sock, "send-keys", "-t", "reef", "q"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := os.ReadFile(exitFile)
		if err == nil && strings.HasSuffix(string(b), "\n") {
			if status := strings.TrimSpace(string(b)); status != "0" {
				t.Fatalf("after q the console exited with status %s", status)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the console did not exit within 15 s of q")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Out of the alternate screen, the terminal holds nothing the program wrote (only
	// tmux's own "Pane is dead" line may be there).
	left, _ := tmux(t, sock, "capture-pane", "-p", "-t", "reef")
	for _, line := range strings.Split(left, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "Pane is dead") {
			t.Errorf("the terminal kept %q after the console exited", l)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "reef.log")); err != nil || !strings.Contains(string(b), "console ready") {
		t.Errorf("the log file: %v", err)
	}
}
