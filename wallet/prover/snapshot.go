package prover

import (
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/wallet/chain"
)

// Phases of a Provider.
const (
	PhaseWaitingChain   = "waiting for chain"
	PhaseRegistering    = "registering"
	PhaseCommitting     = "committing"
	PhaseWaitingStart   = "waiting to start"
	PhaseProving        = "proving"
	PhaseInDeal         = "all units in deals"
	PhaseRenewing       = "renewing"
	PhaseEnded          = "commitment ended"
	PhaseStopped        = "stopped"
	PhaseWaitingFunds   = "waiting for funds"
	PhaseNoContracts    = "no contracts"
	PhaseForeignPeer    = "peer owned by another account"
	PhaseWaitingEpoch   = "waiting for epoch"
	PhaseWaitingFailure = "commitment failed"
)

// Unit statuses in UnitSnapshot.
const (
	UnitProving    = "proving"
	UnitMinReached = "min reached"
	UnitMaxReached = "max reached"
	UnitInDeal     = "in deal"
	UnitWaiting    = "waiting to start"
	UnitFailed     = "failed"
	UnitIdle       = "idle"
)

// Proof statuses in ProofRecord.
const (
	ProofFound     = "found"
	ProofSubmitted = "submitted"
	ProofConfirmed = "confirmed"
	ProofDropped   = "dropped"
	ProofRejected  = "rejected"
)

// CapacitySnapshot is everything the capacity pane shows. It is a copy: safe to keep and read.
type CapacitySnapshot struct {
	At        time.Time      `json:"at"`
	Chain     chain.State    `json:"chain"`
	HeadAge   time.Duration  `json:"head_age"` // how old the head block is, by its timestamp
	Address   common.Address `json:"address"`
	PeerKey   common.Hash    `json:"peer_key"` // the peer's id on chain
	Phase     string         `json:"phase"`
	LastError string         `json:"last_error,omitempty"`
	ErrorAt   time.Time      `json:"error_at,omitzero"`

	Epoch         uint32        `json:"epoch"`
	EpochDuration time.Duration `json:"epoch_duration"`
	EpochStart    time.Time     `json:"epoch_start"` // chain time
	EpochEnd      time.Time     `json:"epoch_end"`
	EpochEndsIn   time.Duration `json:"epoch_ends_in"`
	EpochProgress float64       `json:"epoch_progress"` // 0..1

	GlobalNonce    common.Hash `json:"global_nonce"`
	NonceEpoch     uint32      `json:"nonce_epoch"`
	NonceStale     bool        `json:"nonce_stale"` // the epoch changed and the nonce has not rotated yet
	Target         string      `json:"target"`      // 0x… hex
	TargetBits     float64     `json:"target_bits"` // difficulty as leading zero bits
	ExpectedHashes float64     `json:"expected_hashes"`
	MinProofs      uint32      `json:"min_proofs"`
	MaxProofs      uint32      `json:"max_proofs"`

	HashRate          float64        `json:"hash_rate"`         // H/s, averaged over the last 10 s
	HashRateSamples   []float64      `json:"hash_rate_samples"` // H/s per second, last 60 s, oldest first
	TotalHashes       uint64         `json:"total_hashes"`
	ExpectedProofTime time.Duration  `json:"expected_proof_time"` // per proof, all workers together
	Threads           int            `json:"threads"`
	Workers           int            `json:"workers"`       // hashing goroutines
	BusyWorkers       int            `json:"busy_workers"`  // working on a unit right now
	UnitsProving      int            `json:"units_proving"` // units still below the maximum
	Units             []UnitSnapshot `json:"units"`

	ProofsFound     uint64        `json:"proofs_found"` // since start
	ProofsSubmitted uint64        `json:"proofs_submitted"`
	ProofsConfirmed uint64        `json:"proofs_confirmed"`
	ProofsDropped   uint64        `json:"proofs_dropped"`
	RecentProofs    []ProofRecord `json:"recent_proofs"` // newest first

	Commitment CommitmentSnapshot `json:"commitment"`
	Network    NetworkSnapshot    `json:"network"`
}

// UnitSnapshot is one compute unit in the capacity pane.
type UnitSnapshot struct {
	Index         int         `json:"index"`
	ID            common.Hash `json:"id"`
	Found         uint32      `json:"found"` // this epoch
	Submitted     uint32      `json:"submitted"`
	Confirmed     uint32      `json:"confirmed"` // on chain this epoch
	HashRate      float64     `json:"hash_rate"`
	Status        string      `json:"status"`
	AtRisk        bool        `json:"at_risk"` // unlikely to reach the minimum before the epoch ends
	SuccessEpochs uint32      `json:"success_epochs"`
	MissedEpochs  uint32      `json:"missed_epochs"`
	DealID        uint64      `json:"deal_id,omitempty"`
}

// ProofRecord is one proof in the recent-proofs list.
type ProofRecord struct {
	At         time.Time   `json:"at"`
	Epoch      uint32      `json:"epoch"`
	Unit       int         `json:"unit"`
	UnitID     common.Hash `json:"unit_id"`
	LocalNonce common.Hash `json:"local_nonce"`
	Hash       common.Hash `json:"hash"`
	Tx         common.Hash `json:"tx,omitzero"`
	Status     string      `json:"status"`
	Reason     string      `json:"reason,omitempty"` // why it was dropped or rejected
}

