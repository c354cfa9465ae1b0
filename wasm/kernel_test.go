package wasm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	extism "github.com/extism/go-sdk"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// kernelAPI is the guest-visible Extism kernel: Reef's host functions, or the kernel
// module go-sdk embeds.
type kernelAPI interface {
	call(name string, args ...uint64) uint64
}

// reefKernel calls Reef's extism:host/env functions on a detached instance.
type reefKernel struct{ in *instance }

func newReefKernel() *reefKernel {
	s := &Service{opts: defaultServiceOptions()}
	in := &instance{svc: s}
	in.k.init()
	return &reefKernel{in}
}

func (k *reefKernel) call(name string, args ...uint64) uint64 {
	stack := make([]uint64, 2)
	copy(stack, args)
	envSignatures[name].fn(k.in, stack)
	return stack[0]
}

// sdkKernel calls go-sdk's embedded kernel (extism-runtime.wasm) directly.
type sdkKernel struct {
	t   testing.TB
	mod api.Module
	fns map[string]api.Function
}

func (k *sdkKernel) call(name string, args ...uint64) uint64 {
	f := k.fns[name]
	if f == nil {
		f = k.mod.ExportedFunction(name)
		k.fns[name] = f
	}
	res, err := f.Call(context.Background(), args...)
	if err != nil {
		k.t.Fatalf("kernel %s%v: %v", name, args, err)
	}
	if len(res) == 0 {
		return 0
	}
	if f.Definition().ResultTypes()[0] == api.ValueTypeI32 {
		return uint64(uint32(res[0])) // the stack's upper bits are not part of an i32
	}
	return res[0]
}

// goSDKKernel instantiates the kernel module go-sdk v1.7.1 embeds, read from the module
// cache (go-sdk is a test dependency, so its source is there whenever this test builds).
func goSDKKernel(t *testing.T) *sdkKernel {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/extism/go-sdk").Output()
	if err != nil {
		t.Skipf("cannot locate go-sdk: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	wasm, err := os.ReadFile(filepath.Join(dir, "extism-runtime.wasm"))
	if err != nil {
		t.Skipf("cannot read go-sdk's kernel: %v", err)
	}
	if v, _ := os.ReadFile(filepath.Join(dir, "extism-runtime.wasm.version")); strings.TrimSpace(string(v)) != strings.TrimSpace(extism.RuntimeVersion()) {
		t.Fatalf("kernel version %q, go-sdk says %q", v, extism.RuntimeVersion())
	}
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { _ = r.Close(ctx) })
	mod, err := r.Instantiate(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	return &sdkKernel{t, mod, make(map[string]api.Function)}
}

// TestKernelMatchesGoSDK runs random sequences of kernel operations on Reef's host
// functions and on go-sdk's embedded kernel, and compares every observable result.
// Handles differ (the memory layouts do), so they are compared through the pairing
// made by allocation order.
func TestKernelMatchesGoSDK(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			kernelDifferential(t, seed, goSDKKernel(t), newReefKernel())
		})
	}
}

type handlePair struct {
	ours, theirs uint64
	size         uint64
	filled       uint64 // bytes written with the same values on both sides
}

