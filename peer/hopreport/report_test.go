package hopreport

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/peer/particle"
)

var (
	initKey     = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x01}, 32))
	reporterKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x02}, 32))
	otherKey    = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x03}, 32))
	testNow     = time.UnixMilli(1700000000000)
)

// fixture returns an unsigned report of a traced particle (trace to its init peer).
func fixture() *Report {
	p := &particle.Particle{ID: "9a0e3f0c-4b7d-4e2a-8f61-2c5d7b1e3a90", Timestamp: 1700000000000, TTL: 7000, Script: "(null)"}
	p.Sign(initKey)
	p.RequestTrace(initKey, p.InitPeerID)
	return &Report{
		ParticleID: p.ID, InitPeerID: p.InitPeerID, Timestamp: p.Timestamp, TTL: p.TTL,
		TraceTo: p.Trace.To, TraceSignature: p.Trace.Signature,
		From:   p.InitPeerID,
		TimeIn: testNow.Add(time.Millisecond), Start: testNow.Add(2 * time.Millisecond), TimeOut: testNow.Add(3 * time.Millisecond),
		Instructions: 12, RetCode: 0,
		NextPeers: []string{p.InitPeerID},
		Calls:     []Call{{ID: 1, Service: "op", Function: "noop", Args: "[]"}, {ID: 2, Service: "peer", Function: "identify", Args: `["✓"]`}},
		Results:   []Result{{ID: 7, Service: "op", Function: "identity", Text: `"x"`}, {ID: 8, Service: "nope", Function: "f", RetCode: 2, Text: `"No service found"`}},
	}
}

