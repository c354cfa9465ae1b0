package p2p

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/reefhq/reef/aqua/data"
)

func TestIdentityCreateAndReload(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "reef")
	id1, err := LoadOrCreateIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, IdentityFile)
	if id1.Path != path {
		t.Errorf("Path = %q, want %q", id1.Path, path)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if m := st.Mode().Perm(); m != 0o600 {
			t.Errorf("key file mode %04o, want 0600", m)
		}
		st, err = os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m := st.Mode().Perm(); m != 0o700 {
			t.Errorf("data dir mode %04o, want 0700", m)
		}
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only %s", len(entries), IdentityFile)
	}

	id2, err := LoadOrCreateIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	if id1.PeerID != id2.PeerID || !bytes.Equal(id1.Ed25519, id2.Ed25519) || !id1.PrivKey.Equals(id2.PrivKey) {
		t.Fatalf("reloaded identity differs: %s vs %s", id1.PeerID, id2.PeerID)
	}
	checkIdentityForms(t, id2)
}

// checkIdentityForms: the ed25519 form and the libp2p form are the same key.
func checkIdentityForms(t *testing.T, id Identity) {
	t.Helper()
	if len(id.Ed25519) != ed25519.PrivateKeySize {
		t.Fatalf("ed25519 key has %d bytes", len(id.Ed25519))
	}
	msg := []byte("particle data to sign")
	sig := ed25519.Sign(id.Ed25519, msg)
	ok, err := id.PrivKey.GetPublic().Verify(msg, sig)
	if err != nil || !ok {
		t.Fatalf("libp2p public key does not verify the ed25519 signature: %v", err)
	}
	sig2, err := id.PrivKey.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(id.Ed25519.Public().(ed25519.PublicKey), msg, sig2) {
		t.Fatal("ed25519 public key does not verify the libp2p signature")
	}
	// The interpreter derives the same peer id from the ed25519 key.
	if got := data.PeerIDFromKey(id.Ed25519); got != id.PeerID.String() {
		t.Fatalf("interpreter peer id %s, libp2p peer id %s", got, id.PeerID)
	}
	pk, err := data.PublicKeyFromPeerID(id.PeerID.String())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pk[:], id.Ed25519.Public().(ed25519.PublicKey)) {
		t.Fatal("public key embedded in the peer id differs")
	}
}

func TestIdentityFromKey(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := IdentityFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	checkIdentityForms(t, id)
	if !bytes.Equal(id.Ed25519, priv) {
		t.Fatal("Ed25519 field is not the given key")
	}
	bad := bytes.Clone(priv)
	bad[40] ^= 1 // public half no longer matches the seed
	if _, err := IdentityFromKey(bad); err == nil {
		t.Fatal("mismatched public half accepted")
	}
	if _, err := IdentityFromKey(priv[:10]); err == nil {
		t.Fatal("short key accepted")
	}
	g, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	checkIdentityForms(t, g)
	if g.Path != "" {
		t.Fatal("in-memory identity has a path")
	}
}

func TestIdentityCorruptFileIsAnError(t *testing.T) {
	good, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	goodRaw, err := crypto.MarshalPrivateKey(good.PrivKey)
	if err != nil {
		t.Fatal(err)
	}
	secp, _, err := crypto.GenerateSecp256k1Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secpRaw, err := crypto.MarshalPrivateKey(secp)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(goodRaw)
	flipped[len(flipped)-1] ^= 0x01 // last byte of the public half
	cases := map[string][]byte{
		"empty":          {},
		"garbage":        []byte("this is not a key\n"),
		"truncated":      goodRaw[:len(goodRaw)-5],
		"trailing bytes": append(bytes.Clone(goodRaw), 0, 0),
		"flipped bit":    flipped,
		"secp256k1 key":  secpRaw,
		"huge":           bytes.Repeat([]byte{1}, 10000),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, IdentityFile)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreateIdentity(dir)
			if !errors.Is(err, ErrCorruptIdentity) {
				t.Fatalf("err = %v, want ErrCorruptIdentity", err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, content) {
				t.Fatal("corrupt key file was modified")
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, IdentityFile), 0o700); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateIdentity(dir); !errors.Is(err, ErrCorruptIdentity) {
			t.Fatalf("err = %v, want ErrCorruptIdentity", err)
		}
	})
}

func TestIdentityWorldReadableIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes only")
	}
	dir := t.TempDir()
	id, err := LoadOrCreateIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, IdentityFile)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOrCreateIdentity(dir)
		if !errors.Is(err, ErrInsecureIdentity) {
			t.Fatalf("mode %04o: err = %v, want ErrInsecureIdentity", mode, err)
		}
		st, _ := os.Stat(path)
		if st.Mode().Perm() != mode {
			t.Fatalf("mode changed to %04o", st.Mode().Perm())
		}
	}
	// After the owner fixes the mode, the same identity loads.
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrCreateIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.PeerID != id.PeerID {
		t.Fatal("identity changed")
	}
}

func TestIdentityConcurrentCreate(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	ids := make([]Identity, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { ids[i], errs[i] = LoadOrCreateIdentity(dir) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if ids[i].PeerID != ids[0].PeerID {
			t.Fatalf("concurrent creators got different identities: %s vs %s", ids[i].PeerID, ids[0].PeerID)
		}
	}
}

func TestDefaultDataDir(t *testing.T) {
	x := t.TempDir()
	t.Setenv("XDG_DATA_HOME", x)
	if got, want := DefaultDataDir(), filepath.Join(x, "reef"); got != want {
		t.Errorf("with XDG_DATA_HOME: %q, want %q", got, want)
	}
	t.Setenv("XDG_DATA_HOME", "relative/path") // invalid per the XDG spec: ignored
	home := t.TempDir()
	t.Setenv("HOME", home)
	want := filepath.Join(home, ".local", "share", "reef")
	switch runtime.GOOS {
	case "darwin":
		want = filepath.Join(home, "Library", "Application Support", "reef")
	case "windows":
		t.Skip("LocalAppData")
	}
	if got := DefaultDataDir(); got != want {
		t.Errorf("without XDG_DATA_HOME: %q, want %q", got, want)
	}
	if _, err := LoadOrCreateIdentity(""); err == nil {
		t.Error("empty data dir accepted")
	}
}
