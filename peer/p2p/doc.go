// Package p2p is the node's libp2p networking layer: identity, host, private Kademlia
// DHT, bootstrap, LAN discovery, client mode, and the read-outs and events the console
// shows.
//
// # Identity
//
// LoadOrCreateIdentity keeps an Ed25519 key in the data directory (DefaultDataDir),
// mode 0600, and returns it in both forms the node needs: the libp2p key for the host
// and the crypto/ed25519 key for the interpreter. A key file that others can read is
// refused (ErrInsecureIdentity), a damaged one is reported (ErrCorruptIdentity); neither
// is ever rewritten.
//
// # Node
//
// New builds the host (TCP, QUIC v1 and WebSocket; Noise and TLS; yamux; identify and
// ping; a resource manager and a connection manager; no circuit relay, no Prometheus)
// and a kad-dht in server mode under the protocol prefix "/reef" (so
// "/reef/kad/1.0.0"), used as a peer router only. Stream handlers registered on Host
// between New and Start are announced by identify from the first connection on, and
// later ones by identify push. Start listens, keeps the bootstrap peers connected
// (retrying with backoff, in the background), and starts mDNS (service MDNSServiceName).
// Close stops everything.
//
// WithClientMode makes a client instead: connected to exactly one node, its relay (a
// Fluence relay is simply the node a client is attached to, not libp2p circuit relay),
// with no DHT, no listener and no mDNS, so no node ever puts it in a routing table.
//
// # Read-outs and events
//
// RoutingTable returns a snapshot for display (buckets by common prefix length, latency,
// connection state, protocols, times). Connect finds and dials a peer (peerstore, then
// DHT), ClosestPeers runs a lookup, Neighborhood reads the local table. Until a first
// peer is in the routing table, lookups fail at once with ErrIsolated; WaitForPeers
// waits for bootstrap. With WithEvents
// the node publishes PeerConnected and PeerDisconnected from libp2p's event bus,
// RoutingTableChanged from a 4 Hz diff of the table, and a LookupEvent per lookup step.
//
// # Logging
//
// WithLogger takes the node's own logger (default: discard). The libraries' logs go
// wherever RouteLibraryLogs says, process-wide; nothing in this package writes to
// stdout or stderr.
//
// # Devnets
//
// StartDevnet runs n nodes on 127.0.0.1 in one process and returns when their routing
// tables are full.
package p2p
