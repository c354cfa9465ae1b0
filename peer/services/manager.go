package services

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/wasm"
)

// Defaults.
const (
	DefaultMemoryLimit = wasm.DefaultMemoryLimit // per instance
	DefaultCallTimeout = wasm.DefaultCallTimeout // per call
	// DefaultKeepModules is how many modules no service uses the store keeps (the most
	// recently used); older ones are deleted with the blueprints that name them.
	DefaultKeepModules = 16
	// keepCompiled is how many compiled modules no service uses stay in memory.
	keepCompiled = 2
	// MaxAliasLen bounds an alias, in bytes.
	MaxAliasLen = 256
)

// Config configures a Manager.
type Config struct {
	// PeerID is the node's own peer id: particles it initiates act as the node's owner.
	PeerID string
	// Dir keeps the modules and the state (see StateFile); "" keeps them in memory only.
	Dir string
	// CacheDir is wazero's compilation cache (the node uses <data-dir>/wasm-cache); ""
	// for none.
	CacheDir string
	// MemoryLimit bounds one instance's memory (default DefaultMemoryLimit).
	MemoryLimit uint64
	// CallTimeout bounds one call (default DefaultCallTimeout).
	CallTimeout time.Duration
	// AllowDeploy are the peers, besides the node itself, that may add modules and
	// blueprints and create, alias and remove services.
	AllowDeploy []string
	// OpenDeploy lets every peer deploy (a devnet).
	OpenDeploy bool
	// Reserved reports names that may not be aliases (the node's builtin services); the
	// fixed ReservedAliases are refused too.
	Reserved func(name string) bool
	// KeepModules overrides DefaultKeepModules.
	KeepModules int
	Logger      *slog.Logger
	// Publish receives the events.Service* events.
	Publish func(events.Event)
}

// ReservedAliases are never aliases: the client-side services of compiled Aqua, and the
// names Fluence reserves for spells and workers.
var ReservedAliases = []string{"getDataSrv", "callbackSrv", "errorHandlingSrv", "spell", "self", "worker-spell"}

// Errors.
var (
	ErrClosed          = errors.New("services: closed")
	ErrServiceNotFound = errors.New("no such service")
)

// NotFoundError says which module, blueprint, service or alias does not exist.
type NotFoundError struct {
	What, Name string
}

func (e *NotFoundError) Error() string {
	switch e.What {
	case "module":
		return fmt.Sprintf("module %s is not on this node (add it with dist.add_module first)", e.Name)
	case "blueprint":
		return fmt.Sprintf("blueprint %s is not on this node (add it with dist.add_blueprint first)", e.Name)
	case "alias":
		return fmt.Sprintf("alias '%s' does not exist", e.Name)
	}
	return fmt.Sprintf("no service with id or alias '%s' on this node", e.Name)
}

// Is makes errors.Is(err, ErrServiceNotFound) true for missing services and aliases.
func (e *NotFoundError) Is(target error) bool {
	return target == ErrServiceNotFound && (e.What == "service" || e.What == "alias")
}

// PermissionError is a refused deploy or change.
type PermissionError struct {
	Peer string
	// Service is set when the peer may deploy but the service belongs to Owner.
	Service, Owner string
}

func (e *PermissionError) Error() string {
	if e.Service != "" {
		return fmt.Sprintf("peer %s may not change service %s: it belongs to %s (only its owner and the node itself may)",
			e.Peer, e.Service, e.Owner)
	}
	return fmt.Sprintf("peer %s may not deploy on this node: start it with --allow-deploy %s", e.Peer, e.Peer)
}

// Manager keeps a node's modules, blueprints and services, and serves calls to them.
// All methods are safe for concurrent use.
type Manager struct {
	cfg   Config
	log   *slog.Logger
	store *store
	allow map[string]bool

	rtMu sync.Mutex
	rt   *wasm.Runtime // created on first use

	// compileMu serialises loading, unloading and deleting modules.
	compileMu sync.Mutex

	mu         sync.RWMutex
	closed     bool
	modules    map[string]*moduleEntry
	blueprints map[string]*BlueprintRecord
	services   map[string]*serviceEntry
	aliases    map[string]string // alias → service id

	saveMu sync.Mutex
	bg     sync.WaitGroup // removed services being closed
}

type moduleEntry struct {
	rec      ModuleRecord
	compiled *wasm.Module // nil until needed; unloaded when unused
	users    int          // live wasm services made from compiled
	lastUsed time.Time
}

