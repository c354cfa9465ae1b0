package p2p

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// IdentityFile is the name of the key file inside the data directory. It holds the
// libp2p protobuf encoding of an Ed25519 private key (crypto.MarshalPrivateKey), the
// same bytes kubo keeps base64-encoded in its config.
const IdentityFile = "identity.key"

// ErrCorruptIdentity is returned when the key file exists but does not hold a valid
// Ed25519 key. The file is never replaced automatically: the peer id is the node's
// identity, and silently changing it would orphan everything addressed to it.
var ErrCorruptIdentity = errors.New("corrupt identity key file")

// ErrInsecureIdentity is returned when the key file can be read or written by group or
// others. The node refuses to use it, like ssh does, instead of tightening the mode
// itself: the key may already have leaked, and the owner should decide.
var ErrInsecureIdentity = errors.New("identity key file is accessible by other users")

// Identity is a node's key pair in both forms Reef needs: the libp2p key for the host
// and the crypto/ed25519 key for the interpreter, which signs the node's share of
// particle data with it. Both are the same key, so PeerID.String() equals
// data.PeerIDFromKey(Ed25519).
type Identity struct {
	PrivKey crypto.PrivKey
	PeerID  peer.ID
	Ed25519 ed25519.PrivateKey
	// Path is the key file the identity was loaded from or saved to; empty for an
	// in-memory identity.
	Path string
}

// GenerateIdentity returns a fresh in-memory Ed25519 identity.
func GenerateIdentity() (Identity, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Identity{}, fmt.Errorf("p2p: generate key: %w", err)
	}
	return IdentityFromKey(priv)
}

// IdentityFromKey wraps an existing Ed25519 private key.
func IdentityFromKey(key ed25519.PrivateKey) (Identity, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Identity{}, fmt.Errorf("p2p: ed25519 private key has %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	if !bytes.Equal(ed25519.NewKeyFromSeed(key.Seed()), key) {
		return Identity{}, errors.New("p2p: ed25519 private key: public half does not match the seed")
	}
	sk, err := crypto.UnmarshalEd25519PrivateKey(bytes.Clone(key))
	if err != nil {
		return Identity{}, fmt.Errorf("p2p: ed25519 private key: %w", err)
	}
	return identityFromPrivKey(sk)
}

func identityFromPrivKey(sk crypto.PrivKey) (Identity, error) {
	if sk.Type() != crypto.Ed25519 {
		return Identity{}, fmt.Errorf("p2p: identity key is %v, want Ed25519 (the interpreter signs with Ed25519)", sk.Type())
	}
	raw, err := sk.Raw()
	if err != nil {
		return Identity{}, err
	}
	id, err := peer.IDFromPrivateKey(sk)
	if err != nil {
		return Identity{}, err
	}
	return Identity{PrivKey: sk, PeerID: id, Ed25519: ed25519.PrivateKey(raw)}, nil
}

// DefaultDataDir returns the default data directory: $XDG_DATA_HOME/reef when
// XDG_DATA_HOME is set to an absolute path (on any OS), else ~/.local/share/reef on Unix,
// ~/Library/Application Support/reef on macOS and %LocalAppData%\reef on Windows. It
// returns "" if the home directory is unknown; LoadOrCreateIdentity then asks for an
// explicit directory.
func DefaultDataDir() string {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "reef")
	}
	if runtime.GOOS == "windows" {
		if l := os.Getenv("LocalAppData"); l != "" {
			return filepath.Join(l, "reef")
		}
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support", "reef")
	}
	return filepath.Join(home, ".local", "share", "reef")
}