func sealed(t testing.TB, r *Report) []byte {
	t.Helper()
	b, err := Seal(r, reporterKey)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantReason(t *testing.T, err error, r Reason, subs ...string) {
	t.Helper()
	got, ok := ReasonOf(err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *RejectError", err, err)
	}
	if got != r {
		t.Fatalf("reason %s (%v), want %s", got, err, r)
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func TestSealRoundTrip(t *testing.T) {
	r := fixture()
	b := sealed(t, r)
	if r.Reporter != data.PeerIDFromKey(reporterKey) {
		t.Fatalf("reporter %s", r.Reporter)
	}
	if len(b) != bodySize(r) {
		t.Errorf("bodySize %d, encoded %d", bodySize(r), len(b))
	}
	again, err := Marshal(r)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("Marshal after Seal differs (%v)", err)
	}
	q, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(r), normalize(q)) {
		t.Fatalf("round trip:\n %+v\n %+v", r, q)
	}
	if err := q.Verify(); err != nil {
		t.Fatal(err)
	}
	if err := q.VerifyTrace(); err != nil {
		t.Fatal(err)
	}
	if err := q.CheckExpiry(testNow, particle.DefaultClockSkew); err != nil {
		t.Fatal(err)
	}
	if !q.Results[0].OK() || q.Results[1].OK() {
		t.Error("OK")
	}
	// The report owns its memory.
	for i := range b {
		b[i] ^= 0xff
	}
	if err := q.Verify(); err != nil {
		t.Fatal("the decoded report shares memory with the input")
	}
}

// normalize drops the location and monotonic clock of times for comparison.
func normalize(r *Report) *Report {
	c := *r
	c.TimeIn, c.Start, c.TimeOut = c.TimeIn.UTC(), c.Start.UTC(), c.TimeOut.UTC()
	return &c
}

// The layout of docs/protocol.md, assembled by hand.
func TestBodyLayout(t *testing.T) {
	r := fixture()
	r.Calls, r.Results = r.Calls[:1], r.Results[1:]
	b := sealed(t, r)
	str := func(w []byte, s string) []byte { return append(append(w, byte(len(s))), s...) }
	le64 := func(w []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(w, v) }
	var want []byte
	want = append(want, 'R', 'H', 1)
	want = str(want, r.ParticleID)
	want = str(want, r.InitPeerID)
	want = le64(want, 1700000000000)
	want = binary.LittleEndian.AppendUint32(want, 7000)
	want = str(want, r.TraceTo)
	want = append(append(want, 64), r.TraceSignature...)
	want = str(want, r.Reporter)
	want = str(want, r.From)
	want = le64(want, uint64(testNow.Add(time.Millisecond).UnixNano()))
	want = le64(want, uint64(testNow.Add(2*time.Millisecond).UnixNano()))
	want = le64(want, uint64(testNow.Add(3*time.Millisecond).UnixNano()))
	want = append(want, 12) // instructions
	want = le64(want, 0)    // ret code
	want = str(want, "")    // error
	want = append(want, 1)  // one next peer
	want = str(want, r.InitPeerID)
	want = append(want, 1, 1) // one call, id 1
	want = str(str(str(want, "op"), "noop"), "[]")
	want = append(want, 1, 8) // one result, id 8
	want = str(str(want, "nope"), "f")
	want = binary.LittleEndian.AppendUint32(want, 2)
	want = str(want, `"No service found"`)
	want = append(want, 0) // omitted
	signed := append([]byte("reef/hop-report/1\x00"), want...)
	if !ed25519.Verify(reporterKey.Public().(ed25519.PublicKey), signed, r.Signature) {
		t.Fatal("the signature does not verify over the hand-built bytes")
	}
	want = append(append(want, 64), r.Signature...)
	if !bytes.Equal(b, want) {
		t.Fatalf("body\n %x\nwant\n %x", b, want)
	}
}

func TestVerifyRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(r *Report)
		sub    string
	}{
		{"tampered instructions", func(r *Report) { r.Instructions++ }, "does not verify for reporter"},
		{"tampered next peer", func(r *Report) { r.NextPeers[0] = "12D3KooWvictim" }, "does not verify"},
		{"claims another reporter", func(r *Report) { r.Reporter = data.PeerIDFromKey(otherKey) }, "does not verify"},
		{"reporter not Ed25519", func(r *Report) { r.Reporter = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N" }, "not an Ed25519 peer id"},
		{"no signature", func(r *Report) { r.Signature = nil }, "signature is 0 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fixture()
			sealed(t, r)
			tc.mutate(r)
			wantReason(t, r.Verify(), ReasonSignature, tc.sub)
		})
	}
	// A trace request redirected by someone other than the init peer.
	r := fixture()
	r.TraceTo = data.PeerIDFromKey(otherKey)
	sealed(t, r)
	if err := r.Verify(); err != nil {
		t.Fatal(err)
	}
	wantReason(t, r.VerifyTrace(), ReasonSignature, "trace request", "does not verify for init peer")
	var pe *particle.RejectError
	if !errors.As(r.VerifyTrace(), &pe) {
		t.Error("the particle package's error is not wrapped")
	}
	// Expiry.
	wantReason(t, r.CheckExpiry(testNow.Add(10*time.Second), particle.DefaultClockSkew), ReasonExpired, "expired")
	wantReason(t, r.CheckExpiry(testNow.Add(-time.Minute), particle.DefaultClockSkew), ReasonFuture, "future")
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly 10", 10, "exactly 10"},
		{"eleven byte", 10, "eleven …"},
		{"ab✓✓✓", 8, "ab✓…"},
		{"ab✓✓✓", 7, "ab…"}, // never cuts inside a character
		{"ab\xffcd", 10, "ab\uFFFDcd"},
		{"abcdef", 2, ""},
	} {
		got := Truncate(tc.in, tc.n)
		if got != tc.want || len(got) > max(tc.n, 0) || !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// Fit keeps a report within MaxSize however much the run did, and says how much it
// left out; texts are cut to their limits.
func TestFitBoundsSize(t *testing.T) {
	r := fixture()
	big := strings.Repeat("é", 5000)
	r.Error = big
	for i := range 300 {
		r.NextPeers = append(r.NextPeers, strings.Repeat("p", 200))
		r.Calls = append(r.Calls, Call{ID: uint32(i), Service: big, Function: "f", Args: big})
		r.Results = append(r.Results, Result{ID: uint32(i), Service: "s", Function: big, RetCode: 1, Text: big})
	}
	calls := r.Calls
	b := sealed(t, r)
	if len(b) > MaxSize {
		t.Fatalf("sealed report is %d bytes, limit %d", len(b), MaxSize)
	}
	if MaxSize-len(b) > 2000 {
		t.Errorf("report of %d bytes wastes the budget", len(b))
	}
	total := 301 + 302 + 302
	if r.Omitted == 0 || len(r.NextPeers)+len(r.Calls)+len(r.Results)+r.Omitted != total {
		t.Fatalf("kept %d+%d+%d, omitted %d, of %d", len(r.NextPeers), len(r.Calls), len(r.Results), r.Omitted, total)
	}
	if len(r.Error) > MaxErrorLen || !strings.HasSuffix(r.Error, "…") || len(r.NextPeers[1]) > MaxPeerIDLen {
		t.Errorf("texts not cut: error %d bytes, peer %d bytes", len(r.Error), len(r.NextPeers[1]))
	}
	if calls[5].Args != big {
		t.Error("Fit modified the caller's slice")
	}
	q, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestMarshalRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(r *Report)
		sub    string
	}{
		{"bad particle id", func(r *Report) { r.ParticleID = "a/b" }, "particle id has byte 0x2f"},
		{"no init peer", func(r *Report) { r.InitPeerID = "" }, "init peer id is empty"},
		{"no trace destination", func(r *Report) { r.TraceTo = "" }, "trace-to peer id is empty"},
		{"short trace signature", func(r *Report) { r.TraceSignature = r.TraceSignature[:3] }, "trace signature is 3 bytes"},
		{"from not base58", func(r *Report) { r.From = "0" }, "from has byte 0x30"},
		{"zero time", func(r *Report) { r.TimeIn = time.Time{} }, "time in"},
		{"error not UTF-8", func(r *Report) { r.Error = "\xff" }, "error is not valid UTF-8"},
		{"negative instructions", func(r *Report) { r.Instructions = -1 }, "instructions -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fixture()
			sealed(t, fixture())
			r.Signature = make([]byte, 64)
			r.Reporter = data.PeerIDFromKey(reporterKey)
			tc.mutate(r)
			_, err := Marshal(r)
			wantReason(t, err, ReasonMalformed, "cannot encode", tc.sub)
		})
	}
	_, err := Marshal(nil)
	wantReason(t, err, ReasonMalformed, "nil report")
	r := fixture()
	r.Error = "\xff"
	_, err = Seal(r, reporterKey)
	if err != nil {
		t.Fatalf("Seal does not fit invalid UTF-8: %v", err)
	}
	r = fixture()
	r.TimeOut = time.Time{}
	_, err = Seal(r, reporterKey)
	wantReason(t, err, ReasonMalformed, "time out")
}

