package particle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func frame(t testing.TB, p *Particle) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteFrame(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func particles() []*Particle {
	a := fixture()
	b := fixture()
	b.Data = nil
	c := fixture()
	c.Script = strings.Repeat("(null)", 100)
	c.Data = bytes.Repeat([]byte{1, 2, 3}, 100000) // 3-byte length prefix
	c.Sign(testKey)
	return []*Particle{a, b, c}
}

func TestFrameRoundTripBuffer(t *testing.T) {
	var buf bytes.Buffer
	ps := particles()
	for _, p := range ps {
		if err := WriteFrame(&buf, p); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range ps {
		q, err := ReadFrame(&buf, 0)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("frame %d differs", i)
		}
		if err := q.Verify(); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	_, err := ReadFrame(&buf, 0)
	wantReason(t, err, ReasonMalformed, "stream ended before a frame")
	if !errors.Is(err, io.EOF) {
		t.Errorf("end of stream: %v does not wrap io.EOF", err)
	}
}

func TestFrameRoundTripPipe(t *testing.T) {
	ps := particles()
	for _, tc := range []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"pipe", func(r io.Reader) io.Reader { return r }},
		{"one byte per read", iotest.OneByteReader},
		{"half reads", iotest.HalfReader},
		{"data with EOF", iotest.DataErrReader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			go func() {
				for _, p := range ps {
					if err := WriteFrame(pw, p); err != nil {
						pw.CloseWithError(err)
						return
					}
				}
				pw.Close()
			}()
			r := tc.wrap(pr)
			for i, p := range ps {
				q, err := ReadFrame(r, 0)
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if !reflect.DeepEqual(p, q) {
					t.Fatalf("frame %d differs", i)
				}
			}
			if _, err := ReadFrame(r, 0); !errors.Is(err, io.EOF) {
				t.Fatalf("after the last frame: %v", err)
			}
		})
	}
}

// ReadFrame stops exactly at the end of its frame, even on a plain io.Reader.
func TestReadFrameDoesNotOverread(t *testing.T) {
	f := frame(t, fixture())
	tail := []byte("next")
	r := iotest.OneByteReader(bytes.NewReader(append(bytes.Clone(f), tail...)))
	if _, err := ReadFrame(r, 0); err != nil {
		t.Fatal(err)
	}
	if rest, _ := io.ReadAll(r); !bytes.Equal(rest, tail) {
		t.Fatalf("left %q, want %q", rest, tail)
	}
}

// countingWriter records Write calls.
type countingWriter struct {
	bytes.Buffer
	calls int
}

func (w *countingWriter) Write(b []byte) (int, error) { w.calls++; return w.Buffer.Write(b) }

func TestWriteFrame(t *testing.T) {
	p := fixture()
	var w countingWriter
	if err := WriteFrame(&w, p); err != nil {
		t.Fatal(err)
	}
	body, _ := Marshal(p)
	want := append(binary.AppendUvarint(nil, uint64(len(body))), body...)
	if !bytes.Equal(w.Bytes(), want) || w.calls != 1 {
		t.Fatalf("%d writes of %x, want one of %x", w.calls, w.Bytes(), want)
	}
	broken := errors.New("stream reset")
	pr, pw := io.Pipe()
	pr.CloseWithError(broken)
	err := WriteFrame(pw, p)
	if !errors.Is(err, broken) {
		t.Fatalf("write error: %v", err)
	}
	if _, ok := ReasonOf(err); ok {
		t.Errorf("a write failure is not a rejection: %v", err)
	}
}

