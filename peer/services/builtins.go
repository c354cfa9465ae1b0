package services

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/builtins"
	"github.com/reefhq/reef/wasm"
)

// Register adds the dist.* and srv.* builtins (aqua-lib's Dist and Srv services) to r.
//
// Protected functions (dist.add_module, dist.add_blueprint, srv.create, srv.remove,
// srv.add_alias) act as the particle's init peer and are refused unless it may deploy
// (Config); the others are open to everyone. Results follow aqua-lib's types: Module,
// Blueprint, Service, Interface, ModuleConfig; optional values are arrays of zero or
// one element, and functions that return nothing return "".
func (m *Manager) Register(r *builtins.Registry) {
	r.Register("dist", "add_module", m.distAddModule)
	r.Register("dist", "default_module_config", distDefaultModuleConfig)
	r.Register("dist", "make_module_config", distMakeModuleConfig)
	r.Register("dist", "list_modules", m.distListModules)
	r.Register("dist", "get_module_interface", m.distGetModuleInterface)
	r.Register("dist", "make_blueprint", distMakeBlueprint)
	r.Register("dist", "add_blueprint", m.distAddBlueprint)
	r.Register("dist", "list_blueprints", m.distListBlueprints)
	r.Register("dist", "get_blueprint", m.distGetBlueprint)
	r.Register("srv", "create", m.srvCreate)
	r.Register("srv", "list", m.srvList)
	r.Register("srv", "remove", m.srvRemove)
	r.Register("srv", "add_alias", m.srvAddAlias)
	r.Register("srv", "resolve_alias", m.srvResolveAlias)
	r.Register("srv", "resolve_alias_opt", m.srvResolveAliasOpt)
	r.Register("srv", "get_interface", m.srvGetInterface)
	r.Register("srv", "info", m.srvInfo)
}

// empty is the result of functions that return nothing.
var empty = jsonv.StringValue("")

func fail(c *builtins.Call, format string, args ...any) aqua.CallResult {
	return aqua.Fail(1, c.Service+"."+c.Function+": "+fmt.Sprintf(format, args...))
}

func failErr(c *builtins.Call, err error) aqua.CallResult {
	return fail(c, "%s", err.Error())
}

func argCount(c *builtins.Call, lo, hi int) (aqua.CallResult, bool) {
	if len(c.Args) < lo || len(c.Args) > hi {
		if lo == hi {
			return fail(c, "expected %d argument(s), got %d", lo, len(c.Args)), false
		}
		return fail(c, "expected %d to %d arguments, got %d", lo, hi, len(c.Args)), false
	}
	return aqua.CallResult{}, true
}

func strArg(c *builtins.Call, i int, what string) (string, aqua.CallResult, bool) {
	s, ok := c.Args[i].Str()
	if !ok {
		return "", fail(c, "argument %d (%s) must be a string, got %s", i+1, what, c.Args[i].TypeName()), false
	}
	return s, aqua.CallResult{}, true
}

// opt wraps an optional value the Aqua way: [] or [v].
func opt(v jsonv.Value, ok bool) jsonv.Value {
	if !ok {
		return jsonv.ArrayValue()
	}
	return jsonv.ArrayValue(v)
}

// optArg returns argument i given as T, [T], [] or null (absent: ok false).
func optArg(c *builtins.Call, i int) (jsonv.Value, bool) {
	if i >= len(c.Args) {
		return jsonv.Value{}, false
	}
	v := c.Args[i]
	switch {
	case v.IsNull():
		return jsonv.Value{}, false
	case v.Kind() == jsonv.Array && v.Len() == 0:
		return jsonv.Value{}, false
	case v.Kind() == jsonv.Array && v.Len() == 1:
		e, _ := v.Index(0)
		return e, true
	}
	return v, true
}

func stringArray(ss []string) jsonv.Value {
	out := make([]jsonv.Value, len(ss))
	for i, s := range ss {
		out[i] = jsonv.StringValue(s)
	}
	return jsonv.ArrayValue(out...)
}

