package wallet_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/reefhq/reef/wallet"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in       string
		decimals int
		want     string // base units; "" means an error
	}{
		{"1", 18, "1000000000000000000"},
		{"1.5", 18, "1500000000000000000"},
		{"0.000000000000000001", 18, "1"},
		{".5", 6, "500000"},
		{"5.", 6, "5000000"},
		{"12.250000", 6, "12250000"},
		{"1_000", 6, "1000000000"},
		{" 2 ", 0, "2"},
		{"0", 18, "0"},
		{"1.0000001", 6, ""},
		{"-1", 18, ""},
		{"", 18, ""},
		{".", 18, ""},
		{"1e18", 18, ""},
		{"abc", 18, ""},
		{"1.2.3", 18, ""},
		{"0x10", 18, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := wallet.ParseAmount(tt.in, tt.decimals)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseAmount(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("ParseAmount(%q, %d) = %v, %v; want %s", tt.in, tt.decimals, got, err, tt.want)
			}
		})
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		v        string
		decimals int
		want     string
	}{
		{"1500000000000000000", 18, "1.5"},
		{"1", 18, "0.000000000000000001"},
		{"0", 18, "0"},
		{"12250000", 6, "12.25"},
		{"1000000", 6, "1"},
		{"-2500000", 6, "-2.5"},
		{"7", 0, "7"},
	}
	for _, tt := range tests {
		v, _ := new(big.Int).SetString(tt.v, 10)
		if got := wallet.FormatAmount(v, tt.decimals); got != tt.want {
			t.Errorf("FormatAmount(%s, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
		}
		if tt.v[0] != '-' {
			back, err := wallet.ParseAmount(tt.want, tt.decimals)
			if err != nil || back.Cmp(v) != 0 {
				t.Errorf("round trip of %s: %v, %v", tt.v, back, err)
			}
		}
	}
	if got := wallet.FormatAmount(nil, 18); got != "0" {
		t.Errorf("nil = %q", got)
	}
}