// LoadOrCreateIdentity loads the key in dir/identity.key, or creates the directory
// (mode 0700) and a new key file (mode 0600) when the file does not exist.
//
// A file that exists but does not decode to an Ed25519 key gives ErrCorruptIdentity; a
// file that group or others may read or write gives ErrInsecureIdentity (not checked
// on Windows, where Unix modes mean nothing). Neither case touches the file. Two
// processes creating the key at once end up with the same key: the file is written
// under a temporary name and hard-linked into place, and the loser loads the winner's.
func LoadOrCreateIdentity(dir string) (Identity, error) {
	if dir == "" {
		return Identity{}, errors.New("p2p: identity: no data directory (the home directory is unknown: pass --data-dir or set XDG_DATA_HOME)")
	}
	path := filepath.Join(dir, IdentityFile)
	ident, err := loadIdentity(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return ident, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Identity{}, fmt.Errorf("p2p: identity: %w", err)
	}
	ident, err = GenerateIdentity()
	if err != nil {
		return Identity{}, err
	}
	if err := writeKeyFile(path, ident.PrivKey); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadIdentity(path)
		}
		return Identity{}, err
	}
	ident.Path = path
	return ident, nil
}

func loadIdentity(path string) (Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Identity{}, err
		}
		return Identity{}, fmt.Errorf("p2p: identity: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Identity{}, fmt.Errorf("p2p: identity: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Identity{}, fmt.Errorf("p2p: identity %s: not a regular file: %w", path, ErrCorruptIdentity)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return Identity{}, fmt.Errorf("p2p: identity %s has mode %04o; run `chmod 600 %s` if the key has not leaked, or move it away to get a new identity: %w",
			path, st.Mode().Perm(), path, ErrInsecureIdentity)
	}
	const maxKeyFile = 4 << 10
	raw, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return Identity{}, fmt.Errorf("p2p: identity %s: %w", path, err)
	}
	if len(raw) > maxKeyFile {
		return Identity{}, fmt.Errorf("p2p: identity %s: file larger than %d bytes: %w", path, maxKeyFile, ErrCorruptIdentity)
	}
	sk, err := crypto.UnmarshalPrivateKey(raw)
	if err != nil {
		return Identity{}, fmt.Errorf("p2p: identity %s: %v: %w", path, err, ErrCorruptIdentity)
	}
	if sk.Type() != crypto.Ed25519 {
		return Identity{}, fmt.Errorf("p2p: identity %s holds a %v key, want Ed25519: %w", path, sk.Type(), ErrCorruptIdentity)
	}
	// The encoding must round-trip exactly and the public half must match the seed:
	// this catches truncation, trailing bytes and flipped bits that the protobuf
	// decoder alone accepts.
	if again, err := crypto.MarshalPrivateKey(sk); err != nil || !bytes.Equal(again, raw) {
		return Identity{}, fmt.Errorf("p2p: identity %s: unexpected bytes in the encoding: %w", path, ErrCorruptIdentity)
	}
	ident, err := identityFromPrivKey(sk)
	if err != nil {
		return Identity{}, fmt.Errorf("p2p: identity %s: %v: %w", path, err, ErrCorruptIdentity)
	}
	if !bytes.Equal(ed25519.NewKeyFromSeed(ident.Ed25519.Seed()), ident.Ed25519) {
		return Identity{}, fmt.Errorf("p2p: identity %s: public key does not match the private key: %w", path, ErrCorruptIdentity)
	}
	ident.Path = path
	return ident, nil
}

// writeKeyFile writes the key under a temporary name, syncs it and links it to path, so
// that path either does not exist or holds a complete key. It returns an error wrapping
// fs.ErrExist if path appeared meanwhile.
func writeKeyFile(path string, sk crypto.PrivKey) error {
	raw, err := crypto.MarshalPrivateKey(sk)
	if err != nil {
		return fmt.Errorf("p2p: identity: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".identity-*.tmp")
	if err != nil {
		return fmt.Errorf("p2p: identity: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return fmt.Errorf("p2p: identity: %w", err)
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("p2p: identity: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("p2p: identity: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("p2p: identity: %w", err)
	}
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// Filesystems without hard links: fall back to an exclusive create.
		f, err2 := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err2 != nil {
			if errors.Is(err2, fs.ErrExist) {
				return err2
			}
			return fmt.Errorf("p2p: identity: %w", err)
		}
		_, err = f.Write(raw)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return fmt.Errorf("p2p: identity: %w", err)
		}
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
