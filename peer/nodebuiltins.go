package peer

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	kb "github.com/libp2p/go-libp2p-kbucket"
	lpeer "github.com/libp2p/go-libp2p/core/peer"
	"github.com/mr-tron/base58"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/builtins"
)

// sigDomain separates what sig.sign signs from particles and particle data, so a script
// can never obtain a signature that forges either.
const sigDomain = "reef/sig.sign/1\x00"

// defaultNeighborhood is kad.neighborhood's and kad.merge's default count.
const defaultNeighborhood = 20

// registerNodeBuiltins adds the builtins that need the node: peer.identify,
// peer.is_connected, peer.connect, peer.get_contact, peer.timeout, kad.neighborhood,
// kad.merge, sig.sign, sig.verify and sig.get_peer_id.
func (n *Node) registerNodeBuiltins(r *builtins.Registry) {
	r.Register("peer", "identify", n.identify)
	r.Register("peer", "is_connected", n.isConnected)
	r.Register("peer", "connect", n.connectBuiltin)
	r.Register("peer", "get_contact", n.getContact)
	r.Register("peer", "timeout", peerTimeout)
	r.Register("kad", "neighborhood", n.neighborhood)
	r.Register("kad", "merge", kadMerge)
	r.Register("sig", "sign", n.sigSign)
	r.Register("sig", "verify", n.sigVerify)
	r.Register("sig", "get_peer_id", n.sigPeerID)
}

func fail(c *builtins.Call, format string, args ...any) aqua.CallResult {
	return aqua.Fail(1, c.Service+"."+c.Function+": "+fmt.Sprintf(format, args...))
}

func argCount(c *builtins.Call, min, max int) (aqua.CallResult, bool) {
	if len(c.Args) < min || len(c.Args) > max {
		if min == max {
			return fail(c, "expected %d argument(s), got %d", min, len(c.Args)), false
		}
		return fail(c, "expected %d to %d arguments, got %d", min, max, len(c.Args)), false
	}
	return aqua.CallResult{}, true
}

func strArg(c *builtins.Call, i int) (string, aqua.CallResult, bool) {
	s, ok := c.Args[i].Str()
	if !ok {
		return "", fail(c, "argument %d must be a string, got %s", i+1, c.Args[i]), false
	}
	return s, aqua.CallResult{}, true
}

func peerArg(c *builtins.Call, i int) (lpeer.ID, aqua.CallResult, bool) {
	s, r, ok := strArg(c, i)
	if !ok {
		return "", r, false
	}
	id, err := lpeer.Decode(s)
	if err != nil {
		return "", fail(c, "argument %d is not a peer id: %v", i+1, err), false
	}
	return id, aqua.CallResult{}, true
}

// optArg unwraps an optional argument given as T, [T], [] or null (absent: ok=false).
func optArg(c *builtins.Call, i int) (jsonv.Value, bool) {
	if i >= len(c.Args) {
		return jsonv.Value{}, false
	}
	v := c.Args[i]
	switch v.Kind() {
	case jsonv.Null:
		return jsonv.Value{}, false
	case jsonv.Array:
		if v.Len() == 0 {
			return jsonv.Value{}, false
		}
		if v.Len() == 1 {
			e, _ := v.Index(0)
			return e, true
		}
	}
	return v, true
}

func (n *Node) identify(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 0, 0); !ok {
		return r
	}
	var addrs []jsonv.Value
	for _, a := range n.net.Addrs() {
		addrs = append(addrs, jsonv.StringValue(a.String()))
	}
	return aqua.Ok(jsonv.ObjectValue(
		jsonv.Member{Key: "external_addresses", Value: jsonv.ArrayValue(addrs...)},
		jsonv.Member{Key: "node_version", Value: jsonv.StringValue(Version)},
		jsonv.Member{Key: "air_version", Value: jsonv.StringValue(AIRVersion)},
		jsonv.Member{Key: "spell_version", Value: jsonv.StringValue("")},
		jsonv.Member{Key: "allowed_binaries", Value: jsonv.ArrayValue()},
	))
}

func (n *Node) isConnected(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := peerArg(c, 0)
	if !ok {
		return r
	}
	return aqua.Ok(jsonv.BoolValue(n.net.Host().Network().Connectedness(id) == 1))
}

