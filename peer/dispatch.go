package peer

import (
	"context"
	"fmt"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/peer/builtins"
)

// ServiceFunc serves calls for one particle before the node's services are consulted (a
// client uses it for getDataSrv, callbackSrv and errorHandlingSrv). It reports false for
// calls it does not serve.
type ServiceFunc func(ctx context.Context, req aqua.CallRequest) (aqua.CallResult, bool)

// dispatch serves one call request asynchronously and feeds its result back to the actor.
// A call that outlives its timeout (the per-call limit, or the particle's deadline) gets
// an error result that xor can catch; its handler is abandoned.
func (n *Node) dispatch(a *actor, req aqua.CallRequest) {
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		select {
		case n.callSlots <- struct{}{}:
		case <-n.ctx.Done():
			return
		}
		defer func() { <-n.callSlots }()
		timeout := n.cfg.callTimeout
		if left := time.Until(a.deadline); left < timeout {
			timeout = left
		}
		ctx, cancel := context.WithTimeout(n.ctx, timeout)
		defer cancel()
		res := make(chan aqua.CallResult, 1)
		go func() { res <- n.serve(ctx, a, req) }()
		var r aqua.CallResult
		select {
		case r = <-res:
		case <-ctx.Done():
			if n.ctx.Err() != nil {
				return
			}
			n.metrics.callTimeouts.Inc()
			r = aqua.Fail(1, fmt.Sprintf("call %s.%s timed out after %s", req.Service, req.Function, timeout.Round(time.Millisecond)))
		}
		n.metrics.calls.Inc()
		n.submit(a, work{results: map[uint32]aqua.CallResult{req.ID: r}})
	}()
}

// serve answers a call: the particle's own services first, then the node's registry
// (builtins), then the Wasm services by id or alias (so an alias never shadows a
// builtin); unknown services get the "No service found" error result.
func (n *Node) serve(ctx context.Context, a *actor, req aqua.CallRequest) aqua.CallResult {
	a.mu.Lock()
	svc := a.services
	a.mu.Unlock()
	if svc != nil {
		if r, ok := svc(ctx, req); ok {
			return r
		}
	}
	call := builtins.NewCall(req, builtins.Particle{
		InitPeerID:    a.p.InitPeerID,
		CurrentPeerID: n.peerID,
		ParticleID:    a.p.ID,
		Timestamp:     a.p.Timestamp,
		TTL:           a.p.TTL,
	})
	if n.services != nil {
		if _, builtin := n.registry.Lookup(req.Service, req.Function); !builtin {
			return n.services.Serve(ctx, call)
		}
	}
	return n.registry.Call(ctx, call)
}
