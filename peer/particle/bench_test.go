package particle

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

// benchParticle is a typical particle: a 3 KiB script and 8 KiB of data.
func benchParticle() *Particle {
	p := fixture()
	p.Script = strings.Repeat(`(call %init_peer_id% ("op" "noop") [])`+"\n", 3<<10/39+1)[:3<<10]
	p.Data = make([]byte, 8<<10)
	rand.Read(p.Data)
	p.Sign(testKey)
	return p
}

func BenchmarkMarshal(b *testing.B) {
	p := benchParticle()
	b.SetBytes(int64(bodySize(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshal(b *testing.B) {
	body, _ := Marshal(benchParticle())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unmarshal(body, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	p := benchParticle()
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadFrame(b *testing.B) {
	f := frame(b, benchParticle())
	r := bytes.NewReader(f)
	b.SetBytes(int64(len(f)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(f)
		if _, err := ReadFrame(r, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteFrame(b *testing.B) {
	p := benchParticle()
	var w bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		if err := WriteFrame(&w, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	p := benchParticle()
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(p, testNow, DefaultClockSkew); err != nil {
			b.Fatal(err)
		}
	}
}
