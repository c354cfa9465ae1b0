// Package wallet is the chain side of Reef: keys, an EVM chain (embedded or remote), our
// contracts, and the capacity prover.
//
// This package holds the keys and amounts:
//
//   - Keystore: a directory of encrypted key files (Web3 Secret Storage v3, the format geth and
//     most wallets read), normally <data-dir>/keystore. Keys are encrypted with scrypt; a wrong
//     password is ErrWrongPassword.
//   - Key: an unlocked secp256k1 key that signs transactions. Its String, Format and LogValue
//     show only the address, so a Key can't leak through fmt or log/slog.
//   - ParseAmount and FormatAmount: decimal strings ("1.5") to and from base units (wei for the
//     native coin, 18 decimals; micro-dollars for TestUSD, 6 decimals).
//
// The sub-packages:
//
//   - wallet/txsend: a nonce manager and transaction sender (gas headroom, receipts, retries,
//     reverts explained with the contract's error).
//   - wallet/contracts: the Solidity sources of Capacity, Market and TestUSD, their compiled
//     artifacts, abigen v2 bindings, default parameters and deployment.
//   - wallet/chain: the chain a node uses, either an embedded go-ethereum dev chain persisted in
//     the data directory or any EVM JSON-RPC endpoint, with connection state for the console.
//   - wallet/prover: the capacity prover (keccak workers, batching submitter, epoch rollover,
//     hash-rate meter) and Provider, which registers a peer, commits its units and proves them,
//     with snapshots for the console panes and /status.
package wallet
