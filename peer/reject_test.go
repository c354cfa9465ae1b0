package peer

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/particle"
)

// sendRaw writes raw bytes on a fresh particle stream from one host to a node.
func sendRaw(t *testing.T, from *Node, to *Node, raw []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pid, _ := lpeer.Decode(to.ID())
	s, err := from.Net().Host().NewStream(ctx, pid, particle.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = s.Write(raw)
	_ = s.CloseWrite()
	_, _ = io.Copy(io.Discard, s)
	_ = s.Close()
}

func frame(t *testing.T, p *particle.Particle) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := particle.WriteFrame(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNodeRejectsBadParticlesAndKeepsServing(t *testing.T) {
	dn := startDevnet(t, 2, WithMaxParticleSize(64<<10))
	target := dn.Nodes[0]
	sub := target.Events().Subscribe(1024)
	defer sub.Close()
	attacker := startClient(t, dn.Addr(0))
	script, _ := os.ReadFile("../testdata/air/greet_relay.air")
	_, otherKey, _ := ed25519.GenerateKey(nil)

	forged := particle.New(string(script), attacker.Key(), time.Minute, time.Now())
	forged.InitPeerID = dn.Nodes[1].ID() // claims to come from another peer
	tampered := particle.New(string(script), attacker.Key(), time.Minute, time.Now())
	tampered.Script = strings.Replace(tampered.Script, "hello, ", "pwned, ", 1)
	wrongKey := particle.New(string(script), attacker.Key(), time.Minute, time.Now())
	copy(wrongKey.Signature, ed25519.Sign(otherKey, wrongKey.SignedBytes()))
	expired := particle.New(string(script), attacker.Key(), time.Second, time.Now().Add(-time.Minute))
	future := particle.New(string(script), attacker.Key(), time.Minute, time.Now().Add(time.Hour))
	big := particle.New(strings.Repeat(" ", 100<<10)+string(script), attacker.Key(), time.Minute, time.Now())
	hugeLen := binary.AppendUvarint(nil, 1<<40)

	tests := []struct {
		name   string
		raw    []byte
		reason string
	}{
		{"forged init peer", frame(t, forged), "signature"},
		{"tampered script", frame(t, tampered), "signature"},
		{"signed by another key", frame(t, wrongKey), "signature"},
		{"expired ttl", frame(t, expired), "expired"},
		{"clock far ahead", frame(t, future), "future"},
		{"oversize", frame(t, big), "oversize"},
		{"declared length of a terabyte", append(hugeLen, 1, 2, 3), "oversize"},
		{"garbage bytes", []byte("\x10this is not a particle at all"), "malformed"},
		{"truncated frame", frame(t, tampered)[:40], "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sendRaw(t, attacker, target, tt.raw)
			ev := waitEvent(t, sub, 5*time.Second, func(e events.ParticleRejected) bool { return true })
			if ev.Reason != tt.reason {
				t.Fatalf("rejected with reason %q (%s), want %q", ev.Reason, ev.Detail, tt.reason)
			}
			if ev.Detail == "" {
				t.Fatal("rejection without detail")
			}
		})
	}
	if got := target.Stats().Rejected; got["signature"] != 3 || got["expired"] != 1 || got["future"] != 1 || got["oversize"] != 2 || got["malformed"] != 2 {
		t.Errorf("rejection counters = %v", got)
	}
	// The node still serves genuine particles.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := attacker.CallFunction(ctx, string(script), map[string]jsonv.Value{"name": jsonv.StringValue("still up")}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value.String() != `"hello, still up"` {
		t.Fatalf("result %s", res.Value)
	}
}

func TestIdentityPersistsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	start := func() *Node {
		n, err := New(WithDataDir(dir), WithP2P(p2p.WithListen("/ip4/127.0.0.1/tcp/0"), p2p.WithMDNS(false), p2p.WithTestLimits()))
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		return n
	}
	a := start()
	id := a.ID()
	a.Close()
	b := start()
	defer b.Close()
	if b.ID() != id {
		t.Fatalf("peer id changed across restarts: %s then %s", id, b.ID())
	}
	info, err := os.Stat(dir + "/identity.key")
	if err != nil {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("no key file in the data dir (%v): %v", entries, err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", info.Mode().Perm())
	}
}