type serviceEntry struct {
	rec     ServiceRecord
	svc     *wasm.Service // nil when loadErr is set
	loadErr error
	// inflight counts calls that resolved this entry; a removed service is closed once
	// they are done.
	inflight sync.WaitGroup
}

// New opens the store (reading the state, compiling nothing). Call Restore to start the
// persisted services.
func New(cfg Config) (*Manager, error) {
	if cfg.MemoryLimit == 0 {
		cfg.MemoryLimit = DefaultMemoryLimit
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.KeepModules <= 0 {
		cfg.KeepModules = DefaultKeepModules
	}
	if cfg.MemoryLimit < 1<<20 || cfg.MemoryLimit > 4<<30 {
		return nil, fmt.Errorf("services: memory limit %d out of range [1 MiB, 4 GiB]", cfg.MemoryLimit)
	}
	if cfg.CallTimeout < 0 {
		return nil, fmt.Errorf("services: call timeout %v must be positive", cfg.CallTimeout)
	}
	m := &Manager{
		cfg:        cfg,
		log:        cfg.Logger,
		allow:      map[string]bool{},
		modules:    map[string]*moduleEntry{},
		blueprints: map[string]*BlueprintRecord{},
		services:   map[string]*serviceEntry{},
		aliases:    map[string]string{},
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	for _, p := range cfg.AllowDeploy {
		m.allow[p] = true
	}
	var err error
	if m.store, err = newStore(cfg.Dir); err != nil {
		return nil, err
	}
	st, err := m.store.load()
	if err != nil {
		return nil, err
	}
	for _, r := range st.Modules {
		m.modules[r.Hash] = &moduleEntry{rec: r, lastUsed: r.Added}
	}
	for _, b := range st.Blueprints {
		m.blueprints[b.ID] = &b
	}
	for _, s := range st.Services {
		m.services[s.ID] = &serviceEntry{rec: s}
		for _, a := range s.Aliases {
			m.aliases[a] = s.ID
		}
	}
	return m, nil
}

// Restore starts the persisted services (compiling their modules, from the compilation
// cache when it has them). A service whose module cannot be loaded stays listed, and
// calls to it fail with the reason; Restore returns the joined errors.
func (m *Manager) Restore(ctx context.Context) error {
	m.mu.RLock()
	var todo []*serviceEntry
	for _, e := range m.services {
		if e.svc == nil && e.loadErr == nil {
			todo = append(todo, e)
		}
	}
	m.mu.RUnlock()
	slices.SortFunc(todo, func(a, b *serviceEntry) int { return a.rec.Created.Compare(b.rec.Created) })
	var errs []error
	for _, e := range todo {
		svc, err := m.startService(ctx, e.rec.Module)
		m.mu.Lock()
		if m.closed || m.services[e.rec.ID] != e { // closed, or removed meanwhile
			closed := m.closed
			m.mu.Unlock()
			if svc != nil {
				_ = svc.Close(ctx)
				m.compileMu.Lock()
				m.unuseLocked(e.rec.Module)
				m.compileMu.Unlock()
			}
			if closed {
				return ErrClosed
			}
			continue
		}
		e.svc, e.loadErr = svc, err
		m.mu.Unlock()
		if err != nil {
			err = fmt.Errorf("service %s (%s): %w", e.rec.ID, strings.Join(e.rec.Aliases, ", "), err)
			m.log.Error("wasm service not restored", "service", e.rec.ID, "aliases", e.rec.Aliases, "error", err)
			errs = append(errs, err)
			continue
		}
		m.log.Info("wasm service restored", "service", e.rec.ID, "aliases", e.rec.Aliases, "module", short(e.rec.Module))
	}
	return errors.Join(errs...)
}

// Close stops every service (waiting until ctx ends for the calls in flight) and the
// runtime. The store keeps everything for the next start.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	var svcs []*wasm.Service
	for _, e := range m.services {
		if e.svc != nil {
			svcs = append(svcs, e.svc)
		}
	}
	m.mu.Unlock()
	m.bg.Wait()
	var errs []error
	for _, s := range svcs {
		errs = append(errs, s.Close(ctx))
	}
	m.rtMu.Lock()
	if m.rt != nil {
		errs = append(errs, m.rt.Close(ctx))
	}
	m.rtMu.Unlock()
	return errors.Join(errs...)
}

// runtime returns the wasm runtime, creating it on first use.
func (m *Manager) runtime(ctx context.Context) (*wasm.Runtime, error) {
	m.rtMu.Lock()
	defer m.rtMu.Unlock()
	if m.rt != nil {
		return m.rt, nil
	}
	opts := []wasm.Option{
		wasm.WithMemoryLimit(m.cfg.MemoryLimit),
		wasm.WithCallTimeout(m.cfg.CallTimeout),
		wasm.WithLogger(m.log),
	}
	if m.cfg.CacheDir != "" {
		opts = append(opts, wasm.WithCacheDir(m.cfg.CacheDir))
	}
	rt, err := wasm.New(context.WithoutCancel(ctx), opts...)
	if err != nil {
		return nil, err
	}
	m.rt = rt
	return rt, nil
}

// mayDeploy checks that peer may add modules and blueprints and create services.
func (m *Manager) mayDeploy(peer string) error {
	if m.cfg.OpenDeploy || peer == m.cfg.PeerID || m.allow[peer] {
		return nil
	}
	return &PermissionError{Peer: peer}
}

// mayChange checks that peer may remove or alias the service e.
func (m *Manager) mayChange(peer string, e *serviceEntry) error {
	if err := m.mayDeploy(peer); err != nil {
		return err
	}
	if m.cfg.OpenDeploy || peer == m.cfg.PeerID || e.rec.Owner == peer {
		return nil
	}
	return &PermissionError{Peer: peer, Service: e.rec.ID, Owner: e.rec.Owner}
}

// DeployRule describes who may deploy, for status output: "open", "owner" or
// "owner and N peers".
func (m *Manager) DeployRule() string {
	switch {
	case m.cfg.OpenDeploy:
		return "open"
	case len(m.allow) == 0:
		return "owner"
	}
	return fmt.Sprintf("owner and %d allowed peer(s)", len(m.allow))
}

// loadModule returns the compiled module (compiling it if needed) with one more user.
// compileMu must be held.
func (m *Manager) loadModule(ctx context.Context, hash string) (*wasm.Module, error) {
	m.mu.Lock()
	me := m.modules[hash]
	if me == nil {
		m.mu.Unlock()
		return nil, &NotFoundError{What: "module", Name: hash}
	}
	if me.compiled != nil {
		me.users++
		me.lastUsed = time.Now()
		mod := me.compiled
		m.mu.Unlock()
		return mod, nil
	}
	m.mu.Unlock()
	b, err := m.store.module(hash)
	if err != nil {
		return nil, err
	}
	rt, err := m.runtime(ctx)
	if err != nil {
		return nil, err
	}
	mod, err := rt.Compile(ctx, b)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	me.compiled = mod
	me.users++
	me.lastUsed = time.Now()
	m.mu.Unlock()
	return mod, nil
}

// startService makes a wasm service of a module.
func (m *Manager) startService(ctx context.Context, hash string) (*wasm.Service, error) {
	m.compileMu.Lock()
	defer m.compileMu.Unlock()
	mod, err := m.loadModule(ctx, hash)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	name := m.modules[hash].rec.Name
	m.mu.RUnlock()
	svc, err := m.rt.NewService(mod, wasm.WithName(cmp.Or(name, "service")))
	if err != nil {
		m.unuseLocked(hash)
		return nil, err
	}
	return svc, nil
}

// unuseLocked drops a user of a compiled module. compileMu must be held.
func (m *Manager) unuseLocked(hash string) {
	m.mu.Lock()
	if me := m.modules[hash]; me != nil && me.users > 0 {
		me.users--
		me.lastUsed = time.Now()
	}
	m.mu.Unlock()
}

// trimLocked unloads compiled modules no service uses beyond keepCompiled, and deletes
// modules no service uses beyond KeepModules (the least recently used first), with the
// blueprints that name them. It reports whether the state changed. compileMu must be
// held.
func (m *Manager) trimLocked() bool {
	m.mu.Lock()
	inUse := map[string]bool{}
	for _, e := range m.services {
		inUse[e.rec.Module] = true
	}
	var loaded, unused []*moduleEntry
	for _, me := range m.modules {
		if me.compiled != nil && me.users == 0 {
			loaded = append(loaded, me)
		}
		if !inUse[me.rec.Hash] && me.users == 0 {
			unused = append(unused, me)
		}
	}
	byRecent := func(a, b *moduleEntry) int { return b.lastUsed.Compare(a.lastUsed) }
	slices.SortFunc(loaded, byRecent)
	slices.SortFunc(unused, byRecent)
	var unload []*wasm.Module
	for _, me := range loaded[min(len(loaded), keepCompiled):] {
		unload = append(unload, me.compiled)
		me.compiled = nil
	}
	var deleted []string
	for _, me := range unused[min(len(unused), m.cfg.KeepModules):] {
		if me.compiled != nil {
			unload = append(unload, me.compiled)
		}
		delete(m.modules, me.rec.Hash)
		deleted = append(deleted, me.rec.Hash)
		for id, bp := range m.blueprints {
			if slices.Contains(bp.Dependencies, me.rec.Hash) {
				delete(m.blueprints, id)
			}
		}
	}
	m.mu.Unlock()
	for _, mod := range unload {
		_ = mod.Close(context.Background())
	}
	for _, h := range deleted {
		if err := m.store.deleteModule(h); err != nil {
			m.log.Warn("deleting an unused module", "module", h, "error", err)
		}
	}
	return len(deleted) > 0
}

// save writes the state. Concurrent saves are serialised, and each writes the state as
// it is when its turn comes, so the last write is the latest state.
func (m *Manager) save() error {
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	m.mu.RLock()
	st := &state{Version: stateVersion}
	for _, me := range m.modules {
		st.Modules = append(st.Modules, me.rec)
	}
	for _, bp := range m.blueprints {
		st.Blueprints = append(st.Blueprints, *bp)
	}
	for _, e := range m.services {
		r := e.rec
		r.Aliases = slices.Clone(r.Aliases)
		st.Services = append(st.Services, r)
	}
	m.mu.RUnlock()
	slices.SortFunc(st.Modules, func(a, b ModuleRecord) int { return cmp.Compare(a.Hash, b.Hash) })
	slices.SortFunc(st.Blueprints, func(a, b BlueprintRecord) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(st.Services, func(a, b ServiceRecord) int { return cmp.Compare(a.ID, b.ID) })
	if err := m.store.save(st); err != nil {
		m.log.Error("saving the services state", "error", err)
		return fmt.Errorf("saving the services state: %w", err)
	}
	return nil
}

func (m *Manager) publish(ev events.Event) {
	if m.cfg.Publish != nil {
		m.cfg.Publish(ev)
	}
}

// AddModule compiles a module (refusing what the runtime does not run) and stores it
// under the sha256 of its bytes. Adding the same bytes again returns the same record.
func (m *Manager) AddModule(ctx context.Context, as, name string, b []byte) (ModuleRecord, error) {
	if err := m.mayDeploy(as); err != nil {
		return ModuleRecord{}, err
	}
	if err := wasm.Precheck(b); err != nil {
		return ModuleRecord{}, err
	}
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])
	m.compileMu.Lock()
	defer m.compileMu.Unlock()
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return ModuleRecord{}, ErrClosed
	}
	if me := m.modules[hash]; me != nil {
		me.lastUsed = time.Now()
		rec := me.rec
		m.mu.Unlock()
		return rec, nil
	}
	m.mu.Unlock()
	rt, err := m.runtime(ctx)
	if err != nil {
		return ModuleRecord{}, err
	}
	mod, err := rt.Compile(ctx, b)
	if err != nil {
		return ModuleRecord{}, err
	}
	if err := m.store.putModule(hash, b); err != nil {
		_ = mod.Close(ctx)
		return ModuleRecord{}, fmt.Errorf("storing the module: %w", err)
	}
	now := time.Now()
	rec := ModuleRecord{Hash: hash, Name: name, Size: len(b), Functions: slices.Clone(mod.Functions), Added: now.UTC()}
	m.mu.Lock()
	m.modules[hash] = &moduleEntry{rec: rec, compiled: mod, lastUsed: now}
	m.mu.Unlock()
	m.trimLocked()
	m.log.Info("wasm module added", "module", short(hash), "name", name, "size", len(b), "by", as)
	return rec, m.save()
}

