package services

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/wasm"
)

var errNoFunction = errors.New("no such function")

// enter resolves a service for a call and counts the call in flight on it, so that a
// service removed (or replaced) meanwhile is closed only after the call.
func (m *Manager) enter(target string) (*serviceEntry, *wasm.Service, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e := m.resolveLocked(target)
	if e == nil {
		return nil, nil, &NotFoundError{What: "service", Name: target}
	}
	switch {
	case e.loadErr != nil:
		return nil, nil, fmt.Errorf("service %s could not be started: %w", e.rec.ID, e.loadErr)
	case e.svc == nil:
		return nil, nil, fmt.Errorf("service %s is still starting", e.rec.ID)
	}
	e.inflight.Add(1)
	return e, e.svc, nil
}

// Call calls fn of the service with this id or alias with Reef's calling convention
// (wasm.CallJSON: args as one JSON array in, one JSON value out). A failed call returns
// a *wasm.CallError (see CallErrorText); an unknown service a *NotFoundError.
func (m *Manager) Call(ctx context.Context, target, fn string, args []jsonv.Value) (jsonv.Value, error) {
	e, svc, err := m.enter(target)
	if err != nil {
		return jsonv.Value{}, err
	}
	defer e.inflight.Done()
	if !svc.Module().HasFunction(fn) {
		return jsonv.Value{}, fmt.Errorf("%w: service %s has no function %q (it has %s)",
			errNoFunction, target, fn, strings.Join(svc.Module().Functions, ", "))
	}
	return wasm.CallJSON(ctx, svc, fn, args)
}

// CallText is Call with the arguments as the text of a JSON array ("[]" or "" for none)
// and the result as canonical JSON text: for a console that lets a user type a call.
func (m *Manager) CallText(ctx context.Context, target, fn, argsJSON string) (string, error) {
	var args []jsonv.Value
	if s := strings.TrimSpace(argsJSON); s != "" {
		v, err := jsonv.ParseString(s)
		if err != nil {
			return "", fmt.Errorf("the arguments are not JSON: %v", err)
		}
		if v.Kind() != jsonv.Array {
			return "", fmt.Errorf("the arguments must be a JSON array, like [\"reef\", 2]")
		}
		args = v.Elems()
	}
	v, err := m.Call(ctx, target, fn, args)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// Deployed is the outcome of a deploy: the new service, its module and alias, and the
// service the alias pointed at before, removed by the deploy (if no other alias pointed
// at it).
type Deployed struct {
	ServiceID string   `json:"service_id"`
	Module    string   `json:"module"`
	Alias     string   `json:"alias"`
	Replaced  []string `json:"replaced,omitempty"`
}

// Deploy deploys a module behind alias as the node's owner, as `reef deploy` does
// through a particle: add the module, add a blueprint of it, create a service, point
// the alias at the new service (atomically: the alias never points at nothing), then
// remove the service it pointed at before unless another alias still points at it.
// Calls in flight on that service finish there; new calls go to the new one.
func (m *Manager) Deploy(ctx context.Context, alias string, module []byte) (Deployed, error) {
	return m.deploy(ctx, m.cfg.PeerID, alias, module)
}

// DeployFile is Deploy with the module read from a file.
func (m *Manager) DeployFile(ctx context.Context, path, alias string) (Deployed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Deployed{}, err
	}
	return m.Deploy(ctx, alias, b)
}

func (m *Manager) deploy(ctx context.Context, as, alias string, module []byte) (Deployed, error) {
	if err := m.CheckAlias(alias); err != nil {
		return Deployed{}, err
	}
	mod, err := m.AddModule(ctx, as, alias, module)
	if err != nil {
		return Deployed{}, err
	}
	bp, err := m.AddBlueprint(as, alias, []string{mod.Hash})
	if err != nil {
		return Deployed{}, err
	}
	svc, err := m.CreateService(ctx, as, bp)
	if err != nil {
		return Deployed{}, err
	}
	prev, err := m.AddAlias(as, alias, svc.ID)
	if err != nil {
		_ = m.RemoveService(as, svc.ID)
		return Deployed{}, err
	}
	d := Deployed{ServiceID: svc.ID, Module: mod.Hash, Alias: alias}
	if prev != "" {
		if r, ok := m.Resolve(prev); ok && len(r.Aliases) == 0 {
			if err := m.RemoveService(as, prev); err == nil {
				d.Replaced = []string{prev}
			}
		}
	}
	return d, nil
}

// Remove removes a service by id or alias as the node's owner (see RemoveService).
func (m *Manager) Remove(target string) error { return m.RemoveService(m.cfg.PeerID, target) }

// Logs returns a service's log (guest stdout, stderr and Extism log lines).
func (m *Manager) Logs(target string) ([]wasm.LogEntry, error) {
	e, svc, err := m.enter(target)
	if err != nil {
		return nil, err
	}
	defer e.inflight.Done()
	return svc.Logs(), nil
}

