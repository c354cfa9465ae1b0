package chain

import (
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/reefhq/reef/wallet"
)

// The embedded dev chain's defaults.
const (
	DefaultChainID     = 1337 // like geth --dev
	DefaultDevAccounts = 64   // dev keys funded at genesis
)

// DevAccountBalance is what each dev key holds at genesis: 1,000,000 ETH.
var DevAccountBalance = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))

// DevKey returns dev key i, the same on every machine:
//
//	private key = keccak256("reef dev key " + decimal(i))
//
// (re-hashed in the astronomically unlikely case the hash is not a valid secp256k1 scalar).
// DevKey(0) deploys and owns the contracts on the embedded chain, holds the TestUSD supply and
// is the faucet; the embedded chain funds DevKey(0) … DevKey(DevAccounts-1) with
// DevAccountBalance each at genesis. They are public knowledge: use them only on dev chains.
//
//	DevKey(0) address 0xD6681f7E19454541f14Aa2f9D6A13321B50bFf86 (see TestDevKeysAreStable)
func DevKey(i int) *wallet.Key {
	seed := crypto.Keccak256([]byte("reef dev key " + strconv.Itoa(i)))
	for {
		k, err := crypto.ToECDSA(seed)
		if err == nil {
			return wallet.NewKey(k)
		}
		seed = crypto.Keccak256(seed)
	}
}