// AddBlueprint adds a blueprint of exactly one module and returns its id (the same
// blueprint always has the same id).
func (m *Manager) AddBlueprint(as, name string, deps []string) (string, error) {
	if err := m.mayDeploy(as); err != nil {
		return "", err
	}
	switch {
	case name == "":
		return "", errors.New("the blueprint has no name")
	case len(deps) == 0:
		return "", errors.New("the blueprint has no module: its dependencies must name one module hash (dist.add_module's result)")
	case len(deps) > 1:
		return "", fmt.Errorf("the blueprint has %d modules; a service here runs exactly one module, an Extism plug-in "+
			"(multi-module blueprints, Marine's facade and libraries, are not supported): "+
			"build one module and give dependencies [hash]", len(deps))
	}
	id := BlueprintID(name, deps)
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return "", ErrClosed
	}
	me := m.modules[deps[0]]
	if me == nil {
		m.mu.Unlock()
		return "", &NotFoundError{What: "module", Name: deps[0]}
	}
	me.lastUsed = time.Now()
	if _, ok := m.blueprints[id]; ok {
		m.mu.Unlock()
		return id, nil
	}
	m.blueprints[id] = &BlueprintRecord{ID: id, Name: name, Dependencies: slices.Clone(deps), Added: time.Now().UTC()}
	m.mu.Unlock()
	return id, m.save()
}

