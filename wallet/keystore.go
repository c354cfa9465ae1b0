package wallet

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
)

// Keystore errors, checked with errors.Is.
var (
	ErrWrongPassword = errors.New("wrong password")
	ErrNoAccount     = errors.New("no such account in the keystore")
	ErrNoAccounts    = errors.New("the keystore has no accounts (create one with: reef wallet new)")
	ErrAccountExists = errors.New("the account is already in the keystore")
	ErrEmptyPassword = errors.New("empty password")
)

// Account is one key file of a keystore.
type Account struct {
	Address common.Address `json:"address"`
	Path    string         `json:"path"`
}

// Keystore is a directory of encrypted key files in the Web3 Secret Storage v3 format, named as
// geth names them (UTC--<time>--<address>), so geth, clef and most wallets can read them. Files
// are written 0600 in a 0700 directory. A Keystore is safe for concurrent use; it holds no
// decrypted keys.
type Keystore struct {
	dir     string
	scryptN int
	scryptP int
	log     *slog.Logger
}

// KeystoreOption configures OpenKeystore.
type KeystoreOption func(*Keystore) error

// WithLightKDF encrypts new keys with light scrypt parameters (about 4 MB and a few
// milliseconds) instead of the standard ones (256 MB and about a second). For dev chains and
// tests; keys already on disk keep the parameters they were written with.
func WithLightKDF() KeystoreOption {
	return func(k *Keystore) error {
		k.scryptN, k.scryptP = keystore.LightScryptN, keystore.LightScryptP
		return nil
	}
}

// WithKeystoreLogger logs keystore events (account created, imported, unlocked: addresses only).
// Default: no logging.
func WithKeystoreLogger(l *slog.Logger) KeystoreOption {
	return func(k *Keystore) error {
		if l == nil {
			return errors.New("nil logger")
		}
		k.log = l
		return nil
	}
}

