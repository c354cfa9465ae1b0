package peer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/events"
)

func readScript(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/air/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func peerList(dn *Devnet) jsonv.Value {
	var ids []jsonv.Value
	for _, n := range dn.Nodes {
		ids = append(ids, jsonv.StringValue(n.ID()))
	}
	return jsonv.ArrayValue(ids...)
}

func hopTo(t *testing.T, c *Node, peers jsonv.Value, i int, ttl time.Duration) (*FunctionResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ttl+10*time.Second)
	defer cancel()
	return c.CallFunction(ctx, readScript(t, "hop_to.air"), map[string]jsonv.Value{"peers": peers, "i": jsonv.IntValue(int64(i))}, ttl)
}

// Churn: 3 of 10 nodes stop while traffic runs. Particles to live peers still arrive;
// particles to stopped ones end in an "unreachable" event at the relay and a timeout
// that says where the particle went.
func TestChurn(t *testing.T) {
	dn := startDevnet(t, 10)
	peers := peerList(dn)
	client := startClient(t, dn.Addr(0))
	relayEvents := dn.Nodes[0].Events().Subscribe(4096)
	defer relayEvents.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 15; k++ {
				i := 1 + (w*15+k)%6 // peers 1..6 stay up
				res, err := hopTo(t, client, peers, i, 5*time.Second)
				if err != nil {
					errs <- fmt.Errorf("hop to live peer %d: %w", i, err)
					continue
				}
				if want := `"at ` + dn.Nodes[i].ID() + `"`; res.Value.String() != want {
					errs <- fmt.Errorf("hop to peer %d returned %s", i, res.Value)
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	dead := dn.Nodes[7:]
	for _, n := range dead {
		n.Close()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	res, err := hopTo(t, client, peers, 8, 2*time.Second)
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("hop to a stopped peer: result %v, err %v; want a timeout", res, err)
	}
	msg := te.Error()
	for _, want := range []string{"expired after its TTL of 2s", "sent to: " + dn.Nodes[0].ID(), "still waiting for"} {
		if !strings.Contains(msg, want) {
			t.Errorf("timeout message %q does not contain %q", msg, want)
		}
	}
	ev := waitEvent(t, relayEvents, 5*time.Second, func(e events.ParticleUnreachable) bool { return e.To == dn.Nodes[8].ID() })
	if ev.Reason == "" {
		t.Error("unreachable event without a reason")
	}
	if st := dn.Nodes[0].Stats(); st.Unreachable == 0 {
		t.Errorf("relay stats %+v count no unreachable peer", st)
	}
}

func TestNodeBuiltins(t *testing.T) {
	dn := startDevnet(t, 3)
	n0, n1 := dn.Nodes[0], dn.Nodes[1]
	client := startClient(t, dn.Addr(0))
	call := func(script string) (jsonv.Value, error) {
		t.Helper()
		// The script runs on the relay (node 0) and returns through the client.
		script = strings.ReplaceAll(script, "RELAY", `"`+n0.ID()+`"`)
		script = strings.ReplaceAll(script, "N1", `"`+n1.ID()+`"`)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		res, err := client.CallFunction(ctx, script, nil, 10*time.Second)
		if err != nil {
			return jsonv.Value{}, err
		}
		if res.ErrorObject != nil {
			return jsonv.Value{}, fmt.Errorf("script error: %s", res.ErrorObject)
		}
		return res.Value, nil
	}
	// onRelay runs body on the relay: first op.array builds the byte array [1 2 3] as
	// b and the peer lists as l1 = [N1] and l2 = [RELAY N1] (AIR has no array literals).
	onRelay := func(body string) string {
		return `(xor (seq (seq (seq (seq (call RELAY ("op" "array") [1 2 3] b) (call RELAY ("op" "array") [N1] l1)) (call RELAY ("op" "array") [RELAY N1] l2))` +
			` (call RELAY ` + body + ` r)) (call %init_peer_id% ("callbackSrv" "response") [r])) (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0]))`
	}
	tests := []struct {
		name  string
		body  string
		check func(jsonv.Value) error
	}{
		{"peer.identify", `("peer" "identify") []`, func(v jsonv.Value) error {
			addrs, _ := v.Field("external_addresses")
			av, _ := v.Field("air_version")
			if addrs.Len() == 0 || av.String() != `"0.62.0"` {
				return fmt.Errorf("identify = %s", v)
			}
			return nil
		}},
		{"peer.is_connected", `("peer" "is_connected") [N1]`, func(v jsonv.Value) error {
			if v.String() != "true" {
				return fmt.Errorf("is_connected = %s", v)
			}
			return nil
		}},
		{"peer.get_contact", `("peer" "get_contact") [N1]`, func(v jsonv.Value) error {
			c, _ := v.Index(0)
			id, _ := c.Field("peer_id")
			if id.String() != `"`+n1.ID()+`"` {
				return fmt.Errorf("get_contact = %s", v)
			}
			return nil
		}},
		{"peer.timeout", `("peer" "timeout") [20 "done"]`, func(v jsonv.Value) error {
			if v.String() != `"done"` {
				return fmt.Errorf("timeout = %s", v)
			}
			return nil
		}},
		{"kad.neighborhood", `("kad" "neighborhood") ["` + n0.ID() + `" [] 5]`, func(v jsonv.Value) error {
			if v.Len() != 2 {
				return fmt.Errorf("neighborhood = %s, want the 2 other nodes", v)
			}
			return nil
		}},
		{"kad.merge", `("kad" "merge") [RELAY l1 l2 5]`, func(v jsonv.Value) error {
			if v.Len() != 2 {
				return fmt.Errorf("merge = %s", v)
			}
			return nil
		}},
		{"sig.get_peer_id", `("sig" "get_peer_id") []`, func(v jsonv.Value) error {
			if v.String() != `"`+n0.ID()+`"` {
				return fmt.Errorf("get_peer_id = %s", v)
			}
			return nil
		}},
		{"sig.sign is refused for another peer's particle", `("sig" "sign") [b]`, func(v jsonv.Value) error {
			ok, _ := v.Field("success")
			if ok.String() != "false" {
				return fmt.Errorf("sign = %s", v)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := call(onRelay(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.check(v); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("unknown service error is caught by xor", func(t *testing.T) {
		v, err := call(`(xor (call RELAY ("nope" "f") []) (call %init_peer_id% ("callbackSrv" "response") [:error:.$.message]))`)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(v.String(), "No service found") {
			t.Fatalf("message = %s", v)
		}
	})
	t.Run("sig.sign on own particle, sig.verify", func(t *testing.T) {
		// Node 0 signs in a particle it starts itself.
		sub := n0.Events().Subscribe(64)
		defer sub.Close()
		var got jsonv.Value
		done := make(chan struct{})
		script := `(seq (call %init_peer_id% ("op" "array") [1 2 3] b) (seq (call %init_peer_id% ("sig" "sign") [b] s) (seq (call %init_peer_id% ("sig" "verify") [s.$.signature.[0] b] ok) (call %init_peer_id% ("res" "out") [ok s.$.success]))))`
		p := n0.NewParticle(script, 5*time.Second)
		err := n0.Execute(p, func(_ context.Context, req aqua.CallRequest) (aqua.CallResult, bool) {
			if req.Service != "res" {
				return aqua.CallResult{}, false
			}
			got = jsonv.ArrayValue(req.Args...)
			close(done)
			return aqua.Ok(jsonv.StringValue("")), true
		})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("no result")
		}
		if got.String() != "[true,true]" {
			t.Fatalf("verify, success = %s", got)
		}
	})
}

func TestStatusAndMetricsAPI(t *testing.T) {
	dn := startDevnet(t, 3)
	n := dn.Nodes[0]
	n.AddStatusSection("capacity", func() any { return map[string]int{"epoch": 7} })
	srv := httptest.NewServer(n.APIHandler())
	defer srv.Close()
	client := startClient(t, dn.Addr(0))
	if _, err := hopTo(t, client, peerList(dn), 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Get(srv.URL + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if st["peer_id"] != n.ID() || st["routing_table_size"].(float64) != 2 || st["uptime_s"].(float64) <= 0 {
		t.Fatalf("status = %v", st)
	}
	parts := st["particles"].(map[string]any)
	if parts["received"].(float64) < 1 || parts["forwarded"].(float64) < 1 || parts["executed"].(float64) < 2 {
		t.Fatalf("particle counters = %v", parts)
	}
	if st["capacity"].(map[string]any)["epoch"].(float64) != 7 {
		t.Fatalf("extra section missing: %v", st["capacity"])
	}
	if len(st["peers"].([]any)) < 3 || len(st["addresses"].([]any)) == 0 {
		t.Fatalf("peers/addresses = %v / %v", st["peers"], st["addresses"])
	}
	resp, err = srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{"reef_particles_received_total", "reef_particle_runs_total", "reef_particles_forwarded_total", "reef_particle_run_seconds_bucket"} {
		if !strings.Contains(string(body), m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
}

func TestExpiryIsReported(t *testing.T) {
	dn := startDevnet(t, 2)
	n := dn.Nodes[0]
	sub := n.Events().Subscribe(256)
	defer sub.Close()
	// A particle whose call never answers within its TTL.
	p := n.NewParticle(`(call %init_peer_id% ("peer" "timeout") [10000 "late"])`, 300*time.Millisecond)
	if err := n.Execute(p, nil); err != nil {
		t.Fatal(err)
	}
	ev := waitEvent(t, sub, 5*time.Second, func(e events.ParticleExpired) bool { return e.Particle.ID == p.ID })
	if len(ev.Pending) != 1 || !strings.Contains(ev.Pending[0], "peer.timeout") {
		t.Fatalf("expired event pending = %v", ev.Pending)
	}
	if st := n.Stats(); st.Expired != 1 || st.InFlight != 0 || st.DataBytes != 0 {
		t.Fatalf("stats after expiry: %+v", st)
	}
}
