package aqua

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
	"lukechampine.com/blake3"
)

// Limits bound what one run may consume. Exceeding one is an error, never a hang.
type Limits struct {
	// MaxScriptSize bounds the AIR text in bytes (default 1 MiB).
	MaxScriptSize int
	// MaxDataSize bounds prev, current and produced data in bytes (default 16 MiB).
	MaxDataSize int
	// MaxCallResultSize bounds one call result's text in bytes (default 16 MiB).
	MaxCallResultSize int
	// MaxInstructions bounds the instructions executed by one run (default 1,000,000).
	MaxInstructions int
	// MaxFoldDepth bounds how deeply fold iterations nest through next (default 10,000).
	MaxFoldDepth int
}

// DefaultLimits are the limits of a VM built without WithLimits.
var DefaultLimits = Limits{
	MaxScriptSize:     1 << 20,
	MaxDataSize:       data.DefaultMaxSize,
	MaxCallResultSize: 16 << 20,
	MaxInstructions:   1_000_000,
	MaxFoldDepth:      10_000,
}

type config struct {
	limits      Limits
	scriptCache int
	sigCache    int
}

// Option configures a VM.
type Option func(*config) error

// WithLimits sets the run limits; zero fields keep their defaults.
func WithLimits(l Limits) Option {
	return func(c *config) error {
		if l.MaxScriptSize < 0 || l.MaxDataSize < 0 || l.MaxCallResultSize < 0 || l.MaxInstructions < 0 || l.MaxFoldDepth < 0 {
			return errors.New("aqua: limits must not be negative")
		}
		if l.MaxScriptSize > 0 {
			c.limits.MaxScriptSize = l.MaxScriptSize
		}
		if l.MaxDataSize > 0 {
			c.limits.MaxDataSize = l.MaxDataSize
		}
		if l.MaxCallResultSize > 0 {
			c.limits.MaxCallResultSize = l.MaxCallResultSize
		}
		if l.MaxInstructions > 0 {
			c.limits.MaxInstructions = l.MaxInstructions
		}
		if l.MaxFoldDepth > 0 {
			c.limits.MaxFoldDepth = l.MaxFoldDepth
		}
		return nil
	}
}

// WithScriptCache sets how many parsed scripts the VM keeps (default 256; 0 disables).
func WithScriptCache(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("aqua: script cache size must not be negative")
		}
		c.scriptCache = n
		return nil
	}
}

// WithSignatureCache sets how many verified signatures the VM remembers (default 4096;
// 0 verifies every signature every time).
func WithSignatureCache(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("aqua: signature cache size must not be negative")
		}
		c.sigCache = n
		return nil
	}
}

// VM runs AIR scripts. It caches parsed scripts and verified signatures and is safe for
// concurrent use; runs of the same particle on the same peer must still be serialized by
// the host, since each consumes the data of the previous one.
type VM struct {
	cfg config

	mu      sync.Mutex
	scripts map[string]*parsed
	sigs    map[[32]byte]struct{}
}

type parsed struct {
	script *air.Script
	err    error
}

// New returns a VM.
func New(opts ...Option) (*VM, error) {
	cfg := config{limits: DefaultLimits, scriptCache: 256, sigCache: 4096}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	return &VM{cfg: cfg, scripts: map[string]*parsed{}, sigs: map[[32]byte]struct{}{}}, nil
}

// Limits returns the VM's limits.
func (vm *VM) Limits() Limits { return vm.cfg.limits }

// Parse parses (or fetches from the cache) a script.
func (vm *VM) Parse(src string) (*air.Script, error) {
	if vm.cfg.scriptCache > 0 {
		vm.mu.Lock()
		p, ok := vm.scripts[src]
		vm.mu.Unlock()
		if ok {
			return p.script, p.err
		}
	}
	s, err := air.Parse(src)
	if vm.cfg.scriptCache > 0 {
		vm.mu.Lock()
		if len(vm.scripts) >= vm.cfg.scriptCache {
			for k := range vm.scripts { // drop an arbitrary entry
				delete(vm.scripts, k)
				break
			}
		}
		vm.scripts[src] = &parsed{script: s, err: err}
		vm.mu.Unlock()
	}
	return s, err
}

// Outcome is the result of one run (AquaVM's InterpreterOutcome).
type Outcome struct {
	// RetCode is 0 on success; see the Code constants and ClassOf.
	RetCode      int64
	ErrorMessage string
	// Data is the new particle data. After a preparation or uncatchable error it is the
	// unchanged prev data.
	Data []byte
	// NextPeers are the peers the particle must be sent to (no duplicates, order
	// unspecified).
	NextPeers []string
	// CallRequests are the local calls the host must execute.
	CallRequests []CallRequest
	// Instructions is the number of instructions executed.
	Instructions int
	// Complete reports whether the whole script completed on this peer.
	Complete bool
}

// Err returns the outcome's error, or nil when RetCode is 0.
func (o *Outcome) Err() error {
	if o.RetCode == 0 {
		return nil
	}
	return &Error{Code: o.RetCode, Message: o.ErrorMessage}
}

