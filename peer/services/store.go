package services

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The files of a services directory (Config.Dir):
//
//	services.json          the state: modules, blueprints, services (stateVersion)
//	modules/<sha256>.wasm  the module binaries, named by the sha256 of their bytes
const (
	StateFile    = "services.json"
	ModulesDir   = "modules"
	stateVersion = 1
)

// ModuleRecord is a module in the store.
type ModuleRecord struct {
	Hash      string    `json:"hash"` // sha256 of the binary, lower-case hex
	Name      string    `json:"name"` // ModuleConfig.name given to dist.add_module
	Size      int       `json:"size"` // bytes
	Functions []string  `json:"functions"`
	Added     time.Time `json:"added"`
}

// BlueprintRecord is a blueprint: a name and its modules (exactly one here).
type BlueprintRecord struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Dependencies []string  `json:"dependencies"`
	Added        time.Time `json:"added"`
}

// ServiceRecord is a service as persisted.
type ServiceRecord struct {
	ID          string    `json:"id"` // a UUID
	BlueprintID string    `json:"blueprint_id"`
	Module      string    `json:"module"` // the module's hash
	Aliases     []string  `json:"aliases"`
	Owner       string    `json:"owner_id"` // the peer that created it
	Created     time.Time `json:"created"`
}

// state is the content of StateFile.
type state struct {
	Version    int               `json:"version"`
	Modules    []ModuleRecord    `json:"modules"`
	Blueprints []BlueprintRecord `json:"blueprints"`
	Services   []ServiceRecord   `json:"services"`
}

// store keeps module binaries and the state: in a directory, or in memory when dir is
// "" (devnet nodes, which have no data directory).
type store struct {
	dir string

	mu    sync.Mutex
	mem   map[string][]byte // memory mode: module binaries
	state []byte            // memory mode: the last state saved
}

func newStore(dir string) (*store, error) {
	s := &store{dir: dir, mem: map[string][]byte{}}
	if dir != "" {
		if err := os.MkdirAll(filepath.Join(dir, ModulesDir), 0o700); err != nil {
			return nil, fmt.Errorf("services: %w", err)
		}
	}
	return s, nil
}

func (s *store) modulePath(hash string) string {
	return filepath.Join(s.dir, ModulesDir, hash+".wasm")
}

// putModule stores a binary under its hash (written atomically; a file already there is
// kept, since its name is its content).
func (s *store) putModule(hash string, b []byte) error {
	if s.dir == "" {
		s.mu.Lock()
		s.mem[hash] = b
		s.mu.Unlock()
		return nil
	}
	p := s.modulePath(hash)
	if st, err := os.Stat(p); err == nil && st.Size() == int64(len(b)) {
		return nil
	}
	return writeFileAtomic(p, b, 0o600)
}

// module returns a binary, checking that its bytes still have its hash.
func (s *store) module(hash string) ([]byte, error) {
	var b []byte
	if s.dir == "" {
		s.mu.Lock()
		b = s.mem[hash]
		s.mu.Unlock()
		if b == nil {
			return nil, fmt.Errorf("module %s is not in the store", hash)
		}
		return b, nil
	}
	b, err := os.ReadFile(s.modulePath(hash))
	if err != nil {
		return nil, fmt.Errorf("reading module %s: %w", hash, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != hash {
		return nil, fmt.Errorf("module file %s is corrupt: its sha256 is %x", s.modulePath(hash), sum)
	}
	return b, nil
}

func (s *store) deleteModule(hash string) error {
	if s.dir == "" {
		s.mu.Lock()
		delete(s.mem, hash)
		s.mu.Unlock()
		return nil
	}
	err := os.Remove(s.modulePath(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// load reads the state; a missing file is an empty state.
func (s *store) load() (*state, error) {
	var raw []byte
	if s.dir == "" {
		s.mu.Lock()
		raw = s.state
		s.mu.Unlock()
		if raw == nil {
			return &state{Version: stateVersion}, nil
		}
	} else {
		var err error
		raw, err = os.ReadFile(filepath.Join(s.dir, StateFile))
		if errors.Is(err, fs.ErrNotExist) {
			return &state{Version: stateVersion}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("services: %w", err)
		}
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, fmt.Errorf("services: %s is corrupt: %w", filepath.Join(s.dir, StateFile), err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("services: %s has version %d; this reef reads version %d",
			filepath.Join(s.dir, StateFile), st.Version, stateVersion)
	}
	return &st, nil
}

// save writes the state atomically: a reader (or a crash) sees the old file or the new
// one, never a mix.
func (s *store) save(st *state) error {
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	raw = append(raw, '\n')
	if s.dir == "" {
		s.mu.Lock()
		s.state = raw
		s.mu.Unlock()
		return nil
	}
	return writeFileAtomic(filepath.Join(s.dir, StateFile), raw, 0o600)
}

// writeFileAtomic writes data to a temporary file in path's directory, syncs it and
// renames it over path, then syncs the directory.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