// ModuleView is a module as the console shows it.
type ModuleView struct {
	Hash      string
	Name      string
	Size      int
	Functions []string
	Added     time.Time
	Services  int  // services running it
	Loaded    bool // compiled code in memory
}

// ServiceView is a service as the console shows it: its record, its module and the
// runtime's counters.
type ServiceView struct {
	ID          string
	Aliases     []string
	Module      string // hash
	ModuleName  string
	BlueprintID string
	Owner       string
	Created     time.Time
	Size        int // the module's bytes
	Functions   []string
	// Error is set when the service could not be started (its calls fail with it).
	Error string

	Calls, Errors          uint64
	ErrorsByKind           map[wasm.ErrorKind]uint64
	InFlight               int
	LatencyP50, LatencyP99 time.Duration
	// MemoryBytes is what its live instances hold; MemoryLimit the limit per instance.
	MemoryBytes, MemoryLimit uint64
	Instances, PoolSize      int
}

// Snapshot is everything a Services pane shows.
type Snapshot struct {
	Modules  []ModuleView
	Services []ServiceView // oldest first
	// DeployRule says who may deploy: "open", "owner" or "owner and N allowed peer(s)".
	DeployRule string
}

// Snapshot returns the modules and services with their current counters.
func (m *Manager) Snapshot() Snapshot {
	type svcRef struct {
		rec     ServiceRecord
		svc     *wasm.Service
		loadErr error
	}
	m.mu.RLock()
	var refs []svcRef
	uses := map[string]int{}
	for _, e := range m.services {
		r := e.rec
		r.Aliases = slices.Clone(r.Aliases)
		refs = append(refs, svcRef{r, e.svc, e.loadErr})
		uses[r.Module]++
	}
	mods := map[string]ModuleView{}
	snap := Snapshot{DeployRule: m.DeployRule()}
	for _, me := range m.modules {
		v := ModuleView{Hash: me.rec.Hash, Name: me.rec.Name, Size: me.rec.Size, Functions: slices.Clone(me.rec.Functions),
			Added: me.rec.Added, Services: uses[me.rec.Hash], Loaded: me.compiled != nil}
		mods[v.Hash] = v
		snap.Modules = append(snap.Modules, v)
	}
	m.mu.RUnlock()
	slices.SortFunc(snap.Modules, func(a, b ModuleView) int { return a.Added.Compare(b.Added) })
	slices.SortFunc(refs, func(a, b svcRef) int { return a.rec.Created.Compare(b.rec.Created) })
	for _, r := range refs {
		mv := mods[r.rec.Module]
		v := ServiceView{
			ID: r.rec.ID, Aliases: r.rec.Aliases, Module: r.rec.Module, ModuleName: mv.Name,
			BlueprintID: r.rec.BlueprintID, Owner: r.rec.Owner, Created: r.rec.Created,
			Size: mv.Size, Functions: mv.Functions,
		}
		switch {
		case r.loadErr != nil:
			v.Error = r.loadErr.Error()
		case r.svc != nil:
			st := r.svc.Stats()
			v.Calls, v.Errors, v.ErrorsByKind, v.InFlight = st.Calls, st.Errors, st.ErrorsByKind, st.InFlight
			v.LatencyP50, v.LatencyP99 = st.LatencyP50, st.LatencyP99
			v.MemoryBytes, v.MemoryLimit = st.MemoryBytes, st.MemoryLimit
			v.Instances, v.PoolSize = st.Instances, st.PoolSize
		}
		snap.Services = append(snap.Services, v)
	}
	return snap
}

// StatusSection is the "services" section of the node's GET /status.
type StatusSection struct {
	Count      int             `json:"count"`
	Modules    int             `json:"modules"`
	DeployRule string          `json:"deploy"`
	Services   []StatusService `json:"services"`
}

// StatusService is one service in StatusSection.
type StatusService struct {
	ID      string   `json:"id"`
	Aliases []string `json:"aliases"`
	Module  string   `json:"module"`
	Calls   uint64   `json:"calls"`
	Errors  uint64   `json:"errors"`
	Error   string   `json:"error,omitempty"`
}

// Status returns the "services" section of GET /status.
func (m *Manager) Status() StatusSection {
	snap := m.Snapshot()
	st := StatusSection{Count: len(snap.Services), Modules: len(snap.Modules), DeployRule: snap.DeployRule,
		Services: make([]StatusService, 0, len(snap.Services))}
	for _, s := range snap.Services {
		st.Services = append(st.Services, StatusService{ID: s.ID, Aliases: s.Aliases, Module: s.Module,
			Calls: s.Calls, Errors: s.Errors, Error: s.Error})
	}
	return st
}
