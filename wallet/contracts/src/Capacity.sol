// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @title Capacity: compute units proven by keccak work, epoch by epoch.
/// @notice A peer registers N compute units, commits them for a number of epochs with native-coin
/// collateral, and proves each unit every epoch: a proof for unit u is a local nonce n with
/// keccak256(globalNonce ‖ u ‖ n) ≤ target. A unit that reaches minProofsPerEpoch in an epoch earns
/// rewardPerUnitEpoch; every epoch a committed unit misses is slashed (slashingRateBps of
/// collateralPerUnit) and counted as a failure; maxFailedRatio × units failures fail the
/// commitment. Accounting is lazy: it runs when a unit is touched (a proof, settleUnits, finish,
/// a deal change). The global nonce rotates once per epoch, on the first transaction that needs it
/// (advanceEpoch, or the first proof of the epoch).
contract Capacity {
    // ---------------------------------------------------------------- types

    /// Commitment status. Stored values are Committed, Failed and Finished; views derive WaitStart
    /// (before startEpoch), Active, Inactive (at or after endEpoch) and a pending failure.
    uint8 internal constant STATUS_NONE = 0;
    uint8 internal constant STATUS_WAIT_START = 1;
    uint8 internal constant STATUS_ACTIVE = 2;
    uint8 internal constant STATUS_INACTIVE = 3;
    uint8 internal constant STATUS_FAILED = 4;
    uint8 internal constant STATUS_FINISHED = 5;

    uint32 public constant MAX_UNITS_PER_PEER = 64;

    struct Params {
        uint64 epochDuration; // seconds
        uint32 minProofsPerEpoch;
        uint32 maxProofsPerEpoch;
        uint256 target; // a proof is valid when uint256(hash) <= target
        uint256 collateralPerUnit; // wei
        uint256 rewardPerUnitEpoch; // wei, paid when a unit reaches the minimum in an epoch
        uint16 slashingRateBps; // of collateralPerUnit, per missed unit-epoch
        uint32 maxFailedRatio; // a commitment fails at maxFailedRatio × unitCount missed unit-epochs
        uint32 minDuration; // epochs
    }

    struct Peer {
        address owner;
        uint32 unitCount;
        uint64 commitmentId; // 0: none
    }

    struct Unit {
        bytes32 peerId;
        // one packed word, rewritten by every proof
        uint32 lastEpoch; // epoch of count and lastNonce
        uint32 count; // proofs in lastEpoch
        uint32 accountedEpoch; // epochs before it are settled (success or miss)
        uint32 successEpochs;
        uint32 missedEpochs;
        uint64 dealId; // 0: not in a deal
        bytes32 lastNonce; // local nonces must increase within an epoch
    }

    struct Commitment {
        bytes32 peerId;
        address owner;
        uint32 startEpoch;
        uint32 endEpoch; // exclusive
        uint8 status; // stored: ACTIVE (committed), FAILED or FINISHED
        uint128 collateral; // remaining
        uint128 slashed;
        uint32 failCount;
        uint32 unitCount;
        uint32 failedEpoch;
        uint128 rewards;
    }

    struct CommitmentView {
        bytes32 peerId;
        address owner;
        uint8 status;
        uint32 startEpoch;
        uint32 endEpoch;
        uint32 unitCount;
        uint32 failCount; // including misses not settled yet
        uint32 failLimit;
        uint256 collateral; // remaining after settled slashing
        uint256 slashed;
        uint256 rewards;
    }

    struct UnitView {
        bytes32 peerId;
        uint32 proofsThisEpoch;
        uint32 lastEpoch;
        uint32 successEpochs;
        uint32 missedEpochs; // including misses not settled yet
        uint64 dealId;
        bytes32 lastNonce;
    }

    struct Rewards {
        uint128 earned;
        uint128 withdrawn;
    }

    // ---------------------------------------------------------------- state

    uint256 public immutable epochDuration;
    uint256 public immutable initTimestamp;

    address public owner;
    address public market;

    // the epoch word: read by every proof transaction
    uint32 public nonceEpoch;
    uint32 public minProofsPerEpoch;
    uint32 public maxProofsPerEpoch;
    uint32 public nextTargetEpoch; // 0: no change scheduled
    uint32 public maxFailedRatio;
    uint32 public minDuration;
    uint16 public slashingRateBps;
    uint64 public commitmentCount;

    bytes32 public globalNonce;
    uint256 public target;
    uint256 public nextTarget;
    uint256 public collateralPerUnit;
    uint256 public rewardPerUnitEpoch;
    uint256 public rewardPool;

    mapping(bytes32 => Peer) internal peers;
    mapping(bytes32 => Unit) internal units;
    mapping(uint64 => Commitment) internal commitments;
    mapping(address => Rewards) internal rewards;

    // ---------------------------------------------------------------- events

    event PeerRegistered(bytes32 indexed peerId, address indexed owner, uint32 unitCount);
    event CommitmentCreated(
        uint64 indexed commitmentId, bytes32 indexed peerId, address indexed owner,
        uint32 startEpoch, uint32 endEpoch, uint256 collateral
    );
    event EpochAdvanced(uint32 indexed epoch, bytes32 globalNonce, uint256 target);
    event ProofSubmitted(
        uint64 indexed commitmentId, bytes32 indexed unitId, uint32 indexed epoch, bytes32 localNonce, uint32 count
    );
    event UnitSucceeded(uint64 indexed commitmentId, bytes32 indexed unitId, uint32 indexed epoch, uint256 reward);
    event UnitSlashed(uint64 indexed commitmentId, bytes32 indexed unitId, uint32 missedEpochs, uint256 amount);
    event CommitmentFailed(uint64 indexed commitmentId, uint32 epoch);
    event CommitmentFinished(uint64 indexed commitmentId, uint256 collateralReturned);
    event RewardsWithdrawn(address indexed owner, uint256 amount);
    event RewardsFunded(address indexed from, uint256 amount);
    event UnitDealChanged(bytes32 indexed unitId, uint64 dealId);
    event TargetScheduled(uint256 target, uint32 fromEpoch);
    event ProofLimitsChanged(uint32 minProofsPerEpoch, uint32 maxProofsPerEpoch);

    // ---------------------------------------------------------------- errors

    error OnlyOwner();
    error OnlyMarket();
    error BadParams(string what);
    error ZeroPeerId();
    error BadUnitCount(uint32 unitCount, uint32 max);
    error PeerExists(bytes32 peerId, address owner);
    error UnknownPeer(bytes32 peerId);
    error NotPeerOwner(bytes32 peerId, address sender);
    error CommitmentExists(bytes32 peerId, uint64 commitmentId);
    error DurationTooShort(uint32 duration, uint32 minDuration);
    error WrongCollateral(uint256 sent, uint256 required);
    error BadBatch(uint256 unitIds, uint256 localNonces);
    error StaleEpoch(uint32 epoch, uint32 currentEpoch);
    error UnknownUnit(bytes32 unitId);
    error NotUnitOwner(bytes32 unitId, address sender);
    error NoCommitment(bytes32 peerId);
    error CommitmentNotActive(uint64 commitmentId, uint8 status);
    error UnitInDeal(bytes32 unitId, uint64 dealId);
    error ProofAboveTarget(bytes32 unitId, bytes32 hash);
    error NonceNotIncreasing(bytes32 unitId, bytes32 localNonce, bytes32 lastNonce);
    error TooManyProofs(bytes32 unitId, uint32 epoch, uint32 maxProofsPerEpoch);
    error UnknownCommitment(uint64 commitmentId);
    error NotCommitmentOwner(uint64 commitmentId, address sender);
    error CannotFinish(uint64 commitmentId, uint8 status);
    error NothingToWithdraw();
    error TransferFailed();

    // ---------------------------------------------------------------- setup

    constructor(Params memory p) {
        if (p.epochDuration == 0) revert BadParams("epochDuration");
        if (p.minProofsPerEpoch == 0 || p.maxProofsPerEpoch < p.minProofsPerEpoch) revert BadParams("proof limits");
        if (p.target == 0) revert BadParams("target");
        if (p.slashingRateBps > 10000) revert BadParams("slashingRateBps");
        if (p.maxFailedRatio == 0) revert BadParams("maxFailedRatio");
        epochDuration = p.epochDuration;
        initTimestamp = block.timestamp;
        owner = msg.sender;
        minProofsPerEpoch = p.minProofsPerEpoch;
        maxProofsPerEpoch = p.maxProofsPerEpoch;
        target = p.target;
        collateralPerUnit = p.collateralPerUnit;
        rewardPerUnitEpoch = p.rewardPerUnitEpoch;
        slashingRateBps = p.slashingRateBps;
        maxFailedRatio = p.maxFailedRatio;
        minDuration = p.minDuration;
        globalNonce = keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), address(this)));
        nonceEpoch = 1;
        emit EpochAdvanced(1, globalNonce, p.target);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert OnlyOwner();
        _;
    }

    /// Sets the market contract allowed to move units into deals (once).
    function setMarket(address m) external onlyOwner {
        if (market != address(0) || m == address(0)) revert BadParams("market");
        market = m;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert BadParams("owner");
        owner = newOwner;
    }

    /// Changes the proof limits; they apply at once.
    function setProofLimits(uint32 minProofs, uint32 maxProofs) external onlyOwner {
        if (minProofs == 0 || maxProofs < minProofs) revert BadParams("proof limits");
        minProofsPerEpoch = minProofs;
        maxProofsPerEpoch = maxProofs;
        emit ProofLimitsChanged(minProofs, maxProofs);
    }

    /// Schedules a new target from the next epoch.
    function scheduleTarget(uint256 newTarget) external onlyOwner {
        if (newTarget == 0) revert BadParams("target");
        uint32 from = currentEpoch() + 1;
        nextTarget = newTarget;
        nextTargetEpoch = from;
        emit TargetScheduled(newTarget, from);
    }

    function setRewardPerUnitEpoch(uint256 reward) external onlyOwner {
        rewardPerUnitEpoch = reward;
    }

    /// Adds the sent coins to the reward pool.
    function fundRewards() external payable {
        rewardPool += msg.value;
        emit RewardsFunded(msg.sender, msg.value);
    }

    // ---------------------------------------------------------------- epochs

    function currentEpoch() public view returns (uint32) {
        return uint32(1 + (block.timestamp - initTimestamp) / epochDuration);
    }

    /// The timestamp at which epoch e ends (the next one starts).
    function epochEndsAt(uint32 e) external view returns (uint256) {
        return initTimestamp + uint256(e) * epochDuration;
    }

    /// The target that applies to proofs in epoch e (>= the current epoch).
    function targetAt(uint32 e) public view returns (uint256) {
        uint32 n = nextTargetEpoch;
        return (n != 0 && n <= e) ? nextTarget : target;
    }

    /// Everything a prover needs in one call. The nonce is current when nonceEpoch == epoch;
    /// otherwise call advanceEpoch first.
    function epochParams()
        external
        view
        returns (
            uint32 epoch,
            bytes32 nonce,
            uint32 nonceEpoch_,
            uint256 target_,
            uint32 minProofs,
            uint32 maxProofs,
            uint256 duration,
            uint256 init
        )
    {
        epoch = currentEpoch();
        return (
            epoch, globalNonce, nonceEpoch, targetAt(epoch), minProofsPerEpoch, maxProofsPerEpoch,
            epochDuration, initTimestamp
        );
    }

    /// Rotates the global nonce if the epoch changed since the last rotation; anyone may call it.
    function advanceEpoch() external returns (bytes32) {
        uint32 cur = currentEpoch();
        if (nonceEpoch < cur) _advance(cur);
        return globalNonce;
    }

    function _advance(uint32 cur) internal {
        bytes32 n = keccak256(abi.encode(globalNonce, block.prevrandao, blockhash(block.number - 1), cur));
        globalNonce = n;
        nonceEpoch = cur;
        uint256 t = target;
        uint32 ne = nextTargetEpoch;
        if (ne != 0 && ne <= cur) {
            t = nextTarget;
            target = t;
            nextTargetEpoch = 0;
        }
        emit EpochAdvanced(cur, n, t);
    }

    // ---------------------------------------------------------------- peers and commitments

    function unitId(bytes32 peerId, uint32 index) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(peerId, index));
    }

    /// Registers a peer with unitCount compute units owned by the sender. Unit i's id is
    /// keccak256(peerId ‖ uint32 i).
    function registerPeer(bytes32 peerId, uint32 unitCount) external {
        if (peerId == bytes32(0)) revert ZeroPeerId();
        if (unitCount == 0 || unitCount > MAX_UNITS_PER_PEER) revert BadUnitCount(unitCount, MAX_UNITS_PER_PEER);
        Peer storage p = peers[peerId];
        if (p.owner != address(0)) revert PeerExists(peerId, p.owner);
        p.owner = msg.sender;
        p.unitCount = unitCount;
        for (uint32 i = 0; i < unitCount; i++) {
            units[unitId(peerId, i)].peerId = peerId;
        }
        emit PeerRegistered(peerId, msg.sender, unitCount);
    }

    /// Commits all the peer's units for durationEpochs, from the next epoch, with exactly
    /// collateralPerUnit × units as collateral.
    function createCommitment(bytes32 peerId, uint32 durationEpochs) external payable returns (uint64 id) {
        Peer storage p = peers[peerId];
        if (p.owner == address(0)) revert UnknownPeer(peerId);
        if (p.owner != msg.sender) revert NotPeerOwner(peerId, msg.sender);
        if (p.commitmentId != 0) revert CommitmentExists(peerId, p.commitmentId);
        if (durationEpochs < minDuration || durationEpochs == 0) revert DurationTooShort(durationEpochs, minDuration);
        uint32 n = p.unitCount;
        uint256 need = collateralPerUnit * n;
        if (msg.value != need) revert WrongCollateral(msg.value, need);
        uint32 start = currentEpoch() + 1;
        id = ++commitmentCount;
        Commitment storage c = commitments[id];
        c.peerId = peerId;
        c.owner = msg.sender;
        c.startEpoch = start;
        c.endEpoch = start + durationEpochs;
        c.status = STATUS_ACTIVE;
        c.collateral = uint128(need);
        c.unitCount = n;
        p.commitmentId = id;
        for (uint32 i = 0; i < n; i++) {
            Unit storage u = units[unitId(peerId, i)];
            u.lastEpoch = 0;
            u.count = 0;
            u.accountedEpoch = start;
            u.successEpochs = 0;
            u.missedEpochs = 0;
        }
        emit CommitmentCreated(id, peerId, msg.sender, start, start + durationEpochs, need);
    }

    // ---------------------------------------------------------------- proofs

    /// Submits proofs for epoch `epoch` (must be the current one). Per item: the sender owns the
    /// unit's peer, the commitment is active, the unit is not in a deal, the local nonce is above
    /// the unit's previous one this epoch, the unit has fewer than maxProofsPerEpoch proofs, and
    /// keccak256(globalNonce ‖ unitId ‖ localNonce) <= target. Any failure reverts the batch.
    /// If settling missed epochs fails the commitment, its remaining proofs are ignored.
    function submitProofs(uint32 epoch, bytes32[] calldata unitIds, bytes32[] calldata localNonces) external {
        if (unitIds.length == 0 || unitIds.length != localNonces.length) {
            revert BadBatch(unitIds.length, localNonces.length);
        }
        ProofCtx memory x = _proofCtx(epoch);
        Commitment storage c = commitments[0];
        for (uint256 i = 0; i < unitIds.length; i++) {
            bytes32 uid = unitIds[i];
            Unit storage u = units[uid];
            bytes32 pid = u.peerId;
            if (pid == bytes32(0)) revert UnknownUnit(uid);
            if (pid != x.lastPeer) {
                (x.cid, c) = _activeCommitment(pid, uid, x.cur);
                x.lastPeer = pid;
                x.skip = false;
            }
            if (!x.skip) x.skip = _proof(x, c, u, uid, localNonces[i]);
        }
        if (x.earned != 0) {
            rewardPool -= x.earned;
            rewards[msg.sender].earned += uint128(x.earned);
        }
    }

    function _proofCtx(uint32 epoch) internal returns (ProofCtx memory x) {
        uint32 cur = currentEpoch();
        if (epoch != cur) revert StaleEpoch(epoch, cur);
        if (nonceEpoch < cur) _advance(cur);
        x.cur = cur;
        x.minP = minProofsPerEpoch;
        x.maxP = maxProofsPerEpoch;
        x.nonce = globalNonce;
        x.target = target;
        x.rewardLeft = rewardPool;
        x.reward = rewardPerUnitEpoch;
    }

    struct ProofCtx {
        uint32 cur;
        uint32 minP;
        uint32 maxP;
        bytes32 nonce;
        uint256 target;
        uint256 rewardLeft;
        uint256 reward;
        uint256 earned;
        bytes32 lastPeer;
        uint64 cid;
        bool skip;
    }

    function _activeCommitment(bytes32 pid, bytes32 uid, uint32 cur)
        internal
        view
        returns (uint64 cid, Commitment storage c)
    {
        Peer storage p = peers[pid];
        if (p.owner != msg.sender) revert NotUnitOwner(uid, msg.sender);
        cid = p.commitmentId;
        if (cid == 0) revert NoCommitment(pid);
        c = commitments[cid];
        if (c.status != STATUS_ACTIVE || cur < c.startEpoch || cur >= c.endEpoch) {
            revert CommitmentNotActive(cid, _status(c, cur));
        }
    }

    /// Checks and records one proof. Returns true if settling the unit failed the commitment (the
    /// proof is then ignored, and so are the commitment's remaining proofs in the batch).
    function _proof(ProofCtx memory x, Commitment storage c, Unit storage u, bytes32 uid, bytes32 ln)
        internal
        returns (bool failed)
    {
        uint64 cid = x.cid;
        if (u.dealId != 0) revert UnitInDeal(uid, u.dealId);
        bytes32 h = keccak256(abi.encodePacked(x.nonce, uid, ln));
        if (uint256(h) > x.target) revert ProofAboveTarget(uid, h);
        uint32 count;
        if (u.lastEpoch == x.cur) {
            if (uint256(ln) <= uint256(u.lastNonce)) revert NonceNotIncreasing(uid, ln, u.lastNonce);
            count = u.count + 1;
            if (count > x.maxP) revert TooManyProofs(uid, x.cur, x.maxP);
        } else {
            if (_settle(c, cid, u, uid, x.cur)) return true;
            count = 1;
            u.lastEpoch = x.cur;
        }
        u.count = count;
        u.lastNonce = ln;
        emit ProofSubmitted(cid, uid, x.cur, ln, count);
        if (count == x.minP) {
            uint256 r = x.reward;
            uint256 left = x.rewardLeft - x.earned;
            if (r > left) r = left;
            x.earned += r;
            u.successEpochs += 1;
            c.rewards += uint128(r);
            emit UnitSucceeded(cid, uid, x.cur, r);
        }
        return false;
    }

    /// Settles missed epochs of the given units (slashing and failure accounting); anyone may call.
    function settleUnits(bytes32[] calldata unitIds) external {
        uint32 cur = currentEpoch();
        for (uint256 i = 0; i < unitIds.length; i++) {
            Unit storage u = units[unitIds[i]];
            if (u.peerId == bytes32(0)) revert UnknownUnit(unitIds[i]);
            uint64 cid = peers[u.peerId].commitmentId;
            if (cid == 0) continue;
            _settle(commitments[cid], cid, u, unitIds[i], cur);
        }
    }

    /// Accounts the unit's epochs [accountedEpoch, cur) inside the commitment's span: every epoch
    /// without the minimum is a miss, slashed and counted. Returns true if the commitment failed now.
    function _settle(Commitment storage c, uint64 cid, Unit storage u, bytes32 uid, uint32 cur)
        internal
        returns (bool failedNow)
    {
        if (c.status != STATUS_ACTIVE || u.dealId != 0) return false;
        uint32 from = u.accountedEpoch;
        if (from < c.startEpoch) from = c.startEpoch;
        uint32 to = cur < c.endEpoch ? cur : c.endEpoch;
        if (to <= from) return false;
        uint32 misses = to - from;
        uint32 last = u.lastEpoch;
        if (last >= from && last < to && u.count >= minProofsPerEpoch) misses -= 1;
        u.accountedEpoch = to;
        if (misses == 0) return false;
        u.missedEpochs += misses;
        uint256 amount = uint256(misses) * collateralPerUnit * slashingRateBps / 10000;
        uint128 col = c.collateral;
        if (amount > col) amount = col;
        c.collateral = col - uint128(amount);
        c.slashed += uint128(amount);
        rewardPool += amount; // slashed collateral funds future rewards
        uint32 fails = c.failCount + misses;
        c.failCount = fails;
        emit UnitSlashed(cid, uid, misses, amount);
        if (fails >= uint256(maxFailedRatio) * c.unitCount) {
            c.status = STATUS_FAILED;
            c.failedEpoch = cur;
            emit CommitmentFailed(cid, cur);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- settlement

    /// Returns the remaining collateral to the commitment owner after it expired or failed.
    function finish(uint64 id) external {
        Commitment storage c = commitments[id];
        if (c.owner == address(0)) revert UnknownCommitment(id);
        if (c.owner != msg.sender) revert NotCommitmentOwner(id, msg.sender);
        uint32 cur = currentEpoch();
        if (c.status == STATUS_ACTIVE) {
            bytes32 pid = c.peerId;
            uint32 n = c.unitCount;
            for (uint32 i = 0; i < n && c.status == STATUS_ACTIVE; i++) {
                bytes32 uid = unitId(pid, i);
                _settle(c, id, units[uid], uid, cur);
            }
            if (c.status == STATUS_ACTIVE && cur < c.endEpoch) revert CannotFinish(id, _status(c, cur));
        } else if (c.status != STATUS_FAILED) {
            revert CannotFinish(id, c.status);
        }
        uint256 amount = c.collateral;
        c.collateral = 0;
        c.status = STATUS_FINISHED;
        peers[c.peerId].commitmentId = 0;
        emit CommitmentFinished(id, amount);
        if (amount != 0) {
            (bool ok,) = c.owner.call{value: amount}("");
            if (!ok) revert TransferFailed();
        }
    }

    /// Pays the sender's earned, not yet withdrawn rewards.
    function withdrawRewards() external returns (uint256 amount) {
        Rewards storage r = rewards[msg.sender];
        amount = r.earned - r.withdrawn;
        if (amount == 0) revert NothingToWithdraw();
        r.withdrawn = r.earned;
        emit RewardsWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---------------------------------------------------------------- market hooks

    /// Moves a unit into a deal (dealId != 0) or back (dealId == 0). In a deal a unit needs no
    /// proofs; back in the commitment it must prove again from the next epoch.
    function setUnitDeal(bytes32 uid, uint64 dealId) external {
        if (msg.sender != market) revert OnlyMarket();
        Unit storage u = units[uid];
        bytes32 pid = u.peerId;
        if (pid == bytes32(0)) revert UnknownUnit(uid);
        uint32 cur = currentEpoch();
        if (dealId != 0) {
            if (u.dealId != 0) revert UnitInDeal(uid, u.dealId);
            uint64 cid = peers[pid].commitmentId;
            if (cid != 0) _settle(commitments[cid], cid, u, uid, cur);
        } else {
            u.accountedEpoch = cur + 1;
        }
        u.dealId = dealId;
        emit UnitDealChanged(uid, dealId);
    }

    // ---------------------------------------------------------------- views

    function peerInfo(bytes32 peerId) external view returns (address owner_, uint32 unitCount, uint64 commitmentId) {
        Peer storage p = peers[peerId];
        return (p.owner, p.unitCount, p.commitmentId);
    }

    function peerOwner(bytes32 peerId) external view returns (address) {
        return peers[peerId].owner;
    }

    function unitOwner(bytes32 uid) external view returns (address owner_, bytes32 peerId) {
        peerId = units[uid].peerId;
        return (peers[peerId].owner, peerId);
    }

    function commitmentInfo(uint64 id) external view returns (CommitmentView memory v) {
        Commitment storage c = commitments[id];
        uint32 cur = currentEpoch();
        v.peerId = c.peerId;
        v.owner = c.owner;
        v.startEpoch = c.startEpoch;
        v.endEpoch = c.endEpoch;
        v.unitCount = c.unitCount;
        v.failCount = c.failCount + _pendingFails(c, cur);
        v.failLimit = uint32(uint256(maxFailedRatio) * c.unitCount);
        v.collateral = c.collateral;
        v.slashed = c.slashed;
        v.rewards = c.rewards;
        v.status = _status(c, cur);
    }

    function unitStates(bytes32[] calldata ids) external view returns (UnitView[] memory out) {
        uint32 cur = currentEpoch();
        out = new UnitView[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) {
            Unit storage u = units[ids[i]];
            UnitView memory v = out[i];
            v.peerId = u.peerId;
            v.lastEpoch = u.lastEpoch;
            v.proofsThisEpoch = u.lastEpoch == cur ? u.count : 0;
            v.successEpochs = u.successEpochs;
            v.missedEpochs = u.missedEpochs;
            v.dealId = u.dealId;
            v.lastNonce = u.lastNonce;
            uint64 cid = peers[u.peerId].commitmentId;
            if (cid != 0) v.missedEpochs += _pendingMisses(commitments[cid], u, cur);
        }
    }

    function rewardsOf(address a) external view returns (uint256 earned, uint256 withdrawn, uint256 withdrawable) {
        Rewards storage r = rewards[a];
        return (r.earned, r.withdrawn, r.earned - r.withdrawn);
    }

    function _status(Commitment storage c, uint32 cur) internal view returns (uint8) {
        uint8 s = c.status;
        if (s != STATUS_ACTIVE) return s;
        if (cur < c.startEpoch) return STATUS_WAIT_START;
        if (c.failCount + _pendingFails(c, cur) >= uint256(maxFailedRatio) * c.unitCount) return STATUS_FAILED;
        if (cur >= c.endEpoch) return STATUS_INACTIVE;
        return STATUS_ACTIVE;
    }

    function _pendingFails(Commitment storage c, uint32 cur) internal view returns (uint32 total) {
        if (c.status != STATUS_ACTIVE) return 0;
        bytes32 pid = c.peerId;
        for (uint32 i = 0; i < c.unitCount; i++) {
            total += _pendingMisses(c, units[unitId(pid, i)], cur);
        }
    }

    function _pendingMisses(Commitment storage c, Unit storage u, uint32 cur) internal view returns (uint32) {
        if (c.status != STATUS_ACTIVE || u.dealId != 0) return 0;
        uint32 from = u.accountedEpoch;
        if (from < c.startEpoch) from = c.startEpoch;
        uint32 to = cur < c.endEpoch ? cur : c.endEpoch;
        if (to <= from) return 0;
        uint32 misses = to - from;
        uint32 last = u.lastEpoch;
        if (last >= from && last < to && u.count >= minProofsPerEpoch) misses -= 1;
        return misses;
    }
}