func splice(b []byte, at, n int, r ...byte) []byte {
	return append(append(append([]byte(nil), b[:at]...), r...), b[at+n:]...)
}

func TestUnmarshalRejects(t *testing.T) {
	valid := sealed(t, fixture())
	idAt := 3
	tsAt := idAt + 1 + 36 + 1 + 52
	traceToAt := tsAt + 12
	for _, tc := range []struct {
		name   string
		body   []byte
		reason Reason
		subs   []string
	}{
		{"empty", nil, ReasonMalformed, []string{"empty body"}},
		{"a particle", []byte("RP\x02..."), ReasonMalformed, []string{"at byte 0: not a Reef hop report (bad magic 52 50 02)"}},
		{"version 2", splice(valid, 2, 1, 2), ReasonUnsupportedVersion, []string{"at byte 2: format version 2, this build reads 1"}},
		{"oversize", make([]byte, MaxSize+1), ReasonOversize, []string{"body is 32769 bytes, limit 32768"}},
		{"trailing byte", append(bytes.Clone(valid), 0), ReasonMalformed, []string{fmt.Sprintf("at byte %d: 1 trailing bytes", len(valid))}},
		{"truncated signature", valid[:len(valid)-1], ReasonMalformed, []string{"signature is 64 bytes, only 63 left"}},
		{"id length non-minimal", splice(valid, idAt, 1, 0xa4, 0x00), ReasonMalformed, []string{"at byte 3: particle id length varint is not minimally encoded"}},
		{"id too long", splice(valid, idAt, 1, 0x81, 0x01), ReasonMalformed, []string{"particle id is 129 bytes, limit 128"}},
		{"trace-to not base58", splice(valid, traceToAt+1, 1, '0'), ReasonMalformed, []string{fmt.Sprintf("at byte %d: trace-to peer id has byte 0x30 at offset 0", traceToAt)}},
		{"huge count", countBomb(t), ReasonMalformed, []string{"next peers count 1099511627776 exceeds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Unmarshal(tc.body)
			if r != nil {
				t.Error("a report came with the error")
			}
			wantReason(t, err, tc.reason, tc.subs...)
		})
	}
}

