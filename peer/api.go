package peer

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Status is the JSON document served at GET /status.
type Status struct {
	PeerID           string         `json:"peer_id"`
	Addresses        []string       `json:"addresses"`
	Version          string         `json:"version"`
	AIRVersion       string         `json:"air_version"`
	Client           bool           `json:"client"`
	Peers            []string       `json:"peers"`
	RoutingTableSize int            `json:"routing_table_size"`
	Particles        ParticleStatus `json:"particles"`
	UptimeSeconds    float64        `json:"uptime_s"`
}

// ParticleStatus counts particles.
type ParticleStatus struct {
	InFlight    int               `json:"in_flight"`
	DataBytes   int               `json:"data_bytes"`
	Received    uint64            `json:"received"`
	Executed    uint64            `json:"executed"`
	Forwarded   uint64            `json:"forwarded"`
	Unreachable uint64            `json:"unreachable"`
	Expired     uint64            `json:"expired"`
	Rejected    map[string]uint64 `json:"rejected"`
}

// statusSections are extra sections other parts of the product add to /status (capacity,
// wallet, services).
type statusSections struct {
	mu sync.Mutex
	m  map[string]func() any
}

// AddStatusSection adds a top-level key to GET /status whose value f computes on each
// request.
func (n *Node) AddStatusSection(name string, f func() any) {
	n.sections.mu.Lock()
	defer n.sections.mu.Unlock()
	if n.sections.m == nil {
		n.sections.m = map[string]func() any{}
	}
	n.sections.m[name] = f
}

// Status returns the node's status.
func (n *Node) Status() Status {
	st := n.Stats()
	addrs := make([]string, 0)
	for _, a := range n.net.Addrs() {
		addrs = append(addrs, a.String())
	}
	return Status{
		PeerID:           n.peerID,
		Addresses:        addrs,
		Version:          Version,
		AIRVersion:       AIRVersion,
		Client:           n.relayID != "",
		Peers:            peersOf(n.net.Host().Network().Peers()),
		RoutingTableSize: n.net.RoutingTable().Size,
		UptimeSeconds:    time.Since(n.started).Seconds(),
		Particles:        ParticleStatus(st),
	}
}

// APIHandler serves GET /status (JSON) and GET /metrics (Prometheus text format).
func (n *Node) APIHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		st := n.Status()
		raw, err := json.Marshal(st)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		doc := map[string]any{}
		_ = json.Unmarshal(raw, &doc)
		n.sections.mu.Lock()
		for k, f := range n.sections.m {
			doc[k] = f()
		}
		n.sections.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(doc)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(n.metrics.reg, promhttp.HandlerOpts{}))
	return mux
}
