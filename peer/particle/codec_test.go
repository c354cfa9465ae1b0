package particle

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/reefhq/reef/aqua/data"
)

// katBody is Marshal(fixture()): pinned so that any change of the wire format is
// deliberate (it must come with a FormatVersion bump).
const katBody = "525002" + // "RP", version 2
	"24" + "39613065336630632d346237642d346532612d386636312d326335643762316533613930" + // id
	"34" + "313244334b6f6f574b3939566f56784e4537587a79427758457a573778684b37477076383572394633563366794b53554b504835" + // init peer id
	"0068e5cf8b010000" + // timestamp u64 LE
	"581b0000" + // ttl u32 LE
	"26" + "2863616c6c2025696e69745f706565725f6964252028226f702220226e6f6f702229205b5d29" + // script
	"40" + katSignature + // signature
	"00" + // no trace request
	"09" + "524401" + "6f7061717565" // data

// katTracedBody is the fixture with a trace request to its own init peer (the
// known-answer trace signature is katTraceSignature).
const katTracedBody = "525002" +
	"24" + "39613065336630632d346237642d346532612d386636312d326335643762316533613930" +
	"34" + "313244334b6f6f574b3939566f56784e4537587a79427758457a573778684b37477076383572394633563366794b53554b504835" +
	"0068e5cf8b010000" + "581b0000" +
	"26" + "2863616c6c2025696e69745f706565725f6964252028226f702220226e6f6f702229205b5d29" +
	"40" + katSignature +
	"01" + // trace request follows
	"34" + "313244334b6f6f574b3939566f56784e4537587a79427758457a573778684b37477076383572394633563366794b53554b504835" + // trace-to
	"40" + katTraceSignature + // trace signature
	"09" + "524401" + "6f7061717565"

func TestBodyLayout(t *testing.T) {
	p := fixture()
	got, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	// The layout of docs/protocol.md, assembled by hand.
	var want []byte
	want = append(want, 'R', 'P', 2)
	want = append(want, byte(len(p.ID)))
	want = append(want, p.ID...)
	want = append(want, byte(len(p.InitPeerID)))
	want = append(want, p.InitPeerID...)
	want = append(want, 0x00, 0x68, 0xe5, 0xcf, 0x8b, 0x01, 0x00, 0x00)
	want = append(want, 0x58, 0x1b, 0x00, 0x00)
	want = append(want, byte(len(p.Script)))
	want = append(want, p.Script...)
	want = append(want, 64)
	want = append(want, p.Signature...)
	want = append(want, 0)
	want = append(want, byte(len(p.Data)))
	want = append(want, p.Data...)
	if !bytes.Equal(got, want) {
		t.Fatalf("body\n %x\nwant\n %x", got, want)
	}
	if hex.EncodeToString(got) != katBody {
		t.Fatalf("body\n %x\ndiffers from katBody\n %s", got, katBody)
	}
	if len(got) != bodySize(p) {
		t.Errorf("bodySize %d, encoded %d", bodySize(p), len(got))
	}

	p.RequestTrace(testKey, p.InitPeerID)
	got, err = Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(got) != katTracedBody {
		t.Fatalf("traced body\n %x\ndiffers from katTracedBody\n %s", got, katTracedBody)
	}
	if len(got) != bodySize(p) {
		t.Errorf("bodySize %d, encoded %d", bodySize(p), len(got))
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	for _, tc := range []struct {
		name   string
		mutate func(p *Particle)
	}{
		{"fixture", func(p *Particle) {}},
		{"no data", func(p *Particle) { p.Data = nil }},
		{"empty script", func(p *Particle) { p.Script = "" }},
		{"unicode script", func(p *Particle) { p.Script = "(null) ; ünïcødé ✓ \U0001F41F \uFFFD" }},
		{"script over 127 bytes (2-byte length)", func(p *Particle) { p.Script = long(128) }},
		{"script of 3 KiB", func(p *Particle) { p.Script = long(3 << 10) }},
		{"script of 20000 bytes (3-byte length)", func(p *Particle) { p.Script = long(20000) }},
		{"data of 1 MiB", func(p *Particle) { p.Data = bytes.Repeat([]byte{0xa5}, 1<<20) }},
		{"longest id", func(p *Particle) { p.ID = long(MaxIDLen) }},
		{"shortest id", func(p *Particle) { p.ID = "a" }},
		{"spell id", func(p *Particle) { p.ID = "spell_9a0e3f0c-4b7d-4e2a-8f61-2c5d7b1e3a90_17" }},
		{"longest peer id", func(p *Particle) { p.InitPeerID = strings.Repeat("z", MaxPeerIDLen) }},
		{"extreme numbers", func(p *Particle) { p.Timestamp, p.TTL = math.MaxUint64, math.MaxUint32 }},
		{"traced", func(p *Particle) { p.RequestTrace(testKey, p.InitPeerID) }},
		{"traced to another peer, no data", func(p *Particle) { p.RequestTrace(testKey, data.PeerIDFromKey(otherKey)); p.Data = nil }},
		{"traced to the longest peer id", func(p *Particle) { p.Trace = &TraceRequest{To: long(MaxPeerIDLen), Signature: p.Signature} }},
		{"zero numbers", func(p *Particle) { p.Timestamp, p.TTL = 0, 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fixture()
			tc.mutate(p)
			b, err := Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) != bodySize(p) {
				t.Errorf("bodySize %d, encoded %d", bodySize(p), len(b))
			}
			q, err := Unmarshal(b, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p, q) {
				t.Fatalf("round trip:\n %+v\n %+v", p, q)
			}
			b2, err := Marshal(q)
			if err != nil || !bytes.Equal(b, b2) {
				t.Fatalf("re-encoding differs (%v)", err)
			}
			// The decoded particle owns its memory.
			for i := range b {
				b[i] ^= 0xff
			}
			if !reflect.DeepEqual(p, q) {
				t.Fatal("the decoded particle shares memory with the input")
			}
		})
	}
}