// failingReader returns data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(b []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(b, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadFrameRejects(t *testing.T) {
	valid := frame(t, fixture())
	body := valid[2:] // the fixture's length prefix is 2 bytes (220 = 0xdc 0x01)
	if int(valid[0]&0x7f)|int(valid[1])<<7 != len(body) {
		t.Fatalf("unexpected prefix %x", valid[:2])
	}
	framed := func(b []byte) []byte { return append(binary.AppendUvarint(nil, uint64(len(b))), b...) }
	withBody := func(mutate func(p *Particle)) []byte { p := fixture(); mutate(p); return framed(unchecked(p)) }
	reset := errors.New("stream reset")
	for _, tc := range []struct {
		name    string
		r       io.Reader
		maxSize int
		reason  Reason
		subs    []string
		cause   error
	}{
		{"empty stream", bytes.NewReader(nil), 0, ReasonMalformed, []string{"stream ended before a frame"}, io.EOF},
		{"empty stream, plain reader", iotest.OneByteReader(bytes.NewReader(nil)), 0, ReasonMalformed, nil, io.EOF},
		{"truncated length", bytes.NewReader(valid[:1]), 0, ReasonMalformed, []string{"truncated frame: stream ended in the length prefix after 1 bytes"}, io.ErrUnexpectedEOF},
		{"truncated length, plain reader", iotest.OneByteReader(bytes.NewReader(valid[:1])), 0, ReasonMalformed, []string{"length prefix"}, io.ErrUnexpectedEOF},
		{"truncated body", bytes.NewReader(valid[:len(valid)-1]), 0, ReasonMalformed, []string{"truncated frame: got 219 of 220 body bytes"}, io.ErrUnexpectedEOF},
		{"no body", bytes.NewReader(valid[:2]), 0, ReasonMalformed, []string{"got 0 of 220"}, io.ErrUnexpectedEOF},
		{"zero length", bytes.NewReader([]byte{0}), 0, ReasonMalformed, []string{"empty frame"}, nil},
		{"non-minimal length", bytes.NewReader(append([]byte{0xdc, 0x81, 0x00}, body...)), 0, ReasonMalformed, []string{"not minimally encoded"}, nil},
		{"non-minimal zero", bytes.NewReader([]byte{0x80, 0x00}), 0, ReasonMalformed, []string{"not minimally encoded"}, nil},
		{"length overflows", bytes.NewReader(bytes.Repeat([]byte{0xff}, 11)), 0, ReasonMalformed, []string{"overflows 64 bits"}, nil},
		{"declared 1<<40", bytes.NewReader(append(binary.AppendUvarint(nil, 1<<40), "tiny"...)), 0, ReasonOversize,
			[]string{"declared frame length 1099511627776 bytes exceeds the 16777216-byte limit"}, nil},
		{"declared max u64", bytes.NewReader(binary.AppendUvarint(nil, 1<<64-1)), 0, ReasonOversize, []string{"18446744073709551615"}, nil},
		{"over a configured limit", bytes.NewReader(valid), 218, ReasonOversize, []string{"declared frame length 220 bytes exceeds the 218-byte limit"}, nil},
		{"over the default limit", bytes.NewReader(binary.AppendUvarint(nil, DefaultMaxSize+1)), -1, ReasonOversize, []string{"16777217"}, nil},
		{"trailing byte in body", bytes.NewReader(framed(append(bytes.Clone(body), 0))), 0, ReasonMalformed, []string{"1 trailing bytes"}, nil},
		{"bad magic", bytes.NewReader(framed([]byte("XP\x01rest"))), 0, ReasonMalformed, []string{"bad magic"}, nil},
		{"fluence frame", bytes.NewReader(framed([]byte{0x81, 0x04, 0x88, 0xa6})), 0, ReasonMalformed, []string{"bad magic"}, nil},
		{"future version", bytes.NewReader(framed(splice(body, 2, 1, 9))), 0, ReasonUnsupportedVersion, []string{"format version 9"}, nil},
		{"script not UTF-8", bytes.NewReader(withBody(func(p *Particle) { p.Script = "\xff" })), 0, ReasonMalformed, []string{"not valid UTF-8"}, nil},
		{"signature 63 bytes", bytes.NewReader(withBody(func(p *Particle) { p.Signature = p.Signature[:63] })), 0, ReasonMalformed, []string{"signature is 63 bytes, want 64"}, nil},
		{"signature 65 bytes", bytes.NewReader(withBody(func(p *Particle) { p.Signature = append(p.Signature, 0) })), 0, ReasonMalformed, []string{"signature is 65 bytes"}, nil},
		{"reset before frame", &failingReader{err: reset}, 0, ReasonTransport, []string{"reading the frame length (after 0 bytes): stream reset"}, reset},
		{"reset in length", &failingReader{data: valid[:1], err: reset}, 0, ReasonTransport, []string{"after 1 bytes"}, reset},
		{"reset in body", &failingReader{data: valid[:100], err: reset}, 0, ReasonTransport, []string{"reading the frame body (got 98 of 220 bytes): stream reset"}, reset},
		{"timeout", iotest.TimeoutReader(bytes.NewReader(valid)), 0, ReasonTransport, []string{"timeout"}, iotest.ErrTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadFrame(tc.r, tc.maxSize)
			if p != nil {
				t.Error("a particle came with the error")
			}
			re := wantReason(t, err, tc.reason, tc.subs...)
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("%v does not wrap %v", err, tc.cause)
			}
			if tc.cause == nil && re.Err != nil {
				t.Errorf("unexpected cause %v", re.Err)
			}
			if !errors.Is(tc.cause, io.EOF) && errors.Is(err, io.EOF) {
				t.Errorf("%v wraps io.EOF: a frame loop would take it for a clean end", err)
			}
		})
	}
}