func (n *Node) connectBuiltin(ctx context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 2); !ok {
		return r
	}
	id, r, ok := peerArg(c, 0)
	if !ok {
		return r
	}
	if v, ok := optArg(c, 1); ok {
		for _, e := range v.Elems() {
			s, _ := e.Str()
			a, err := ma.NewMultiaddr(s)
			if err != nil {
				return fail(c, "%q is not a multiaddr: %v", s, err)
			}
			n.net.Host().Peerstore().AddAddr(id, a, 10*time.Minute)
		}
	}
	return aqua.Ok(jsonv.BoolValue(n.net.Connect(ctx, id) == nil))
}

func (n *Node) getContact(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := peerArg(c, 0)
	if !ok {
		return r
	}
	if n.net.Host().Network().Connectedness(id) != 1 {
		return aqua.Ok(jsonv.ArrayValue())
	}
	var addrs []jsonv.Value
	for _, a := range n.net.Host().Peerstore().Addrs(id) {
		addrs = append(addrs, jsonv.StringValue(a.String()))
	}
	return aqua.Ok(jsonv.ArrayValue(jsonv.ObjectValue(
		jsonv.Member{Key: "peer_id", Value: jsonv.StringValue(id.String())},
		jsonv.Member{Key: "addresses", Value: jsonv.ArrayValue(addrs...)},
	)))
}

// peerTimeout sleeps duration_ms, then returns the message (or ""). It is meant for par
// races; the call's own timeout and the particle's deadline still apply.
func peerTimeout(ctx context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 2); !ok {
		return r
	}
	ms, ok := c.Args[0].Uint64()
	if !ok {
		return fail(c, "argument 1 must be a non-negative integer (milliseconds), got %s", c.Args[0])
	}
	msg := jsonv.StringValue("")
	if v, ok := optArg(c, 1); ok {
		msg = v
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return aqua.Ok(msg)
	case <-ctx.Done():
		return fail(c, "cancelled: %v", ctx.Err())
	}
}

// neighborhoodKey builds the routing key of kad.neighborhood: the base58-decoded key,
// wrapped as a sha2-256 multihash without hashing it unless it is one already (the
// reference node's rule; the routing table then hashes the key again).
func neighborhoodKey(keyB58 string, alreadyHashed bool) ([]byte, error) {
	raw, err := base58.Decode(keyB58)
	if err != nil {
		return nil, fmt.Errorf("key is not base58: %w", err)
	}
	if alreadyHashed {
		return raw, nil
	}
	if len(raw) > 127 {
		return nil, fmt.Errorf("key of %d bytes is too long", len(raw))
	}
	return append([]byte{0x12, byte(len(raw))}, raw...), nil
}

func (n *Node) neighborhood(_ context.Context, c *builtins.Call) aqua.CallResult {
	if n.relayID != "" {
		return fail(c, "this peer is a client and not in the DHT; call kad.neighborhood on a node (on RELAY)")
	}
	if r, ok := argCount(c, 1, 3); !ok {
		return r
	}
	key, r, ok := strArg(c, 0)
	if !ok {
		return r
	}
	hashed := false
	if v, ok := optArg(c, 1); ok {
		if hashed, ok = v.Bool(); !ok {
			return fail(c, "argument 2 (already_hashed) must be a boolean, got %s", v)
		}
	}
	count := defaultNeighborhood
	if v, ok := optArg(c, 2); ok {
		u, ok := v.Uint64()
		if !ok || u > 1<<16 {
			return fail(c, "argument 3 (count) must be a small non-negative integer, got %s", v)
		}
		count = int(u)
	}
	k, err := neighborhoodKey(key, hashed)
	if err != nil {
		return fail(c, "%v", err)
	}
	var out []jsonv.Value
	for _, id := range n.net.Neighborhood(k, count) {
		out = append(out, jsonv.StringValue(id.String()))
	}
	return aqua.Ok(jsonv.ArrayValue(out...))
}

