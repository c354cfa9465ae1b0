// Package contracts holds Reef's Solidity contracts and their Go bindings:
//
//   - Capacity: peers with compute units, capacity commitments with native-coin collateral,
//     epochs with a rotating global nonce, keccak proofs (keccak256(globalNonce ‖ unitId ‖
//     localNonce) ≤ target) with min/max per unit per epoch, rewards, slashing of missed epochs,
//     failure, expiry and withdrawal.
//   - Market: offers, deals paid per worker-epoch from an ERC-20 deposit, provider earnings.
//   - TestUSD: a 6-decimal ERC-20 with a faucet, the deals' payment token on dev chains.
//
// The sources are in src/, the compiled artifacts (solc 0.8.37, optimizer 200 runs, EVM paris) in
// build/, and capacity.go, market.go and testusd.go are abigen v2 bindings. gen.sh regenerates all
// of them (it needs npm and network access; building and testing never do).
package contracts

//go:generate ./gen.sh

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/reefhq/reef/wallet/txsend"
)

// Commitment statuses as Capacity.commitmentInfo reports them.
const (
	StatusNone      uint8 = 0
	StatusWaitStart uint8 = 1
	StatusActive    uint8 = 2
	StatusInactive  uint8 = 3 // expired: past its end epoch, collateral can be returned
	StatusFailed    uint8 = 4
	StatusFinished  uint8 = 5
)

// StatusName names a commitment status.
func StatusName(s uint8) string {
	switch s {
	case StatusNone:
		return "none"
	case StatusWaitStart:
		return "waiting to start"
	case StatusActive:
		return "active"
	case StatusInactive:
		return "expired"
	case StatusFailed:
		return "failed"
	case StatusFinished:
		return "finished"
	}
	return fmt.Sprintf("status %d", s)
}

// Deal statuses as Market.dealInfo reports them.
const (
	DealNone              uint8 = 0
	DealActive            uint8 = 1
	DealInsufficientFunds uint8 = 2
	DealEnded             uint8 = 3
	DealNotEnoughWorkers  uint8 = 4
)

// DealStatusName names a deal status.
func DealStatusName(s uint8) string {
	switch s {
	case DealActive:
		return "active"
	case DealInsufficientFunds:
		return "insufficient funds"
	case DealEnded:
		return "ended"
	case DealNotEnoughWorkers:
		return "not enough workers"
	}
	return "none"
}

// Addresses of one deployment of the three contracts.
type Addresses struct {
	Capacity common.Address `json:"capacity"`
	Market   common.Address `json:"market"`
	Token    common.Address `json:"token"`
}

// IsZero reports whether no contract address is set.
func (a Addresses) IsZero() bool {
	return a.Capacity == (common.Address{}) && a.Market == (common.Address{}) && a.Token == (common.Address{})
}

// Params are the deployment parameters.
type Params struct {
	EpochDuration      time.Duration // whole seconds
	MinProofsPerEpoch  uint32
	MaxProofsPerEpoch  uint32
	Target             *big.Int // a proof is valid when its hash, as a number, is at most Target
	CollateralPerUnit  *big.Int // wei
	RewardPerUnitEpoch *big.Int // wei, for each unit reaching the minimum in an epoch
	SlashingRateBps    uint16   // of CollateralPerUnit per missed unit-epoch
	MaxFailedRatio     uint32   // a commitment fails after MaxFailedRatio × units missed unit-epochs
	MinDuration        uint32   // epochs
	RewardPool         *big.Int // wei sent to the reward pool at deployment (may be zero)
	TokenSupply        *big.Int // TestUSD base units minted to the deployer
}

// DevEpoch is the embedded chain's default epoch: short, so a new provider sees its first proofs
// confirmed within a minute.
const DevEpoch = 20 * time.Second

// DevTargetBits is the embedded chain's default difficulty: 21 leading zero bits, about 2.1 million
// hashes (about a second of one core) per proof.
const DevTargetBits = 21