func kernelDifferential(t *testing.T, seed uint64, theirs, ours kernelAPI) {
	rng := rand.New(rand.NewPCG(seed, 7))
	both := func(name string, args ...uint64) (uint64, uint64) {
		return ours.call(name, args...), theirs.call(name, args...)
	}
	// pair maps a Reef handle to go-sdk's in the same role.
	var live, freed []handlePair
	var input, output, errH *handlePair
	check := func(step int, what string, o, th uint64) {
		t.Helper()
		if o != th {
			t.Fatalf("step %d: %s: reef %d, go-sdk %d", step, what, o, th)
		}
	}
	mapped := func(step int, what string, o, th uint64, p *handlePair) {
		t.Helper()
		if p == nil {
			check(step, what, o, th)
			return
		}
		if o != p.ours || th != p.theirs {
			t.Fatalf("step %d: %s: reef %d (want %d), go-sdk %d (want %d)", step, what, o, p.ours, th, p.theirs)
		}
	}
	for step := range 2000 {
		switch op := rng.IntN(14); {
		case op < 4: // alloc, filled with random bytes through store_u8
			n := uint64(rng.IntN(300))
			if rng.IntN(20) == 0 {
				n = uint64(60000 + rng.IntN(80000)) // crosses pages
			}
			o, th := both("alloc", n)
			if (o == 0) != (th == 0) || (n == 0) != (o == 0) {
				t.Fatalf("step %d: alloc(%d): reef %d, go-sdk %d", step, n, o, th)
			}
			freed = freed[:0] // a freed block may now be reused differently
			if n == 0 {
				continue
			}
			p := handlePair{o, th, n, n}
			if n > 300 {
				p.filled = 64
			}
			for i := range p.filled {
				v := uint64(rng.IntN(256))
				ours.call("store_u8", o+i, v)
				theirs.call("store_u8", th+i, v)
			}
			live = append(live, p)
		case op == 4 && len(live) > 0: // free
			i := rng.IntN(len(live))
			p := live[i]
			for range 2 { // a second free is a no-op on both
				ours.call("free", p.ours)
				theirs.call("free", p.theirs)
			}
			live = append(live[:i], live[i+1:]...)
			freed = append(freed, p)
			if input != nil && *input == p {
				o, th := both("input_length")
				check(step, "input_length after freeing the input", o, th)
				input = nil
			}
		case op == 5: // length of live, freed, interior and null handles
			for _, p := range live {
				check(step, "length(live)", ours.call("length", p.ours), theirs.call("length", p.theirs))
				check(step, "length_unsafe(live)", ours.call("length_unsafe", p.ours), theirs.call("length_unsafe", p.theirs))
				if p.size > 1 {
					check(step, "length(interior)", ours.call("length", p.ours+1), theirs.call("length", p.theirs+1))
				}
			}
			for _, p := range freed {
				check(step, "length(freed)", ours.call("length", p.ours), theirs.call("length", p.theirs))
			}
			o, th := both("length", 0)
			check(step, "length(0)", o, th)
		case op == 6 && len(live) > 0: // store and load inside a block
			p := live[rng.IntN(len(live))]
			off := uint64(rng.IntN(int(min(p.size, 64))))
			if off+8 <= p.size {
				v := rng.Uint64()
				ours.call("store_u64", p.ours+off, v)
				theirs.call("store_u64", p.theirs+off, v)
				check(step, "load_u64", ours.call("load_u64", p.ours+off), theirs.call("load_u64", p.theirs+off))
			}
			check(step, "load_u8", ours.call("load_u8", p.ours+off), theirs.call("load_u8", p.theirs+off))
		case op == 7 && len(live) > 0: // input_set and input loads, in and out of range
			p := live[rng.IntN(len(live))]
			ours.call("input_set", p.ours, p.size)
			theirs.call("input_set", p.theirs, p.size)
			input = &p
			o, th := both("input_length")
			check(step, "input_length", o, th)
			mapped(step, "input_offset", ours.call("input_offset"), theirs.call("input_offset"), input)
			// Bytes past p.filled differ (never written); reads out of range are 0.
			// (Offsets within 8 of 2^64 are left out: the kernel's bounds check
			// overflows there and reads before the input; Reef returns 0.)
			for _, off := range []uint64{0, 1, p.size / 2, p.size - min(p.size, 8), p.size - 1, p.size, p.size + 3, 1 << 40} {
				if off >= p.size || off < p.filled {
					o, th := both("input_load_u8", off)
					check(step, fmt.Sprintf("input_load_u8(%d) of %d", off, p.size), o, th)
				}
				if off+8 > p.size || off+8 <= p.filled {
					o, th := both("input_load_u64", off)
					check(step, fmt.Sprintf("input_load_u64(%d) of %d", off, p.size), o, th)
				}
			}
		case op == 8 && len(live) > 0: // output_set
			p := live[rng.IntN(len(live))]
			n := uint64(rng.IntN(int(p.size) + 1))
			ours.call("output_set", p.ours, n)
			theirs.call("output_set", p.theirs, n)
			output = &p
			o, th := both("output_length")
			check(step, "output_length", o, th)
			if n > 0 {
				mapped(step, "output_offset", ours.call("output_offset"), theirs.call("output_offset"), output)
			}
		case op == 9: // error_set and error_get, including clearing
			if len(live) > 0 && rng.IntN(3) > 0 {
				p := live[rng.IntN(len(live))]
				ours.call("error_set", p.ours)
				theirs.call("error_set", p.theirs)
				errH = &p
			} else {
				both("error_set", 0)
				errH = nil
			}
			o, th := both("error_get")
			if errH == nil {
				check(step, "error_get", o, th)
			} else {
				mapped(step, "error_get", o, th, errH)
			}
		case op == 10: // far out of bounds: loads read 0, stores are ignored
			far := uint64(1) << 40
			both("store_u8", far, 1)
			both("store_u64", far, 1)
			for _, f := range []string{"load_u8", "load_u64"} {
				o, th := both(f, far)
				check(step, f+"(far)", o, th)
			}
		case op == 11 && rng.IntN(10) == 0: // reset clears everything
			both("reset")
			for _, f := range []string{"input_length", "input_offset", "output_length", "output_offset", "error_get"} {
				o, th := both(f)
				check(step, f+" after reset", o, th)
			}
			for _, p := range live {
				check(step, "length after reset", ours.call("length", p.ours), theirs.call("length", p.theirs))
			}
			live, freed, input, output, errH = nil, nil, nil, nil, nil
		}
	}
}

