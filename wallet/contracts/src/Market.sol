// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

interface ICapacity {
    function currentEpoch() external view returns (uint32);
    function peerOwner(bytes32 peerId) external view returns (address);
    function unitOwner(bytes32 unitId) external view returns (address owner, bytes32 peerId);
    function setUnitDeal(bytes32 unitId, uint64 dealId) external;
}

interface IERC20 {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title Market: offers, deals and per-epoch payment of compute units.
/// @notice A provider offers its peers' units at a minimum price per unit-epoch in an ERC-20 token.
/// A customer creates a deal with a deposit in that token. The provider joins units to the deal
/// (they leave their capacity commitment: no proofs needed) and sets a worker for each; a unit is
/// paid `price` per epoch from the epoch after its worker was set. Payment is settled lazily for
/// completed epochs: while the deposit covers them, `price × workers` per epoch moves from the
/// deposit to the providers' earnings; epochs it can't cover are gaps and earn nothing.
contract Market {
    uint8 internal constant DEAL_NONE = 0;
    uint8 internal constant DEAL_ACTIVE = 1;
    uint8 internal constant DEAL_INSUFFICIENT_FUNDS = 2;
    uint8 internal constant DEAL_ENDED = 3;
    uint8 internal constant DEAL_NOT_ENOUGH_WORKERS = 4;

    uint32 public constant MAX_WORKERS = 32;
    uint32 public constant MIN_DEPOSIT_EPOCHS = 2;

    struct Offer {
        address provider;
        address token;
        uint256 minPrice; // per unit-epoch
    }

    struct Deal {
        address customer;
        uint32 targetWorkers;
        uint32 units; // joined
        uint32 workers; // paid (worker set and started)
        address token;
        uint32 paidThrough; // epochs <= paidThrough are settled
        uint32 pendingEpoch; // pendingWorkers start being paid in this epoch
        uint32 pendingWorkers;
        uint256 price; // per worker-epoch
        uint128 balance; // deposit not yet spent
        uint128 locked; // spent on earnings, not yet withdrawn
        uint256 accPerWorker; // cumulative payment per worker
        uint32 gapEpochs;
        uint32 createdEpoch;
        uint32 endedEpoch; // 0: running
        bytes32 appCID;
    }

    struct DealUnit {
        uint64 dealId;
        uint32 startEpoch; // 0: no worker yet
        uint32 index; // position in dealUnits
        uint128 claimed;
        bytes32 workerId;
    }

    struct DealView {
        address customer;
        address token;
        uint8 status;
        uint32 targetWorkers;
        uint32 units;
        uint32 workers;
        uint32 pendingWorkers;
        uint32 paidThrough;
        uint32 fundedThrough; // the last epoch the balance pays for at the current worker count
        uint32 gapEpochs;
        uint32 endedEpoch;
        uint256 price;
        uint256 balance;
        uint256 locked;
        bytes32 appCID;
    }

    ICapacity public immutable capacity;
    uint64 public offerCount;
    uint64 public dealCount;
    mapping(uint64 => Offer) public offers;
    mapping(bytes32 => uint64) public offerOf; // peer id -> offer id
    mapping(uint64 => Deal) internal deals;
    mapping(uint64 => bytes32[]) internal dealUnits;
    mapping(bytes32 => DealUnit) internal unitDeals;
    mapping(uint64 => mapping(uint32 => uint256)) internal accAt; // accPerWorker when a start epoch began

    event OfferRegistered(uint64 indexed offerId, address indexed provider, address token, uint256 minPrice);
    event DealCreated(
        uint64 indexed dealId, address indexed customer, address token, uint256 price, uint32 targetWorkers,
        uint256 deposit, bytes32 appCID
    );
    event UnitJoined(uint64 indexed dealId, bytes32 indexed unitId, bytes32 indexed peerId);
    event WorkerSet(uint64 indexed dealId, bytes32 indexed unitId, bytes32 workerId, uint32 startEpoch);
    event UnitLeft(uint64 indexed dealId, bytes32 indexed unitId, uint256 earningsPaid);
    event EarningsWithdrawn(uint64 indexed dealId, bytes32 indexed unitId, address indexed to, uint256 amount);
    event DealSettled(uint64 indexed dealId, uint32 paidThrough, uint32 gapEpochs);
    event Deposited(uint64 indexed dealId, uint256 amount);
    event Withdrawn(uint64 indexed dealId, uint256 amount);
    event DealStopped(uint64 indexed dealId, uint32 epoch, uint256 refund);

    error BadParams(string what);
    error NotPeerOwner(bytes32 peerId, address sender);
    error NotUnitOwner(bytes32 unitId, address sender);
    error NotCustomer(uint64 dealId, address sender);
    error UnknownDeal(uint64 dealId);
    error DealEnded(uint64 dealId);
    error DepositTooSmall(uint256 deposit, uint256 required);
    error NoOffer(bytes32 peerId);
    error OfferMismatch(uint64 offerId, uint64 dealId);
    error DealFull(uint64 dealId, uint32 targetWorkers);
    error UnitBusy(bytes32 unitId, uint64 dealId);
    error UnitNotInDeal(bytes32 unitId, uint64 dealId);
    error InsufficientBalance(uint256 balance, uint256 wanted);
    error NothingToWithdraw();
    error TransferFailed();

    constructor(ICapacity capacity_) {
        capacity = capacity_;
    }

    // ---------------------------------------------------------------- offers

    /// Offers the given peers' units (the sender must own every peer) at minPrice per unit-epoch.
    function registerOffer(uint256 minPrice, address token, bytes32[] calldata peerIds) external returns (uint64 id) {
        if (token == address(0) || peerIds.length == 0) revert BadParams("offer");
        id = ++offerCount;
        offers[id] = Offer(msg.sender, token, minPrice);
        for (uint256 i = 0; i < peerIds.length; i++) {
            if (capacity.peerOwner(peerIds[i]) != msg.sender) revert NotPeerOwner(peerIds[i], msg.sender);
            offerOf[peerIds[i]] = id;
        }
        emit OfferRegistered(id, msg.sender, token, minPrice);
    }

    // ---------------------------------------------------------------- deals (customer)

    /// Creates a deal paying `price` per worker-epoch in `token`, funded with `deposit` (at least
    /// MIN_DEPOSIT_EPOCHS × targetWorkers × price), taken with transferFrom.
    function createDeal(bytes32 appCID, address token, uint256 price, uint32 targetWorkers, uint256 depositAmount)
        external
        returns (uint64 id)
    {
        if (token == address(0) || price == 0) revert BadParams("deal");
        if (targetWorkers == 0 || targetWorkers > MAX_WORKERS) revert BadParams("targetWorkers");
        uint256 need = uint256(MIN_DEPOSIT_EPOCHS) * targetWorkers * price;
        if (depositAmount < need) revert DepositTooSmall(depositAmount, need);
        _pull(token, depositAmount);
        uint32 cur = capacity.currentEpoch();
        id = ++dealCount;
        Deal storage d = deals[id];
        d.customer = msg.sender;
        d.token = token;
        d.targetWorkers = targetWorkers;
        d.price = price;
        d.balance = uint128(depositAmount);
        d.paidThrough = cur - 1;
        d.createdEpoch = cur;
        d.appCID = appCID;
        emit DealCreated(id, msg.sender, token, price, targetWorkers, depositAmount, appCID);
    }

    function deposit(uint64 id, uint256 amount) external {
        Deal storage d = _running(id);
        _settle(id, d);
        _pull(d.token, amount);
        d.balance += uint128(amount);
        emit Deposited(id, amount);
    }

    /// Takes back unspent deposit.
    function withdraw(uint64 id, uint256 amount) external {
        Deal storage d = _deal(id);
        if (msg.sender != d.customer) revert NotCustomer(id, msg.sender);
        _settle(id, d);
        if (amount > d.balance) revert InsufficientBalance(d.balance, amount);
        d.balance -= uint128(amount);
        emit Withdrawn(id, amount);
        _push(d.token, msg.sender, amount);
    }

    /// Ends the deal: settles completed epochs, pays every unit its earnings, returns the units to
    /// their commitments and refunds the remaining deposit.
    function stopDeal(uint64 id) external {
        Deal storage d = _running(id);
        if (msg.sender != d.customer) revert NotCustomer(id, msg.sender);
        _settle(id, d);
        uint32 cur = capacity.currentEpoch();
        d.endedEpoch = cur;
        bytes32[] storage list = dealUnits[id];
        while (list.length != 0) {
            _removeUnit(id, d, list[list.length - 1]);
        }
        uint256 refund = d.balance;
        d.balance = 0;
        emit DealStopped(id, cur, refund);
        _push(d.token, d.customer, refund);
    }

    // ---------------------------------------------------------------- deals (provider)

    /// Moves one of the sender's units into the deal. Its peer must be in an offer for the deal's
    /// token at a minimum price not above the deal's price.
    function joinDeal(uint64 id, bytes32 unitId) external {
        Deal storage d = _running(id);
        (address owner, bytes32 peerId) = capacity.unitOwner(unitId);
        if (owner != msg.sender) revert NotUnitOwner(unitId, msg.sender);
        uint64 oid = offerOf[peerId];
        if (oid == 0) revert NoOffer(peerId);
        Offer storage o = offers[oid];
        if (o.token != d.token || o.minPrice > d.price || o.provider != msg.sender) revert OfferMismatch(oid, id);
        if (d.units >= d.targetWorkers) revert DealFull(id, d.targetWorkers);
        DealUnit storage du = unitDeals[unitId];
        if (du.dealId != 0) revert UnitBusy(unitId, du.dealId);
        du.dealId = id;
        du.index = uint32(dealUnits[id].length);
        dealUnits[id].push(unitId);
        d.units += 1;
        capacity.setUnitDeal(unitId, id);
        emit UnitJoined(id, unitId, peerId);
    }

    /// Sets the unit's worker; the unit is paid from the next epoch on.
    function setWorker(uint64 id, bytes32 unitId, bytes32 workerId) external {
        Deal storage d = _running(id);
        DealUnit storage du = _ownedUnit(id, unitId);
        if (workerId == bytes32(0)) revert BadParams("workerId");
        du.workerId = workerId;
        if (du.startEpoch == 0) {
            _settle(id, d); // activates earlier pending workers
            uint32 start = capacity.currentEpoch() + 1;
            d.pendingEpoch = start;
            d.pendingWorkers += 1;
            du.startEpoch = start;
        }
        emit WorkerSet(id, unitId, workerId, du.startEpoch);
    }

    /// Takes the unit out of the deal, paying its earnings, and returns it to its commitment.
    function leaveDeal(uint64 id, bytes32 unitId) external {
        Deal storage d = _deal(id);
        _ownedUnit(id, unitId);
        _settle(id, d);
        _removeUnit(id, d, unitId);
    }

    /// Pays the unit's earnings to its owner.
    function withdrawEarnings(uint64 id, bytes32 unitId) external returns (uint256 amount) {
        Deal storage d = _deal(id);
        DealUnit storage du = _ownedUnit(id, unitId);
        _settle(id, d);
        amount = _earned(id, d, du);
        if (amount == 0) revert NothingToWithdraw();
        du.claimed += uint128(amount);
        d.locked -= uint128(amount);
        emit EarningsWithdrawn(id, unitId, msg.sender, amount);
        _push(d.token, msg.sender, amount);
    }

    /// Settles completed epochs of a deal; anyone may call.
    function settle(uint64 id) external {
        _settle(id, _deal(id));
    }

    // ---------------------------------------------------------------- views

    function dealInfo(uint64 id) external view returns (DealView memory v) {
        Deal memory d = deals[id];
        if (d.customer == address(0)) return v;
        (d,) = _settled(d, _settleTo(d));
        v.customer = d.customer;
        v.token = d.token;
        v.targetWorkers = d.targetWorkers;
        v.units = d.units;
        v.workers = d.workers;
        v.pendingWorkers = d.pendingWorkers;
        v.paidThrough = d.paidThrough;
        v.gapEpochs = d.gapEpochs;
        v.endedEpoch = d.endedEpoch;
        v.price = d.price;
        v.balance = d.balance;
        v.locked = d.locked;
        v.appCID = d.appCID;
        uint256 perEpoch = d.price * (d.workers + d.pendingWorkers);
        v.fundedThrough = perEpoch == 0 ? type(uint32).max : d.paidThrough + uint32(d.balance / perEpoch);
        if (d.endedEpoch != 0) v.status = DEAL_ENDED;
        else if (d.units == 0) v.status = DEAL_NOT_ENOUGH_WORKERS;
        else if (perEpoch != 0 && d.balance < perEpoch) v.status = DEAL_INSUFFICIENT_FUNDS;
        else v.status = DEAL_ACTIVE;
    }

    /// The unit's deal, worker, first paid epoch and withdrawable earnings (as if settled now).
    function unitDeal(bytes32 unitId)
        external
        view
        returns (uint64 dealId, bytes32 workerId, uint32 startEpoch, uint256 earned)
    {
        DealUnit storage du = unitDeals[unitId];
        dealId = du.dealId;
        if (dealId == 0) return (0, bytes32(0), 0, 0);
        Deal memory d = deals[dealId];
        uint32 pe = d.pendingEpoch;
        (Deal memory s, uint256 activatedAcc) = _settled(d, _settleTo(d));
        if (du.startEpoch != 0) {
            uint256 base;
            bool started = true;
            if (du.startEpoch == pe && d.pendingWorkers != 0) {
                if (s.pendingWorkers != 0) started = false;
                else base = activatedAcc;
            } else {
                base = accAt[dealId][du.startEpoch];
            }
            if (started) earned = s.accPerWorker - base - du.claimed;
        }
        return (dealId, du.workerId, du.startEpoch, earned);
    }

    function dealUnitIds(uint64 id) external view returns (bytes32[] memory) {
        return dealUnits[id];
    }

    // ---------------------------------------------------------------- internals

    function _deal(uint64 id) internal view returns (Deal storage d) {
        d = deals[id];
        if (d.customer == address(0)) revert UnknownDeal(id);
    }

    function _running(uint64 id) internal view returns (Deal storage d) {
        d = _deal(id);
        if (d.endedEpoch != 0) revert DealEnded(id);
    }

    function _ownedUnit(uint64 id, bytes32 unitId) internal view returns (DealUnit storage du) {
        du = unitDeals[unitId];
        if (du.dealId != id) revert UnitNotInDeal(unitId, id);
        (address owner,) = capacity.unitOwner(unitId);
        if (owner != msg.sender) revert NotUnitOwner(unitId, msg.sender);
    }

    /// The last epoch to settle: the last completed one, or the one before the deal ended.
    function _settleTo(Deal memory d) internal view returns (uint32) {
        uint32 end = d.endedEpoch != 0 ? d.endedEpoch : capacity.currentEpoch();
        return end - 1;
    }

    function _settle(uint64 id, Deal storage d) internal {
        Deal memory m = d;
        uint32 to = _settleTo(m);
        if (to <= m.paidThrough) return;
        uint32 pe = m.pendingEpoch;
        bool hadPending = m.pendingWorkers != 0;
        (Deal memory s, uint256 activatedAcc) = _settled(m, to);
        if (hadPending && s.pendingWorkers == 0) accAt[id][pe] = activatedAcc;
        d.workers = s.workers;
        d.pendingWorkers = s.pendingWorkers;
        d.paidThrough = s.paidThrough;
        d.balance = s.balance;
        d.locked = s.locked;
        d.accPerWorker = s.accPerWorker;
        d.gapEpochs = s.gapEpochs;
        emit DealSettled(id, s.paidThrough, s.gapEpochs);
    }

    /// Pays epochs (paidThrough, to] on a memory copy: pending workers join once the epochs before
    /// their start epoch are paid. Returns the copy and accPerWorker at that activation.
    function _settled(Deal memory d, uint32 to) internal pure returns (Deal memory, uint256 activatedAcc) {
        uint32 from = d.paidThrough;
        if (to <= from) return (d, 0);
        if (d.pendingWorkers != 0 && d.pendingEpoch - 1 <= to) {
            uint32 upto = d.pendingEpoch - 1;
            if (upto > from) _pay(d, upto - from);
            activatedAcc = d.accPerWorker;
            d.workers += d.pendingWorkers;
            d.pendingWorkers = 0;
            if (upto > from) from = upto;
        }
        if (to > from) _pay(d, to - from);
        d.paidThrough = to;
        return (d, activatedAcc);
    }

    function _pay(Deal memory d, uint32 epochs) internal pure {
        if (d.workers == 0) return;
        uint256 cost = d.price * d.workers;
        uint256 k = d.balance / cost;
        if (k > epochs) k = epochs;
        uint256 spent = k * cost;
        d.balance -= uint128(spent);
        d.locked += uint128(spent);
        d.accPerWorker += k * d.price;
        d.gapEpochs += epochs - uint32(k);
    }

    function _earned(uint64 id, Deal storage d, DealUnit storage du) internal view returns (uint256) {
        uint32 start = du.startEpoch;
        if (start == 0) return 0;
        if (d.pendingWorkers != 0 && d.pendingEpoch == start) return 0; // not started yet
        return d.accPerWorker - accAt[id][start] - du.claimed;
    }

    function _removeUnit(uint64 id, Deal storage d, bytes32 unitId) internal {
        DealUnit storage du = unitDeals[unitId];
        uint256 amount = _earned(id, d, du);
        if (du.startEpoch != 0) {
            if (d.pendingWorkers != 0 && d.pendingEpoch == du.startEpoch) d.pendingWorkers -= 1;
            else d.workers -= 1;
        }
        bytes32[] storage list = dealUnits[id];
        uint32 idx = du.index;
        bytes32 moved = list[list.length - 1];
        list[idx] = moved;
        unitDeals[moved].index = idx;
        list.pop();
        d.units -= 1;
        delete unitDeals[unitId];
        (address owner,) = capacity.unitOwner(unitId);
        capacity.setUnitDeal(unitId, 0);
        if (amount != 0) d.locked -= uint128(amount);
        emit UnitLeft(id, unitId, amount);
        if (amount != 0) _push(d.token, owner, amount);
    }

    function _pull(address token, uint256 amount) internal {
        if (!IERC20(token).transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
    }

    function _push(address token, address to, uint256 amount) internal {
        if (amount != 0 && !IERC20(token).transfer(to, amount)) revert TransferFailed();
    }
}
