package services

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"time"

	"github.com/reefhq/reef/wasm"
)

// DefaultWatchInterval is how often a Watcher looks at its file.
const DefaultWatchInterval = 100 * time.Millisecond

// FileChange is new content of a watched file.
type FileChange struct {
	Data []byte
	Hash string // sha256, hex
	// Detected is when the watcher first saw the file change.
	Detected time.Time
}

// Watcher polls a module file and reports each new content once the file is stable, so
// a build that writes the file in several steps yields one change, for the finished
// file. It needs no file-system notifications: every Interval it compares the file's
// size and modification time with the previous poll; a change is reported when they have
// not moved for one interval and the bytes (whose sha256 differs from the last content
// reported) pass wasm.Precheck. On its first poll and every ten polls after it also
// hashes the file: that catches a change made before Run started (after Hash was
// computed) and a rewrite that kept both the size and the modification time.
type Watcher struct {
	Path     string
	Interval time.Duration // default DefaultWatchInterval
	// Hash is the content already handled (deployed); the watcher updates it.
	Hash string
	// Changed is called, on the watcher's goroutine, with each new content. The
	// watcher does not poll while it runs; changes made meanwhile are seen after.
	Changed func(FileChange)
	// Invalid, if set, is called with content that is not a complete WebAssembly binary
	// (it is not reported again until the file changes).
	Invalid func(hash string, err error)
}

type fileKey struct {
	size  int64
	mtime time.Time
}

func statKey(path string) (fileKey, bool) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return fileKey{}, false
	}
	return fileKey{st.Size(), st.ModTime()}, true
}

// Run watches until ctx ends and returns ctx's error.
func (w *Watcher) Run(ctx context.Context) error {
	interval := w.Interval
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	last, _ := statKey(w.Path)
	pending := false
	var since time.Time
	for polls := 1; ; polls++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		k, ok := statKey(w.Path)
		if !ok { // missing for a moment while an editor or a build replaces it
			last = fileKey{}
			continue
		}
		if k != last {
			if !pending {
				pending, since = true, time.Now()
			}
			last = k
			continue
		}
		if !pending && polls%10 != 1 { // the first poll checks the content against Hash too
			continue
		}
		b, err := os.ReadFile(w.Path)
		if err != nil {
			continue
		}
		if k2, ok := statKey(w.Path); !ok || k2 != k { // written while we read it
			continue
		}
		if !pending {
			since = time.Now()
		}
		pending = false
		sum := sha256.Sum256(b)
		hash := hex.EncodeToString(sum[:])
		if hash == w.Hash {
			continue
		}
		w.Hash = hash
		if err := wasm.Precheck(b); err != nil {
			if w.Invalid != nil {
				w.Invalid(hash, err)
			}
			continue
		}
		if w.Changed != nil {
			w.Changed(FileChange{Data: b, Hash: hash, Detected: since})
		}
		t.Reset(interval)
	}
}
