package wasm

import (
	"context"
	"errors"
	"log/slog"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// extismEnv is the name of the Extism kernel import module.
const extismEnv = "extism:host/env"

// extismUser is where Extism plug-ins import user-defined host functions from.
const extismUser = "extism:host/user"

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// hostFunc is one extism:host/env function.
type hostFunc struct {
	name    string
	params  []api.ValueType
	results []api.ValueType
	fn      func(in *instance, stack []uint64)
}

// envFuncs is the whole extism:host/env module: the kernel functions of go-sdk v1.7.1's
// env module (including input_set, output_length and output_offset, which hosts use but
// guests may import too) and the host-implemented ones.
var envFuncs = []hostFunc{
	{"alloc", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.kernelAlloc(s[0])
	}},
	{"free", []api.ValueType{i64}, nil, func(in *instance, s []uint64) {
		in.k.free(s[0])
	}},
	{"length", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.length(s[0])
	}},
	{"length_unsafe", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.length(s[0])
	}},
	{"load_u8", []api.ValueType{i64}, []api.ValueType{i32}, func(in *instance, s []uint64) {
		if p := s[0]; in.k.in(p, 1) {
			s[0] = uint64(in.k.mem[p])
		} else {
			s[0] = 0
		}
	}},
	{"load_u64", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		if p := s[0]; in.k.in(p, 8) {
			s[0] = getU64(in.k.mem[p:])
		} else {
			s[0] = 0
		}
	}},
	{"store_u8", []api.ValueType{i64, i32}, nil, func(in *instance, s []uint64) {
		if p := s[0]; in.k.in(p, 1) {
			in.k.mem[p] = byte(s[1])
		}
	}},
	{"store_u64", []api.ValueType{i64, i64}, nil, func(in *instance, s []uint64) {
		if p := s[0]; in.k.in(p, 8) {
			putU64(in.k.mem[p:], s[1])
		}
	}},
	{"input_length", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.inputLen
	}},
	{"input_offset", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.input
	}},
	{"input_load_u8", []api.ValueType{i64}, []api.ValueType{i32}, func(in *instance, s []uint64) {
		if off := s[0]; off < in.k.inputLen {
			s[0] = uint64(in.k.mem[in.k.input+off])
		} else {
			s[0] = 0
		}
	}},
	{"input_load_u64", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		if off := s[0]; in.k.inputLen >= 8 && off <= in.k.inputLen-8 {
			s[0] = getU64(in.k.mem[in.k.input+off:])
		} else {
			s[0] = 0
		}
	}},
	{"input_set", []api.ValueType{i64, i64}, nil, func(in *instance, s []uint64) {
		if in.k.in(s[0], s[1]) {
			in.k.input, in.k.inputLen = s[0], s[1]
		}
	}},
	{"output_set", []api.ValueType{i64, i64}, nil, func(in *instance, s []uint64) {
		if s[1] == 0 {
			in.k.output, in.k.outputLen = s[0], 0
		} else if in.k.in(s[0], s[1]) {
			in.k.output, in.k.outputLen = s[0], s[1]
		}
	}},
	{"output_length", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.outputLen
	}},
	{"output_offset", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.output
	}},
	{"reset", nil, nil, func(in *instance, s []uint64) {
		in.k.reset()
		in.kernBytes.Store(uint64(cap(in.k.mem)))
	}},
	{"error_set", []api.ValueType{i64}, nil, func(in *instance, s []uint64) {
		if h := s[0]; h == 0 || in.k.in(h, 1) {
			in.k.errH = h
		}
	}},
	{"error_get", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = in.k.errH
	}},
	{"memory_bytes", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = uint64(cap(in.k.mem))
	}},
	{"config_get", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		v, ok := in.svc.opts.config[string(in.k.bytes(s[0]))]
		if !ok {
			s[0] = 0
			return
		}
		s[0] = in.kernelWrite([]byte(v))
	}},
	{"var_get", []api.ValueType{i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		v, ok := in.vars[string(in.k.bytes(s[0]))]
		in.k.free(s[0])
		if !ok {
			s[0] = 0
			return
		}
		s[0] = in.kernelWrite(v)
	}},
	{"var_set", []api.ValueType{i64, i64}, nil, func(in *instance, s []uint64) {
		key := string(in.k.bytes(s[0]))
		in.k.free(s[0])
		var value []byte
		if s[1] != 0 {
			value = append([]byte{}, in.k.bytes(s[1])...)
			in.k.free(s[1])
		}
		if err := in.varSet(key, value); err != nil {
			panic(err)
		}
	}},
	{"http_request", []api.ValueType{i64, i64}, []api.ValueType{i64}, func(in *instance, s []uint64) {
		panic(errHTTPNotAllowed)
	}},
	{"http_status_code", nil, []api.ValueType{i32}, func(in *instance, s []uint64) {
		s[0] = 0
	}},
	{"http_headers", nil, []api.ValueType{i64}, func(in *instance, s []uint64) {
		s[0] = 0
	}},
	{"get_log_level", nil, []api.ValueType{i32}, func(in *instance, s []uint64) {
		s[0] = uint64(uint32(extismLevel(in.svc.opts.guestLogLevel)))
	}},
	logFunc("log_trace", LevelTrace),
	logFunc("log_debug", slog.LevelDebug),
	logFunc("log_info", slog.LevelInfo),
	logFunc("log_warn", slog.LevelWarn),
	logFunc("log_error", slog.LevelError),
}

// logFunc is log_<level>: it reads and frees the message block, and records the message
// in the service log when the service's guest log level lets it through.
func logFunc(name string, level slog.Level) hostFunc {
	return hostFunc{name, []api.ValueType{i64}, nil, func(in *instance, s []uint64) {
		msg := in.k.bytes(s[0])
		if level >= in.svc.opts.guestLogLevel && len(msg) > 0 {
			in.svc.logs.add(in, SourceLog, level, string(msg))
		}
		in.k.free(s[0])
	}}
}

// envSignatures maps each extism:host/env name to its function, for import checks.
var envSignatures = func() map[string]*hostFunc {
	m := make(map[string]*hostFunc, len(envFuncs))
	for i := range envFuncs {
		m[envFuncs[i].name] = &envFuncs[i]
	}
	return m
}()

// errNoInstance is a host function called outside a call Reef started (it cannot happen
// for guests instantiated by a Service).
var errNoInstance = errors.New("extism: host function called without a Reef instance")

// instKey is the context key of the *instance running a call.
type instKey struct{}

// callCtx is the context of one guest call. Host functions find their instance with a
// type assertion instead of a context.Value walk.
type callCtx struct {
	context.Context
	inst *instance
}

func (c *callCtx) Value(key any) any {
	if _, ok := key.(instKey); ok {
		return c.inst
	}
	return c.Context.Value(key)
}

func instanceFrom(ctx context.Context) *instance {
	if c, ok := ctx.(*callCtx); ok {
		return c.inst
	}
	if in, ok := ctx.Value(instKey{}).(*instance); ok {
		return in
	}
	panic(errNoInstance)
}

// instantiateEnv registers extism:host/env in r.
func instantiateEnv(ctx context.Context, r wazero.Runtime) error {
	b := r.NewHostModuleBuilder(extismEnv)
	for i := range envFuncs {
		f := envFuncs[i].fn
		b.NewFunctionBuilder().
			WithGoFunction(api.GoFunc(func(ctx context.Context, stack []uint64) {
				f(instanceFrom(ctx), stack)
			}), envFuncs[i].params, envFuncs[i].results).
			Export(envFuncs[i].name)
	}
	_, err := b.Instantiate(ctx)
	return err
}
