package peer

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/aquafn"
	"github.com/reefhq/reef/peer/services"
)

// servicesConfig configures the node's Wasm services (package services).
type servicesConfig struct {
	disabled    bool
	cacheDir    string
	memoryLimit uint64
	callTimeout time.Duration
	allowDeploy []string
	openDeploy  bool
}

// WithoutServices turns the node's Wasm services off: no dist.* and srv.* builtins, no
// store. Clients (WithClientMode) never have services.
func WithoutServices() Option {
	return func(c *config) error { c.services.disabled = true; return nil }
}

// WithAllowDeploy lets these peers, besides the node itself, add modules and
// blueprints and create, alias and remove services (reef node --allow-deploy).
func WithAllowDeploy(peerIDs ...string) Option {
	return func(c *config) error {
		for _, id := range peerIDs {
			if _, err := lpeer.Decode(id); err != nil {
				return fmt.Errorf("peer: allow-deploy: %q is not a peer id: %w", id, err)
			}
			c.services.allowDeploy = append(c.services.allowDeploy, id)
		}
		return nil
	}
}

// WithOpenDeploy lets every peer deploy services on the node. StartDevnet sets it: a
// devnet is a development network.
func WithOpenDeploy() Option {
	return func(c *config) error { c.services.openDeploy = true; return nil }
}

// WithWasmCacheDir keeps the compilation cache of Wasm modules in dir (default
// <data-dir>/wasm-cache; none for a node without a data directory).
func WithWasmCacheDir(dir string) Option {
	return func(c *config) error { c.services.cacheDir = dir; return nil }
}

// WithWasmMemoryLimit bounds the memory of one instance of a service (default 64 MiB).
func WithWasmMemoryLimit(bytes uint64) Option {
	return func(c *config) error {
		if bytes < 1<<20 || bytes > 4<<30 {
			return fmt.Errorf("peer: wasm memory limit %d out of range [1 MiB, 4 GiB]", bytes)
		}
		c.services.memoryLimit = bytes
		return nil
	}
}

// WithWasmCallTimeout bounds one call to a service (default 5 s; never past the node's
// call timeout or the particle's deadline).
func WithWasmCallTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("peer: wasm call timeout must be positive")
		}
		c.services.callTimeout = d
		return nil
	}
}

// DefaultWasmCacheDir is the compilation cache of nodes without a data directory
// (devnets): reef/wasm-cache in the user's cache directory, or "" if there is none.
func DefaultWasmCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "reef", "wasm-cache")
}

// setupServices creates the services manager of a full node: its store is
// <dataDir>/services (in memory when dataDir is ""), its builtins join the registry,
// calls to unknown services are routed to it (serve), and /status gets a "services"
// section.
func (n *Node) setupServices(dataDir string) error {
	sc := n.cfg.services
	if sc.disabled || n.cfg.clientRelay != "" {
		return nil
	}
	cfg := services.Config{
		PeerID:      n.peerID,
		CacheDir:    sc.cacheDir,
		MemoryLimit: sc.memoryLimit,
		CallTimeout: sc.callTimeout,
		AllowDeploy: sc.allowDeploy,
		OpenDeploy:  sc.openDeploy,
		Reserved:    func(name string) bool { return len(n.registry.Functions(name)) > 0 },
		Logger:      n.log.With("logger", "services"),
		Publish:     n.publish,
	}
	if dataDir != "" {
		cfg.Dir = filepath.Join(dataDir, "services")
		if cfg.CacheDir == "" {
			cfg.CacheDir = filepath.Join(dataDir, "wasm-cache")
		}
	}
	m, err := services.New(cfg)
	if err != nil {
		return err
	}
	m.Register(n.registry)
	n.services = m
	n.AddStatusSection("services", func() any { return m.Status() })
	return nil
}

// Services returns the node's Wasm services (nil for a client, or WithoutServices): the
// store, the console's view of it (Snapshot), deploys, removals and calls.
func (n *Node) Services() *services.Manager { return n.services }

// The deploy scripts: deploy.aqua compiled by the Aqua compiler.
var (
	//go:embed deploy_upload.air
	uploadScript string
	//go:embed deploy_publish.air
	publishScript string
)