func TestMarshalDeterministic(t *testing.T) {
	p := fixture()
	a, _ := Marshal(p)
	for range 10 {
		b, _ := Marshal(fixture())
		if !bytes.Equal(a, b) {
			t.Fatal("Marshal is not deterministic")
		}
	}
	// Empty and nil data encode the same.
	p.Data = nil
	a, _ = Marshal(p)
	p.Data = []byte{}
	if b, _ := Marshal(p); !bytes.Equal(a, b) {
		t.Fatal("nil and empty data encode differently")
	}
}

func TestMarshalRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(p *Particle)
		sub    string
	}{
		{"empty id", func(p *Particle) { p.ID = "" }, "id is empty"},
		{"long id", func(p *Particle) { p.ID = strings.Repeat("a", MaxIDLen+1) }, "id is 129 bytes, limit 128"},
		{"id with slash", func(p *Particle) { p.ID = "../etc" }, "id has byte 0x2e at offset 0"},
		{"id with space", func(p *Particle) { p.ID = "a b" }, "id has byte 0x20 at offset 1"},
		{"empty peer id", func(p *Particle) { p.InitPeerID = "" }, "init peer id is empty"},
		{"peer id not base58", func(p *Particle) { p.InitPeerID = "12D3KooW0" }, "init peer id has byte 0x30 at offset 8"},
		{"long peer id", func(p *Particle) { p.InitPeerID = strings.Repeat("z", MaxPeerIDLen+1) }, "init peer id is 129 bytes"},
		{"script not UTF-8", func(p *Particle) { p.Script = "(null)\xff" }, "script is not valid UTF-8 (bad byte at script offset 6)"},
		{"script with surrogate", func(p *Particle) { p.Script = "ab\xed\xa0\x80" }, "bad byte at script offset 2"},
		{"unsigned", func(p *Particle) { p.Signature = nil }, "signature is 0 bytes, want 64"},
		{"short signature", func(p *Particle) { p.Signature = p.Signature[:32] }, "signature is 32 bytes, want 64"},
		{"trace without destination", func(p *Particle) { p.RequestTrace(testKey, "") }, "trace-to peer id is empty"},
		{"trace to a non-base58 peer", func(p *Particle) { p.RequestTrace(testKey, "12D3KooW0") }, "trace-to peer id has byte 0x30 at offset 8"},
		{"trace unsigned", func(p *Particle) { p.Trace = &TraceRequest{To: p.InitPeerID} }, "trace signature is 0 bytes, want 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fixture()
			tc.mutate(p)
			_, err := Marshal(p)
			wantReason(t, err, ReasonMalformed, "cannot encode", tc.sub)
			var buf bytes.Buffer
			wantReason(t, WriteFrame(&buf, p), ReasonMalformed, tc.sub)
			if buf.Len() != 0 {
				t.Error("WriteFrame wrote an invalid particle")
			}
		})
	}
	_, err := Marshal(nil)
	wantReason(t, err, ReasonMalformed, "nil particle")
	wantReason(t, ValidateID("a/b"), ReasonMalformed, "0x2f")
	if err := ValidateID("spell_1_2"); err != nil {
		t.Error(err)
	}
}

// unchecked encodes p without validating it.
func unchecked(p *Particle) []byte { return appendBody(nil, p) }