func TestKernelUnit(t *testing.T) {
	var k kernel
	k.init()
	const budget = 1 << 20
	if h := k.alloc(0, budget); h != 0 {
		t.Fatalf("alloc(0) = %d", h)
	}
	a := k.alloc(10, budget)
	b := k.alloc(3, budget)
	if a < kernelBase || b <= a || a%8 != 0 || b%8 != 0 || k.length(a) != 10 || k.length(b) != 3 || k.length(a+1) != 0 {
		t.Fatalf("a=%d b=%d", a, b)
	}
	k.free(a)
	if k.length(a) != 0 {
		t.Fatal("length of a freed block")
	}
	if c := k.alloc(4, budget); c != a || k.length(c) != 4 {
		t.Fatalf("freed block not reused: %d", c)
	}
	if c := k.alloc(100, budget); c == a || c == b {
		t.Fatalf("small freed block reused for a big allocation")
	}
	if h := k.alloc(budget, budget); h != 0 {
		t.Fatal("allocation over the budget succeeded")
	}
	if !k.setInput([]byte("hello"), budget) || string(k.mem[k.input:k.input+k.inputLen]) != "hello" {
		t.Fatal("setInput")
	}
	k.free(k.input)
	if k.inputLen != 0 {
		t.Fatal("freeing the input kept its length")
	}
	big := k.alloc(kernelShrink+1, 4*kernelShrink)
	if big == 0 || cap(k.mem) <= kernelShrink {
		t.Fatal("big allocation")
	}
	k.reset()
	if cap(k.mem) > kernelShrink || len(k.blocks) != 0 || k.length(big) != 0 {
		t.Fatal("reset kept a big buffer or blocks")
	}
}

// TestGoSDKParity runs the same calls through go-sdk v1.7.1 and through Reef on both
// example guests: outputs and error messages must be identical.
func TestGoSDKParity(t *testing.T) {
	ctx := context.Background()
	config := map[string]string{"greeting": "hej"}
	calls := map[string][][2]string{
		"go": {{"greet", `["reef"]`}, {"add", `[1,2]`}, {"incr", `[]`}, {"incr", `[3]`}, {"put", `["k",{"a":1}]`},
			{"get", `["k"]`}, {"config", `["greeting"]`}, {"config", `["nope"]`}, {"setvar", `["v","x"]`},
			{"getvar", `["v"]`}, {"raw", `[]`}, {"fail", `["bad"]`}, {"version", `[]`}, {"echo", benchInput},
			{"echo", `["` + strings.Repeat("é", 5000) + `"]`}},
		"c": {{"echo", benchInput}, {"echo", ""}, {"echo", "1234567"}, {"fail", `[]`}, {"raw", `[]`}, {"empty", `[]`}, {"busy", `[1]`}},
	}
	r, kv, ch := sharedRuntime(t)
	_ = r
	for _, g := range []string{"go", "c"} {
		t.Run(g, func(t *testing.T) {
			m := map[string]*Module{"go": kv, "c": ch}[g]
			wasm := map[string][]byte{"go": kvgoWasm, "c": chaoscWasm}[g]
			cache, err := wazero.NewCompilationCacheWithDir(testCacheDir)
			if err != nil {
				t.Fatal(err)
			}
			defer cache.Close(ctx)
			cp, err := extism.NewCompiledPlugin(ctx, extism.Manifest{
				Wasm:    []extism.Wasm{extism.WasmData{Data: wasm}},
				Config:  config,
				Timeout: 5000,
			}, extism.PluginConfig{EnableWasi: true, RuntimeConfig: wazero.NewRuntimeConfig().WithCompilationCache(cache)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer cp.Close(ctx)
			p, err := cp.Instance(ctx, extism.PluginInstanceConfig{})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close(ctx)
			s := newTestService(t, m, WithConfig(config), WithServicePoolSize(1))
			for _, c := range calls[g] {
				rc, sdkOut, sdkErr := p.CallWithContext(ctx, c[0], []byte(c[1]))
				out, err := s.Call(ctx, c[0], []byte(c[1]))
				if (sdkErr != nil) != (err != nil) {
					t.Fatalf("%s(%s): go-sdk rc %d err %v; reef %v", c[0], c[1], rc, sdkErr, err)
				}
				if err != nil {
					ce := callError(t, err, KindGuest)
					if ce.Message != sdkErr.Error() || ce.Code != rc {
						t.Errorf("%s: reef %q code %d, go-sdk %q rc %d", c[0], ce.Message, ce.Code, sdkErr, rc)
					}
					continue
				}
				if string(out) != string(sdkOut) {
					t.Errorf("%s(%.40s): reef %.80q, go-sdk %.80q", c[0], c[1], out, sdkOut)
				}
			}
		})
	}
}
