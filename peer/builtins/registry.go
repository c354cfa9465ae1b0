package builtins

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

// Particle is the per-particle context of a call: the particle parameters AquaVM ran with.
type Particle struct {
	// InitPeerID is the peer that created the particle (%init_peer_id%).
	InitPeerID string
	// CurrentPeerID is the peer executing the call.
	CurrentPeerID string
	// ParticleID is the particle's id.
	ParticleID string
	// Timestamp is the particle's creation time in milliseconds since the Unix epoch.
	Timestamp uint64
	// TTL is the particle's time to live in milliseconds.
	TTL uint32
}

// Call is one service call as the host sees it: an aqua.CallRequest plus the particle it
// belongs to.
type Call struct {
	Service, Function string
	// Args are the resolved argument values, in order.
	Args []jsonv.Value
	// Tetraplets has one list per argument (see aqua.CallRequest).
	Tetraplets [][]aqua.Tetraplet
	Particle   Particle
}

// NewCall returns the Call for an interpreter call request of particle p.
func NewCall(req aqua.CallRequest, p Particle) *Call {
	return &Call{
		Service:    req.Service,
		Function:   req.Function,
		Args:       req.Args,
		Tetraplets: req.Tetraplets,
		Particle:   p,
	}
}

// Func handles one service function. It must not retain c after it returns, must not
// modify c.Args, and should report every failure as a result with a non-zero RetCode
// (aqua.Fail) rather than panic.
type Func func(ctx context.Context, c *Call) aqua.CallResult

// Registry maps service ids and function names to handlers. The zero Registry is not
// usable; create one with NewRegistry. A Registry is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	services map[string]map[string]Func
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{services: make(map[string]map[string]Func)}
}

// Register sets the handler of service.function, replacing any earlier one. It panics if
// f is nil.
func (r *Registry) Register(service, function string, f Func) {
	if f == nil {
		panic(fmt.Sprintf("builtins: Register(%q, %q) with a nil Func", service, function))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fns := r.services[service]
	if fns == nil {
		fns = make(map[string]Func)
		r.services[service] = fns
	}
	fns[function] = f
}

// Lookup returns the handler of service.function.
func (r *Registry) Lookup(service, function string) (Func, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.services[service][function]
	return f, ok
}

// Services returns the registered service ids, sorted.
func (r *Registry) Services() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.services))
	for s := range r.services {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Functions returns the function names registered for service, sorted (nil for an unknown
// service).
func (r *Registry) Functions(service string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fns := r.services[service]
	if fns == nil {
		return nil
	}
	out := make([]string, 0, len(fns))
	for f := range fns {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// Call runs the handler of c.Service.c.Function. For an unknown service or function it
// returns ret code 1 and, as a JSON string, the Fluence JS client's message:
//
//	No service found for service call: serviceId='<service>', fnName='<function>' args='<args>'
//
// where <args> is the canonical JSON array of the arguments. A handler that panics yields
// ret code 1 and "<service>.<function>: internal error: <panic value>" instead of
// crashing the caller.
func (r *Registry) Call(ctx context.Context, c *Call) (res aqua.CallResult) {
	if c == nil {
		c = &Call{}
	}
	f, ok := r.Lookup(c.Service, c.Function)
	if !ok {
		return NotFound(c)
	}
	defer func() {
		if p := recover(); p != nil {
			res = aqua.Fail(1, fmt.Sprintf("%s.%s: internal error: %v", c.Service, c.Function, p))
		}
	}()
	return f(ctx, c)
}

// NotFound returns the "no service found" error result for c (see Registry.Call). Hosts
// that chain several registries use it when none of them knows the call.
func NotFound(c *Call) aqua.CallResult {
	args := jsonv.ArrayValue(c.Args...).String()
	return aqua.Fail(1, "No service found for service call: serviceId='"+c.Service+
		"', fnName='"+c.Function+"' args='"+args+"'")
}