// CreateService starts a service of a blueprint, owned by as, and returns it.
func (m *Manager) CreateService(ctx context.Context, as, blueprintID string) (ServiceRecord, error) {
	if err := m.mayDeploy(as); err != nil {
		return ServiceRecord{}, err
	}
	m.mu.RLock()
	bp := m.blueprints[blueprintID]
	m.mu.RUnlock()
	if bp == nil {
		return ServiceRecord{}, &NotFoundError{What: "blueprint", Name: blueprintID}
	}
	hash := bp.Dependencies[0]
	svc, err := m.startService(ctx, hash)
	if err != nil {
		return ServiceRecord{}, err
	}
	rec := ServiceRecord{
		ID: uuid.NewString(), BlueprintID: blueprintID, Module: hash, Aliases: []string{},
		Owner: as, Created: time.Now().UTC(),
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		_ = svc.Close(ctx)
		return ServiceRecord{}, ErrClosed
	}
	m.services[rec.ID] = &serviceEntry{rec: rec, svc: svc}
	m.mu.Unlock()
	m.log.Info("wasm service created", "service", rec.ID, "module", short(hash), "owner", as)
	m.publish(events.ServiceCreated{Base: events.Base{Time: time.Now()}, ID: rec.ID, Module: hash, Owner: as})
	return rec, m.save()
}