// CommitmentSnapshot is the peer's capacity commitment.
type CommitmentSnapshot struct {
	ID            uint64   `json:"id"`
	Status        string   `json:"status"`
	StatusCode    uint8    `json:"status_code"`
	StartEpoch    uint32   `json:"start_epoch"`
	EndEpoch      uint32   `json:"end_epoch"`
	SuccessEpochs uint32   `json:"success_epochs"` // unit-epochs that reached the minimum
	FailCount     uint32   `json:"fail_count"`     // missed unit-epochs
	FailLimit     uint32   `json:"fail_limit"`
	Collateral    *big.Int `json:"collateral"` // remaining, wei
	Slashed       *big.Int `json:"slashed"`
	Rewards       *big.Int `json:"rewards"` // earned by this commitment
}

// NetworkSnapshot is what every provider on the chain did, from the contract's events.
type NetworkSnapshot struct {
	Epoch           uint32         `json:"epoch"`
	ProofsThisEpoch int            `json:"proofs_this_epoch"`
	UnitsThisEpoch  int            `json:"units_this_epoch"`
	Recent          []NetworkProof `json:"recent"` // newest first
}

// NetworkProof is one ProofSubmitted event.
type NetworkProof struct {
	Block        uint64      `json:"block"`
	Tx           common.Hash `json:"tx"`
	Epoch        uint32      `json:"epoch"`
	CommitmentID uint64      `json:"commitment_id"`
	UnitID       common.Hash `json:"unit_id"`
	Count        uint32      `json:"count"`
	Mine         bool        `json:"mine"`
}

// WalletSnapshot is everything the balances pane shows.
type WalletSnapshot struct {
	At      time.Time      `json:"at"`
	Address common.Address `json:"address"`

	Native      *big.Int `json:"native"`       // wei
	NativeDelta *big.Int `json:"native_delta"` // since the provider started
	Token       *big.Int `json:"token"`        // TestUSD base units (6 decimals)
	TokenDelta  *big.Int `json:"token_delta"`

	RewardPerUnitEpoch  *big.Int `json:"reward_per_unit_epoch"`
	RewardsEarned       *big.Int `json:"rewards_earned"` // all time, this account
	RewardsWithdrawn    *big.Int `json:"rewards_withdrawn"`
	RewardsWithdrawable *big.Int `json:"rewards_withdrawable"`
	RewardsThisEpoch    *big.Int `json:"rewards_this_epoch"` // credited by our proofs this epoch

	CollateralLocked  *big.Int `json:"collateral_locked"`
	CollateralSlashed *big.Int `json:"collateral_slashed"`

	Deals []DealSnapshot `json:"deals"`

	GasSpent      *big.Int   `json:"gas_spent"` // wei, all transactions since start
	GasSpentEpoch *big.Int   `json:"gas_spent_epoch"`
	GasUsed       uint64     `json:"gas_used"`
	TxCount       int        `json:"tx_count"`
	RecentTxs     []TxRecord `json:"recent_txs"` // newest first
}

// DealSnapshot is a deal some of our units are in.
type DealSnapshot struct {
	ID            uint64   `json:"id"`
	Status        string   `json:"status"`
	Price         *big.Int `json:"price"` // per worker-epoch, token base units
	OurUnits      int      `json:"our_units"`
	Workers       uint32   `json:"workers"`
	PaidThrough   uint32   `json:"paid_through"`
	FundedThrough uint32   `json:"funded_through"`
	Balance       *big.Int `json:"balance"` // the customer's deposit left
	Earned        *big.Int `json:"earned"`  // our withdrawable earnings
}

// TxRecord is one of our transactions.
type TxRecord struct {
	Hash    common.Hash `json:"hash"`
	Label   string      `json:"label"`
	Status  string      `json:"status"`
	GasUsed uint64      `json:"gas_used"`
	Fee     *big.Int    `json:"fee"`
	Block   uint64      `json:"block"`
	At      time.Time   `json:"at"`
	Err     string      `json:"error,omitempty"`
}

// Status is the provider's part of the node's GET /status: numbers, or decimal strings in wei.
type Status struct {
	Capacity CapacityStatus `json:"capacity"`
	Wallet   WalletStatus   `json:"wallet"`
}

// CapacityStatus is /status's capacity object.
type CapacityStatus struct {
	Chain           string  `json:"chain"` // "embedded" or "rpc"
	ChainURL        string  `json:"chain_url,omitempty"`
	ChainID         uint64  `json:"chain_id"`
	Connected       bool    `json:"connected"`
	Head            uint64  `json:"head"`
	Phase           string  `json:"phase"`
	Commitment      string  `json:"commitment"`
	Epoch           uint32  `json:"epoch"`
	EpochEndsInS    float64 `json:"epoch_ends_in_s"`
	HashRate        float64 `json:"hash_rate"`
	Units           int     `json:"units"`
	ProofsFound     uint64  `json:"proofs_found"`
	ProofsConfirmed uint64  `json:"proofs_confirmed"`
	Rewards         string  `json:"rewards"` // wei earned, all time
	LastError       string  `json:"last_error,omitempty"`
	// Every provider's proofs on the chain (ProofSubmitted events): the latest epoch with proofs,
	// its proofs and proven units, and how many of the recent proofs are other providers'.
	NetworkEpoch        uint32 `json:"network_epoch"`
	NetworkProofs       int    `json:"network_proofs"`
	NetworkUnits        int    `json:"network_units"`
	NetworkOthersRecent int    `json:"network_others_recent"`
}

// WalletStatus is /status's wallet object.
type WalletStatus struct {
	Address      string `json:"address"`
	Balance      string `json:"balance"`       // wei
	TokenBalance string `json:"token_balance"` // TestUSD base units
}