func newKeystore(t *testing.T, opts ...wallet.KeystoreOption) *wallet.Keystore {
	t.Helper()
	ks, err := wallet.OpenKeystore(filepath.Join(t.TempDir(), "keystore"), append([]wallet.KeystoreOption{wallet.WithLightKDF()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestKeystore(t *testing.T) {
	ks := newKeystore(t)
	if _, err := ks.Find(""); !errors.Is(err, wallet.ErrNoAccounts) {
		t.Fatalf("empty keystore: %v", err)
	}
	if _, err := ks.New(""); !errors.Is(err, wallet.ErrEmptyPassword) {
		t.Fatalf("empty password: %v", err)
	}
	a1, err := ks.New("pw1")
	if err != nil {
		t.Fatal(err)
	}
	a2, err := ks.New("pw2")
	if err != nil {
		t.Fatal(err)
	}
	accts, err := ks.Accounts()
	if err != nil || len(accts) != 2 || accts[0].Address != a1.Address || accts[1].Address != a2.Address {
		t.Fatalf("accounts %v, %v", accts, err)
	}
	fi, err := os.Stat(a1.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	if di, _ := os.Stat(ks.Dir()); di.Mode().Perm() != 0o700 {
		t.Fatalf("keystore dir mode %v", di.Mode())
	}
	// junk files are ignored
	os.WriteFile(filepath.Join(ks.Dir(), "README"), []byte("not a key"), 0o600)
	os.WriteFile(filepath.Join(ks.Dir(), ".hidden"), []byte("{}"), 0o600)
	if accts, _ := ks.Accounts(); len(accts) != 2 {
		t.Fatalf("junk counted: %v", accts)
	}

	for _, spec := range []string{"", "1", a1.Address.Hex(), strings.ToLower(a1.Address.Hex())} {
		if a, err := ks.Find(spec); err != nil || a.Address != a1.Address {
			t.Errorf("Find(%q) = %v, %v", spec, a, err)
		}
	}
	if a, err := ks.Find("2"); err != nil || a.Address != a2.Address {
		t.Errorf("Find(2) = %v, %v", a, err)
	}
	for _, spec := range []string{"3", "0", "0x0000000000000000000000000000000000000001", "bob"} {
		if _, err := ks.Find(spec); err == nil {
			t.Errorf("Find(%q) succeeded", spec)
		}
	}

	key, err := ks.Unlock(a1, "pw1")
	if err != nil || key.Address() != a1.Address {
		t.Fatalf("unlock: %v, %v", key, err)
	}
	if _, err := ks.Unlock(a1, "pw2"); !errors.Is(err, wallet.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}

	// the files are geth's format: geth's own decoder reads them
	b, _ := os.ReadFile(a2.Path)
	gk, err := keystore.DecryptKey(b, "pw2")
	if err != nil || gk.Address != a2.Address {
		t.Fatalf("geth decrypt: %v", err)
	}
	if !strings.HasPrefix(filepath.Base(a2.Path), "UTC--") || !strings.HasSuffix(a2.Path, strings.ToLower(a2.Address.Hex()[2:])) {
		t.Fatalf("file name %s", a2.Path)
	}
}

func TestKeystoreImport(t *testing.T) {
	ks := newKeystore(t)
	priv, _ := crypto.GenerateKey()
	hexKey := hex.EncodeToString(crypto.FromECDSA(priv))
	for _, bad := range []string{"", "12", hexKey[:62], hexKey + "00", "zz" + hexKey[2:], strings.Repeat("0", 64)} {
		_, err := wallet.ParseHexKey(bad)
		if !errors.Is(err, wallet.ErrBadKey) {
			t.Errorf("ParseHexKey(%q...) = %v", bad[:min(4, len(bad))], err)
		}
		if err != nil && len(bad) > 8 && strings.Contains(err.Error(), bad) {
			t.Errorf("the error repeats the input")
		}
	}
	key, err := wallet.ParseHexKey("0x" + strings.ToUpper(hexKey) + "\n")
	if err != nil || key.Address() != crypto.PubkeyToAddress(priv.PublicKey) {
		t.Fatalf("ParseHexKey: %v", err)
	}
	a, err := ks.Import(key, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Import(key, "pw"); !errors.Is(err, wallet.ErrAccountExists) {
		t.Fatalf("duplicate import: %v", err)
	}
	k2, err := ks.Unlock(a, "pw")
	if err != nil || !bytes.Equal(crypto.FromECDSA(k2.ECDSA()), crypto.FromECDSA(priv)) {
		t.Fatalf("unlock after import: %v", err)
	}

	// an encrypted key file from geth
	priv2, _ := crypto.GenerateKey()
	id, _ := uuid.NewRandom()
	js, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: crypto.PubkeyToAddress(priv2.PublicKey), PrivateKey: priv2}, "their pw", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.ImportJSON(js, "nope"); !errors.Is(err, wallet.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := ks.ImportJSON([]byte(`{"hello":1}`), "x"); err == nil {
		t.Fatal("imported a non-key JSON")
	}
	a2, err := ks.ImportJSON(js, "their pw")
	if err != nil || a2.Address != crypto.PubkeyToAddress(priv2.PublicKey) {
		t.Fatalf("ImportJSON: %v", err)
	}
	if _, err := ks.Unlock(a2, "their pw"); err != nil {
		t.Fatal(err)
	}
}

// TestKeysNeverLogged captures everything a logger and fmt produce while a key is created,
// imported, unlocked and printed, and looks for the key.
func TestKeysNeverLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	text := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ks := newKeystore(t, wallet.WithKeystoreLogger(log))

	priv, _ := crypto.GenerateKey()
	raw := crypto.FromECDSA(priv)
	hexKey := hex.EncodeToString(raw)
	key, err := wallet.ParseHexKey(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ks.Import(key, "pw")
	if err != nil {
		t.Fatal(err)
	}
	k, err := ks.Unlock(a, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Unlock(a, "bad"); err != nil {
		log.Error("unlock failed", "error", err)
	}
	_, err = wallet.ParseHexKey(hexKey[:63] + "x")
	log.Error("parse failed", "error", err)
	for _, l := range []*slog.Logger{log, text} {
		l.Info("the key itself", "key", k, "ptr", &k)
		l.Debug("in a group", slog.Group("g", "key", k))
		l.Info("as any", "v", any(k))
	}
	fmt.Fprintf(&buf, "%v %+v %#v %s %q %x %d\n", k, k, k, k, k, k, k)
	fmt.Fprintln(&buf, k, []*wallet.Key{k}, map[string]*wallet.Key{"k": k}, struct{ K *wallet.Key }{k})
	fmt.Fprint(&buf, fmt.Errorf("wrapped: %w (%v)", err, k))

	out := strings.ToLower(buf.String())
	if !strings.Contains(out, strings.ToLower(a.Address.Hex())) {
		t.Fatalf("the address is not in the output, so the test doesn't exercise the key:\n%s", out)
	}
	for _, needle := range []string{hexKey, hexKey[:16], hexKey[48:], hex.EncodeToString(raw[:8])} {
		if strings.Contains(out, needle) {
			t.Fatalf("key material %q found in the output:\n%s", needle, out)
		}
	}
	// and the decimal form of the scalar
	if strings.Contains(buf.String(), new(big.Int).SetBytes(raw).String()[:20]) {
		t.Fatal("the key's scalar was printed")
	}
}