// resolveLocked finds a service by id, then by alias. m.mu must be held.
func (m *Manager) resolveLocked(idOrAlias string) *serviceEntry {
	if e := m.services[idOrAlias]; e != nil {
		return e
	}
	if id, ok := m.aliases[idOrAlias]; ok {
		return m.services[id]
	}
	return nil
}

// CheckAlias reports why name cannot be an alias, or nil. Existing service ids are
// checked by AddAlias.
func (m *Manager) CheckAlias(name string) error {
	if err := ValidAlias(name); err != nil {
		return err
	}
	if m.cfg.Reserved != nil && m.cfg.Reserved(name) {
		return fmt.Errorf("'%s' is reserved: it is the name of a builtin service of this node", name)
	}
	return nil
}

// ValidAlias checks the form of an alias: 1 to MaxAliasLen bytes of printable
// characters without spaces, and none of ReservedAliases.
func ValidAlias(name string) error {
	switch {
	case name == "":
		return errors.New("the alias is empty")
	case len(name) > MaxAliasLen:
		return fmt.Errorf("the alias is %d bytes long, over the limit of %d", len(name), MaxAliasLen)
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		return fmt.Errorf("the alias '%s' has spaces or control characters", name)
	case slices.Contains(ReservedAliases, name):
		return fmt.Errorf("'%s' is reserved (%s)", name, strings.Join(ReservedAliases, ", "))
	}
	return nil
}

// AddAlias points alias at a service (given by id or alias), moving it from the service
// it pointed at before, in one step: a call by the alias finds one service or the
// other, never none. It returns the id of that previous service ("" if none).
func (m *Manager) AddAlias(as, alias, idOrAlias string) (previous string, err error) {
	if err := m.mayDeploy(as); err != nil {
		return "", err
	}
	if err := m.CheckAlias(alias); err != nil {
		return "", err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return "", ErrClosed
	}
	if _, ok := m.services[alias]; ok {
		m.mu.Unlock()
		return "", fmt.Errorf("'%s' is the id of a service; an alias may not equal a service id", alias)
	}
	e := m.resolveLocked(idOrAlias)
	if e == nil {
		m.mu.Unlock()
		return "", &NotFoundError{What: "service", Name: idOrAlias}
	}
	if err := m.mayChange(as, e); err != nil {
		m.mu.Unlock()
		return "", err
	}
	var prev *serviceEntry
	if id, ok := m.aliases[alias]; ok && id != e.rec.ID {
		prev = m.services[id]
		if err := m.mayChange(as, prev); err != nil {
			m.mu.Unlock()
			return "", err
		}
		prev.rec.Aliases = slices.DeleteFunc(slices.Clone(prev.rec.Aliases), func(a string) bool { return a == alias })
		previous = id
	}
	if !slices.Contains(e.rec.Aliases, alias) {
		e.rec.Aliases = append(slices.Clone(e.rec.Aliases), alias)
	}
	m.aliases[alias] = e.rec.ID
	id, module := e.rec.ID, e.rec.Module
	m.mu.Unlock()
	m.log.Info("wasm service alias set", "alias", alias, "service", id, "previous", previous)
	m.publish(events.ServiceDeployed{Base: events.Base{Time: time.Now()}, ID: id, Alias: alias, Module: module,
		Previous: previous, Redeploy: previous != ""})
	return previous, m.save()
}

