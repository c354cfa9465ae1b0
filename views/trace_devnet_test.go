package views

// The particle panes against real data: an in-process devnet whose nodes record every
// run, a client calling hop_to.air through it, and the panes rendering the recorder's
// particles, trace and replay.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/recorder"
)

func ppDevnet(t *testing.T, n int) (*recorder.Recorder, *peer.Devnet, *peer.Node) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a devnet")
	}
	rec := recorder.New()
	quiet := peer.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dn, err := peer.StartDevnet(ctx, n, peer.WithRunHook(rec.Hook()), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dn.Close() })
	watch, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	for _, node := range dn.Nodes {
		rec.Watch(watch, node)
	}
	ident, err := p2p.GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	client, err := peer.New(peer.WithIdentity(ident), peer.WithClientMode(dn.Addr(0)), peer.WithRunHook(rec.Hook()), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	rec.Watch(watch, client)
	return rec, dn, client
}

func ppHopToCall(t *testing.T, client *peer.Node, peers []string, i int, ttl time.Duration) (*peer.FunctionResult, error) {
	t.Helper()
	src, err := os.ReadFile(ppHopToPath)
	if err != nil {
		t.Fatal(err)
	}
	var ids []jsonv.Value
	for _, p := range peers {
		ids = append(ids, jsonv.StringValue(p))
	}
	args := map[string]jsonv.Value{"peers": jsonv.ArrayValue(ids...), "i": jsonv.IntValue(int64(i))}
	return client.CallFunction(context.Background(), string(src), args, ttl)
}