// Every strict prefix of a frame is malformed: io.EOF for the empty prefix,
// io.ErrUnexpectedEOF otherwise.
func TestReadFrameTruncated(t *testing.T) {
	valid := frame(t, particles()[2])
	for _, n := range []int{0, 1, 2, 3, 4, 5, 50, 99999, len(valid) / 2, len(valid) - 1} {
		_, err := ReadFrame(bytes.NewReader(valid[:n]), 0)
		wantReason(t, err, ReasonMalformed)
		want := io.ErrUnexpectedEOF
		if n == 0 {
			want = io.EOF
		}
		if !errors.Is(err, want) {
			t.Errorf("prefix %d: %v does not wrap %v", n, err, want)
		}
	}
}

// guardReader fails the test if more than limit bytes are read from it.
type guardReader struct {
	t     *testing.T
	r     io.Reader
	limit int
}

func (g *guardReader) Read(b []byte) (int, error) {
	n, err := g.r.Read(b)
	g.limit -= n
	if g.limit < 0 {
		g.t.Errorf("read %d bytes past the length prefix", -g.limit)
	}
	return n, err
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestReadFrameOversizeIsCheap(t *testing.T) {
	prefix := binary.AppendUvarint(nil, 1<<40)
	var err error
	n := allocated(func() {
		_, err = ReadFrame(&guardReader{t: t, r: bytes.NewReader(append(prefix, "tiny body"...)), limit: len(prefix)}, 0)
	})
	wantReason(t, err, ReasonOversize, fmt.Sprint(uint64(1)<<40))
	if n > 16<<10 {
		t.Errorf("refusing a 1 TiB declared length allocated %d bytes", n)
	}
}

// A sender that declares a large (allowed) length and sends little costs little memory.
func TestReadFrameAllocatesWhatArrives(t *testing.T) {
	prefix := binary.AppendUvarint(nil, 15<<20)
	var err error
	n := allocated(func() {
		_, err = ReadFrame(bytes.NewReader(append(prefix, make([]byte, 1000)...)), 0)
	})
	wantReason(t, err, ReasonMalformed, "got 1000 of 15728640")
	if n > 256<<10 {
		t.Errorf("a 1000-byte truncated frame allocated %d bytes", n)
	}
	// A large frame that does arrive is read in full.
	p := fixture()
	p.Data = bytes.Repeat([]byte("0123456789abcdef"), 15<<16) // 15 MiB, under the default limit
	f := frame(t, p)
	q, err := ReadFrame(iotest.HalfReader(bytes.NewReader(f)), 0)
	if err != nil || !bytes.Equal(q.Data, p.Data) {
		t.Fatalf("large frame: %v", err)
	}
}

// ReadFrame's particle owns its buffers: appending to Signature or Data cannot clobber
// the other.
func TestReadFrameBuffers(t *testing.T) {
	p := fixture()
	q, err := ReadFrame(bytes.NewReader(frame(t, p)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if cap(q.Signature) != len(q.Signature) || cap(q.Data) != len(q.Data) {
		t.Errorf("capacities %d/%d, %d/%d", len(q.Signature), cap(q.Signature), len(q.Data), cap(q.Data))
	}
	_ = append(q.Signature, 0xee)
	if !reflect.DeepEqual(p, q) {
		t.Fatal("append to Signature changed the particle")
	}
}
