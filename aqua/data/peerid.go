package data

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
)

// PublicKey is a raw Ed25519 public key.
type PublicKey [ed25519.PublicKeySize]byte

// Signature is a raw Ed25519 signature.
type Signature [ed25519.SignatureSize]byte

// peerIDPrefix is the libp2p peer id of an Ed25519 key: an identity multihash (0x00,
// length 0x24) of the protobuf PublicKey{Type: Ed25519 (0x08 0x01), Data: 32 bytes
// (0x12 0x20)}.
var peerIDPrefix = []byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}

// PeerID returns the libp2p peer id (base58, "12D3KooW...") of an Ed25519 public key.
func (k PublicKey) PeerID() string {
	buf := make([]byte, 0, len(peerIDPrefix)+len(k))
	buf = append(buf, peerIDPrefix...)
	buf = append(buf, k[:]...)
	return base58.Encode(buf)
}

// ErrNotEd25519PeerID is returned by PublicKeyFromPeerID for peer ids that do not embed
// an Ed25519 public key.
var ErrNotEd25519PeerID = errors.New("peer id does not embed an Ed25519 public key")

// PublicKeyFromPeerID extracts the Ed25519 public key embedded in a libp2p peer id.
func PublicKeyFromPeerID(id string) (PublicKey, error) {
	var k PublicKey
	raw, err := base58.Decode(id)
	if err != nil {
		return k, fmt.Errorf("peer id %q: %w", id, err)
	}
	if len(raw) != len(peerIDPrefix)+len(k) || string(raw[:len(peerIDPrefix)]) != string(peerIDPrefix) {
		return k, fmt.Errorf("peer id %q: %w", id, ErrNotEd25519PeerID)
	}
	copy(k[:], raw[len(peerIDPrefix):])
	return k, nil
}

// PeerIDFromKey returns the peer id of an Ed25519 private key.
func PeerIDFromKey(key ed25519.PrivateKey) string {
	var k PublicKey
	copy(k[:], key.Public().(ed25519.PublicKey))
	return k.PeerID()
}

// signaturePrefix separates Reef's particle-data signatures from any other use of the key.
const signaturePrefix = "reef/particle-data/1\x00"

// SignedMessage returns the bytes a peer signs: a domain prefix, the particle id (the
// salt) and the peer's sorted CID list.
func SignedMessage(particleID string, cids []CID) []byte {
	msg := make([]byte, 0, len(signaturePrefix)+len(particleID)+1+32*len(cids))
	msg = append(msg, signaturePrefix...)
	msg = append(msg, particleID...)
	msg = append(msg, 0)
	for _, c := range cids {
		msg = append(msg, c[:]...)
	}
	return msg
}

// Sign signs cids for particleID with key.
func Sign(key ed25519.PrivateKey, particleID string, cids []CID) (PublicKey, Signature) {
	var pk PublicKey
	var sig Signature
	copy(pk[:], key.Public().(ed25519.PublicKey))
	copy(sig[:], ed25519.Sign(key, SignedMessage(particleID, cids)))
	return pk, sig
}

// VerifySignature checks sig by pk over cids for particleID.
func VerifySignature(pk PublicKey, sig Signature, particleID string, cids []CID) bool {
	return ed25519.Verify(pk[:], SignedMessage(particleID, cids), sig[:])
}