// RemoveService removes a service (by id or alias) and its aliases. Calls it is running,
// or that found it before it was removed, finish on it; then it is closed.
func (m *Manager) RemoveService(as, idOrAlias string) error {
	if err := m.mayDeploy(as); err != nil {
		return err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return ErrClosed
	}
	e := m.resolveLocked(idOrAlias)
	if e == nil {
		m.mu.Unlock()
		return &NotFoundError{What: "service", Name: idOrAlias}
	}
	if err := m.mayChange(as, e); err != nil {
		m.mu.Unlock()
		return err
	}
	delete(m.services, e.rec.ID)
	for _, a := range e.rec.Aliases {
		delete(m.aliases, a)
	}
	m.bg.Add(1)
	m.mu.Unlock()
	go m.retire(e)
	m.log.Info("wasm service removed", "service", e.rec.ID, "aliases", e.rec.Aliases, "by", as)
	m.publish(events.ServiceRemoved{Base: events.Base{Time: time.Now()}, ID: e.rec.ID, Aliases: e.rec.Aliases, Module: e.rec.Module})
	return m.save()
}

// retire closes a removed service once the calls that found it are done.
func (m *Manager) retire(e *serviceEntry) {
	defer m.bg.Done()
	e.inflight.Wait()
	if e.svc == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.cfg.CallTimeout+5*time.Second)
	_ = e.svc.Close(ctx)
	cancel()
	m.compileMu.Lock()
	m.unuseLocked(e.rec.Module)
	changed := m.trimLocked()
	m.compileMu.Unlock()
	if changed {
		_ = m.save()
	}
}

// Resolve returns the service with this id or alias.
func (m *Manager) Resolve(idOrAlias string) (ServiceRecord, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e := m.resolveLocked(idOrAlias)
	if e == nil {
		return ServiceRecord{}, false
	}
	r := e.rec
	r.Aliases = slices.Clone(r.Aliases)
	return r, true
}

// ResolveAlias returns the id an alias points at.
func (m *Manager) ResolveAlias(alias string) (string, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.aliases[alias]
	return id, ok
}

// ListServices returns the services, oldest first.
func (m *Manager) ListServices() []ServiceRecord {
	m.mu.RLock()
	out := make([]ServiceRecord, 0, len(m.services))
	for _, e := range m.services {
		r := e.rec
		r.Aliases = slices.Clone(r.Aliases)
		out = append(out, r)
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b ServiceRecord) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// ListModules returns the stored modules, oldest first.
func (m *Manager) ListModules() []ModuleRecord {
	m.mu.RLock()
	out := make([]ModuleRecord, 0, len(m.modules))
	for _, me := range m.modules {
		out = append(out, me.rec)
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b ModuleRecord) int {
		return cmp.Or(a.Added.Compare(b.Added), cmp.Compare(a.Hash, b.Hash))
	})
	return out
}

// Module returns a stored module.
func (m *Manager) Module(hash string) (ModuleRecord, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	me := m.modules[hash]
	if me == nil {
		return ModuleRecord{}, false
	}
	return me.rec, true
}

// ListBlueprints returns the blueprints, oldest first.
func (m *Manager) ListBlueprints() []BlueprintRecord {
	m.mu.RLock()
	out := make([]BlueprintRecord, 0, len(m.blueprints))
	for _, bp := range m.blueprints {
		out = append(out, *bp)
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b BlueprintRecord) int {
		return cmp.Or(a.Added.Compare(b.Added), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Blueprint returns a blueprint.
func (m *Manager) Blueprint(id string) (BlueprintRecord, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	bp := m.blueprints[id]
	if bp == nil {
		return BlueprintRecord{}, false
	}
	return *bp, true
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