// RunOption configures a single run.
type RunOption func(*runConfig)

type runConfig struct{ obs Observer }

// WithObserver attaches an observer that receives every executed instruction.
func WithObserver(o Observer) RunOption { return func(c *runConfig) { c.obs = o } }

func fail(in *Input, code int64, format string, args ...any) *Outcome {
	return &Outcome{RetCode: code, ErrorMessage: fmt.Sprintf(format, args...), Data: in.PrevData}
}

// Run executes in.Script once. It never panics on bad input; every failure is reported in
// the outcome's RetCode and ErrorMessage. ctx cancels a long run (checked periodically).
func (vm *VM) Run(ctx context.Context, in *Input, opts ...RunOption) *Outcome {
	var rc runConfig
	for _, o := range opts {
		o(&rc)
	}
	lim := vm.cfg.limits
	if len(in.Script) > lim.MaxScriptSize {
		return fail(in, CodeSizeLimit, "air size %d exceeds the limit of %d bytes", len(in.Script), lim.MaxScriptSize)
	}
	for id, r := range in.CallResults {
		if len(r.Result) > lim.MaxCallResultSize {
			return fail(in, CodeSizeLimit, "call result %d is %d bytes, over the limit of %d", id, len(r.Result), lim.MaxCallResultSize)
		}
	}
	prev, err := data.Decode(in.PrevData, lim.MaxDataSize)
	if err != nil {
		return decodeFailure(in, "prev", err)
	}
	cur, err := data.Decode(in.CurrentData, lim.MaxDataSize)
	if err != nil {
		return decodeFailure(in, "current", err)
	}
	for _, d := range []*data.Data{prev, cur} {
		if len(d.Trace) > 0 && d.Version != data.InterpreterVersion {
			return fail(in, CodeUnsupportedVersion, "particle data was written by interpreter version %q; this peer runs %q", d.Version, data.InterpreterVersion)
		}
	}
	if err := cur.VerifyAgainst(prev); err != nil {
		return fail(in, CodeCIDVerification, "current data: %v", err)
	}
	sigs, serr := vm.mergeSignatures(prev, cur, in.Params.ParticleID)
	if serr != nil {
		return fail(in, CodeSignature, "%v", serr)
	}
	script, err := vm.Parse(in.Script)
	if err != nil {
		return fail(in, CodeParse, "air can't be parsed:\n%v", err)
	}

	x := vm.newExec(ctx, in, script, prev, cur, rc.obs)
	rerr := x.exec(script.Root)
	if rerr == nil || rerr.catchable() {
		// Global streams end with the run; compact them so generations are final.
		for _, scopes := range x.st.scopes {
			for _, sc := range scopes {
				if sc.span == globalSpan {
					if cerr := sc.s.compact(x.k.result); cerr != nil && (rerr == nil || rerr.catchable()) {
						rerr = cerr
					}
				}
			}
		}
	}
	if rerr != nil && !rerr.catchable() {
		o := fail(in, rerr.code, "%s", rerr.msg)
		o.Instructions = x.instrCount
		return o
	}

	x.out.Trace = x.k.result
	x.out.LastCallID = x.lcid
	x.out.Signatures = sigs
	if err := vm.sign(x.out, in.Params); err != nil {
		return fail(in, CodeSigningFailed, "%v", err)
	}
	enc, err := data.Encode(x.out, lim.MaxDataSize)
	if err != nil {
		return fail(in, CodeSizeLimit, "new data: %v", err)
	}
	o := &Outcome{
		Data:         enc,
		NextPeers:    x.nextPeers,
		CallRequests: x.requests,
		Instructions: x.instrCount,
		Complete:     x.complete && rerr == nil,
	}
	if rerr != nil {
		o.RetCode, o.ErrorMessage = rerr.code, rerr.msg
	} else if len(x.results) > 0 {
		ids := make([]uint32, 0, len(x.results))
		for id := range x.results {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		o.RetCode = CodeUnprocessedCallResult
		o.ErrorMessage = fmt.Sprintf("call results with ids %v were not processed: no call is waiting for them", ids)
	}
	return o
}

func decodeFailure(in *Input, which string, err error) *Outcome {
	if errors.Is(err, data.ErrTooLarge) {
		return fail(in, CodeSizeLimit, "%s data: %v", which, err)
	}
	return fail(in, CodeDataDecode, "%s data can't be decoded: %v", which, err)
}

func (vm *VM) newExec(ctx context.Context, in *Input, script *air.Script, prev, cur *data.Data, obs Observer) *execCtx {
	// prev was decoded for this run only, so its stores can become the output's.
	out := prev
	out.MergeStores(cur)
	results := make(map[uint32]CallResult, len(in.CallResults))
	for k, v := range in.CallResults {
		results[k] = v
	}
	initT := &Tetraplet{PeerPK: in.Params.InitPeerID}
	x := &execCtx{
		p:               &in.Params,
		script:          script,
		k:               newKeeper(prev.Trace, cur.Trace),
		prev:            prev,
		cur:             cur,
		out:             out,
		values:          map[data.CID]jsonv.Value{},
		sc:              newScalars(),
		iters:           map[string]*iterator{},
		st:              streams{scopes: map[string][]streamScope{}},
		complete:        true,
		lastErr:         noErrorObject,
		lastErrT:        initT,
		lastErrSettable: true,
		errVal:          noErrorObject,
		errT:            initT,
		errSettable:     true,
		nextSet:         map[string]bool{},
		lcid:            prev.LastCallID,
		results:         results,
		initT:           initT,
		instrLimit:      vm.cfg.limits.MaxInstructions,
		foldDepthLimit:  vm.cfg.limits.MaxFoldDepth,
		obs:             obs,
	}
	if ctx != nil && ctx.Done() != nil {
		x.ctx = ctx
	}
	return x
}

// mergeSignatures verifies the signatures of current data and merges the signature
// stores of both inputs (§10.1 step 3): for a peer present in both, the signature over
// the larger CID multiset is kept, and the smaller must be contained in it.
func (vm *VM) mergeSignatures(prev, cur *data.Data, particleID string) (map[data.PublicKey]data.Signature, error) {
	curSets := cur.SignedCIDs()
	curKeys, err := keysByPeer(cur, curSets)
	if err != nil {
		return nil, fmt.Errorf("current data: %w", err)
	}
	for peer, cids := range curSets {
		pk := curKeys[peer]
		if !vm.verify(pk, cur.Signatures[pk], particleID, cids) {
			return nil, fmt.Errorf("current data: the signature of peer %s does not match the results it produced", peer)
		}
	}
	prevSets := prev.SignedCIDs()
	out := make(map[data.PublicKey]data.Signature, len(prev.Signatures)+len(cur.Signatures))
	for pk, s := range prev.Signatures {
		out[pk] = s
	}
	for peer, cs := range curSets {
		pk := curKeys[peer]
		s := cur.Signatures[pk]
		ps, inPrev := prevSets[peer]
		if _, signedPrev := prev.Signatures[pk]; !inPrev || !signedPrev {
			out[pk] = s
			continue
		}
		switch {
		case data.IsSubMultiset(ps, cs):
			out[pk] = s
		case data.IsSubMultiset(cs, ps):
			// prev's signature already covers everything current data holds
		default:
			return nil, fmt.Errorf("peer %s signed results in current data that are inconsistent with the ones in prev data", peer)
		}
	}
	return out, nil
}

// keysByPeer finds, for every peer that produced results in d, the public key among d's
// signatures whose peer id it is.
func keysByPeer(d *data.Data, sets map[string][]data.CID) (map[string]data.PublicKey, error) {
	out := make(map[string]data.PublicKey, len(sets))
	for peer := range sets {
		pk, err := data.PublicKeyFromPeerID(peer)
		if err != nil {
			return nil, fmt.Errorf("results attributed to %q, which is not an Ed25519 peer id: %w", peer, err)
		}
		if _, ok := d.Signatures[pk]; !ok {
			return nil, fmt.Errorf("peer_id %s doesn't match any available public key: its results are unsigned", peer)
		}
		out[peer] = pk
	}
	return out, nil
}

// verify checks a signature, remembering the ones already verified.
func (vm *VM) verify(pk data.PublicKey, sig data.Signature, particleID string, cids []data.CID) bool {
	h := blake3.New(32, nil)
	h.Write(pk[:])
	h.Write(sig[:])
	h.Write(data.SignedMessage(particleID, cids))
	var key [32]byte
	h.Sum(key[:0])
	vm.mu.Lock()
	_, ok := vm.sigs[key]
	vm.mu.Unlock()
	if ok {
		return true
	}
	if !data.VerifySignature(pk, sig, particleID, cids) {
		return false
	}
	if vm.cfg.sigCache == 0 {
		return true
	}
	vm.mu.Lock()
	if len(vm.sigs) >= vm.cfg.sigCache {
		clear(vm.sigs)
	}
	vm.sigs[key] = struct{}{}
	vm.mu.Unlock()
	return true
}

// sign signs the current peer's results in d (reusing the existing signature when the
// set of results did not change).
func (vm *VM) sign(d *data.Data, p RunParams) error {
	sets := d.SignedCIDs()
	own := sets[p.CurrentPeerID]
	if len(own) == 0 {
		return nil
	}
	if p.Key == nil {
		return nil
	}
	if data.PeerIDFromKey(p.Key) != p.CurrentPeerID {
		return fmt.Errorf("the signing key does not belong to the current peer %s", p.CurrentPeerID)
	}
	pk, _ := data.PublicKeyFromPeerID(p.CurrentPeerID)
	if old, ok := d.Signatures[pk]; ok && vm.verify(pk, old, p.ParticleID, own) {
		return nil
	}
	pk, sig := data.Sign(p.Key, p.ParticleID, own)
	d.Signatures[pk] = sig
	// Remember our own signature as verified.
	vm.verify(pk, sig, p.ParticleID, own)
	return nil
}