// splice replaces b[at:at+n] with r.
func splice(b []byte, at, n int, r ...byte) []byte {
	return append(append(append([]byte(nil), b[:at]...), r...), b[at+n:]...)
}

func TestUnmarshalRejects(t *testing.T) {
	valid, _ := Marshal(fixture())
	with := func(mutate func(p *Particle)) []byte { p := fixture(); mutate(p); return unchecked(p) }
	idAt := 3
	pidAt := idAt + 1 + 36
	tsAt := pidAt + 1 + 52
	scriptAt := tsAt + 12
	sigAt := scriptAt + 1 + 38
	flagAt := sigAt + 1 + 64
	dataAt := flagAt + 1
	traced := fixture()
	traced.RequestTrace(testKey, traced.InitPeerID)
	validTraced, _ := Marshal(traced)
	traceToAt := flagAt + 1
	traceSigAt := traceToAt + 1 + 52
	withTrace := func(mutate func(p *Particle)) []byte {
		p := fixture()
		p.RequestTrace(testKey, p.InitPeerID)
		mutate(p)
		return unchecked(p)
	}
	for _, tc := range []struct {
		name    string
		body    []byte
		maxSize int
		reason  Reason
		subs    []string
	}{
		{"empty", nil, 0, ReasonMalformed, []string{"empty body"}},
		{"one byte", []byte("R"), 0, ReasonMalformed, []string{"bad magic 52"}},
		{"magic only", []byte("RP"), 0, ReasonMalformed, []string{"at byte 2", "end of input"}},
		{"bad magic", splice(valid, 0, 1, 'X'), 0, ReasonMalformed, []string{"at byte 0: not a Reef particle (bad magic 58 50 02)"}},
		{"particle data instead", []byte("RD\x01\x00"), 0, ReasonMalformed, []string{"bad magic"}},
		{"json", []byte(`{"action":"Particle"}`), 0, ReasonMalformed, []string{"bad magic"}},
		{"fluence msgpack", []byte{0x81, 0x04, 0x88}, 0, ReasonMalformed, []string{"bad magic"}},
		{"version 0", splice(valid, 2, 1, 0), 0, ReasonUnsupportedVersion, []string{"at byte 2: format version 0, this build reads 2"}},
		{"version 1 (before trace requests)", splice(valid, 2, 1, 1), 0, ReasonUnsupportedVersion, []string{"format version 1"}},
		{"version 3", splice(valid, 2, 1, 3), 0, ReasonUnsupportedVersion, []string{"format version 3"}},
		{"oversize", valid, len(valid) - 1, ReasonOversize, []string{fmt.Sprintf("body is %d bytes, limit %d", len(valid), len(valid)-1)}},
		{"exact size limit", valid, len(valid), 0, nil},
		{"trailing byte", append(bytes.Clone(valid), 0), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: 1 trailing bytes", len(valid))}},
		{"truncated data", valid[:len(valid)-1], 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: data is 9 bytes, only 8 left", dataAt)}},
		{"truncated in ttl", valid[:tsAt+10], 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: unexpected end of input (ttl: need 4 bytes, 2 left)", tsAt+8)}},
		{"truncated in timestamp", valid[:tsAt+3], 0, ReasonMalformed, []string{"timestamp: need 8 bytes, 3 left"}},
		{"truncated before script length", valid[:scriptAt], 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: unexpected end of input (script length)", scriptAt)}},
		{"id length over limit", splice(valid, idAt, 1, 0xff, 0x01), 0, ReasonMalformed, []string{"at byte 3: id is 255 bytes, limit 128"}},
		{"id length beyond input", valid[:idAt+5], 0, ReasonMalformed, []string{"at byte 3: id is 36 bytes, only 4 left"}},
		{"id length non-minimal", splice(valid, idAt, 1, 0xa4, 0x00), 0, ReasonMalformed, []string{"at byte 3: id length varint is not minimally encoded"}},
		{"id length huge", splice(valid, idAt, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 0, ReasonMalformed, []string{"id is 18446744073709551615 bytes, limit 128"}},
		{"id length overflows", splice(valid, idAt, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), 0, ReasonMalformed, []string{"id length varint overflows"}},
		{"script length huge", splice(valid, scriptAt, 1, 0xff, 0xff, 0xff, 0xff, 0x0f), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: script is 4294967295 bytes, only %d left", scriptAt, len(valid)-scriptAt-1)}},
		{"empty id", with(func(p *Particle) { p.ID = "" }), 0, ReasonMalformed, []string{"at byte 3: id is empty"}},
		{"id too long", with(func(p *Particle) { p.ID = strings.Repeat("a", 129) }), 0, ReasonMalformed, []string{"at byte 3: id is 129 bytes, limit 128"}},
		{"id with slash", with(func(p *Particle) { p.ID = "a/b" }), 0, ReasonMalformed, []string{"at byte 3: id has byte 0x2f at offset 1"}},
		{"id with NUL", with(func(p *Particle) { p.ID = "ab\x00" }), 0, ReasonMalformed, []string{"id has byte 0x00"}},
		{"peer id not base58", with(func(p *Particle) { p.InitPeerID = "12D3KooW+" }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: init peer id has byte 0x2b at offset 8", pidAt)}},
		{"peer id empty", with(func(p *Particle) { p.InitPeerID = "" }), 0, ReasonMalformed, []string{"init peer id is empty"}},
		{"script not UTF-8", with(func(p *Particle) { p.Script = "(null)\xc3(" }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: script is not valid UTF-8 (bad byte at script offset 6)", scriptAt)}},
		{"script truncated rune", with(func(p *Particle) { p.Script = "✓"[:2] }), 0, ReasonMalformed, []string{"script offset 0"}},
		{"signature 63 bytes", with(func(p *Particle) { p.Signature = p.Signature[:63] }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: signature is 63 bytes, want 64", sigAt)}},
		{"signature 65 bytes", with(func(p *Particle) { p.Signature = append(p.Signature, 1) }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: signature is 65 bytes, limit 64", sigAt)}},
		{"signature missing", with(func(p *Particle) { p.Signature = nil }), 0, ReasonMalformed, []string{"signature is 0 bytes, want 64"}},
		{"data length non-minimal", splice(valid, dataAt, 1, 0x89, 0x00), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: data length varint is not minimally encoded", dataAt)}},
		{"trace flag 2", splice(valid, flagAt, 1, 2), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace flag is 0x02, want 0x00 (none) or 0x01 (trace request)", flagAt)}},
		{"trace flag missing", valid[:flagAt], 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: unexpected end of input (trace flag: need 1 bytes, 0 left)", flagAt)}},
		{"traced", validTraced, 0, 0, nil},
		{"trace flag set, no request", splice(valid, flagAt, 1, 1), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace-to peer id", traceToAt)}},
		{"trace-to empty", withTrace(func(p *Particle) { p.Trace.To = "" }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace-to peer id is empty", traceToAt)}},
		{"trace-to not base58", withTrace(func(p *Particle) { p.Trace.To = "12D3KooWl" }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace-to peer id has byte 0x6c at offset 8 (not base58)", traceToAt)}},
		{"trace-to too long", withTrace(func(p *Particle) { p.Trace.To = strings.Repeat("z", 129) }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace-to peer id is 129 bytes, limit 128", traceToAt)}},
		{"trace signature 63 bytes", withTrace(func(p *Particle) { p.Trace.Signature = p.Trace.Signature[:63] }), 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace signature is 63 bytes, want 64", traceSigAt)}},
		{"trace signature 65 bytes", withTrace(func(p *Particle) { p.Trace.Signature = append(p.Trace.Signature, 0) }), 0, ReasonMalformed, []string{"trace signature is 65 bytes, limit 64"}},
		{"traced, truncated in the trace signature", validTraced[:traceSigAt+10], 0, ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace signature is 64 bytes, only 9 left", traceSigAt)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Unmarshal(tc.body, tc.maxSize)
			if tc.reason == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if p != nil {
				t.Error("a particle came with the error")
			}
			wantReason(t, err, tc.reason, tc.subs...)
		})
	}
}

// Every strict prefix of a valid body is malformed, and so is every body with one byte
// changed in a length prefix or the magic, without a panic.
func TestUnmarshalEveryPrefix(t *testing.T) {
	traced := fixture()
	traced.RequestTrace(testKey, traced.InitPeerID)
	for _, p := range []*Particle{fixture(), traced} {
		testEveryPrefix(t, p)
	}
}

func testEveryPrefix(t *testing.T, p *Particle) {
	valid, _ := Marshal(p)
	for n := range len(valid) {
		_, err := Unmarshal(valid[:n], 0)
		wantReason(t, err, ReasonMalformed)
	}
	for i := range valid {
		for _, c := range []byte{0x00, 0x7f, 0x80, 0xff} {
			b := splice(valid, i, 1, c)
			p, err := Unmarshal(b, 0)
			if err == nil {
				if again, _ := Marshal(p); !bytes.Equal(again, b) {
					t.Fatalf("byte %d = %#x: decoded but re-encodes differently", i, c)
				}
				continue
			}
			if _, ok := ReasonOf(err); !ok {
				t.Fatalf("byte %d = %#x: %v is not a RejectError", i, c, err)
			}
		}
	}
}