// moduleBytes decodes dist.add_module's first argument: a base64 string (what nox
// takes), or an array of bytes (aqua-lib declares the argument as []u8).
func moduleBytes(v jsonv.Value) ([]byte, error) {
	if s, ok := v.Str(); ok {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			if b, err2 := base64.RawStdEncoding.DecodeString(s); err2 == nil {
				return b, nil
			}
			return nil, fmt.Errorf("the module is not valid base64: %v", err)
		}
		return b, nil
	}
	if v.Kind() != jsonv.Array {
		return nil, fmt.Errorf("the module must be a base64 string or an array of bytes, got %s", v.TypeName())
	}
	b := make([]byte, v.Len())
	for i, e := range v.Elems() {
		u, ok := e.Uint64()
		if !ok || u > 255 {
			return nil, fmt.Errorf("module byte %d is not a byte: %s", i, e)
		}
		b[i] = byte(u)
	}
	return b, nil
}

func (m *Manager) distAddModule(ctx context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 2, 2); !ok {
		return r
	}
	if err := m.mayDeploy(c.Particle.InitPeerID); err != nil {
		return failErr(c, err)
	}
	b, err := moduleBytes(c.Args[0])
	if err != nil {
		return failErr(c, err)
	}
	cfg := c.Args[1]
	nv, _ := cfg.Field("name")
	name, ok := nv.Str()
	if cfg.Kind() != jsonv.Object || !ok {
		return fail(c, "argument 2 (config) must be a ModuleConfig object with a name (dist.default_module_config(name)), got %s", cfg)
	}
	rec, err := m.AddModule(ctx, c.Particle.InitPeerID, name, b)
	if err != nil {
		return failErr(c, err)
	}
	return aqua.Ok(jsonv.StringValue(rec.Hash))
}

// moduleConfig is aqua-lib's ModuleConfig of a module that only has a name.
func moduleConfig(name string) jsonv.Value {
	none := jsonv.ArrayValue()
	return jsonv.ObjectValue(
		jsonv.Member{Key: "name", Value: jsonv.StringValue(name)},
		jsonv.Member{Key: "mem_pages_count", Value: none},
		jsonv.Member{Key: "max_heap_size", Value: none},
		jsonv.Member{Key: "logger_enabled", Value: none},
		jsonv.Member{Key: "logging_mask", Value: none},
		jsonv.Member{Key: "wasi", Value: none},
	)
}

func distDefaultModuleConfig(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	name, r, ok := strArg(c, 0, "name")
	if !ok {
		return r
	}
	return aqua.Ok(moduleConfig(name))
}

// distMakeModuleConfig builds a ModuleConfig from make_module_config's arguments (name,
// mem_pages_count?, max_heap_size?, logger_enabled?, preopened_files?, envs?,
// mapped_dirs?, mounted_binaries?, logging_mask?). Only the name matters to Reef: Extism
// services have no files, environment or binaries, and the node's memory limit applies.
func distMakeModuleConfig(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 9); !ok {
		return r
	}
	name, r, ok := strArg(c, 0, "name")
	if !ok {
		return r
	}
	field := func(i int) jsonv.Value { return opt(optArg(c, i)) }
	wasi := jsonv.ArrayValue()
	envs, e1 := optArg(c, 5)
	dirs, e2 := optArg(c, 6)
	bins, e3 := optArg(c, 7)
	if e1 || e2 || e3 {
		wasi = jsonv.ArrayValue(jsonv.ObjectValue(
			jsonv.Member{Key: "envs", Value: opt(envs, e1)},
			jsonv.Member{Key: "mapped_dirs", Value: opt(dirs, e2)},
			jsonv.Member{Key: "mounted_binaries", Value: opt(bins, e3)},
		))
	}
	return aqua.Ok(jsonv.ObjectValue(
		jsonv.Member{Key: "name", Value: jsonv.StringValue(name)},
		jsonv.Member{Key: "mem_pages_count", Value: field(1)},
		jsonv.Member{Key: "max_heap_size", Value: field(2)},
		jsonv.Member{Key: "logger_enabled", Value: field(3)},
		jsonv.Member{Key: "logging_mask", Value: field(8)},
		jsonv.Member{Key: "wasi", Value: wasi},
	))
}

// InterfaceValue is aqua-lib's Interface of a module with these exports.
//
// An Extism function declares no parameters: it receives the AIR call's arguments as one
// JSON array, whatever their number and types, and returns one JSON value. So each
// export is a FunctionSignature with arguments [] (none declared: any arguments are
// passed through) and output_types ["json"] (one value of any JSON type), and there are
// no record types. Tools that generate Aqua from an interface should declare such a
// function with the arguments the guest expects and a result of the type it returns.
func InterfaceValue(functions []string) jsonv.Value {
	sigs := make([]jsonv.Value, len(functions))
	for i, f := range functions {
		sigs[i] = jsonv.ObjectValue(
			jsonv.Member{Key: "name", Value: jsonv.StringValue(f)},
			jsonv.Member{Key: "arguments", Value: jsonv.ArrayValue()},
			jsonv.Member{Key: "output_types", Value: jsonv.ArrayValue(jsonv.StringValue("json"))},
		)
	}
	return jsonv.ObjectValue(
		jsonv.Member{Key: "function_signatures", Value: jsonv.ArrayValue(sigs...)},
		jsonv.Member{Key: "record_types", Value: jsonv.ArrayValue()},
	)
}