// DeployScripts returns the AIR that DeployModule runs, as two particles (every run of
// a particle decodes all its data, so the module travels alone in a short one):
// upload(module_base64, name) adds the module to the relay and returns its hash;
// publish(hash, name, alias) makes a blueprint and a service of it, points alias at the
// service and returns a Deployed (service_id, module, alias, replaced).
func DeployScripts() (upload, publish string) { return uploadScript, publishScript }

// DeployError is a deploy the relay refused or could not complete; Message is the
// relay's error (for example "peer X may not deploy on this node: ...").
type DeployError struct{ Message string }

func (e *DeployError) Error() string { return e.Message }

// Refused reports whether the relay refused the deploy for lack of permission.
func (e *DeployError) Refused() bool { return strings.Contains(e.Message, "may not ") }

// BadModule reports whether the relay refused the module itself (not WebAssembly, or
// not an Extism plug-in).
func (e *DeployError) BadModule() bool {
	return strings.Contains(e.Message, "wasm: invalid module") || strings.Contains(e.Message, "wasm: module refused")
}

// DeployModule deploys a module on the relay (a client's relay; the node itself
// otherwise) with the particles of DeployScripts, as `reef deploy` does: the module goes
// up as base64, a blueprint and a service are made of it and alias is pointed at the
// service; the service alias pointed at before is removed (unless another alias names
// it) once its calls in flight finish. ttl bounds each particle. A failure the relay
// reports is a *DeployError.
func (n *Node) DeployModule(ctx context.Context, module []byte, alias string, ttl time.Duration) (services.Deployed, error) {
	name := jsonv.StringValue(alias)
	hash, err := n.callDeployScript(ctx, uploadScript, map[string]jsonv.Value{
		"module_base64": jsonv.StringValue(base64.StdEncoding.EncodeToString(module)),
		"name":          name,
	}, ttl)
	if err != nil {
		return services.Deployed{}, err
	}
	sum := sha256.Sum256(module)
	if h, _ := hash.Str(); h != hex.EncodeToString(sum[:]) {
		return services.Deployed{}, fmt.Errorf("peer: the relay stored the module as %s, not as its sha256 %x", hash, sum)
	}
	out, err := n.callDeployScript(ctx, publishScript, map[string]jsonv.Value{
		"hash": hash, "name": name, "alias": jsonv.StringValue(alias),
	}, ttl)
	if err != nil {
		return services.Deployed{}, err
	}
	return deployedFrom(out)
}

func (n *Node) callDeployScript(ctx context.Context, script string, args map[string]jsonv.Value, ttl time.Duration) (jsonv.Value, error) {
	res, err := n.CallFunction(ctx, script, args, ttl)
	if err != nil {
		return jsonv.Value{}, err
	}
	if res.ErrorObject != nil {
		return jsonv.Value{}, &DeployError{Message: serviceMessage(aquafn.ErrorMessage(*res.ErrorObject))}
	}
	return res.Value, nil
}

// serviceMessage unwraps the interpreter's message for a failed call, "Local service
// error, ret_code is 1, error message is '"<text>"'", to the service's own text.
func serviceMessage(msg string) string {
	const prefix = "Local service error, ret_code is "
	if !strings.HasPrefix(msg, prefix) {
		return msg
	}
	_, inner, ok := strings.Cut(msg, ", error message is '")
	if !ok || !strings.HasSuffix(inner, "'") {
		return msg
	}
	inner = strings.TrimSuffix(inner, "'")
	if v, err := jsonv.ParseString(inner); err == nil {
		if s, ok := v.Str(); ok {
			return s
		}
	}
	return inner
}

func deployedFrom(v jsonv.Value) (services.Deployed, error) {
	var d services.Deployed
	get := func(k string) string {
		f, _ := v.Field(k)
		s, _ := f.Str()
		return s
	}
	d.ServiceID, d.Module, d.Alias = get("service_id"), get("module"), get("alias")
	if r, ok := v.Field("replaced"); ok {
		for _, e := range r.Elems() {
			if s, ok := e.Str(); ok {
				d.Replaced = append(d.Replaced, s)
			}
		}
	}
	if d.ServiceID == "" || d.Module == "" {
		return d, fmt.Errorf("peer: the deploy script returned %s", v)
	}
	return d, nil
}