// ppWaitParticle waits until the recorder holds one particle with the status.
func ppWaitParticle(t *testing.T, rec *recorder.Recorder, st recorder.Status) recorder.Summary {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		list := rec.Particles(recorder.Filter{Status: st})
		if len(list) == 1 {
			return list[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s particle: %+v", st, rec.Particles(recorder.Filter{}))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestParticlePanesOnARealDevnet(t *testing.T) {
	rec, dn, client := ppDevnet(t, 3)
	var peers []string
	for _, n := range dn.Nodes {
		peers = append(peers, n.ID())
	}
	target := dn.Nodes[2].ID()
	res, err := ppHopToCall(t, client, peers, 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value.String() != `"at `+target+`"` {
		t.Fatalf("result %s", res.Value)
	}
	s := ppWaitParticle(t, rec, recorder.Completed)

	c := ppCommon(t)
	c.Now = time.Now

	// The particle list.
	list := NewParticles(c)
	list.SetSize(120, 30)
	list.SetParticles(rec.Particles(recorder.Filter{}))
	v := ansi.Strip(list.View())
	if !strings.Contains(v, ppShortParticle(s.ID)) || !strings.Contains(v, "completed") || !strings.Contains(v, uitext.ShortID(client.ID())) {
		t.Fatalf("particle list:\n%s", v)
	}
	open, ok := ppFind[OpenTraceMsg](ppPress(list, "enter"))
	if !ok || open.ParticleID != s.ID {
		t.Fatalf("enter: %+v", open)
	}

	// The trace: one hop row per run, on the client, the relay and the target.
	trace := NewTrace(c)
	trace.SetSize(120, 40)
	trace.Open(open.ParticleID)
	tr, ok := rec.Trace(trace.ParticleID())
	if !ok {
		t.Fatal("no trace")
	}
	trace.SetTrace(tr)
	v = ansi.Strip(trace.View())
	if !strings.Contains(v, "✓ completed") {
		t.Fatalf("trace header:\n%s", v)
	}
	for _, p := range []string{client.ID(), dn.Nodes[0].ID(), target} {
		if !strings.Contains(v, "→ "+uitext.ShortID(p)) {
			t.Errorf("no hop on %s:\n%s", uitext.ShortID(p), v)
		}
	}
	if !strings.Contains(v, "sent it to "+uitext.ShortID(target)) {
		t.Errorf("no forward to the target:\n%s", v)
	}
	// Walk to the target's hop that applied concat_strings and open its replay.
	ppPress(trace, "home")
	var hop recorder.Hop
	for range len(tr.Hops) {
		h, _ := trace.SelectedHop()
		if h.Peer == target && len(h.Results) > 0 {
			hop = h
			break
		}
		ppPress(trace, "down")
	}
	if hop.Seq == 0 || !hop.Replayable() {
		t.Fatalf("no replayable target hop with results in %d hops", len(tr.Hops))
	}
	v = ansi.Strip(trace.View())
	if !strings.Contains(v, "op.concat_strings(") && !strings.Contains(v, "applied results of calls") {
		t.Errorf("target hop details:\n%s", v)
	}
	if !strings.Contains(v, "▶ enter: replay this hop") {
		t.Errorf("no replay hint on a recorded hop:\n%s", v)
	}
	openReplay, ok := ppFind[OpenReplayMsg](ppPress(trace, "enter"))
	if !ok || openReplay.ParticleID != s.ID || openReplay.Hop != hop.Seq {
		t.Fatalf("enter on the target hop: %+v", openReplay)
	}

	// The replay, through the recorder as the TraceSource.
	rp := NewReplay(c, rec)
	rp.SetSize(120, 40)
	msgs := ppRun(rp.Open(openReplay.ParticleID, openReplay.Hop))
	if len(msgs) != 1 {
		t.Fatalf("replay command: %v", msgs)
	}
	rp.Update(msgs[0])
	if rp.Err() != nil {
		t.Fatal(rp.Err())
	}
	if pos, n := rp.Position(); pos != 0 || n == 0 {
		t.Fatalf("replay position %d of %d", pos, n)
	}
	v = ansi.Strip(rp.View())
	if !strings.Contains(v, "Replay hop #") || !strings.Contains(v, "(call %init_peer_id% (\"getDataSrv\"") {
		t.Fatalf("replay view:\n%s", v)
	}
	// Jump call by call to concat_strings: its result and the scalar it wrote show.
	for range 10 {
		if st, _ := rp.Current(); st.Call != nil && st.Call.Function == "concat_strings" {
			break
		}
		ppPress(rp, "]")
	}
	st, _ := rp.Current()
	if st.Call == nil || st.Call.Function != "concat_strings" {
		t.Fatalf("no concat_strings step; at %+v", st)
	}
	v = ansi.Strip(rp.View())
	for _, want := range []string{"op.concat_strings(\"at \"", "+ ret = \"at ", "▶"} {
		if !strings.Contains(v, want) {
			t.Errorf("replay at concat_strings lacks %q:\n%s", want, v)
		}
	}
	// Step back and forth and toggle every step: the frame holds.
	ppPress(rp, "p", "p", "n", "a", "n", "n", "E", "G", "g")
	ppCheckFrame(t, rp.View(), 120, 40)
	rp.SetSize(80, 24)
	ppCheckFrame(t, rp.View(), 80, 24)
}

func TestTracePaneExplainsARealTimeout(t *testing.T) {
	rec, dn, client := ppDevnet(t, 3)
	var peers []string
	for _, n := range dn.Nodes {
		peers = append(peers, n.ID())
	}
	dead := dn.Nodes[2].ID()
	dn.Nodes[2].Close()
	_, err := ppHopToCall(t, client, peers, 2, time.Second)
	var te *peer.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v", err)
	}
	s := ppWaitParticle(t, rec, recorder.Expired)
	c := ppCommon(t)
	c.Now = time.Now
	trace := NewTrace(c)
	trace.SetSize(120, 40)
	tr, _ := rec.Trace(s.ID)
	trace.SetTrace(tr)
	v := ansi.Strip(trace.View())
	for _, want := range []string{"✗ expired", "✗ Why it expired: the TTL (1s) ran out", "last reached", "waiting for", "unreachable   " + uitext.ShortID(dead)} {
		if !strings.Contains(v, want) {
			t.Errorf("expired trace lacks %q:\n%s", want, v)
		}
	}
	ppCheckFrame(t, trace.View(), 120, 40)
}
