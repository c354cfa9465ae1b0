package wallet

import (
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// ErrBadKey is returned for a private key that can't be parsed. The error never contains the input.
var ErrBadKey = errors.New("not a valid secp256k1 private key (want 64 hex digits, optionally 0x-prefixed)")

// Key is an unlocked private key. It signs transactions (it satisfies txsend.Signer) and never
// shows its secret: String, Format (every verb) and LogValue print only the address.
type Key struct {
	addr common.Address
	priv *ecdsa.PrivateKey
}

// NewKey wraps a private key.
func NewKey(priv *ecdsa.PrivateKey) *Key {
	return &Key{addr: crypto.PubkeyToAddress(priv.PublicKey), priv: priv}
}

// ParseHexKey parses a hex private key (64 hex digits, optional 0x prefix, surrounding space
// ignored). Errors never contain the input.
func ParseHexKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(s) != 64 {
		return nil, ErrBadKey
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, ErrBadKey
	}
	priv, err := crypto.ToECDSA(b)
	clear(b)
	if err != nil {
		return nil, ErrBadKey
	}
	return NewKey(priv), nil
}

// Address is the key's account address.
func (k *Key) Address() common.Address { return k.addr }

// SignTx signs tx for chainID with the latest signer for that chain.
func (k *Key) SignTx(tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	return types.SignTx(tx, types.LatestSignerForChainID(chainID), k.priv)
}

// ECDSA returns the private key itself, for the few callers that must have it (importing it into
// a keystore). Never log or print it.
func (k *Key) ECDSA() *ecdsa.PrivateKey { return k.priv }

// String shows the address only.
func (k *Key) String() string { return "key(" + k.addr.Hex() + ")" }

// GoString shows the address only.
func (k *Key) GoString() string { return k.String() }

// Format shows the address only, whatever the verb.
func (k *Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// LogValue shows the address only.
func (k *Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText shows the address only, so encoders can't leak the key either.
func (k *Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }
