// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// CapacityCommitmentView is an auto generated low-level Go binding around an user-defined struct.
type CapacityCommitmentView struct {
	PeerId     [32]byte
	Owner      common.Address
	Status     uint8
	StartEpoch uint32
	EndEpoch   uint32
	UnitCount  uint32
	FailCount  uint32
	FailLimit  uint32
	Collateral *big.Int
	Slashed    *big.Int
	Rewards    *big.Int
}

// CapacityParams is an auto generated low-level Go binding around an user-defined struct.
type CapacityParams struct {
	EpochDuration      uint64
	MinProofsPerEpoch  uint32
	MaxProofsPerEpoch  uint32
	Target             *big.Int
	CollateralPerUnit  *big.Int
	RewardPerUnitEpoch *big.Int
	SlashingRateBps    uint16
	MaxFailedRatio     uint32
	MinDuration        uint32
}

// CapacityUnitView is an auto generated low-level Go binding around an user-defined struct.
type CapacityUnitView struct {
	PeerId          [32]byte
	ProofsThisEpoch uint32
	LastEpoch       uint32
	SuccessEpochs   uint32
	MissedEpochs    uint32
	DealId          uint64
	LastNonce       [32]byte
}

// CapacityMetaData contains all meta data concerning the Capacity contract.
var CapacityMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"epochDuration\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"minProofsPerEpoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"maxProofsPerEpoch\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"target\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"collateralPerUnit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"rewardPerUnitEpoch\",\"type\":\"uint256\"},{\"internalType\":\"uint16\",\"name\":\"slashingRateBps\",\"type\":\"uint16\"},{\"internalType\":\"uint32\",\"name\":\"maxFailedRatio\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"minDuration\",\"type\":\"uint32\"}],\"internalType\":\"structCapacity.Params\",\"name\":\"p\",\"type\":\"tuple\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"unitIds\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"localNonces\",\"type\":\"uint256\"}],\"name\":\"BadBatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"what\",\"type\":\"string\"}],\"name\":\"BadParams\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"unitCount\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"max\",\"type\":\"uint32\"}],\"name\":\"BadUnitCount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"CannotFinish\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"}],\"name\":\"CommitmentExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"CommitmentNotActive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"duration\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"minDuration\",\"type\":\"uint32\"}],\"name\":\"DurationTooShort\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"}],\"name\":\"NoCommitment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"localNonce\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"lastNonce\",\"type\":\"bytes32\"}],\"name\":\"NonceNotIncreasing\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotCommitmentOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotPeerOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"NotUnitOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"OnlyMarket\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"OnlyOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"PeerExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"}],\"name\":\"ProofAboveTarget\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"currentEpoch\",\"type\":\"uint32\"}],\"name\":\"StaleEpoch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"maxProofsPerEpoch\",\"type\":\"uint32\"}],\"name\":\"TooManyProofs\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"dealId\",\"type\":\"uint64\"}],\"name\":\"UnitInDeal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"}],\"name\":\"UnknownCommitment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"}],\"name\":\"UnknownPeer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"}],\"name\":\"UnknownUnit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"required\",\"type\":\"uint256\"}],\"name\":\"WrongCollateral\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroPeerId\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"startEpoch\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"endEpoch\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"name\":\"CommitmentCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"}],\"name\":\"CommitmentFailed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateralReturned\",\"type\":\"uint256\"}],\"name\":\"CommitmentFinished\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"globalNonce\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"target\",\"type\":\"uint256\"}],\"name\":\"EpochAdvanced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"unitCount\",\"type\":\"uint32\"}],\"name\":\"PeerRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"minProofsPerEpoch\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"maxProofsPerEpoch\",\"type\":\"uint32\"}],\"name\":\"ProofLimitsChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"localNonce\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"name\":\"ProofSubmitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"RewardsFunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"RewardsWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"target\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"fromEpoch\",\"type\":\"uint32\"}],\"name\":\"TargetScheduled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"dealId\",\"type\":\"uint64\"}],\"name\":\"UnitDealChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"missedEpochs\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"UnitSlashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"unitId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"reward\",\"type\":\"uint256\"}],\"name\":\"UnitSucceeded\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_UNITS_PER_PEER\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"advanceEpoch\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"collateralPerUnit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"commitmentCount\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"id\",\"type\":\"uint64\"}],\"name\":\"commitmentInfo\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint32\",\"name\":\"startEpoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"endEpoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"unitCount\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"failCount\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"failLimit\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"rewards\",\"type\":\"uint256\"}],\"internalType\":\"structCapacity.CommitmentView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"durationEpochs\",\"type\":\"uint32\"}],\"name\":\"createCommitment\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"id\",\"type\":\"uint64\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentEpoch\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"epochDuration\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"e\",\"type\":\"uint32\"}],\"name\":\"epochEndsAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"epochParams\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"internalType\":\"bytes32\",\"name\":\"nonce\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"nonceEpoch_\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"target_\",\"type\":\"uint256\"},{\"internalType\":\"uint32\",\"name\":\"minProofs\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"maxProofs\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"duration\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"init\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"id\",\"type\":\"uint64\"}],\"name\":\"finish\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"fundRewards\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"globalNonce\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"initTimestamp\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"market\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxFailedRatio\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxProofsPerEpoch\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minDuration\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minProofsPerEpoch\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextTarget\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextTargetEpoch\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nonceEpoch\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"}],\"name\":\"peerInfo\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"owner_\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"unitCount\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"commitmentId\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"}],\"name\":\"peerOwner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"unitCount\",\"type\":\"uint32\"}],\"name\":\"registerPeer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rewardPerUnitEpoch\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rewardPool\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"a\",\"type\":\"address\"}],\"name\":\"rewardsOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"earned\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawn\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawable\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"newTarget\",\"type\":\"uint256\"}],\"name\":\"scheduleTarget\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"m\",\"type\":\"address\"}],\"name\":\"setMarket\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"minProofs\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"maxProofs\",\"type\":\"uint32\"}],\"name\":\"setProofLimits\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"reward\",\"type\":\"uint256\"}],\"name\":\"setRewardPerUnitEpoch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"dealId\",\"type\":\"uint64\"}],\"name\":\"setUnitDeal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"unitIds\",\"type\":\"bytes32[]\"}],\"name\":\"settleUnits\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slashingRateBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"epoch\",\"type\":\"uint32\"},{\"internalType\":\"bytes32[]\",\"name\":\"unitIds\",\"type\":\"bytes32[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"localNonces\",\"type\":\"bytes32[]\"}],\"name\":\"submitProofs\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"target\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"e\",\"type\":\"uint32\"}],\"name\":\"targetAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"}],\"name\":\"unitId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"}],\"name\":\"unitOwner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"owner_\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"ids\",\"type\":\"bytes32[]\"}],\"name\":\"unitStates\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"peerId\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"proofsThisEpoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"lastEpoch\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"successEpochs\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"missedEpochs\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"dealId\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"lastNonce\",\"type\":\"bytes32\"}],\"internalType\":\"structCapacity.UnitView[]\",\"name\":\"out\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawRewards\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Capacity",
	Bin: "0x60c060405234801561001057600080fd5b506040516137d93803806137d983398101604081905261002f916103cd565b80516001600160401b031660000361007f576040516387a33b2760e01b815260206004820152600d60248201526c32b837b1b4223ab930ba34b7b760991b60448201526064015b60405180910390fd5b602081015163ffffffff1615806100a95750806020015163ffffffff16816040015163ffffffff16105b156100e6576040516387a33b2760e01b815260206004820152600c60248201526b70726f6f66206c696d69747360a01b6044820152606401610076565b8060600151600003610124576040516387a33b2760e01b81526020600482015260066024820152651d185c99d95d60d21b6044820152606401610076565b6127108160c0015161ffff161115610171576040516387a33b2760e01b815260206004820152600f60248201526e736c617368696e675261746542707360881b6044820152606401610076565b8060e0015163ffffffff166000036101bd576040516387a33b2760e01b815260206004820152600e60248201526d6d61784661696c6564526174696f60901b6044820152606401610076565b80516001600160401b031660809081524260a0908152600080546001600160a01b03191633179055602083015160018054604086015163ffffffff908116600160e01b026001600160e01b03948216600160c01b02949094166001600160c01b03909216919091179290921781556060850151600455928401516006559083015160075560c08301516002805460e08601516101008701518516680100000000000000000263ffffffff60401b19919095166401000000000263ffffffff60201b1961ffff9095166c01000000000000000000000000029490941669ffff00000000ffffffff60201b1990921691909117929092179190911691909117905544906102c89043610471565b60408051602081019390935290409082015230606082015260800160408051601f19818403018152828252805160209182012060038190556001805463ffffffff60a01b1916600160a01b178155606086015191855291840152917ff1ff5317abcf44098c8691b3449433c747e72836b1bd091b79c3423544f6ad15910160405180910390a250610498565b60405161012081016001600160401b038111828210171561038557634e487b7160e01b600052604160045260246000fd5b60405290565b80516001600160401b03811681146103a257600080fd5b919050565b805163ffffffff811681146103a257600080fd5b805161ffff811681146103a257600080fd5b60006101208284031280156103e157600080fd5b506103ea610354565b6103f38361038b565b8152610401602084016103a7565b6020820152610412604084016103a7565b6040820152606083810151908201526080808401519082015260a0808401519082015261044160c084016103bb565b60c082015261045260e084016103a7565b60e082015261046461010084016103a7565b6101008201529392505050565b8181038181111561049257634e487b7160e01b600052601160045260246000fd5b92915050565b60805160a0516132f26104e7600039600081816105460152818161104e015281816115310152611fb70152600081816104a30152818161101d0152818161150d0152611f9401526132f26000f3fe6080604052600436106102675760003560e01c80637841726711610144578063c7b8981c116100b6578063e2bc5fd51161007a578063e2bc5fd51461084f578063e79c627014610884578063e989ce8a146108a8578063f2fde38b146108be578063fa6f022e146108de578063ff18bf0b1461094457600080fd5b8063c7b8981c1461078d578063cb710551146107a2578063cc61c2f3146107c2578063d4b83992146107d5578063dd06d612146107eb57600080fd5b8063a376fb9111610108578063a376fb91146106a3578063a8e4ac4b146106c7578063ac22d81e146106e7578063bb4348f714610714578063c44956d114610738578063c7a4f6ef1461077757600080fd5b8063784172671461060657806380f5560514610623578063878b86c6146106435780638da5cb5b1461066357806396ddecd21461068357600080fd5b806343cf2f0b116101dd57806366666aa9116101a157806366666aa9146104e95780636952fcd9146104ff5780636dcea85f146105145780637358c57a1461053457806373bcc4ad1461056857806376671808146105f157600080fd5b806343cf2f0b146104165780634516389514610436578063479ba7ae146104565780634ff0876a1461049157806356715761146104c557600080fd5b8063280c5e511161022f578063280c5e511461034e57806337e232221461038757806338f1802f146103ab5780633ab562f2146103cb5780633cf74509146103e15780633cf80e6c1461040157600080fd5b80630996b5a41461026c5780630eceb50f146102bf5780631012b7d9146102ec578063124161ca1461030e5780632301aa021461032e575b600080fd5b34801561027857600080fd5b506102a2610287366004612da9565b6000908152600960205260409020546001600160a01b031690565b6040516001600160a01b0390911681526020015b60405180910390f35b3480156102cb57600080fd5b506102df6102da366004612e0d565b61094c565b6040516102b69190612e4e565b3480156102f857600080fd5b5061030c610307366004612da9565b610b35565b005b34801561031a57600080fd5b5061030c610329366004612f12565b610c13565b34801561033a57600080fd5b5061030c610349366004612f52565b610dc4565b34801561035a57600080fd5b5060015461037290600160e01b900463ffffffff1681565b60405163ffffffff90911681526020016102b6565b34801561039357600080fd5b5061039d60035481565b6040519081526020016102b6565b3480156103b757600080fd5b5061030c6103c6366004612f7c565b610eba565b3480156103d757600080fd5b5061039d60055481565b3480156103ed57600080fd5b5061039d6103fc366004612f9f565b611016565b34801561040d57600080fd5b5061039d611078565b34801561042257600080fd5b5061030c610431366004612fba565b6110b1565b34801561044257600080fd5b5061039d610451366004612f7c565b6113c4565b34801561046257600080fd5b50610476610471366004612fd5565b61140d565b604080519384526020840192909252908201526060016102b6565b34801561049d57600080fd5b5061039d7f000000000000000000000000000000000000000000000000000000000000000081565b3480156104d157600080fd5b5060025461037290600160401b900463ffffffff1681565b3480156104f557600080fd5b5061039d60085481565b34801561050b57600080fd5b50610372604081565b34801561052057600080fd5b5061030c61052f366004612fd5565b611465565b34801561054057600080fd5b5061039d7f000000000000000000000000000000000000000000000000000000000000000081565b34801561057457600080fd5b506105be610583366004612da9565b6000908152600960205260409020546001600160a01b03811691600160a01b820463ffffffff1691600160c01b90046001600160401b031690565b604080516001600160a01b03909416845263ffffffff90921660208401526001600160401b0316908201526060016102b6565b3480156105fd57600080fd5b50610372611509565b34801561061257600080fd5b506002546103729063ffffffff1681565b34801561062f57600080fd5b506001546102a2906001600160a01b031681565b34801561064f57600080fd5b5061030c61065e366004612da9565b611570565b34801561066f57600080fd5b506000546102a2906001600160a01b031681565b34801561068f57600080fd5b5061030c61069e366004612ffe565b6115a0565b3480156106af57600080fd5b5060025461037290600160201b900463ffffffff1681565b3480156106d357600080fd5b5061030c6106e2366004612e0d565b611771565b3480156106f357600080fd5b50610707610702366004612fba565b611873565b6040516102b69190613082565b34801561072057600080fd5b5060015461037290600160a01b900463ffffffff1681565b34801561074457600080fd5b5060025461075f90600160701b90046001600160401b031681565b6040516001600160401b0390911681526020016102b6565b34801561078357600080fd5b5061039d60075481565b34801561079957600080fd5b5061039d6119e2565b3480156107ae57600080fd5b5061039d6107bd366004612f9f565b611af3565b61075f6107d0366004612f7c565b611b31565b3480156107e157600080fd5b5061039d60045481565b3480156107f757600080fd5b50610830610806366004612da9565b6000908152600a60209081526040808320548084526009909252909120546001600160a01b031691565b604080516001600160a01b0390931683526020830191909152016102b6565b34801561085b57600080fd5b5060025461087190600160601b900461ffff1681565b60405161ffff90911681526020016102b6565b34801561089057600080fd5b5060015461037290600160c01b900463ffffffff1681565b3480156108b457600080fd5b5061039d60065481565b3480156108ca57600080fd5b5061030c6108d9366004612fd5565b611ea7565b3480156108ea57600080fd5b506108f3611f33565b6040805163ffffffff998a1681526020810198909852958816958701959095526060860193909352908516608085015290931660a083015260c082019290925260e0810191909152610100016102b6565b61030c611fdc565b60606000610958611509565b9050826001600160401b038111156109725761097261315e565b6040519080825280602002602001820160405280156109d957816020015b6040805160e08101825260008082526020808301829052928201819052606082018190526080820181905260a0820181905260c082015282526000199092019101816109905790505b50915060005b83811015610b2d576000600a60008787858181106109ff576109ff613174565b90506020020135815260200190815260200160002090506000848381518110610a2a57610a2a613174565b602090810291909101015182548152600183015463ffffffff90811660408301819052919250851614610a5e576000610a71565b6001820154600160201b900463ffffffff165b63ffffffff9081166020808401919091526001840154600160601b810483166060850152600160801b810490921660808401526001600160401b03600160a01b909204821660a0840152600284015460c08401528354600090815260099091526040902054600160c01b9004168015610b22576001600160401b0381166000908152600b60205260409020610b0790848761202a565b82608001818151610b1891906131a0565b63ffffffff169052505b5050506001016109df565b505092915050565b6000546001600160a01b03163314610b6057604051635fc483c560e01b815260040160405180910390fd5b80600003610b9f576040516387a33b2760e01b81526020600482015260066024820152651d185c99d95d60d21b60448201526064015b60405180910390fd5b6000610ba9611509565b610bb49060016131a0565b60058390556002805463ffffffff191663ffffffff83169081179091556040805185815260208101929092529192507fb3316a3bef8ed2de5a8fbd0e5281f5e02070faf8177414d55f3d473aac3b016f91015b60405180910390a15050565b6001546001600160a01b03163314610c3e57604051639e0125a960e01b815260040160405180910390fd5b6000828152600a60205260409020805480610c6f5760405163015bc39f60e01b815260048101859052602401610b96565b6000610c79611509565b90506001600160401b03841615610d2d576001830154600160a01b90046001600160401b031615610cdb57600183015460405163819c5e7b60e01b815260048101879052600160a01b9091046001600160401b03166024820152604401610b96565b600082815260096020526040902054600160c01b90046001600160401b03168015610d27576001600160401b0381166000908152600b60205260409020610d259082868986612183565b505b50610d5b565b610d388160016131a0565b8360010160086101000a81548163ffffffff021916908363ffffffff1602179055505b60018301805467ffffffffffffffff60a01b1916600160a01b6001600160401b0387169081029190911790915560405190815285907f6297502594b8c1c2107d24aefa68d5c50d8960c9b2ae7ba1257d8a79b49087049060200160405180910390a25050505050565b6000546001600160a01b03163314610def57604051635fc483c560e01b815260040160405180910390fd5b63ffffffff82161580610e0d57508163ffffffff168163ffffffff16105b15610e4a576040516387a33b2760e01b815260206004820152600c60248201526b70726f6f66206c696d69747360a01b6044820152606401610b96565b600180546001600160c01b0316600160c01b63ffffffff8581169182026001600160e01b031692909217600160e01b928516928302179092556040805192835260208301919091527f1fde639b91b868f2acadee18241f0f3c01f358eb36c13b1f31797bb96aba66a79101610c07565b81610ed85760405163781cf80f60e01b815260040160405180910390fd5b63ffffffff81161580610ef15750604063ffffffff8216115b15610f20576040805163de73fbfb60e01b815263ffffffff831660048201526024810191909152604401610b96565b600082815260096020526040902080546001600160a01b031615610f6c5780546040516307c316bb60e51b8152600481018590526001600160a01b039091166024820152604401610b96565b80546001600160c01b0319163363ffffffff60a01b191617600160a01b63ffffffff84160217815560005b8263ffffffff168163ffffffff161015610fd35783600a6000610fba87856113c4565b8152602081019190915260400160002055600101610f97565b5060405163ffffffff83168152339084907f948524a3addd11a6850dba4d92743f78aeb03d5a8f1930b196aeadf7c0a4c7859060200160405180910390a3505050565b60006110487f000000000000000000000000000000000000000000000000000000000000000063ffffffff84166131bc565b611072907f00000000000000000000000000000000000000000000000000000000000000006131d3565b92915050565b600080611083611509565b60015490915063ffffffff808316600160a01b9092041610156110a9576110a981612584565b505060035490565b6001600160401b0381166000908152600b6020526040902060018101546001600160a01b03166110ff576040516335d1b83560e01b81526001600160401b0383166004820152602401610b96565b60018101546001600160a01b0316331461113d576040516336ac24e560e21b81526001600160401b0383166004820152336024820152604401610b96565b6000611147611509565b6001830154909150600119600160e01b90910460ff16016112605781546003830154600160201b900463ffffffff1660005b8163ffffffff168163ffffffff161080156111a257506001850154600160e01b900460ff166002145b156111e95760006111b384836113c4565b90506111d48688600a60008581526020019081526020016000208489612183565b505080806111e1906131e6565b915050611179565b506001840154600160e01b900460ff16600214801561121c5750600184015463ffffffff600160c01b9091048116908416105b15611259578461122c8585612689565b604051630381f27760e51b81526001600160401b03909216600483015260ff166024820152604401610b96565b50506112af565b6001820154600160e01b900460ff166004146112af576001820154604051630381f27760e51b81526001600160401b0385166004820152600160e01b90910460ff166024820152604401610b96565b6002820180546001600160801b0319811690915560018301805460ff60e01b1916600560e01b179055825460009081526009602090815260409182902080546001600160c01b0316905590516001600160801b03909216808352916001600160401b038616917f7dd2d1be4a0c1591275968628c4b25ab8e7685634d8e2aa3f709e85b5c109cd1910160405180910390a280156113be5760018301546040516000916001600160a01b03169083908381818185875af1925050503d8060008114611395576040519150601f19603f3d011682016040523d82523d6000602084013e61139a565b606091505b50509050806113bc576040516312171d8360e31b815260040160405180910390fd5b505b50505050565b600082826040516020016113ef92919091825260e01b6001600160e01b031916602082015260240190565b60405160208183030381529060405280519060200120905092915050565b6001600160a01b0381166000908152600c602052604081208054829182916001600160801b0380821691600160801b900416611449818361320b565b6001600160801b03928316989183169750909116945092505050565b6000546001600160a01b0316331461149057604051635fc483c560e01b815260040160405180910390fd5b6001546001600160a01b03161515806114b057506001600160a01b038116155b156114e7576040516387a33b2760e01b81526020600482015260066024820152651b585c9ad95d60d21b6044820152606401610b96565b600180546001600160a01b0319166001600160a01b0392909216919091179055565b60007f00000000000000000000000000000000000000000000000000000000000000006115567f00000000000000000000000000000000000000000000000000000000000000004261322a565b611560919061323d565b61156b9060016131d3565b905090565b6000546001600160a01b0316331461159b57604051635fc483c560e01b815260040160405180910390fd5b600755565b8215806115ad5750828114155b156115d557604051631cbea66f60e11b81526004810184905260248101829052604401610b96565b60006115e08661275c565b6000808052600b6020529091507fdf7de25b7f1fd6d0b5205f0e18f1f35bd7b8d84cce336588d184533ce43a6f76905b858110156116f057600087878381811061162c5761162c613174565b602090810292909201356000818152600a909352604090922080549293509190508061166e5760405163015bc39f60e01b815260048101849052602401610b96565b85610100015181146116ad576116898184886000015161286b565b6001600160401b039091166101208801526101008701829052600061014088015294505b8561014001516116e5576116dc868684868c8c8a8181106116d0576116d0613174565b9050602002013561299b565b15156101408701525b505050600101611610565b5060e082015115611768578160e0015160086000828254611711919061322a565b909155505060e0820151336000908152600c6020526040812080549091906117439084906001600160801b031661325f565b92506101000a8154816001600160801b0302191690836001600160801b031602179055505b50505050505050565b600061177b611509565b905060005b828110156113be576000600a60008686858181106117a0576117a0613174565b90506020020135815260200190815260200160002090506000801b8160000154036117fa578484838181106117d7576117d7613174565b9050602002013560405163015bc39f60e01b8152600401610b9691815260200190565b8054600090815260096020526040812054600160c01b90046001600160401b03169081900361182a57505061186b565b6001600160401b0381166000908152600b6020526040902061186790828489898881811061185a5761185a613174565b9050602002013588612183565b5050505b600101611780565b604080516101608101825260008082526020808301829052828401829052606083018290526080830182905260a0830182905260c0830182905260e083018290526101008301829052610120830182905261014083018290526001600160401b0385168252600b905291822090916118e9611509565b8254845260018301546001600160a01b038116602086015263ffffffff600160a01b820481166060870152600160c01b909104811660808601526003840154600160201b90041660a085015290506119418282612d2c565b6003830154611956919063ffffffff166131a0565b63ffffffff90811660c0850152600383015460025461198492600160201b92839004811692909104166131bc565b63ffffffff1660e084015260028201546001600160801b03808216610100860152600160801b90910481166101208501526003830154600160601b9004166101408401526119d28282612689565b60ff166040840152509092915050565b336000908152600c602052604081208054611a0f906001600160801b03600160801b82048116911661320b565b6001600160801b0316915081600003611a3b57604051630686827b60e51b815260040160405180910390fd5b80546001600160801b0316600160801b810217815560405182815233907f8a43c4352486ec339f487f64af78ca5cbf06cd47833f073d3baf3a193e5031619060200160405180910390a2604051600090339084908381818185875af1925050503d8060008114611ac7576040519150601f19603f3d011682016040523d82523d6000602084013e611acc565b606091505b5050905080611aee576040516312171d8360e31b815260040160405180910390fd5b505090565b60025460009063ffffffff168015801590611b1a57508263ffffffff168163ffffffff1611155b611b2657600454611b2a565b6005545b9392505050565b600082815260096020526040812080546001600160a01b0316611b6a57604051631d8d41c560e21b815260048101859052602401610b96565b80546001600160a01b03163314611b9d5760405163f3f241cd60e01b815260048101859052336024820152604401610b96565b8054600160c01b90046001600160401b031615611be85780546040516390217c6b60e01b815260048101869052600160c01b9091046001600160401b03166024820152604401610b96565b60025463ffffffff600160401b90910481169084161080611c0d575063ffffffff8316155b15611c475760025460405163326cbcc360e21b815263ffffffff8581166004830152600160401b9092049091166024820152604401610b96565b8054600654600160a01b90910463ffffffff1690600090611c699083906131bc565b9050803414611c945760405163990e55c960e01b815234600482015260248101829052604401610b96565b6000611c9e611509565b611ca99060016131a0565b90506002600e81819054906101000a90046001600160401b0316611ccc9061327e565b82546101009290920a6001600160401b0381810219909316928216908102929092179092556000908152600b602052604090208881556001810180546001600160c01b0319163363ffffffff60a01b191617600160a01b63ffffffff861602179055909550611d3b87836131a0565b60018201805464ffffffffff60c01b1916600160c01b63ffffffff938416810260ff60e01b191691909117600160e11b179091556002830180546001600160801b0319166001600160801b03871617905560038301805467ffffffff000000001916600160201b938816939093029290921790915585546001600160c01b03166001600160401b03881690910217855560005b8463ffffffff168163ffffffff161015611e3c576000600a6000611df28c856113c4565b81526020810191909152604001600020600190810180546001600160a01b031916600160401b63ffffffff88160267ffffffffffffffff60601b1916179055919091019050611dce565b5033886001600160401b0388167f674019a79dcbb1d921a07d5d7a47d998de4b248e44adb91c687ff3e8a4af1e8985611e758c826131a0565b6040805163ffffffff9384168152929091166020830152810188905260600160405180910390a4505050505092915050565b6000546001600160a01b03163314611ed257604051635fc483c560e01b815260040160405180910390fd5b6001600160a01b038116611f11576040516387a33b2760e01b815260206004820152600560248201526437bbb732b960d91b6044820152606401610b96565b600080546001600160a01b0319166001600160a01b0392909216919091179055565b600080600080600080600080611f47611509565b6003546001549199508991600160a01b900463ffffffff16611f6883611af3565b600154939c929b50909950975063ffffffff600160c01b830481169750600160e01b90920490911694507f000000000000000000000000000000000000000000000000000000000000000093507f000000000000000000000000000000000000000000000000000000000000000092509050565b3460086000828254611fee91906131d3565b909155505060405134815233907fd53214ca07be5520e229c395f05a3e5c0697ec6279184ffbe2758d304fd322cc9060200160405180910390a2565b6001830154600090600160e01b900460ff16600214158061205e57506001830154600160a01b90046001600160401b031615155b1561206b57506000611b2a565b6001808401549085015463ffffffff600160401b909204821691600160a01b909104168110156120a957506001840154600160a01b900463ffffffff165b600185015460009063ffffffff600160c01b9091048116908516106120df576001860154600160c01b900463ffffffff166120e1565b835b90508163ffffffff168163ffffffff161161210157600092505050611b2a565b600061210d83836132a0565b600187015490915063ffffffff908116908416811080159061213a57508263ffffffff168163ffffffff16105b801561216557506001805490880154600160c01b90910463ffffffff908116600160201b9092041610155b15612178576121756001836132a0565b91505b509695505050505050565b6001850154600090600160e01b900460ff1660021415806121b757506001840154600160a01b90046001600160401b031615155b156121c45750600061257b565b6001808501549087015463ffffffff600160401b909204821691600160a01b9091041681101561220257506001860154600160a01b900463ffffffff165b600187015460009063ffffffff600160c01b909104811690851610612238576001880154600160c01b900463ffffffff1661223a565b835b90508163ffffffff168163ffffffff161161225a5760009250505061257b565b600061226683836132a0565b600188015490915063ffffffff908116908416811080159061229357508263ffffffff168163ffffffff16105b80156122be57506001805490890154600160c01b90910463ffffffff908116600160201b9092041610155b156122d1576122ce6001836132a0565b91505b60018801805463ffffffff808616600160401b0263ffffffff60401b1990921691909117909155821660000361230e57600094505050505061257b565b818860010160108282829054906101000a900463ffffffff1661233191906131a0565b92506101000a81548163ffffffff021916908363ffffffff16021790555060006127106002600c9054906101000a900461ffff1661ffff166006548563ffffffff1661237d91906131bc565b61238791906131bc565b612391919061323d565b60028c01549091506001600160801b0316808211156123b757806001600160801b031691505b6123c1828261320b565b60028d0180546001600160801b0319166001600160801b039283161780825584926010916123f8918591600160801b90041661325f565b92506101000a8154816001600160801b0302191690836001600160801b03160217905550816008600082825461242e91906131d3565b909155505060038c015460009061244c90869063ffffffff166131a0565b60038e01805463ffffffff191663ffffffff83811691909117909155604080519188168252602082018690529192508b916001600160401b038f16917ffa0361286a59e62ac5d0aa7492476c659f5459bbf457842bf8e2bd8a02cc338a910160405180910390a360038d01546002546124da9163ffffffff600160201b9182900481169291909104166131bc565b8163ffffffff161061256f5760018d01805460ff60e01b1916600160e21b17905560038d01805463ffffffff60401b1916600160401b63ffffffff8c16908102919091179091556040519081526001600160401b038d16907f1fa3cb4db93b9c4ffcd3d2f86d11241d291b6d1d3df58c61608774c78e212f799060200160405180910390a2600197505050505050505061257b565b60009750505050505050505b95945050505050565b6003546000904461259660014361322a565b60408051602081019490945283019190915240606082015263ffffffff8316608082015260a00160408051601f19818403018152919052805160209091012060038190556001805463ffffffff808616600160a01b0263ffffffff60a01b19909216919091179091556004546002549293509116801580159061262557508363ffffffff168163ffffffff1611155b156126425760055460048190556002805463ffffffff1916905591505b604080518481526020810184905263ffffffff8616917ff1ff5317abcf44098c8691b3449433c747e72836b1bd091b79c3423544f6ad15910160405180910390a250505050565b6001820154600090600160e01b900460ff16600281146126aa579050611072565b600184015463ffffffff600160a01b909104811690841610156126d1576001915050611072565b60038401546002546126f89163ffffffff600160201b9182900481169291909104166131bc565b6127028585612d2c565b6003860154612717919063ffffffff166131a0565b63ffffffff161061272c576004915050611072565b600184015463ffffffff600160c01b909104811690841610612752576003915050611072565b5060029392505050565b6040805161016081018252600080825260208201819052918101829052606081018290526080810182905260a0810182905260c0810182905260e08101829052610100810182905261012081018290526101408101829052906127bd611509565b90508063ffffffff168363ffffffff16146127fb57604051631b11f1ff60e01b815263ffffffff808516600483015282166024820152604401610b96565b60015463ffffffff808316600160a01b90920416101561281e5761281e81612584565b63ffffffff9081168252600154600160c01b810482166020840152600160e01b90041660408201526003546060820152600454608082015260085460a082015260075460c0820152919050565b600083815260096020526040812080548291906001600160a01b031633146128af57604051633bbb791160e11b815260048101869052336024820152604401610b96565b8054600160c01b90046001600160401b0316925060008390036128e8576040516302c48cb160e21b815260048101879052602401610b96565b6001600160401b0383166000908152600b602052604090206001810154909250600160e01b900460ff1660021415806129355750600182015463ffffffff600160a01b9091048116908516105b806129555750600182015463ffffffff600160c01b909104811690851610155b1561299257826129658386612689565b6040516366d0953d60e01b81526001600160401b03909216600483015260ff166024820152604401610b96565b50935093915050565b610120850151600184015460009190600160a01b90046001600160401b0316156129f657600185015460405163819c5e7b60e01b815260048101869052600160a01b9091046001600160401b03166024820152604401610b96565b606080880151604080516020810192909252810186905290810184905260009060800160405160208183030381529060405280519060200120905087608001518160001c1115612a6357604051639b95c77d60e01b81526004810186905260248101829052604401610b96565b8751600187015460009163ffffffff908116911603612b2e5760028701548511612ab75760028701546040516327dbaf9d60e01b815260048101889052602481018790526044810191909152606401610b96565b8660010160049054906101000a900463ffffffff166001612ad891906131a0565b9050886040015163ffffffff168163ffffffff161115612b295788516040808b0151905163f08c004760e01b81526004810189905263ffffffff928316602482015291166044820152606401610b96565b612b71565b612b3f888489898d60000151612183565b15612b50576001935050505061257b565b5087516001878101805463ffffffff191663ffffffff909316929092179091555b60018701805467ffffffff000000001916600160201b63ffffffff84811691820292909217909255600289018790558a5160408051898152602081019490945291169188916001600160401b038716917fdf33bcbfe2c1481cb5d4c885d04a746f88fd478dd1b7194c7384a82fd4a1b74a910160405180910390a4886020015163ffffffff168163ffffffff1603612d1d5760c089015160e08a015160a08b0151600091612c1e9161322a565b905080821115612c2c578091505b818b60e001818151612c3e91906131d3565b90525060018981018054600c90612c63908490600160601b900463ffffffff166131a0565b92506101000a81548163ffffffff021916908363ffffffff160217905550818a600301600c8282829054906101000a90046001600160801b0316612ca7919061325f565b92506101000a8154816001600160801b0302191690836001600160801b031602179055508a6000015163ffffffff1688866001600160401b03167fbb64b1e521284a40d23ea81c180350baf7d8102037dd7fe28f34636408a61ff385604051612d1291815260200190565b60405180910390a450505b50600098975050505050505050565b6001820154600090600160e01b900460ff16600214612d4d57506000611072565b825460005b600385015463ffffffff600160201b90910481169082161015610b2d57612d9585600a6000612d8186866113c4565b81526020019081526020016000208661202a565b612d9f90846131a0565b9250600101612d52565b600060208284031215612dbb57600080fd5b5035919050565b60008083601f840112612dd457600080fd5b5081356001600160401b03811115612deb57600080fd5b6020830191508360208260051b8501011115612e0657600080fd5b9250929050565b60008060208385031215612e2057600080fd5b82356001600160401b03811115612e3657600080fd5b612e4285828601612dc2565b90969095509350505050565b602080825282518282018190526000918401906040840190835b81811015612eeb5783518051845263ffffffff602082015116602085015263ffffffff604082015116604085015263ffffffff606082015116606085015263ffffffff60808201511660808501526001600160401b0360a08201511660a085015260c081015160c08501525060e083019250602084019350600181019050612e68565b509095945050505050565b80356001600160401b0381168114612f0d57600080fd5b919050565b60008060408385031215612f2557600080fd5b82359150612f3560208401612ef6565b90509250929050565b803563ffffffff81168114612f0d57600080fd5b60008060408385031215612f6557600080fd5b612f6e83612f3e565b9150612f3560208401612f3e565b60008060408385031215612f8f57600080fd5b82359150612f3560208401612f3e565b600060208284031215612fb157600080fd5b611b2a82612f3e565b600060208284031215612fcc57600080fd5b611b2a82612ef6565b600060208284031215612fe757600080fd5b81356001600160a01b0381168114611b2a57600080fd5b60008060008060006060868803121561301657600080fd5b61301f86612f3e565b945060208601356001600160401b0381111561303a57600080fd5b61304688828901612dc2565b90955093505060408601356001600160401b0381111561306557600080fd5b61307188828901612dc2565b969995985093965092949392505050565b815181526020808301516101608301916130a6908401826001600160a01b03169052565b5060408301516130bb604084018260ff169052565b5060608301516130d3606084018263ffffffff169052565b5060808301516130eb608084018263ffffffff169052565b5060a083015161310360a084018263ffffffff169052565b5060c083015161311b60c084018263ffffffff169052565b5060e083015161313360e084018263ffffffff169052565b5061010083015161010083015261012083015161012083015261014083015161014083015292915050565b634e487b7160e01b600052604160045260246000fd5b634e487b7160e01b600052603260045260246000fd5b634e487b7160e01b600052601160045260246000fd5b63ffffffff81811683821601908111156110725761107261318a565b80820281158282048414176110725761107261318a565b808201808211156110725761107261318a565b600063ffffffff821663ffffffff81036132025761320261318a565b60010192915050565b6001600160801b0382811682821603908111156110725761107261318a565b818103818111156110725761107261318a565b60008261325a57634e487b7160e01b600052601260045260246000fd5b500490565b6001600160801b0381811683821601908111156110725761107261318a565b60006001600160401b0382166001600160401b0381036132025761320261318a565b63ffffffff82811682821603908111156110725761107261318a56fea2646970667358221220dadb3a7fb1bb916356750b8e25552528246961c4a1787be49b72392a58d1e19e64736f6c63430008250033",
}