// ModuleValue is aqua-lib's Module (plus, as nox lists it, the module's interface).
func ModuleValue(r ModuleRecord) jsonv.Value {
	return jsonv.ObjectValue(
		jsonv.Member{Key: "name", Value: jsonv.StringValue(r.Name)},
		jsonv.Member{Key: "hash", Value: jsonv.StringValue(r.Hash)},
		jsonv.Member{Key: "config", Value: moduleConfig(r.Name)},
		jsonv.Member{Key: "interface", Value: InterfaceValue(r.Functions)},
	)
}

// BlueprintValue is aqua-lib's Blueprint.
func BlueprintValue(b BlueprintRecord) jsonv.Value {
	return jsonv.ObjectValue(
		jsonv.Member{Key: "id", Value: jsonv.StringValue(b.ID)},
		jsonv.Member{Key: "name", Value: jsonv.StringValue(b.Name)},
		jsonv.Member{Key: "dependencies", Value: stringArray(b.Dependencies)},
	)
}

// ServiceValue is aqua-lib's Service; worker_id is the node's peer id (services live
// on the host, as nox reports them).
func (m *Manager) ServiceValue(r ServiceRecord) jsonv.Value {
	return jsonv.ObjectValue(
		jsonv.Member{Key: "id", Value: jsonv.StringValue(r.ID)},
		jsonv.Member{Key: "blueprint_id", Value: jsonv.StringValue(r.BlueprintID)},
		jsonv.Member{Key: "service_type", Value: jsonv.StringValue("service")},
		jsonv.Member{Key: "owner_id", Value: jsonv.StringValue(r.Owner)},
		jsonv.Member{Key: "aliases", Value: stringArray(r.Aliases)},
		jsonv.Member{Key: "worker_id", Value: jsonv.StringValue(m.cfg.PeerID)},
	)
}

func (m *Manager) distListModules(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 0, 0); !ok {
		return r
	}
	mods := m.ListModules()
	out := make([]jsonv.Value, len(mods))
	for i, r := range mods {
		out[i] = ModuleValue(r)
	}
	return aqua.Ok(jsonv.ArrayValue(out...))
}

func (m *Manager) distGetModuleInterface(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	hash, r, ok := strArg(c, 0, "module hash")
	if !ok {
		return r
	}
	rec, ok := m.Module(hash)
	if !ok {
		return failErr(c, &NotFoundError{What: "module", Name: hash})
	}
	return aqua.Ok(InterfaceValue(rec.Functions))
}

func distMakeBlueprint(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 2, 2); !ok {
		return r
	}
	name, r, ok := strArg(c, 0, "name")
	if !ok {
		return r
	}
	if c.Args[1].Kind() != jsonv.Array {
		return fail(c, "argument 2 (dependencies) must be an array of module hashes, got %s", c.Args[1].TypeName())
	}
	var deps []string
	for i, d := range c.Args[1].Elems() {
		s, ok := d.Str()
		if !ok {
			return fail(c, "dependency %d must be a module hash (a string), got %s", i, d)
		}
		deps = append(deps, s)
	}
	return aqua.Ok(jsonv.StringValue(BlueprintText(name, deps)))
}

func (m *Manager) distAddBlueprint(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	if err := m.mayDeploy(c.Particle.InitPeerID); err != nil {
		return failErr(c, err)
	}
	name, deps, err := ParseBlueprint(c.Args[0])
	if err != nil {
		return failErr(c, err)
	}
	id, err := m.AddBlueprint(c.Particle.InitPeerID, name, deps)
	if err != nil {
		return failErr(c, err)
	}
	return aqua.Ok(jsonv.StringValue(id))
}

func (m *Manager) distListBlueprints(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 0, 0); !ok {
		return r
	}
	bps := m.ListBlueprints()
	out := make([]jsonv.Value, len(bps))
	for i, b := range bps {
		out[i] = BlueprintValue(b)
	}
	return aqua.Ok(jsonv.ArrayValue(out...))
}

