package p2p

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
)

// newResourceManager builds the resource manager for l.
//
// LimitsScaled is what libp2p itself does by default: rcmgr.DefaultLimits plus the
// service limits of identify, ping, autonat, holepunch and relay, scaled to 1/8 of the
// machine's memory and half its file descriptors. On a 24 GiB machine that allows 512
// connections (256 inbound); on a 2 GiB one, 160 (96 inbound). Streams of protocols without their own
// limit (Kademlia, the particle protocol) fall under the defaults for unknown protocols
// (per peer: 64 inbound, 128 outbound at a time), which is ample for one short stream per
// particle. The connection manager's default watermarks (160/192, libp2p's own) stay below the
// connection limit of any machine with 4 GiB or more, so it trims before the resource
// manager refuses.
//
// LimitsInfinite switches limits off: scaled limits are computed per host from the whole
// machine, so 30 hosts in one process would each believe they own all of it while the
// process's file descriptors run out underneath; tests and devnets account nothing
// instead, as libp2p's and kad-dht's own tests do.
func newResourceManager(l Limits) (network.ResourceManager, error) {
	var limiter rcmgr.Limiter
	switch l {
	case LimitsInfinite:
		limiter = rcmgr.NewFixedLimiter(rcmgr.InfiniteLimits)
	default:
		limits := rcmgr.DefaultLimits
		libp2p.SetDefaultServiceLimits(&limits)
		limiter = rcmgr.NewFixedLimiter(limits.AutoScale())
	}
	// rcmgr reports to Prometheus' global registry unless told not to; the node serves
	// its own registry, so nothing reads those figures, and they cost ~7 % of the CPU of
	// a particle under load (a labelled counter update per stream event).
	rm, err := rcmgr.NewResourceManager(limiter, rcmgr.WithMetricsDisabled())
	if err != nil {
		return nil, fmt.Errorf("p2p: resource manager: %w", err)
	}
	return rm, nil
}

// connGrace is how long a new connection is exempt from trimming.
const connGrace = time.Minute

func newConnManager(low, high int) (*connmgr.BasicConnMgr, error) {
	cm, err := connmgr.NewConnManager(low, high, connmgr.WithGracePeriod(connGrace))
	if err != nil {
		return nil, fmt.Errorf("p2p: connection manager: %w", err)
	}
	return cm, nil
}