// Capacity is an auto generated Go binding around an Ethereum contract.
type Capacity struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Capacity) GetABI() abi.ABI {
	return c.abi
}

// NewCapacity creates a new instance of Capacity.
func NewCapacity() *Capacity {
	parsed, err := CapacityMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Capacity{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Capacity) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor((uint64,uint32,uint32,uint256,uint256,uint256,uint16,uint32,uint32) p) returns()
func (capacity *Capacity) PackConstructor(p CapacityParams) []byte {
	enc, err := capacity.abi.Pack("", p)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXUNITSPERPEER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6952fcd9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_UNITS_PER_PEER() view returns(uint32)
func (capacity *Capacity) PackMAXUNITSPERPEER() []byte {
	enc, err := capacity.abi.Pack("MAX_UNITS_PER_PEER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXUNITSPERPEER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6952fcd9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_UNITS_PER_PEER() view returns(uint32)
func (capacity *Capacity) TryPackMAXUNITSPERPEER() ([]byte, error) {
	return capacity.abi.Pack("MAX_UNITS_PER_PEER")
}

// UnpackMAXUNITSPERPEER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6952fcd9.
//
// Solidity: function MAX_UNITS_PER_PEER() view returns(uint32)
func (capacity *Capacity) UnpackMAXUNITSPERPEER(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("MAX_UNITS_PER_PEER", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackAdvanceEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3cf80e6c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function advanceEpoch() returns(bytes32)
func (capacity *Capacity) PackAdvanceEpoch() []byte {
	enc, err := capacity.abi.Pack("advanceEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAdvanceEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3cf80e6c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function advanceEpoch() returns(bytes32)
func (capacity *Capacity) TryPackAdvanceEpoch() ([]byte, error) {
	return capacity.abi.Pack("advanceEpoch")
}

// UnpackAdvanceEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3cf80e6c.
//
// Solidity: function advanceEpoch() returns(bytes32)
func (capacity *Capacity) UnpackAdvanceEpoch(data []byte) ([32]byte, error) {
	out, err := capacity.abi.Unpack("advanceEpoch", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackCollateralPerUnit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe989ce8a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function collateralPerUnit() view returns(uint256)
func (capacity *Capacity) PackCollateralPerUnit() []byte {
	enc, err := capacity.abi.Pack("collateralPerUnit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCollateralPerUnit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe989ce8a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function collateralPerUnit() view returns(uint256)
func (capacity *Capacity) TryPackCollateralPerUnit() ([]byte, error) {
	return capacity.abi.Pack("collateralPerUnit")
}

// UnpackCollateralPerUnit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe989ce8a.
//
// Solidity: function collateralPerUnit() view returns(uint256)
func (capacity *Capacity) UnpackCollateralPerUnit(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("collateralPerUnit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCommitmentCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc44956d1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commitmentCount() view returns(uint64)
func (capacity *Capacity) PackCommitmentCount() []byte {
	enc, err := capacity.abi.Pack("commitmentCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommitmentCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc44956d1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commitmentCount() view returns(uint64)
func (capacity *Capacity) TryPackCommitmentCount() ([]byte, error) {
	return capacity.abi.Pack("commitmentCount")
}

// UnpackCommitmentCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc44956d1.
//
// Solidity: function commitmentCount() view returns(uint64)
func (capacity *Capacity) UnpackCommitmentCount(data []byte) (uint64, error) {
	out, err := capacity.abi.Unpack("commitmentCount", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackCommitmentInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xac22d81e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commitmentInfo(uint64 id) view returns((bytes32,address,uint8,uint32,uint32,uint32,uint32,uint32,uint256,uint256,uint256) v)
func (capacity *Capacity) PackCommitmentInfo(id uint64) []byte {
	enc, err := capacity.abi.Pack("commitmentInfo", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommitmentInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xac22d81e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commitmentInfo(uint64 id) view returns((bytes32,address,uint8,uint32,uint32,uint32,uint32,uint32,uint256,uint256,uint256) v)
func (capacity *Capacity) TryPackCommitmentInfo(id uint64) ([]byte, error) {
	return capacity.abi.Pack("commitmentInfo", id)
}

// UnpackCommitmentInfo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xac22d81e.
//
// Solidity: function commitmentInfo(uint64 id) view returns((bytes32,address,uint8,uint32,uint32,uint32,uint32,uint32,uint256,uint256,uint256) v)
func (capacity *Capacity) UnpackCommitmentInfo(data []byte) (CapacityCommitmentView, error) {
	out, err := capacity.abi.Unpack("commitmentInfo", data)
	if err != nil {
		return *new(CapacityCommitmentView), err
	}
	out0 := *abi.ConvertType(out[0], new(CapacityCommitmentView)).(*CapacityCommitmentView)
	return out0, nil
}

// PackCreateCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc61c2f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createCommitment(bytes32 peerId, uint32 durationEpochs) payable returns(uint64 id)
func (capacity *Capacity) PackCreateCommitment(peerId [32]byte, durationEpochs uint32) []byte {
	enc, err := capacity.abi.Pack("createCommitment", peerId, durationEpochs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc61c2f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createCommitment(bytes32 peerId, uint32 durationEpochs) payable returns(uint64 id)
func (capacity *Capacity) TryPackCreateCommitment(peerId [32]byte, durationEpochs uint32) ([]byte, error) {
	return capacity.abi.Pack("createCommitment", peerId, durationEpochs)
}

// UnpackCreateCommitment is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc61c2f3.
//
// Solidity: function createCommitment(bytes32 peerId, uint32 durationEpochs) payable returns(uint64 id)
func (capacity *Capacity) UnpackCreateCommitment(data []byte) (uint64, error) {
	out, err := capacity.abi.Unpack("createCommitment", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackCurrentEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76671808.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function currentEpoch() view returns(uint32)
func (capacity *Capacity) PackCurrentEpoch() []byte {
	enc, err := capacity.abi.Pack("currentEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCurrentEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76671808.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function currentEpoch() view returns(uint32)
func (capacity *Capacity) TryPackCurrentEpoch() ([]byte, error) {
	return capacity.abi.Pack("currentEpoch")
}

// UnpackCurrentEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x76671808.
//
// Solidity: function currentEpoch() view returns(uint32)
func (capacity *Capacity) UnpackCurrentEpoch(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("currentEpoch", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackEpochDuration is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ff0876a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochDuration() view returns(uint256)
func (capacity *Capacity) PackEpochDuration() []byte {
	enc, err := capacity.abi.Pack("epochDuration")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochDuration is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ff0876a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochDuration() view returns(uint256)
func (capacity *Capacity) TryPackEpochDuration() ([]byte, error) {
	return capacity.abi.Pack("epochDuration")
}

// UnpackEpochDuration is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4ff0876a.
//
// Solidity: function epochDuration() view returns(uint256)
func (capacity *Capacity) UnpackEpochDuration(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("epochDuration", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackEpochEndsAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3cf74509.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochEndsAt(uint32 e) view returns(uint256)
func (capacity *Capacity) PackEpochEndsAt(e uint32) []byte {
	enc, err := capacity.abi.Pack("epochEndsAt", e)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochEndsAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3cf74509.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochEndsAt(uint32 e) view returns(uint256)
func (capacity *Capacity) TryPackEpochEndsAt(e uint32) ([]byte, error) {
	return capacity.abi.Pack("epochEndsAt", e)
}

// UnpackEpochEndsAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3cf74509.
//
// Solidity: function epochEndsAt(uint32 e) view returns(uint256)
func (capacity *Capacity) UnpackEpochEndsAt(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("epochEndsAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackEpochParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfa6f022e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochParams() view returns(uint32 epoch, bytes32 nonce, uint32 nonceEpoch_, uint256 target_, uint32 minProofs, uint32 maxProofs, uint256 duration, uint256 init)
func (capacity *Capacity) PackEpochParams() []byte {
	enc, err := capacity.abi.Pack("epochParams")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfa6f022e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochParams() view returns(uint32 epoch, bytes32 nonce, uint32 nonceEpoch_, uint256 target_, uint32 minProofs, uint32 maxProofs, uint256 duration, uint256 init)
func (capacity *Capacity) TryPackEpochParams() ([]byte, error) {
	return capacity.abi.Pack("epochParams")
}

// EpochParamsOutput serves as a container for the return parameters of contract
// method EpochParams.
type EpochParamsOutput struct {
	Epoch      uint32
	Nonce      [32]byte
	NonceEpoch uint32
	Target     *big.Int
	MinProofs  uint32
	MaxProofs  uint32
	Duration   *big.Int
	Init       *big.Int
}

// UnpackEpochParams is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfa6f022e.
//
// Solidity: function epochParams() view returns(uint32 epoch, bytes32 nonce, uint32 nonceEpoch_, uint256 target_, uint32 minProofs, uint32 maxProofs, uint256 duration, uint256 init)
func (capacity *Capacity) UnpackEpochParams(data []byte) (EpochParamsOutput, error) {
	out, err := capacity.abi.Unpack("epochParams", data)
	outstruct := new(EpochParamsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Epoch = *abi.ConvertType(out[0], new(uint32)).(*uint32)
	outstruct.Nonce = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	outstruct.NonceEpoch = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	outstruct.Target = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.MinProofs = *abi.ConvertType(out[4], new(uint32)).(*uint32)
	outstruct.MaxProofs = *abi.ConvertType(out[5], new(uint32)).(*uint32)
	outstruct.Duration = abi.ConvertType(out[6], new(big.Int)).(*big.Int)
	outstruct.Init = abi.ConvertType(out[7], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackFinish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x43cf2f0b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function finish(uint64 id) returns()
func (capacity *Capacity) PackFinish(id uint64) []byte {
	enc, err := capacity.abi.Pack("finish", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFinish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x43cf2f0b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function finish(uint64 id) returns()
func (capacity *Capacity) TryPackFinish(id uint64) ([]byte, error) {
	return capacity.abi.Pack("finish", id)
}

// PackFundRewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xff18bf0b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fundRewards() payable returns()
func (capacity *Capacity) PackFundRewards() []byte {
	enc, err := capacity.abi.Pack("fundRewards")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFundRewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xff18bf0b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fundRewards() payable returns()
func (capacity *Capacity) TryPackFundRewards() ([]byte, error) {
	return capacity.abi.Pack("fundRewards")
}

// PackGlobalNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x37e23222.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function globalNonce() view returns(bytes32)
func (capacity *Capacity) PackGlobalNonce() []byte {
	enc, err := capacity.abi.Pack("globalNonce")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGlobalNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x37e23222.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function globalNonce() view returns(bytes32)
func (capacity *Capacity) TryPackGlobalNonce() ([]byte, error) {
	return capacity.abi.Pack("globalNonce")
}

// UnpackGlobalNonce is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x37e23222.
//
// Solidity: function globalNonce() view returns(bytes32)
func (capacity *Capacity) UnpackGlobalNonce(data []byte) ([32]byte, error) {
	out, err := capacity.abi.Unpack("globalNonce", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackInitTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7358c57a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function initTimestamp() view returns(uint256)
func (capacity *Capacity) PackInitTimestamp() []byte {
	enc, err := capacity.abi.Pack("initTimestamp")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackInitTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7358c57a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function initTimestamp() view returns(uint256)
func (capacity *Capacity) TryPackInitTimestamp() ([]byte, error) {
	return capacity.abi.Pack("initTimestamp")
}

// UnpackInitTimestamp is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7358c57a.
//
// Solidity: function initTimestamp() view returns(uint256)
func (capacity *Capacity) UnpackInitTimestamp(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("initTimestamp", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x80f55605.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function market() view returns(address)
func (capacity *Capacity) PackMarket() []byte {
	enc, err := capacity.abi.Pack("market")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x80f55605.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function market() view returns(address)
func (capacity *Capacity) TryPackMarket() ([]byte, error) {
	return capacity.abi.Pack("market")
}

// UnpackMarket is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x80f55605.
//
// Solidity: function market() view returns(address)
func (capacity *Capacity) UnpackMarket(data []byte) (common.Address, error) {
	out, err := capacity.abi.Unpack("market", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackMaxFailedRatio is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa376fb91.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxFailedRatio() view returns(uint32)
func (capacity *Capacity) PackMaxFailedRatio() []byte {
	enc, err := capacity.abi.Pack("maxFailedRatio")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxFailedRatio is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa376fb91.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxFailedRatio() view returns(uint32)
func (capacity *Capacity) TryPackMaxFailedRatio() ([]byte, error) {
	return capacity.abi.Pack("maxFailedRatio")
}

// UnpackMaxFailedRatio is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa376fb91.
//
// Solidity: function maxFailedRatio() view returns(uint32)
func (capacity *Capacity) UnpackMaxFailedRatio(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("maxFailedRatio", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackMaxProofsPerEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x280c5e51.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxProofsPerEpoch() view returns(uint32)
func (capacity *Capacity) PackMaxProofsPerEpoch() []byte {
	enc, err := capacity.abi.Pack("maxProofsPerEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxProofsPerEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x280c5e51.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxProofsPerEpoch() view returns(uint32)
func (capacity *Capacity) TryPackMaxProofsPerEpoch() ([]byte, error) {
	return capacity.abi.Pack("maxProofsPerEpoch")
}

// UnpackMaxProofsPerEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x280c5e51.
//
// Solidity: function maxProofsPerEpoch() view returns(uint32)
func (capacity *Capacity) UnpackMaxProofsPerEpoch(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("maxProofsPerEpoch", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackMinDuration is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x56715761.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minDuration() view returns(uint32)
func (capacity *Capacity) PackMinDuration() []byte {
	enc, err := capacity.abi.Pack("minDuration")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinDuration is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x56715761.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minDuration() view returns(uint32)
func (capacity *Capacity) TryPackMinDuration() ([]byte, error) {
	return capacity.abi.Pack("minDuration")
}

// UnpackMinDuration is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x56715761.
//
// Solidity: function minDuration() view returns(uint32)
func (capacity *Capacity) UnpackMinDuration(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("minDuration", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackMinProofsPerEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe79c6270.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minProofsPerEpoch() view returns(uint32)
func (capacity *Capacity) PackMinProofsPerEpoch() []byte {
	enc, err := capacity.abi.Pack("minProofsPerEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinProofsPerEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe79c6270.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minProofsPerEpoch() view returns(uint32)
func (capacity *Capacity) TryPackMinProofsPerEpoch() ([]byte, error) {
	return capacity.abi.Pack("minProofsPerEpoch")
}

// UnpackMinProofsPerEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe79c6270.
//
// Solidity: function minProofsPerEpoch() view returns(uint32)
func (capacity *Capacity) UnpackMinProofsPerEpoch(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("minProofsPerEpoch", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackNextTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ab562f2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextTarget() view returns(uint256)
func (capacity *Capacity) PackNextTarget() []byte {
	enc, err := capacity.abi.Pack("nextTarget")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ab562f2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextTarget() view returns(uint256)
func (capacity *Capacity) TryPackNextTarget() ([]byte, error) {
	return capacity.abi.Pack("nextTarget")
}

// UnpackNextTarget is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3ab562f2.
//
// Solidity: function nextTarget() view returns(uint256)
func (capacity *Capacity) UnpackNextTarget(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("nextTarget", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackNextTargetEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x78417267.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextTargetEpoch() view returns(uint32)
func (capacity *Capacity) PackNextTargetEpoch() []byte {
	enc, err := capacity.abi.Pack("nextTargetEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextTargetEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x78417267.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextTargetEpoch() view returns(uint32)
func (capacity *Capacity) TryPackNextTargetEpoch() ([]byte, error) {
	return capacity.abi.Pack("nextTargetEpoch")
}

// UnpackNextTargetEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x78417267.
//
// Solidity: function nextTargetEpoch() view returns(uint32)
func (capacity *Capacity) UnpackNextTargetEpoch(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("nextTargetEpoch", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackNonceEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb4348f7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nonceEpoch() view returns(uint32)
func (capacity *Capacity) PackNonceEpoch() []byte {
	enc, err := capacity.abi.Pack("nonceEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNonceEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb4348f7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nonceEpoch() view returns(uint32)
func (capacity *Capacity) TryPackNonceEpoch() ([]byte, error) {
	return capacity.abi.Pack("nonceEpoch")
}

// UnpackNonceEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbb4348f7.
//
// Solidity: function nonceEpoch() view returns(uint32)
func (capacity *Capacity) UnpackNonceEpoch(data []byte) (uint32, error) {
	out, err := capacity.abi.Unpack("nonceEpoch", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (capacity *Capacity) PackOwner() []byte {
	enc, err := capacity.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (capacity *Capacity) TryPackOwner() ([]byte, error) {
	return capacity.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (capacity *Capacity) UnpackOwner(data []byte) (common.Address, error) {
	out, err := capacity.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPeerInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73bcc4ad.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function peerInfo(bytes32 peerId) view returns(address owner_, uint32 unitCount, uint64 commitmentId)
func (capacity *Capacity) PackPeerInfo(peerId [32]byte) []byte {
	enc, err := capacity.abi.Pack("peerInfo", peerId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPeerInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73bcc4ad.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function peerInfo(bytes32 peerId) view returns(address owner_, uint32 unitCount, uint64 commitmentId)
func (capacity *Capacity) TryPackPeerInfo(peerId [32]byte) ([]byte, error) {
	return capacity.abi.Pack("peerInfo", peerId)
}

// PeerInfoOutput serves as a container for the return parameters of contract
// method PeerInfo.
type PeerInfoOutput struct {
	Owner        common.Address
	UnitCount    uint32
	CommitmentId uint64
}

// UnpackPeerInfo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x73bcc4ad.
//
// Solidity: function peerInfo(bytes32 peerId) view returns(address owner_, uint32 unitCount, uint64 commitmentId)
func (capacity *Capacity) UnpackPeerInfo(data []byte) (PeerInfoOutput, error) {
	out, err := capacity.abi.Unpack("peerInfo", data)
	outstruct := new(PeerInfoOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Owner = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.UnitCount = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	outstruct.CommitmentId = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackPeerOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0996b5a4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function peerOwner(bytes32 peerId) view returns(address)
func (capacity *Capacity) PackPeerOwner(peerId [32]byte) []byte {
	enc, err := capacity.abi.Pack("peerOwner", peerId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPeerOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0996b5a4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function peerOwner(bytes32 peerId) view returns(address)
func (capacity *Capacity) TryPackPeerOwner(peerId [32]byte) ([]byte, error) {
	return capacity.abi.Pack("peerOwner", peerId)
}

// UnpackPeerOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0996b5a4.
//
// Solidity: function peerOwner(bytes32 peerId) view returns(address)
func (capacity *Capacity) UnpackPeerOwner(data []byte) (common.Address, error) {
	out, err := capacity.abi.Unpack("peerOwner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRegisterPeer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38f1802f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerPeer(bytes32 peerId, uint32 unitCount) returns()
func (capacity *Capacity) PackRegisterPeer(peerId [32]byte, unitCount uint32) []byte {
	enc, err := capacity.abi.Pack("registerPeer", peerId, unitCount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterPeer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38f1802f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerPeer(bytes32 peerId, uint32 unitCount) returns()
func (capacity *Capacity) TryPackRegisterPeer(peerId [32]byte, unitCount uint32) ([]byte, error) {
	return capacity.abi.Pack("registerPeer", peerId, unitCount)
}

// PackRewardPerUnitEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7a4f6ef.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rewardPerUnitEpoch() view returns(uint256)
func (capacity *Capacity) PackRewardPerUnitEpoch() []byte {
	enc, err := capacity.abi.Pack("rewardPerUnitEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRewardPerUnitEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7a4f6ef.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rewardPerUnitEpoch() view returns(uint256)
func (capacity *Capacity) TryPackRewardPerUnitEpoch() ([]byte, error) {
	return capacity.abi.Pack("rewardPerUnitEpoch")
}

// UnpackRewardPerUnitEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc7a4f6ef.
//
// Solidity: function rewardPerUnitEpoch() view returns(uint256)
func (capacity *Capacity) UnpackRewardPerUnitEpoch(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("rewardPerUnitEpoch", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRewardPool is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x66666aa9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rewardPool() view returns(uint256)
func (capacity *Capacity) PackRewardPool() []byte {
	enc, err := capacity.abi.Pack("rewardPool")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRewardPool is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x66666aa9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rewardPool() view returns(uint256)
func (capacity *Capacity) TryPackRewardPool() ([]byte, error) {
	return capacity.abi.Pack("rewardPool")
}

// UnpackRewardPool is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x66666aa9.
//
// Solidity: function rewardPool() view returns(uint256)
func (capacity *Capacity) UnpackRewardPool(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("rewardPool", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRewardsOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x479ba7ae.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rewardsOf(address a) view returns(uint256 earned, uint256 withdrawn, uint256 withdrawable)
func (capacity *Capacity) PackRewardsOf(a common.Address) []byte {
	enc, err := capacity.abi.Pack("rewardsOf", a)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRewardsOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x479ba7ae.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rewardsOf(address a) view returns(uint256 earned, uint256 withdrawn, uint256 withdrawable)
func (capacity *Capacity) TryPackRewardsOf(a common.Address) ([]byte, error) {
	return capacity.abi.Pack("rewardsOf", a)
}

// RewardsOfOutput serves as a container for the return parameters of contract
// method RewardsOf.
type RewardsOfOutput struct {
	Earned       *big.Int
	Withdrawn    *big.Int
	Withdrawable *big.Int
}

// UnpackRewardsOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x479ba7ae.
//
// Solidity: function rewardsOf(address a) view returns(uint256 earned, uint256 withdrawn, uint256 withdrawable)
func (capacity *Capacity) UnpackRewardsOf(data []byte) (RewardsOfOutput, error) {
	out, err := capacity.abi.Unpack("rewardsOf", data)
	outstruct := new(RewardsOfOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Earned = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Withdrawn = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.Withdrawable = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackScheduleTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1012b7d9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function scheduleTarget(uint256 newTarget) returns()
func (capacity *Capacity) PackScheduleTarget(newTarget *big.Int) []byte {
	enc, err := capacity.abi.Pack("scheduleTarget", newTarget)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackScheduleTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1012b7d9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function scheduleTarget(uint256 newTarget) returns()
func (capacity *Capacity) TryPackScheduleTarget(newTarget *big.Int) ([]byte, error) {
	return capacity.abi.Pack("scheduleTarget", newTarget)
}

// PackSetMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6dcea85f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMarket(address m) returns()
func (capacity *Capacity) PackSetMarket(m common.Address) []byte {
	enc, err := capacity.abi.Pack("setMarket", m)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMarket is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6dcea85f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMarket(address m) returns()
func (capacity *Capacity) TryPackSetMarket(m common.Address) ([]byte, error) {
	return capacity.abi.Pack("setMarket", m)
}

// PackSetProofLimits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2301aa02.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setProofLimits(uint32 minProofs, uint32 maxProofs) returns()
func (capacity *Capacity) PackSetProofLimits(minProofs uint32, maxProofs uint32) []byte {
	enc, err := capacity.abi.Pack("setProofLimits", minProofs, maxProofs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetProofLimits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2301aa02.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setProofLimits(uint32 minProofs, uint32 maxProofs) returns()
func (capacity *Capacity) TryPackSetProofLimits(minProofs uint32, maxProofs uint32) ([]byte, error) {
	return capacity.abi.Pack("setProofLimits", minProofs, maxProofs)
}

// PackSetRewardPerUnitEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x878b86c6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setRewardPerUnitEpoch(uint256 reward) returns()
func (capacity *Capacity) PackSetRewardPerUnitEpoch(reward *big.Int) []byte {
	enc, err := capacity.abi.Pack("setRewardPerUnitEpoch", reward)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetRewardPerUnitEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x878b86c6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setRewardPerUnitEpoch(uint256 reward) returns()
func (capacity *Capacity) TryPackSetRewardPerUnitEpoch(reward *big.Int) ([]byte, error) {
	return capacity.abi.Pack("setRewardPerUnitEpoch", reward)
}

// PackSetUnitDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x124161ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setUnitDeal(bytes32 uid, uint64 dealId) returns()
func (capacity *Capacity) PackSetUnitDeal(uid [32]byte, dealId uint64) []byte {
	enc, err := capacity.abi.Pack("setUnitDeal", uid, dealId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetUnitDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x124161ca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setUnitDeal(bytes32 uid, uint64 dealId) returns()
func (capacity *Capacity) TryPackSetUnitDeal(uid [32]byte, dealId uint64) ([]byte, error) {
	return capacity.abi.Pack("setUnitDeal", uid, dealId)
}

// PackSettleUnits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8e4ac4b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settleUnits(bytes32[] unitIds) returns()
func (capacity *Capacity) PackSettleUnits(unitIds [][32]byte) []byte {
	enc, err := capacity.abi.Pack("settleUnits", unitIds)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettleUnits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8e4ac4b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settleUnits(bytes32[] unitIds) returns()
func (capacity *Capacity) TryPackSettleUnits(unitIds [][32]byte) ([]byte, error) {
	return capacity.abi.Pack("settleUnits", unitIds)
}

// PackSlashingRateBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe2bc5fd5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slashingRateBps() view returns(uint16)
func (capacity *Capacity) PackSlashingRateBps() []byte {
	enc, err := capacity.abi.Pack("slashingRateBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlashingRateBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe2bc5fd5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slashingRateBps() view returns(uint16)
func (capacity *Capacity) TryPackSlashingRateBps() ([]byte, error) {
	return capacity.abi.Pack("slashingRateBps")
}

// UnpackSlashingRateBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe2bc5fd5.
//
// Solidity: function slashingRateBps() view returns(uint16)
func (capacity *Capacity) UnpackSlashingRateBps(data []byte) (uint16, error) {
	out, err := capacity.abi.Unpack("slashingRateBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackSubmitProofs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x96ddecd2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitProofs(uint32 epoch, bytes32[] unitIds, bytes32[] localNonces) returns()
func (capacity *Capacity) PackSubmitProofs(epoch uint32, unitIds [][32]byte, localNonces [][32]byte) []byte {
	enc, err := capacity.abi.Pack("submitProofs", epoch, unitIds, localNonces)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitProofs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x96ddecd2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitProofs(uint32 epoch, bytes32[] unitIds, bytes32[] localNonces) returns()
func (capacity *Capacity) TryPackSubmitProofs(epoch uint32, unitIds [][32]byte, localNonces [][32]byte) ([]byte, error) {
	return capacity.abi.Pack("submitProofs", epoch, unitIds, localNonces)
}

// PackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function target() view returns(uint256)
func (capacity *Capacity) PackTarget() []byte {
	enc, err := capacity.abi.Pack("target")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4b83992.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function target() view returns(uint256)
func (capacity *Capacity) TryPackTarget() ([]byte, error) {
	return capacity.abi.Pack("target")
}

// UnpackTarget is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd4b83992.
//
// Solidity: function target() view returns(uint256)
func (capacity *Capacity) UnpackTarget(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("target", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTargetAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcb710551.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function targetAt(uint32 e) view returns(uint256)
func (capacity *Capacity) PackTargetAt(e uint32) []byte {
	enc, err := capacity.abi.Pack("targetAt", e)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTargetAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcb710551.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function targetAt(uint32 e) view returns(uint256)
func (capacity *Capacity) TryPackTargetAt(e uint32) ([]byte, error) {
	return capacity.abi.Pack("targetAt", e)
}

// UnpackTargetAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcb710551.
//
// Solidity: function targetAt(uint32 e) view returns(uint256)
func (capacity *Capacity) UnpackTargetAt(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("targetAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (capacity *Capacity) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := capacity.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (capacity *Capacity) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return capacity.abi.Pack("transferOwnership", newOwner)
}

// PackUnitId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x45163895.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unitId(bytes32 peerId, uint32 index) pure returns(bytes32)
func (capacity *Capacity) PackUnitId(peerId [32]byte, index uint32) []byte {
	enc, err := capacity.abi.Pack("unitId", peerId, index)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnitId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x45163895.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unitId(bytes32 peerId, uint32 index) pure returns(bytes32)
func (capacity *Capacity) TryPackUnitId(peerId [32]byte, index uint32) ([]byte, error) {
	return capacity.abi.Pack("unitId", peerId, index)
}

// UnpackUnitId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x45163895.
//
// Solidity: function unitId(bytes32 peerId, uint32 index) pure returns(bytes32)
func (capacity *Capacity) UnpackUnitId(data []byte) ([32]byte, error) {
	out, err := capacity.abi.Unpack("unitId", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackUnitOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd06d612.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unitOwner(bytes32 uid) view returns(address owner_, bytes32 peerId)
func (capacity *Capacity) PackUnitOwner(uid [32]byte) []byte {
	enc, err := capacity.abi.Pack("unitOwner", uid)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnitOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd06d612.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unitOwner(bytes32 uid) view returns(address owner_, bytes32 peerId)
func (capacity *Capacity) TryPackUnitOwner(uid [32]byte) ([]byte, error) {
	return capacity.abi.Pack("unitOwner", uid)
}

// UnitOwnerOutput serves as a container for the return parameters of contract
// method UnitOwner.
type UnitOwnerOutput struct {
	Owner  common.Address
	PeerId [32]byte
}

// UnpackUnitOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd06d612.
//
// Solidity: function unitOwner(bytes32 uid) view returns(address owner_, bytes32 peerId)
func (capacity *Capacity) UnpackUnitOwner(data []byte) (UnitOwnerOutput, error) {
	out, err := capacity.abi.Unpack("unitOwner", data)
	outstruct := new(UnitOwnerOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Owner = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.PeerId = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	return *outstruct, nil
}

// PackUnitStates is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0eceb50f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unitStates(bytes32[] ids) view returns((bytes32,uint32,uint32,uint32,uint32,uint64,bytes32)[] out)
func (capacity *Capacity) PackUnitStates(ids [][32]byte) []byte {
	enc, err := capacity.abi.Pack("unitStates", ids)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnitStates is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0eceb50f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unitStates(bytes32[] ids) view returns((bytes32,uint32,uint32,uint32,uint32,uint64,bytes32)[] out)
func (capacity *Capacity) TryPackUnitStates(ids [][32]byte) ([]byte, error) {
	return capacity.abi.Pack("unitStates", ids)
}

// UnpackUnitStates is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0eceb50f.
//
// Solidity: function unitStates(bytes32[] ids) view returns((bytes32,uint32,uint32,uint32,uint32,uint64,bytes32)[] out)
func (capacity *Capacity) UnpackUnitStates(data []byte) ([]CapacityUnitView, error) {
	out, err := capacity.abi.Unpack("unitStates", data)
	if err != nil {
		return *new([]CapacityUnitView), err
	}
	out0 := *abi.ConvertType(out[0], new([]CapacityUnitView)).(*[]CapacityUnitView)
	return out0, nil
}

// PackWithdrawRewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7b8981c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawRewards() returns(uint256 amount)
func (capacity *Capacity) PackWithdrawRewards() []byte {
	enc, err := capacity.abi.Pack("withdrawRewards")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawRewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7b8981c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawRewards() returns(uint256 amount)
func (capacity *Capacity) TryPackWithdrawRewards() ([]byte, error) {
	return capacity.abi.Pack("withdrawRewards")
}

// UnpackWithdrawRewards is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc7b8981c.
//
// Solidity: function withdrawRewards() returns(uint256 amount)
func (capacity *Capacity) UnpackWithdrawRewards(data []byte) (*big.Int, error) {
	out, err := capacity.abi.Unpack("withdrawRewards", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// CapacityCommitmentCreated represents a CommitmentCreated event raised by the Capacity contract.
type CapacityCommitmentCreated struct {
	CommitmentId uint64
	PeerId       [32]byte
	Owner        common.Address
	StartEpoch   uint32
	EndEpoch     uint32
	Collateral   *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const CapacityCommitmentCreatedEventName = "CommitmentCreated"

// ContractEventName returns the user-defined event name.
func (CapacityCommitmentCreated) ContractEventName() string {
	return CapacityCommitmentCreatedEventName
}

// UnpackCommitmentCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CommitmentCreated(uint64 indexed commitmentId, bytes32 indexed peerId, address indexed owner, uint32 startEpoch, uint32 endEpoch, uint256 collateral)
func (capacity *Capacity) UnpackCommitmentCreatedEvent(log *types.Log) (*CapacityCommitmentCreated, error) {
	event := "CommitmentCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityCommitmentCreated)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityCommitmentFailed represents a CommitmentFailed event raised by the Capacity contract.
type CapacityCommitmentFailed struct {
	CommitmentId uint64
	Epoch        uint32
	Raw          *types.Log // Blockchain specific contextual infos
}

const CapacityCommitmentFailedEventName = "CommitmentFailed"

// ContractEventName returns the user-defined event name.
func (CapacityCommitmentFailed) ContractEventName() string {
	return CapacityCommitmentFailedEventName
}

// UnpackCommitmentFailedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CommitmentFailed(uint64 indexed commitmentId, uint32 epoch)
func (capacity *Capacity) UnpackCommitmentFailedEvent(log *types.Log) (*CapacityCommitmentFailed, error) {
	event := "CommitmentFailed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityCommitmentFailed)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityCommitmentFinished represents a CommitmentFinished event raised by the Capacity contract.
type CapacityCommitmentFinished struct {
	CommitmentId       uint64
	CollateralReturned *big.Int
	Raw                *types.Log // Blockchain specific contextual infos
}

const CapacityCommitmentFinishedEventName = "CommitmentFinished"

// ContractEventName returns the user-defined event name.
func (CapacityCommitmentFinished) ContractEventName() string {
	return CapacityCommitmentFinishedEventName
}

// UnpackCommitmentFinishedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CommitmentFinished(uint64 indexed commitmentId, uint256 collateralReturned)
func (capacity *Capacity) UnpackCommitmentFinishedEvent(log *types.Log) (*CapacityCommitmentFinished, error) {
	event := "CommitmentFinished"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityCommitmentFinished)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityEpochAdvanced represents a EpochAdvanced event raised by the Capacity contract.
type CapacityEpochAdvanced struct {
	Epoch       uint32
	GlobalNonce [32]byte
	Target      *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const CapacityEpochAdvancedEventName = "EpochAdvanced"

// ContractEventName returns the user-defined event name.
func (CapacityEpochAdvanced) ContractEventName() string {
	return CapacityEpochAdvancedEventName
}

// UnpackEpochAdvancedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EpochAdvanced(uint32 indexed epoch, bytes32 globalNonce, uint256 target)
func (capacity *Capacity) UnpackEpochAdvancedEvent(log *types.Log) (*CapacityEpochAdvanced, error) {
	event := "EpochAdvanced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityEpochAdvanced)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityPeerRegistered represents a PeerRegistered event raised by the Capacity contract.
type CapacityPeerRegistered struct {
	PeerId    [32]byte
	Owner     common.Address
	UnitCount uint32
	Raw       *types.Log // Blockchain specific contextual infos
}

const CapacityPeerRegisteredEventName = "PeerRegistered"

// ContractEventName returns the user-defined event name.
func (CapacityPeerRegistered) ContractEventName() string {
	return CapacityPeerRegisteredEventName
}

// UnpackPeerRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PeerRegistered(bytes32 indexed peerId, address indexed owner, uint32 unitCount)
func (capacity *Capacity) UnpackPeerRegisteredEvent(log *types.Log) (*CapacityPeerRegistered, error) {
	event := "PeerRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityPeerRegistered)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityProofLimitsChanged represents a ProofLimitsChanged event raised by the Capacity contract.
type CapacityProofLimitsChanged struct {
	MinProofsPerEpoch uint32
	MaxProofsPerEpoch uint32
	Raw               *types.Log // Blockchain specific contextual infos
}

const CapacityProofLimitsChangedEventName = "ProofLimitsChanged"

// ContractEventName returns the user-defined event name.
func (CapacityProofLimitsChanged) ContractEventName() string {
	return CapacityProofLimitsChangedEventName
}

// UnpackProofLimitsChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProofLimitsChanged(uint32 minProofsPerEpoch, uint32 maxProofsPerEpoch)
func (capacity *Capacity) UnpackProofLimitsChangedEvent(log *types.Log) (*CapacityProofLimitsChanged, error) {
	event := "ProofLimitsChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityProofLimitsChanged)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityProofSubmitted represents a ProofSubmitted event raised by the Capacity contract.
type CapacityProofSubmitted struct {
	CommitmentId uint64
	UnitId       [32]byte
	Epoch        uint32
	LocalNonce   [32]byte
	Count        uint32
	Raw          *types.Log // Blockchain specific contextual infos
}

const CapacityProofSubmittedEventName = "ProofSubmitted"

// ContractEventName returns the user-defined event name.
func (CapacityProofSubmitted) ContractEventName() string {
	return CapacityProofSubmittedEventName
}

// UnpackProofSubmittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProofSubmitted(uint64 indexed commitmentId, bytes32 indexed unitId, uint32 indexed epoch, bytes32 localNonce, uint32 count)
func (capacity *Capacity) UnpackProofSubmittedEvent(log *types.Log) (*CapacityProofSubmitted, error) {
	event := "ProofSubmitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityProofSubmitted)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityRewardsFunded represents a RewardsFunded event raised by the Capacity contract.
type CapacityRewardsFunded struct {
	From   common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const CapacityRewardsFundedEventName = "RewardsFunded"

// ContractEventName returns the user-defined event name.
func (CapacityRewardsFunded) ContractEventName() string {
	return CapacityRewardsFundedEventName
}

// UnpackRewardsFundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RewardsFunded(address indexed from, uint256 amount)
func (capacity *Capacity) UnpackRewardsFundedEvent(log *types.Log) (*CapacityRewardsFunded, error) {
	event := "RewardsFunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityRewardsFunded)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityRewardsWithdrawn represents a RewardsWithdrawn event raised by the Capacity contract.
type CapacityRewardsWithdrawn struct {
	Owner  common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const CapacityRewardsWithdrawnEventName = "RewardsWithdrawn"

// ContractEventName returns the user-defined event name.
func (CapacityRewardsWithdrawn) ContractEventName() string {
	return CapacityRewardsWithdrawnEventName
}

// UnpackRewardsWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RewardsWithdrawn(address indexed owner, uint256 amount)
func (capacity *Capacity) UnpackRewardsWithdrawnEvent(log *types.Log) (*CapacityRewardsWithdrawn, error) {
	event := "RewardsWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityRewardsWithdrawn)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityTargetScheduled represents a TargetScheduled event raised by the Capacity contract.
type CapacityTargetScheduled struct {
	Target    *big.Int
	FromEpoch uint32
	Raw       *types.Log // Blockchain specific contextual infos
}

const CapacityTargetScheduledEventName = "TargetScheduled"

// ContractEventName returns the user-defined event name.
func (CapacityTargetScheduled) ContractEventName() string {
	return CapacityTargetScheduledEventName
}

// UnpackTargetScheduledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TargetScheduled(uint256 target, uint32 fromEpoch)
func (capacity *Capacity) UnpackTargetScheduledEvent(log *types.Log) (*CapacityTargetScheduled, error) {
	event := "TargetScheduled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityTargetScheduled)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityUnitDealChanged represents a UnitDealChanged event raised by the Capacity contract.
type CapacityUnitDealChanged struct {
	UnitId [32]byte
	DealId uint64
	Raw    *types.Log // Blockchain specific contextual infos
}

const CapacityUnitDealChangedEventName = "UnitDealChanged"

// ContractEventName returns the user-defined event name.
func (CapacityUnitDealChanged) ContractEventName() string {
	return CapacityUnitDealChangedEventName
}

// UnpackUnitDealChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnitDealChanged(bytes32 indexed unitId, uint64 dealId)
func (capacity *Capacity) UnpackUnitDealChangedEvent(log *types.Log) (*CapacityUnitDealChanged, error) {
	event := "UnitDealChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityUnitDealChanged)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityUnitSlashed represents a UnitSlashed event raised by the Capacity contract.
type CapacityUnitSlashed struct {
	CommitmentId uint64
	UnitId       [32]byte
	MissedEpochs uint32
	Amount       *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const CapacityUnitSlashedEventName = "UnitSlashed"

// ContractEventName returns the user-defined event name.
func (CapacityUnitSlashed) ContractEventName() string {
	return CapacityUnitSlashedEventName
}

// UnpackUnitSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnitSlashed(uint64 indexed commitmentId, bytes32 indexed unitId, uint32 missedEpochs, uint256 amount)
func (capacity *Capacity) UnpackUnitSlashedEvent(log *types.Log) (*CapacityUnitSlashed, error) {
	event := "UnitSlashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityUnitSlashed)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// CapacityUnitSucceeded represents a UnitSucceeded event raised by the Capacity contract.
type CapacityUnitSucceeded struct {
	CommitmentId uint64
	UnitId       [32]byte
	Epoch        uint32
	Reward       *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const CapacityUnitSucceededEventName = "UnitSucceeded"

// ContractEventName returns the user-defined event name.
func (CapacityUnitSucceeded) ContractEventName() string {
	return CapacityUnitSucceededEventName
}

// UnpackUnitSucceededEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnitSucceeded(uint64 indexed commitmentId, bytes32 indexed unitId, uint32 indexed epoch, uint256 reward)
func (capacity *Capacity) UnpackUnitSucceededEvent(log *types.Log) (*CapacityUnitSucceeded, error) {
	event := "UnitSucceeded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != capacity.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CapacityUnitSucceeded)
	if len(log.Data) > 0 {
		if err := capacity.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range capacity.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (capacity *Capacity) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], capacity.abi.Errors["BadBatch"].ID.Bytes()[:4]) {
		return capacity.UnpackBadBatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["BadParams"].ID.Bytes()[:4]) {
		return capacity.UnpackBadParamsError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["BadUnitCount"].ID.Bytes()[:4]) {
		return capacity.UnpackBadUnitCountError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["CannotFinish"].ID.Bytes()[:4]) {
		return capacity.UnpackCannotFinishError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["CommitmentExists"].ID.Bytes()[:4]) {
		return capacity.UnpackCommitmentExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["CommitmentNotActive"].ID.Bytes()[:4]) {
		return capacity.UnpackCommitmentNotActiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["DurationTooShort"].ID.Bytes()[:4]) {
		return capacity.UnpackDurationTooShortError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["NoCommitment"].ID.Bytes()[:4]) {
		return capacity.UnpackNoCommitmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["NonceNotIncreasing"].ID.Bytes()[:4]) {
		return capacity.UnpackNonceNotIncreasingError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["NotCommitmentOwner"].ID.Bytes()[:4]) {
		return capacity.UnpackNotCommitmentOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["NotPeerOwner"].ID.Bytes()[:4]) {
		return capacity.UnpackNotPeerOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["NotUnitOwner"].ID.Bytes()[:4]) {
		return capacity.UnpackNotUnitOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return capacity.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["OnlyMarket"].ID.Bytes()[:4]) {
		return capacity.UnpackOnlyMarketError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["OnlyOwner"].ID.Bytes()[:4]) {
		return capacity.UnpackOnlyOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["PeerExists"].ID.Bytes()[:4]) {
		return capacity.UnpackPeerExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["ProofAboveTarget"].ID.Bytes()[:4]) {
		return capacity.UnpackProofAboveTargetError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["StaleEpoch"].ID.Bytes()[:4]) {
		return capacity.UnpackStaleEpochError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["TooManyProofs"].ID.Bytes()[:4]) {
		return capacity.UnpackTooManyProofsError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return capacity.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["UnitInDeal"].ID.Bytes()[:4]) {
		return capacity.UnpackUnitInDealError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["UnknownCommitment"].ID.Bytes()[:4]) {
		return capacity.UnpackUnknownCommitmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["UnknownPeer"].ID.Bytes()[:4]) {
		return capacity.UnpackUnknownPeerError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["UnknownUnit"].ID.Bytes()[:4]) {
		return capacity.UnpackUnknownUnitError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["WrongCollateral"].ID.Bytes()[:4]) {
		return capacity.UnpackWrongCollateralError(raw[4:])
	}
	if bytes.Equal(raw[:4], capacity.abi.Errors["ZeroPeerId"].ID.Bytes()[:4]) {
		return capacity.UnpackZeroPeerIdError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// CapacityBadBatch represents a BadBatch error raised by the Capacity contract.
type CapacityBadBatch struct {
	UnitIds     *big.Int
	LocalNonces *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadBatch(uint256 unitIds, uint256 localNonces)
func CapacityBadBatchErrorID() common.Hash {
	return common.HexToHash("0x397d4cde4acc032b3f8cee07890fb2fc6cb842e595108a952fb637b755224b8d")
}

// UnpackBadBatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadBatch(uint256 unitIds, uint256 localNonces)
func (capacity *Capacity) UnpackBadBatchError(raw []byte) (*CapacityBadBatch, error) {
	out := new(CapacityBadBatch)
	if err := capacity.abi.UnpackIntoInterface(out, "BadBatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityBadParams represents a BadParams error raised by the Capacity contract.
type CapacityBadParams struct {
	What string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadParams(string what)
func CapacityBadParamsErrorID() common.Hash {
	return common.HexToHash("0x87a33b27684f297cea1e18e1d41fcf399c8e0dbc38274d5e02b504924765634d")
}

// UnpackBadParamsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadParams(string what)
func (capacity *Capacity) UnpackBadParamsError(raw []byte) (*CapacityBadParams, error) {
	out := new(CapacityBadParams)
	if err := capacity.abi.UnpackIntoInterface(out, "BadParams", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityBadUnitCount represents a BadUnitCount error raised by the Capacity contract.
type CapacityBadUnitCount struct {
	UnitCount uint32
	Max       uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadUnitCount(uint32 unitCount, uint32 max)
func CapacityBadUnitCountErrorID() common.Hash {
	return common.HexToHash("0xde73fbfba87474ba0ed31ae05ea32652a264d4ee37513dc85b41cb344c3a512c")
}

// UnpackBadUnitCountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadUnitCount(uint32 unitCount, uint32 max)
func (capacity *Capacity) UnpackBadUnitCountError(raw []byte) (*CapacityBadUnitCount, error) {
	out := new(CapacityBadUnitCount)
	if err := capacity.abi.UnpackIntoInterface(out, "BadUnitCount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityCannotFinish represents a CannotFinish error raised by the Capacity contract.
type CapacityCannotFinish struct {
	CommitmentId uint64
	Status       uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error CannotFinish(uint64 commitmentId, uint8 status)
func CapacityCannotFinishErrorID() common.Hash {
	return common.HexToHash("0x703e4ee0f1f619d151718b9acd3a8f6e36d0bdec6562446c566755e3d0737521")
}

// UnpackCannotFinishError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error CannotFinish(uint64 commitmentId, uint8 status)
func (capacity *Capacity) UnpackCannotFinishError(raw []byte) (*CapacityCannotFinish, error) {
	out := new(CapacityCannotFinish)
	if err := capacity.abi.UnpackIntoInterface(out, "CannotFinish", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityCommitmentExists represents a CommitmentExists error raised by the Capacity contract.
type CapacityCommitmentExists struct {
	PeerId       [32]byte
	CommitmentId uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error CommitmentExists(bytes32 peerId, uint64 commitmentId)
func CapacityCommitmentExistsErrorID() common.Hash {
	return common.HexToHash("0x90217c6b9429f5e681c43bfe1785f1548cb792b8400d496534150ae2691939d2")
}

// UnpackCommitmentExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error CommitmentExists(bytes32 peerId, uint64 commitmentId)
func (capacity *Capacity) UnpackCommitmentExistsError(raw []byte) (*CapacityCommitmentExists, error) {
	out := new(CapacityCommitmentExists)
	if err := capacity.abi.UnpackIntoInterface(out, "CommitmentExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityCommitmentNotActive represents a CommitmentNotActive error raised by the Capacity contract.
type CapacityCommitmentNotActive struct {
	CommitmentId uint64
	Status       uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error CommitmentNotActive(uint64 commitmentId, uint8 status)
func CapacityCommitmentNotActiveErrorID() common.Hash {
	return common.HexToHash("0x66d0953d6cc5e3c3a5408b490944fbeddafd3a63b7e366f1cae44b64c81f7f92")
}

// UnpackCommitmentNotActiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error CommitmentNotActive(uint64 commitmentId, uint8 status)
func (capacity *Capacity) UnpackCommitmentNotActiveError(raw []byte) (*CapacityCommitmentNotActive, error) {
	out := new(CapacityCommitmentNotActive)
	if err := capacity.abi.UnpackIntoInterface(out, "CommitmentNotActive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityDurationTooShort represents a DurationTooShort error raised by the Capacity contract.
type CapacityDurationTooShort struct {
	Duration    uint32
	MinDuration uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DurationTooShort(uint32 duration, uint32 minDuration)
func CapacityDurationTooShortErrorID() common.Hash {
	return common.HexToHash("0xc9b2f30c517f4c5e5244604b27ae106b78ee0018518113c95194faa5832babe6")
}

// UnpackDurationTooShortError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DurationTooShort(uint32 duration, uint32 minDuration)
func (capacity *Capacity) UnpackDurationTooShortError(raw []byte) (*CapacityDurationTooShort, error) {
	out := new(CapacityDurationTooShort)
	if err := capacity.abi.UnpackIntoInterface(out, "DurationTooShort", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityNoCommitment represents a NoCommitment error raised by the Capacity contract.
type CapacityNoCommitment struct {
	PeerId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoCommitment(bytes32 peerId)
func CapacityNoCommitmentErrorID() common.Hash {
	return common.HexToHash("0x0b1232c4cd27b2ccba76399b78aaf72886a38b122e00a94950cc216d3a93409f")
}

// UnpackNoCommitmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoCommitment(bytes32 peerId)
func (capacity *Capacity) UnpackNoCommitmentError(raw []byte) (*CapacityNoCommitment, error) {
	out := new(CapacityNoCommitment)
	if err := capacity.abi.UnpackIntoInterface(out, "NoCommitment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityNonceNotIncreasing represents a NonceNotIncreasing error raised by the Capacity contract.
type CapacityNonceNotIncreasing struct {
	UnitId     [32]byte
	LocalNonce [32]byte
	LastNonce  [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NonceNotIncreasing(bytes32 unitId, bytes32 localNonce, bytes32 lastNonce)
func CapacityNonceNotIncreasingErrorID() common.Hash {
	return common.HexToHash("0x27dbaf9d02d1328dce288f3713deaa8956a95269a1e505698cf297885c859809")
}

// UnpackNonceNotIncreasingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NonceNotIncreasing(bytes32 unitId, bytes32 localNonce, bytes32 lastNonce)
func (capacity *Capacity) UnpackNonceNotIncreasingError(raw []byte) (*CapacityNonceNotIncreasing, error) {
	out := new(CapacityNonceNotIncreasing)
	if err := capacity.abi.UnpackIntoInterface(out, "NonceNotIncreasing", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityNotCommitmentOwner represents a NotCommitmentOwner error raised by the Capacity contract.
type CapacityNotCommitmentOwner struct {
	CommitmentId uint64
	Sender       common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotCommitmentOwner(uint64 commitmentId, address sender)
func CapacityNotCommitmentOwnerErrorID() common.Hash {
	return common.HexToHash("0xdab093944299bb386094c27bb0b96acf46f7a1e9db92db0e90d0645bdc3ced1c")
}

// UnpackNotCommitmentOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotCommitmentOwner(uint64 commitmentId, address sender)
func (capacity *Capacity) UnpackNotCommitmentOwnerError(raw []byte) (*CapacityNotCommitmentOwner, error) {
	out := new(CapacityNotCommitmentOwner)
	if err := capacity.abi.UnpackIntoInterface(out, "NotCommitmentOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityNotPeerOwner represents a NotPeerOwner error raised by the Capacity contract.
type CapacityNotPeerOwner struct {
	PeerId [32]byte
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPeerOwner(bytes32 peerId, address sender)
func CapacityNotPeerOwnerErrorID() common.Hash {
	return common.HexToHash("0xf3f241cdcab0585a2796ed7e2899aa86608ec818210ba2438ea420de817fe46f")
}

// UnpackNotPeerOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPeerOwner(bytes32 peerId, address sender)
func (capacity *Capacity) UnpackNotPeerOwnerError(raw []byte) (*CapacityNotPeerOwner, error) {
	out := new(CapacityNotPeerOwner)
	if err := capacity.abi.UnpackIntoInterface(out, "NotPeerOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityNotUnitOwner represents a NotUnitOwner error raised by the Capacity contract.
type CapacityNotUnitOwner struct {
	UnitId [32]byte
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotUnitOwner(bytes32 unitId, address sender)
func CapacityNotUnitOwnerErrorID() common.Hash {
	return common.HexToHash("0x7776f2228500df258ae9faaf9920f91838667f3d90f3dcf21c52f0ced05f6af3")
}

// UnpackNotUnitOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotUnitOwner(bytes32 unitId, address sender)
func (capacity *Capacity) UnpackNotUnitOwnerError(raw []byte) (*CapacityNotUnitOwner, error) {
	out := new(CapacityNotUnitOwner)
	if err := capacity.abi.UnpackIntoInterface(out, "NotUnitOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityNothingToWithdraw represents a NothingToWithdraw error raised by the Capacity contract.
type CapacityNothingToWithdraw struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw()
func CapacityNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xd0d04f60bf4f7629141a1f00f5d2908fa0f3e15bf4cbf8bb8edc6fcbdf2509fa")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw()
func (capacity *Capacity) UnpackNothingToWithdrawError(raw []byte) (*CapacityNothingToWithdraw, error) {
	out := new(CapacityNothingToWithdraw)
	if err := capacity.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityOnlyMarket represents a OnlyMarket error raised by the Capacity contract.
type CapacityOnlyMarket struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OnlyMarket()
func CapacityOnlyMarketErrorID() common.Hash {
	return common.HexToHash("0x9e0125a9c93315c44469cd632f45551af904b8ed6ab9cec4c58dbe36159c186a")
}

// UnpackOnlyMarketError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OnlyMarket()
func (capacity *Capacity) UnpackOnlyMarketError(raw []byte) (*CapacityOnlyMarket, error) {
	out := new(CapacityOnlyMarket)
	if err := capacity.abi.UnpackIntoInterface(out, "OnlyMarket", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityOnlyOwner represents a OnlyOwner error raised by the Capacity contract.
type CapacityOnlyOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OnlyOwner()
func CapacityOnlyOwnerErrorID() common.Hash {
	return common.HexToHash("0x5fc483c5fcd3811670a93392f365a32f0fc9e73013bbed53888646cfd592055f")
}

// UnpackOnlyOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OnlyOwner()
func (capacity *Capacity) UnpackOnlyOwnerError(raw []byte) (*CapacityOnlyOwner, error) {
	out := new(CapacityOnlyOwner)
	if err := capacity.abi.UnpackIntoInterface(out, "OnlyOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityPeerExists represents a PeerExists error raised by the Capacity contract.
type CapacityPeerExists struct {
	PeerId [32]byte
	Owner  common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PeerExists(bytes32 peerId, address owner)
func CapacityPeerExistsErrorID() common.Hash {
	return common.HexToHash("0xf862d7609be846cd7d442d17fca6ac52bb0859892922df9c53e4faa3bdb2507e")
}

// UnpackPeerExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PeerExists(bytes32 peerId, address owner)
func (capacity *Capacity) UnpackPeerExistsError(raw []byte) (*CapacityPeerExists, error) {
	out := new(CapacityPeerExists)
	if err := capacity.abi.UnpackIntoInterface(out, "PeerExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityProofAboveTarget represents a ProofAboveTarget error raised by the Capacity contract.
type CapacityProofAboveTarget struct {
	UnitId [32]byte
	Hash   [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProofAboveTarget(bytes32 unitId, bytes32 hash)
func CapacityProofAboveTargetErrorID() common.Hash {
	return common.HexToHash("0x9b95c77d6b91cd7ce6b5369d7aa75378e6ccb5c6e34272db44c8b7d478829bae")
}

// UnpackProofAboveTargetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProofAboveTarget(bytes32 unitId, bytes32 hash)
func (capacity *Capacity) UnpackProofAboveTargetError(raw []byte) (*CapacityProofAboveTarget, error) {
	out := new(CapacityProofAboveTarget)
	if err := capacity.abi.UnpackIntoInterface(out, "ProofAboveTarget", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityStaleEpoch represents a StaleEpoch error raised by the Capacity contract.
type CapacityStaleEpoch struct {
	Epoch        uint32
	CurrentEpoch uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleEpoch(uint32 epoch, uint32 currentEpoch)
func CapacityStaleEpochErrorID() common.Hash {
	return common.HexToHash("0x1b11f1ff9613c6d4baf48bad47ad543e3c0fbafe1f5b2451ab73081b6c37742f")
}

// UnpackStaleEpochError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleEpoch(uint32 epoch, uint32 currentEpoch)
func (capacity *Capacity) UnpackStaleEpochError(raw []byte) (*CapacityStaleEpoch, error) {
	out := new(CapacityStaleEpoch)
	if err := capacity.abi.UnpackIntoInterface(out, "StaleEpoch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityTooManyProofs represents a TooManyProofs error raised by the Capacity contract.
type CapacityTooManyProofs struct {
	UnitId            [32]byte
	Epoch             uint32
	MaxProofsPerEpoch uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyProofs(bytes32 unitId, uint32 epoch, uint32 maxProofsPerEpoch)
func CapacityTooManyProofsErrorID() common.Hash {
	return common.HexToHash("0xf08c0047fea855f1678841259c8347b8f3df9027e86615d1abce4852779f41a6")
}

// UnpackTooManyProofsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyProofs(bytes32 unitId, uint32 epoch, uint32 maxProofsPerEpoch)
func (capacity *Capacity) UnpackTooManyProofsError(raw []byte) (*CapacityTooManyProofs, error) {
	out := new(CapacityTooManyProofs)
	if err := capacity.abi.UnpackIntoInterface(out, "TooManyProofs", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityTransferFailed represents a TransferFailed error raised by the Capacity contract.
type CapacityTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func CapacityTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (capacity *Capacity) UnpackTransferFailedError(raw []byte) (*CapacityTransferFailed, error) {
	out := new(CapacityTransferFailed)
	if err := capacity.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityUnitInDeal represents a UnitInDeal error raised by the Capacity contract.
type CapacityUnitInDeal struct {
	UnitId [32]byte
	DealId uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnitInDeal(bytes32 unitId, uint64 dealId)
func CapacityUnitInDealErrorID() common.Hash {
	return common.HexToHash("0x819c5e7ba83d70364e15f00e606bfcb9ebdd5b2f16e3a6aaa15e4e7fe705ae94")
}

// UnpackUnitInDealError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnitInDeal(bytes32 unitId, uint64 dealId)
func (capacity *Capacity) UnpackUnitInDealError(raw []byte) (*CapacityUnitInDeal, error) {
	out := new(CapacityUnitInDeal)
	if err := capacity.abi.UnpackIntoInterface(out, "UnitInDeal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityUnknownCommitment represents a UnknownCommitment error raised by the Capacity contract.
type CapacityUnknownCommitment struct {
	CommitmentId uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownCommitment(uint64 commitmentId)
func CapacityUnknownCommitmentErrorID() common.Hash {
	return common.HexToHash("0x35d1b835d902a89c58206f082defa3aea72459a23ccca8ea281ea7a2b0e8821c")
}

// UnpackUnknownCommitmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownCommitment(uint64 commitmentId)
func (capacity *Capacity) UnpackUnknownCommitmentError(raw []byte) (*CapacityUnknownCommitment, error) {
	out := new(CapacityUnknownCommitment)
	if err := capacity.abi.UnpackIntoInterface(out, "UnknownCommitment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityUnknownPeer represents a UnknownPeer error raised by the Capacity contract.
type CapacityUnknownPeer struct {
	PeerId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownPeer(bytes32 peerId)
func CapacityUnknownPeerErrorID() common.Hash {
	return common.HexToHash("0x76350714dcc4de6beca60e2d1eb08155795517ebd73fbcbd162020ba9de476b8")
}

// UnpackUnknownPeerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownPeer(bytes32 peerId)
func (capacity *Capacity) UnpackUnknownPeerError(raw []byte) (*CapacityUnknownPeer, error) {
	out := new(CapacityUnknownPeer)
	if err := capacity.abi.UnpackIntoInterface(out, "UnknownPeer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityUnknownUnit represents a UnknownUnit error raised by the Capacity contract.
type CapacityUnknownUnit struct {
	UnitId [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownUnit(bytes32 unitId)
func CapacityUnknownUnitErrorID() common.Hash {
	return common.HexToHash("0x015bc39fc36b0cacdb08ef09030df50a4c41707592ecad13018658e09b38ddc1")
}

// UnpackUnknownUnitError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownUnit(bytes32 unitId)
func (capacity *Capacity) UnpackUnknownUnitError(raw []byte) (*CapacityUnknownUnit, error) {
	out := new(CapacityUnknownUnit)
	if err := capacity.abi.UnpackIntoInterface(out, "UnknownUnit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityWrongCollateral represents a WrongCollateral error raised by the Capacity contract.
type CapacityWrongCollateral struct {
	Sent     *big.Int
	Required *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongCollateral(uint256 sent, uint256 required)
func CapacityWrongCollateralErrorID() common.Hash {
	return common.HexToHash("0x990e55c9ca355e63396aa4557bc4359b0b0b1f7a932401385013bc771d7d8811")
}

// UnpackWrongCollateralError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongCollateral(uint256 sent, uint256 required)
func (capacity *Capacity) UnpackWrongCollateralError(raw []byte) (*CapacityWrongCollateral, error) {
	out := new(CapacityWrongCollateral)
	if err := capacity.abi.UnpackIntoInterface(out, "WrongCollateral", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CapacityZeroPeerId represents a ZeroPeerId error raised by the Capacity contract.
type CapacityZeroPeerId struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroPeerId()
func CapacityZeroPeerIdErrorID() common.Hash {
	return common.HexToHash("0x781cf80fed6a8d17c21154e9688b258e11b041ba5634d4947cb7a9925c521b80")
}

// UnpackZeroPeerIdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroPeerId()
func (capacity *Capacity) UnpackZeroPeerIdError(raw []byte) (*CapacityZeroPeerId, error) {
	out := new(CapacityZeroPeerId)
	if err := capacity.abi.UnpackIntoInterface(out, "ZeroPeerId", raw); err != nil {
		return nil, err
	}
	return out, nil
}