// OpenKeystore opens (creating if needed) the keystore directory dir.
func OpenKeystore(dir string, opts ...KeystoreOption) (*Keystore, error) {
	if dir == "" {
		return nil, errors.New("keystore: empty directory")
	}
	k := &Keystore{
		dir:     dir,
		scryptN: keystore.StandardScryptN,
		scryptP: keystore.StandardScryptP,
		log:     slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		if err := o(k); err != nil {
			return nil, fmt.Errorf("keystore: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	return k, nil
}

// Dir is the keystore directory.
func (k *Keystore) Dir() string { return k.dir }

// Accounts lists the key files, oldest first (file names start with the creation time).
// Files that aren't key files are skipped.
func (k *Keystore) Accounts() ([]Account, error) {
	entries, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	var out []Account
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".tmp") {
			continue
		}
		p := filepath.Join(k.dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var f struct {
			Address string `json:"address"`
		}
		if json.Unmarshal(b, &f) != nil || !common.IsHexAddress(f.Address) {
			continue
		}
		out = append(out, Account{Address: common.HexToAddress(f.Address), Path: p})
	}
	slices.SortStableFunc(out, func(a, b Account) int { return strings.Compare(filepath.Base(a.Path), filepath.Base(b.Path)) })
	return out, nil
}

// Find resolves an account by address (0x...) or by its 1-based position in Accounts. An empty
// spec means the first account.
func (k *Keystore) Find(spec string) (Account, error) {
	accts, err := k.Accounts()
	if err != nil {
		return Account{}, err
	}
	if len(accts) == 0 {
		return Account{}, ErrNoAccounts
	}
	if spec == "" {
		return accts[0], nil
	}
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 1 || n > len(accts) {
			return Account{}, fmt.Errorf("account #%d: %w (the keystore has %d)", n, ErrNoAccount, len(accts))
		}
		return accts[n-1], nil
	}
	if !common.IsHexAddress(spec) {
		return Account{}, fmt.Errorf("account %q: want an address (0x...) or a number from 'reef wallet list'", spec)
	}
	addr := common.HexToAddress(spec)
	for _, a := range accts {
		if a.Address == addr {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("account %s: %w", addr.Hex(), ErrNoAccount)
}

// New creates a random key encrypted with password.
func (k *Keystore) New(password string) (Account, error) {
	if password == "" {
		return Account{}, ErrEmptyPassword
	}
	priv, err := newRandomKey()
	if err != nil {
		return Account{}, err
	}
	a, err := k.store(NewKey(priv), password)
	if err == nil {
		k.log.Info("account created", "address", a.Address.Hex())
	}
	return a, err
}

// Import stores key encrypted with password. Importing an address already in the keystore is
// ErrAccountExists.
func (k *Keystore) Import(key *Key, password string) (Account, error) {
	if password == "" {
		return Account{}, ErrEmptyPassword
	}
	a, err := k.store(key, password)
	if err == nil {
		k.log.Info("account imported", "address", a.Address.Hex())
	}
	return a, err
}

// ImportJSON imports an encrypted key file (from geth or another wallet), decrypting it with
// password and storing it encrypted with the same password.
func (k *Keystore) ImportJSON(keyJSON []byte, password string) (Account, error) {
	key, err := DecryptKeyJSON(keyJSON, password)
	if err != nil {
		return Account{}, err
	}
	return k.Import(key, password)
}

// Unlock decrypts the account's key with password.
func (k *Keystore) Unlock(a Account, password string) (*Key, error) {
	b, err := os.ReadFile(a.Path)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	key, err := DecryptKeyJSON(b, password)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", a.Address.Hex(), err)
	}
	if key.Address() != a.Address {
		return nil, fmt.Errorf("keystore: %s holds the key of %s, not %s", filepath.Base(a.Path), key.Address().Hex(), a.Address.Hex())
	}
	k.log.Debug("account unlocked", "address", a.Address.Hex())
	return key, nil
}

// DecryptKeyJSON decrypts an encrypted key file. A wrong password is ErrWrongPassword.
func DecryptKeyJSON(keyJSON []byte, password string) (*Key, error) {
	var probe struct {
		Crypto json.RawMessage `json:"crypto"`
		Upper  json.RawMessage `json:"Crypto"`
	}
	if err := json.Unmarshal(keyJSON, &probe); err != nil || (probe.Crypto == nil && probe.Upper == nil) {
		return nil, errors.New("not an encrypted key file (Web3 Secret Storage JSON)")
	}
	key, err := keystore.DecryptKey(keyJSON, password)
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, ErrWrongPassword
	}
	if err != nil {
		return nil, fmt.Errorf("decrypting the key file: %w", err)
	}
	return NewKey(key.PrivateKey), nil
}

func (k *Keystore) store(key *Key, password string) (Account, error) {
	accts, err := k.Accounts()
	if err != nil {
		return Account{}, err
	}
	for _, a := range accts {
		if a.Address == key.Address() {
			return Account{}, fmt.Errorf("%s: %w", a.Address.Hex(), ErrAccountExists)
		}
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return Account{}, err
	}
	enc, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: key.Address(), PrivateKey: key.priv}, password, k.scryptN, k.scryptP)
	if err != nil {
		return Account{}, fmt.Errorf("keystore: encrypting: %w", err)
	}
	name := keyFileName(key.Address(), time.Now())
	p := filepath.Join(k.dir, name)
	if err := writeFileAtomic(p, enc, 0o600); err != nil {
		return Account{}, fmt.Errorf("keystore: %w", err)
	}
	return Account{Address: key.Address(), Path: p}, nil
}

// keyFileName is geth's key file name: UTC--<ISO 8601 time>--<address without 0x>.
func keyFileName(addr common.Address, t time.Time) string {
	t = t.UTC()
	ts := fmt.Sprintf("%04d-%02d-%02dT%02d-%02d-%02d.%09dZ", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond())
	return "UTC--" + ts + "--" + strings.ToLower(addr.Hex()[2:])
}

// writeFileAtomic writes to a temporary file in the same directory and renames it into place.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr, os.Chmod(tmp, perm)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file and a rename, so readers never
// see a partial file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return writeFileAtomic(path, data, perm)
}