func (m *Manager) distGetBlueprint(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := strArg(c, 0, "blueprint id")
	if !ok {
		return r
	}
	bp, ok := m.Blueprint(id)
	if !ok {
		return failErr(c, &NotFoundError{What: "blueprint", Name: id})
	}
	return aqua.Ok(BlueprintValue(bp))
}

func (m *Manager) srvCreate(ctx context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := strArg(c, 0, "blueprint id")
	if !ok {
		return r
	}
	rec, err := m.CreateService(ctx, c.Particle.InitPeerID, id)
	if err != nil {
		return failErr(c, err)
	}
	return aqua.Ok(jsonv.StringValue(rec.ID))
}

func (m *Manager) srvList(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 0, 0); !ok {
		return r
	}
	svcs := m.ListServices()
	out := make([]jsonv.Value, len(svcs))
	for i, s := range svcs {
		out[i] = m.ServiceValue(s)
	}
	return aqua.Ok(jsonv.ArrayValue(out...))
}

func (m *Manager) srvRemove(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := strArg(c, 0, "service id or alias")
	if !ok {
		return r
	}
	if err := m.RemoveService(c.Particle.InitPeerID, id); err != nil {
		return failErr(c, err)
	}
	return aqua.Ok(empty)
}

func (m *Manager) srvAddAlias(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 2, 2); !ok {
		return r
	}
	alias, r, ok := strArg(c, 0, "alias")
	if !ok {
		return r
	}
	id, r, ok := strArg(c, 1, "service id")
	if !ok {
		return r
	}
	if _, err := m.AddAlias(c.Particle.InitPeerID, alias, id); err != nil {
		return failErr(c, err)
	}
	return aqua.Ok(empty)
}

func (m *Manager) srvResolveAlias(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	alias, r, ok := strArg(c, 0, "alias")
	if !ok {
		return r
	}
	id, ok := m.ResolveAlias(alias)
	if !ok {
		return failErr(c, &NotFoundError{What: "alias", Name: alias})
	}
	return aqua.Ok(jsonv.StringValue(id))
}

func (m *Manager) srvResolveAliasOpt(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	alias, r, ok := strArg(c, 0, "alias")
	if !ok {
		return r
	}
	id, ok := m.ResolveAlias(alias)
	return aqua.Ok(opt(jsonv.StringValue(id), ok))
}

func (m *Manager) srvGetInterface(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := strArg(c, 0, "service id")
	if !ok {
		return r
	}
	rec, ok := m.Resolve(id)
	if !ok {
		return failErr(c, &NotFoundError{What: "service", Name: id})
	}
	mod, _ := m.Module(rec.Module)
	return aqua.Ok(InterfaceValue(mod.Functions))
}

func (m *Manager) srvInfo(_ context.Context, c *builtins.Call) aqua.CallResult {
	if r, ok := argCount(c, 1, 1); !ok {
		return r
	}
	id, r, ok := strArg(c, 0, "service id or alias")
	if !ok {
		return r
	}
	rec, ok := m.Resolve(id)
	if !ok {
		return failErr(c, &NotFoundError{What: "service", Name: id})
	}
	return aqua.Ok(m.ServiceValue(rec))
}

// Serve answers a call to a service by id or alias: the function is called with the
// JSON array of the arguments (wasm.CallJSON). An unknown service or function gets the
// usual "No service found" result; a failed call gets an error result (ret code 1) with
// the service's message, which xor can catch.
func (m *Manager) Serve(ctx context.Context, c *builtins.Call) aqua.CallResult {
	v, err := m.Call(ctx, c.Service, c.Function, c.Args)
	if err != nil {
		var nf *NotFoundError
		if errors.As(err, &nf) || errors.Is(err, errNoFunction) {
			return builtins.NotFound(c)
		}
		return aqua.Fail(1, c.Service+"."+c.Function+": "+CallErrorText(err))
	}
	return aqua.Ok(v)
}

// CallErrorText is the message of a failed service call: the guest's own message for a
// guest error, "<kind>: <what happened>" for a timeout, trap, memory or canceled call.
func CallErrorText(err error) string {
	var ce *wasm.CallError
	if errors.As(err, &ce) {
		if ce.Kind == wasm.KindGuest {
			return ce.Message
		}
		return string(ce.Kind) + ": " + ce.Message
	}
	return err.Error()
}