// DevParams are the embedded chain's defaults: 20 s epochs, 2 to 5 proofs per unit per epoch,
// 1 ETH collateral per unit, 0.01 ETH reward per unit-epoch, 1% slashed per missed epoch, failure
// after 10 misses per unit, a 100,000 ETH reward pool and 1e9 tUSD for the deployer.
func DevParams() Params {
	return Params{
		EpochDuration:      DevEpoch,
		MinProofsPerEpoch:  2,
		MaxProofsPerEpoch:  5,
		Target:             TargetForBits(DevTargetBits),
		CollateralPerUnit:  Ether(1),
		RewardPerUnitEpoch: new(big.Int).Div(Ether(1), big.NewInt(100)),
		SlashingRateBps:    100,
		MaxFailedRatio:     10,
		MinDuration:        1,
		RewardPool:         Ether(100_000),
		TokenSupply:        new(big.Int).Mul(big.NewInt(1_000_000_000), big.NewInt(1_000_000)),
	}
}

// Validate checks the parameters the contract would reject.
func (p Params) Validate() error {
	switch {
	case p.EpochDuration < time.Second || p.EpochDuration%time.Second != 0:
		return fmt.Errorf("epoch duration %v: want whole seconds, at least 1 s", p.EpochDuration)
	case p.MinProofsPerEpoch == 0 || p.MaxProofsPerEpoch < p.MinProofsPerEpoch:
		return fmt.Errorf("proofs per epoch: want 1 <= min (%d) <= max (%d)", p.MinProofsPerEpoch, p.MaxProofsPerEpoch)
	case p.Target == nil || p.Target.Sign() <= 0 || p.Target.BitLen() > 256:
		return fmt.Errorf("target: want 1 to 2^256-1")
	case p.CollateralPerUnit == nil || p.CollateralPerUnit.Sign() < 0:
		return fmt.Errorf("collateral per unit: want >= 0")
	case p.RewardPerUnitEpoch == nil || p.RewardPerUnitEpoch.Sign() < 0:
		return fmt.Errorf("reward per unit-epoch: want >= 0")
	case p.SlashingRateBps > 10000:
		return fmt.Errorf("slashing rate %d bps: want at most 10000", p.SlashingRateBps)
	case p.MaxFailedRatio == 0:
		return fmt.Errorf("max failed ratio: want >= 1")
	}
	return nil
}

// Ether is n × 10^18 wei.
func Ether(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18))
}

// TargetForBits is the target requiring `bits` leading zero bits: 2^(256-bits) − 1.
func TargetForBits(bits int) *big.Int {
	bits = min(max(bits, 0), 255)
	t := new(big.Int).Lsh(big.NewInt(1), uint(256-bits))
	return t.Sub(t, big.NewInt(1))
}

// ExpectedHashes is the mean number of hashes per proof at target: 2^256 / (target + 1).
func ExpectedHashes(target *big.Int) float64 {
	if target == nil || target.Sign() <= 0 {
		return math.Inf(1)
	}
	t, _ := new(big.Float).SetInt(new(big.Int).Add(target, big.NewInt(1))).Float64()
	return math.Ldexp(1, 256) / t
}

// TargetBits is the difficulty as leading zero bits: 256 − log2(target + 1).
func TargetBits(target *big.Int) float64 {
	return math.Log2(ExpectedHashes(target))
}

// UnitID is unit i of a peer, as the contract derives it: keccak256(peerId ‖ uint32 i).
func UnitID(peerID [32]byte, i uint32) [32]byte {
	var b [36]byte
	copy(b[:32], peerID[:])
	b[32], b[33], b[34], b[35] = byte(i>>24), byte(i>>16), byte(i>>8), byte(i)
	return crypto.Keccak256Hash(b[:])
}

var (
	abiOnce sync.Once
	abis    struct{ capacity, market, token *abi.ABI }
	abiErr  error
)

