package wallet

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// Decimals of the two currencies.
const (
	NativeDecimals = 18 // the chain's native coin (gas, collateral, capacity rewards), like ETH
	NativeSymbol   = "ETH"
	TokenDecimals  = 6 // TestUSD, like USDC (deal deposits and payments)
	TokenSymbol    = "tUSD"
)

// ParseAmount parses a non-negative decimal string ("1", "1.5", "0.000001") into base units with
// the given number of decimals: ParseAmount("1.5", 18) is 1.5e18 wei. More fractional digits
// than decimals is an error, not a silent rounding.
func ParseAmount(s string, decimals int) (*big.Int, error) {
	orig := s
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "_", "")
	if s == "" {
		return nil, errors.New("empty amount")
	}
	if strings.HasPrefix(s, "-") {
		return nil, fmt.Errorf("amount %q: negative", orig)
	}
	s = strings.TrimPrefix(s, "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return nil, fmt.Errorf("amount %q: not a number", orig)
	}
	if !digits(whole) || !digits(frac) {
		return nil, fmt.Errorf("amount %q: not a decimal number", orig)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > decimals {
		return nil, fmt.Errorf("amount %q: more than %d decimal places", orig, decimals)
	}
	v, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", decimals-len(frac)), 10)
	if !ok {
		return nil, fmt.Errorf("amount %q: not a number", orig)
	}
	return v, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatAmount formats base units as a decimal string without trailing zeros: FormatAmount(1.5e18,
// 18) is "1.5". Negative values get a leading "-".
func FormatAmount(v *big.Int, decimals int) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	s := new(big.Int).Abs(v).String()
	if decimals > 0 {
		if len(s) <= decimals {
			s = strings.Repeat("0", decimals-len(s)+1) + s
		}
		whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
		s = whole
		if frac != "" {
			s += "." + frac
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatNative formats wei as ETH ("1.5").
func FormatNative(v *big.Int) string { return FormatAmount(v, NativeDecimals) }

// FormatToken formats TestUSD base units as dollars ("12.5").
func FormatToken(v *big.Int) string { return FormatAmount(v, TokenDecimals) }

func newRandomKey() (*ecdsa.PrivateKey, error) {
	k, err := crypto.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("generating a key: %w", err)
	}
	return k, nil
}
