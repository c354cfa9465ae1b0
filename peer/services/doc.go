// Package services is a node's Wasm services: a content-addressed module store,
// blueprints, persisted services with aliases, the dist.* and srv.* builtins of aqua-lib,
// deploy permissions, and the routing of calls to services.
//
// The model is Fluence's (docs: module → blueprint → service), narrowed to what the
// runtime (package wasm) runs: a module is an Extism plug-in; a blueprint names exactly
// one module; a service is a pool of instances of that module with a UUID, an owner (the
// peer that created it) and any number of aliases.
//
// # Use
//
//	m, err := services.New(services.Config{PeerID: id, Dir: dataDir + "/services", ...})
//	m.Register(registry)            // dist.* and srv.* builtins
//	err = m.Restore(ctx)            // start the persisted services
//	res := m.Serve(ctx, call)       // a call to a service by id or alias
//	d, err := m.Deploy(ctx, "kv", wasmBytes) // what reef deploy does, as the owner
//	snap := m.Snapshot()            // modules and services with their counters
//
// The node (package peer) does all of this: services are on for every full node, and
// Node.Services returns the Manager.
//
// # Store
//
// Modules are named by the sha256 of their bytes (lower-case hex, as wasm.Module.Hash);
// adding the same bytes twice gives the same hash. Blueprint ids are the sha256 of the
// blueprint's canonical DAG-JSON text (see BlueprintText). With a directory (Config.Dir,
// the node's <data-dir>/services):
//
//	services.json           {"version": 1, "modules": [...], "blueprints": [...], "services": [...]}
//	modules/<sha256>.wasm   the binaries
//
// services.json is rewritten atomically (a temporary file, fsync, rename, fsync of the
// directory) after every change; each entry is a ModuleRecord, BlueprintRecord or
// ServiceRecord:
//
//	{"hash": "<sha256>", "name": "kv", "size": 3411996, "functions": ["add", ...], "added": "<RFC 3339>"}
//	{"id": "<sha256>", "name": "kv", "dependencies": ["<module sha256>"], "added": "..."}
//	{"id": "<uuid>", "blueprint_id": "...", "module": "<sha256>", "aliases": ["kv"],
//	 "owner_id": "12D3KooW...", "created": "..."}
//
// Restore starts every service again under the same id and aliases (compiling from the
// node's wasm-cache, about 0.1 s for a 3.4 MB Go guest). Without a directory (devnet
// nodes) the store lives in memory. Modules no service uses are kept up to
// Config.KeepModules (16), the most recently used first; older ones are deleted with the
// blueprints that name them, so a watch loop does not fill the disk. Compiled code of
// unused modules is kept in memory for the 2 most recent ones only.
//
// # Aliases and redeploys
//
// An alias names one service; srv.add_alias of an alias that names another service
// moves it, in one step under the store's lock, so a call by the alias finds the old
// service or the new one, never none. An alias may not be a service id, a builtin
// service's name (op, peer, srv, ...) or one of ReservedAliases. Calls are resolved by
// id first, then by alias, and only for (service, function) pairs that are not
// builtins, so an alias never shadows a builtin.
//
// A deploy (Deploy, and reef deploy's particles) always creates a new service and moves
// the alias to it; the service the alias named before is then removed unless another
// alias still names it. The alias is what stays stable across redeploys; ids change.
// A removed service stops taking calls at once, but the calls that had already resolved
// it (running, or waiting for an instance) finish on it; it is closed after them. So
// calls in flight finish on the old version, new calls go to the new one, and none
// fails.
//
// # Permissions
//
// dist.add_module, dist.add_blueprint, srv.create, srv.add_alias and srv.remove act as
// the particle's init peer. They are allowed for the node itself (Config.PeerID), for
// Config.AllowDeploy peers, and for everyone on an open node (Config.OpenDeploy, set by
// devnets); otherwise the result is "peer X may not deploy on this node: start it with
// --allow-deploy X". An allowed peer may alias or remove only the services it created;
// the node itself may change any. Calls to services, and the other builtins, are open
// to everyone.
//
// # Interfaces
//
// An Extism export takes no declared parameters: it reads the call's arguments as one
// JSON array and writes one JSON value. srv.get_interface and dist.get_module_interface
// report each export as {"name": f, "arguments": [], "output_types": ["json"]}: no
// declared arguments (whatever the AIR call passes is handed over), one result of any
// JSON type, and no record types.
//
// # Calls
//
// A call to a service id or alias runs the function with wasm.CallJSON. An unknown
// service or function gets the "No service found" result of builtins.NotFound; a failed
// call an error result (ret code 1, catchable by xor) "<service>.<fn>: <message>", where
// the message is the guest's own for a guest error and "<kind>: <what happened>" for a
// timeout, trap, memory or canceled call (see CallErrorText).
package services