func loadABIs() {
	abiOnce.Do(func() {
		parse := func(m interface{ ParseABI() (*abi.ABI, error) }, name string) *abi.ABI {
			a, err := m.ParseABI()
			if err != nil && abiErr == nil {
				abiErr = fmt.Errorf("parsing the %s ABI: %w", name, err)
			}
			return a
		}
		abis.capacity = parse(&CapacityMetaData, "Capacity")
		abis.market = parse(&MarketMetaData, "Market")
		abis.token = parse(&TestUSDMetaData, "TestUSD")
	})
	if abiErr != nil {
		panic(abiErr) // the committed ABIs are constants; this can't happen in a built binary
	}
}

// NewDecoder returns a revert decoder that knows every custom error of the three contracts.
func NewDecoder() *txsend.Decoder {
	loadABIs()
	return txsend.NewDecoder(abis.capacity, abis.market, abis.token)
}

// Deployment is the result of Deploy.
type Deployment struct {
	Addresses
	ChainID  uint64         `json:"chain_id"`
	Deployer common.Address `json:"deployer"`
	Block    uint64         `json:"block"` // the block of the last deployment transaction
	GasUsed  uint64         `json:"gas_used"`
}

// Deploy deploys TestUSD, Capacity and Market from s's account, links Market into Capacity and
// funds the reward pool. The deployer owns Capacity and TestUSD and holds the token supply.
func Deploy(ctx context.Context, s *txsend.Sender, p Params) (Deployment, error) {
	if err := p.Validate(); err != nil {
		return Deployment{}, fmt.Errorf("deploy: %w", err)
	}
	d := Deployment{ChainID: s.ChainID().Uint64(), Deployer: s.Address()}
	supply := p.TokenSupply
	if supply == nil {
		supply = new(big.Int)
	}
	token := NewTestUSD()
	addr, r, err := s.Deploy(ctx, "deploy TestUSD", common.FromHex(TestUSDMetaData.Bin), token.PackConstructor(supply))
	if err != nil {
		return d, fmt.Errorf("deploy: %w", err)
	}
	d.Token, d.GasUsed = addr, d.GasUsed+r.GasUsed

	capacity := NewCapacity()
	ctor := capacity.PackConstructor(CapacityParams{
		EpochDuration:      uint64(p.EpochDuration / time.Second),
		MinProofsPerEpoch:  p.MinProofsPerEpoch,
		MaxProofsPerEpoch:  p.MaxProofsPerEpoch,
		Target:             p.Target,
		CollateralPerUnit:  p.CollateralPerUnit,
		RewardPerUnitEpoch: p.RewardPerUnitEpoch,
		SlashingRateBps:    p.SlashingRateBps,
		MaxFailedRatio:     p.MaxFailedRatio,
		MinDuration:        p.MinDuration,
	})
	addr, r, err = s.Deploy(ctx, "deploy Capacity", common.FromHex(CapacityMetaData.Bin), ctor)
	if err != nil {
		return d, fmt.Errorf("deploy: %w", err)
	}
	d.Capacity, d.GasUsed = addr, d.GasUsed+r.GasUsed

	market := NewMarket()
	addr, r, err = s.Deploy(ctx, "deploy Market", common.FromHex(MarketMetaData.Bin), market.PackConstructor(d.Capacity))
	if err != nil {
		return d, fmt.Errorf("deploy: %w", err)
	}
	d.Market, d.GasUsed = addr, d.GasUsed+r.GasUsed

	r, err = s.Transact(ctx, txsend.Call{Label: "setMarket", To: &d.Capacity, Data: capacity.PackSetMarket(d.Market)})
	if err != nil {
		return d, fmt.Errorf("deploy: %w", err)
	}
	d.GasUsed += r.GasUsed
	d.Block = r.BlockNumber.Uint64()
	if p.RewardPool != nil && p.RewardPool.Sign() > 0 {
		r, err = s.Transact(ctx, txsend.Call{Label: "fundRewards", To: &d.Capacity, Data: capacity.PackFundRewards(), Value: p.RewardPool})
		if err != nil {
			return d, fmt.Errorf("deploy: %w", err)
		}
		d.GasUsed += r.GasUsed
		d.Block = r.BlockNumber.Uint64()
	}
	return d, nil
}