// kadMerge merges two lists of peer ids, removes duplicates, sorts them by XOR distance
// to target and keeps count of them.
func kadMerge(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 3, 4); !ok {
		return r
	}
	target, r, ok := strArg(c, 0)
	if !ok {
		return r
	}
	tid, err := lpeer.Decode(target)
	if err != nil {
		return fail(c, "argument 1 is not a peer id: %v", err)
	}
	count := defaultNeighborhood
	if v, ok := optArg(c, 3); ok {
		u, ok := v.Uint64()
		if !ok || u > 1<<16 {
			return fail(c, "argument 4 (count) must be a small non-negative integer, got %s", v)
		}
		count = int(u)
	}
	seen := map[lpeer.ID]bool{}
	var ids []lpeer.ID
	for _, arg := range []int{1, 2} {
		if c.Args[arg].Kind() != jsonv.Array {
			return fail(c, "argument %d must be an array of peer ids, got %s", arg+1, c.Args[arg])
		}
		for j, e := range c.Args[arg].Elems() {
			s, ok := e.Str()
			id, err := lpeer.Decode(s)
			if !ok || err != nil {
				return fail(c, "argument %d[%d] is not a peer id: %s", arg+1, j, e)
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sorted := kb.SortClosestPeers(ids, kb.ConvertPeerID(tid))
	if len(sorted) > count {
		sorted = sorted[:count]
	}
	out := make([]jsonv.Value, len(sorted))
	for i, id := range sorted {
		out[i] = jsonv.StringValue(id.String())
	}
	return aqua.Ok(jsonv.ArrayValue(out...))
}

func bytesArg(c *builtins.Call, i int) ([]byte, aqua.CallResult, bool) {
	v := c.Args[i]
	if v.Kind() != jsonv.Array {
		return nil, fail(c, "argument %d must be an array of bytes, got %s", i+1, v), false
	}
	out := make([]byte, v.Len())
	for j, e := range v.Elems() {
		u, ok := e.Uint64()
		if !ok || u > 255 {
			return nil, fail(c, "argument %d[%d] must be a byte (0-255), got %s", i+1, j, e), false
		}
		out[j] = byte(u)
	}
	return out, aqua.CallResult{}, true
}

func byteArray(b []byte) jsonv.Value {
	out := make([]jsonv.Value, len(b))
	for i, x := range b {
		out[i] = jsonv.UintValue(uint64(x))
	}
	return jsonv.ArrayValue(out...)
}

func signResult(sig []byte, errMsg string) aqua.CallResult {
	if errMsg != "" {
		return aqua.Ok(jsonv.ObjectValue(
			jsonv.Member{Key: "success", Value: jsonv.BoolValue(false)},
			jsonv.Member{Key: "error", Value: jsonv.ArrayValue(jsonv.StringValue(errMsg))},
			jsonv.Member{Key: "signature", Value: jsonv.ArrayValue()},
		))
	}
	return aqua.Ok(jsonv.ObjectValue(
		jsonv.Member{Key: "success", Value: jsonv.BoolValue(true)},
		jsonv.Member{Key: "error", Value: jsonv.ArrayValue()},
		jsonv.Member{Key: "signature", Value: jsonv.ArrayValue(byteArray(sig))},
	))
}

// sigSign signs data with the node's key, for particles this node initiated only (as in
// the reference node: a remote script cannot make a node sign what it likes). The
// signature covers a Reef domain prefix, so it never validates as a particle signature.
func (n *Node) sigSign(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	data, r, ok := bytesArg(c, 0)
	if !ok {
		return r
	}
	if c.Particle.InitPeerID != n.peerID {
		return signResult(nil, "sig.sign is only allowed in particles initiated by this peer")
	}
	return signResult(ed25519.Sign(n.key, append([]byte(sigDomain), data...)), "")
}

func (n *Node) sigVerify(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 2, 2); !ok {
		return r
	}
	sig, r, ok := bytesArg(c, 0)
	if !ok {
		return r
	}
	data, r, ok := bytesArg(c, 1)
	if !ok {
		return r
	}
	pub := n.key.Public().(ed25519.PublicKey)
	return aqua.Ok(jsonv.BoolValue(len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, append([]byte(sigDomain), data...), sig)))
}

func (n *Node) sigPeerID(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 0, 0); !ok {
		return r
	}
	return aqua.Ok(jsonv.StringValue(n.peerID))
}