// countBomb is a valid report prefix declaring 2^40 next peers.
func countBomb(t *testing.T) []byte {
	r := fixture()
	r.NextPeers, r.Calls, r.Results = nil, nil, nil
	b := sealed(t, r)
	at := len(b) - 1 - 64 - 1 - 1 - 1 - 1 // before the counts: next peers, calls, results, omitted
	return append(binary.AppendUvarint(bytes.Clone(b[:at]), 1<<40), b[at+1:]...)
}

// Every strict prefix of a valid body is malformed; every one-byte change either fails
// with a RejectError or decodes to a report that re-encodes to the same bytes.
func TestUnmarshalEveryPrefix(t *testing.T) {
	valid := sealed(t, fixture())
	for n := range len(valid) {
		_, err := Unmarshal(valid[:n])
		wantReason(t, err, ReasonMalformed)
	}
	for i := range valid {
		for _, c := range []byte{0x00, 0x7f, 0x80, 0xff} {
			b := splice(valid, i, 1, c)
			r, err := Unmarshal(b)
			if err == nil {
				if again, _ := Marshal(r); !bytes.Equal(again, b) {
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

func TestFrame(t *testing.T) {
	body := sealed(t, fixture())
	two := append(Frame(body), Frame(body)...)
	rd := bytes.NewReader(two)
	for range 2 {
		r, raw, err := ReadFrame(rd)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(raw, body) || r.Verify() != nil {
			t.Fatal("frame does not round-trip")
		}
	}
	_, _, err := ReadFrame(rd)
	wantReason(t, err, ReasonMalformed, "stream ended before a frame")
	if !errors.Is(err, io.EOF) {
		t.Error("clean end is not io.EOF")
	}
	reset := errors.New("stream reset")
	for _, tc := range []struct {
		name   string
		in     io.Reader
		reason Reason
		sub    string
	}{
		{"declared 1 TiB", bytes.NewReader(binary.AppendUvarint(nil, 1<<40)), ReasonOversize, "declared frame length 1099511627776 bytes exceeds the 32768-byte limit"},
		{"declared MaxSize+1", bytes.NewReader(binary.AppendUvarint(nil, MaxSize+1)), ReasonOversize, "exceeds"},
		{"zero length", bytes.NewReader([]byte{0}), ReasonMalformed, "empty frame"},
		{"non-minimal length", bytes.NewReader([]byte{0x80, 0x00}), ReasonMalformed, "not minimally encoded"},
		{"truncated", bytes.NewReader(Frame(body)[:50]), ReasonMalformed, "truncated frame"},
		{"garbage", bytes.NewReader([]byte("\x10this is not a report")), ReasonMalformed, "bad magic"},
		{"reset", io.MultiReader(bytes.NewReader(Frame(body)[:50]), iotestErr{reset}), ReasonTransport, "stream reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadFrame(tc.in)
			wantReason(t, err, tc.reason, tc.sub)
		})
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

func TestReasons(t *testing.T) {
	var got []string
	for _, r := range Reasons() {
		got = append(got, r.String())
	}
	want := []string{"malformed", "oversize", "unsupported-version", "signature", "expired", "future", "transport"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("reasons %v", got)
	}
	if Reason(99).String() != "reason(99)" {
		t.Error(Reason(99).String())
	}
}
