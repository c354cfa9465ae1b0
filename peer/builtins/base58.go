package builtins

import (
	"fmt"
	"math/big"
	"strings"
)

// Base58 (Bitcoin alphabet) built on math/big. The usual byte-at-a-time algorithm (as in
// github.com/mr-tron/base58) is quadratic: 64 KiB takes seconds to encode. big.Int's
// radix conversion is subquadratic for output, and decoding splits the text in halves
// (value = high·58^len(low) + low) so that big.Int's Karatsuba multiplication does the
// work. Leading zero bytes map to leading '1's and back, as in every base58 codec; the
// empty string and no bytes map to each other.

const (
	b58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	// bigDigits are the first 58 digits big.Int uses for base 58.
	bigDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

	// maxBase58Bytes bounds the raw data of a base58 conversion: 256 KiB encodes in about
	// 170 ms and decodes in about 140 ms. Larger inputs fail instead of pinning a CPU (nox
	// has no limit, but its quadratic codec would take over a minute at this size).
	maxBase58Bytes = 256 << 10
	// maxBase58Text bounds base58 text: the encoding of maxBase58Bytes bytes is at most
	// 1.3658 times longer.
	maxBase58Text = maxBase58Bytes*1366/1000 + 1

	// decodeLeaf is the text length below which big.Int.SetString is used directly.
	decodeLeaf = 512
)

var (
	b58ToBig [256]byte // base58 char -> big.Int digit, 0 = invalid
	bigToB58 [256]byte // big.Int digit -> base58 char
)

func init() {
	for i := 0; i < 58; i++ {
		b58ToBig[b58Alphabet[i]] = bigDigits[i]
		bigToB58[bigDigits[i]] = b58Alphabet[i]
	}
}

// base58Encode returns the base58 text of b.
func base58Encode(b []byte) (string, error) {
	if len(b) > maxBase58Bytes {
		return "", fmt.Errorf("input too large for base58 (%d bytes, limit %d)", len(b), maxBase58Bytes)
	}
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	if zeros == len(b) {
		return strings.Repeat("1", zeros), nil
	}
	digits := []byte(new(big.Int).SetBytes(b[zeros:]).Text(58))
	out := make([]byte, zeros+len(digits))
	for i := 0; i < zeros; i++ {
		out[i] = '1'
	}
	for i, d := range digits {
		out[zeros+i] = bigToB58[d]
	}
	return string(out), nil
}

// base58Decode returns the bytes that s encodes. The empty string decodes to no bytes.
func base58Decode(s string) ([]byte, error) {
	if len(s) > maxBase58Text {
		return nil, fmt.Errorf("base58 text too long (%d bytes, limit %d)", len(s), maxBase58Text)
	}
	digits := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		d := b58ToBig[s[i]]
		if d == 0 {
			if s[i] >= 0x80 {
				return nil, fmt.Errorf("invalid base58 character at byte %d (non-ASCII)", i)
			}
			return nil, fmt.Errorf("invalid base58 character %q at byte %d", s[i], i)
		}
		digits[i] = d
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	rest := digits[zeros:]
	if len(rest) == 0 {
		return make([]byte, zeros), nil
	}
	n := decodeDigits(rest, map[int]*big.Int{})
	mag := n.Bytes()
	out := make([]byte, zeros+len(mag))
	copy(out[zeros:], mag)
	return out, nil
}

// decodeDigits returns the value of big.Int base-58 digits (already validated).
func decodeDigits(d []byte, pows map[int]*big.Int) *big.Int {
	if len(d) <= decodeLeaf {
		n, _ := new(big.Int).SetString(string(d), 58)
		return n
	}
	k := len(d) / 2 // digits in the low half
	hi := decodeDigits(d[:len(d)-k], pows)
	lo := decodeDigits(d[len(d)-k:], pows)
	p := pows[k]
	if p == nil {
		p = new(big.Int).Exp(big.NewInt(58), big.NewInt(int64(k)), nil)
		pows[k] = p
	}
	return hi.Mul(hi, p).Add(hi, lo)
}
