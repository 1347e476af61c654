"""The after-sales handlers: RMA lifecycle, advance exchange, depot receiving and grading, credit, stock moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.commands import (
    AdvanceDepotOrder,
    AdvanceRma,
    DecideCredit,
    DraftRma,
    GradeDepotOrder,
    MoveStock,
    ReceiveReturn,
    ShipReplacement,
    SwapFru,
)
from sync.domain.contract import ServiceModel, UnitPrice
from sync.domain.credit import CreditReason, KitItem
from sync.domain.errors import (
    DomainError,
    DuplicateRecord,
    EvidenceMissing,
    Forbidden,
    IllegalTransition,
    InsufficientStock,
    InvalidInput,
    NotFound,
    PartUnavailable,
    RuleViolation,
)
from sync.domain.evidence import PhotoKind
from sync.domain.handlers import decide
from sync.domain.logistics import (
    DepotGrade,
    DepotOrder,
    DepotStage,
    ObligationStatus,
    ReturnObligation,
    Shipment,
    ShipmentDirection,
    ShipmentStatus,
)
from sync.domain.org import Role
from sync.domain.rma import Rma, RmaLane, RmaStatus
from sync.domain.stock import StockLevel, StockLocation, StockLocationKind
from tests.domain.fakes import FakeContext
from tests.domain.world import ALL_ROLES, CONTRACT, FAN, FAN_NEW, NOW, VAN, actor, level, part, photo, rma, world

POOL = StockLocation(id="pool", org_id="org-oem", name="Refurb pool", kind=StockLocationKind.REFURBISHED_POOL)
DEPOT = StockLocation(id="depot", org_id="org-oem", name="Depot", kind=StockLocationKind.DEPOT)
SPARE_CHASSIS = Asset(id="asset-spare", org_id="org-oem", serial="NB9999", sku_id="sku-2u", revision="B")


def desk(role: Role = Role.SERVICE_DESK, *, contract: bool = True) -> FakeContext:
    ctx = world(role, with_contract=contract).put(POOL, DEPOT, SPARE_CHASSIS, level(DEPOT, FAN, 1))
    return ctx.put(photo("ph-i", PhotoKind.INSTALL, rma()), photo("ph-l", PhotoKind.LABEL, rma()))


# Who may take each step, written out (the full matrix is in test_permissions.py); never imported from the code.
EVERYONE = frozenset({Role.FIELD_ENGINEER, Role.INSTALLER, Role.DEPOT, Role.SERVICE_DESK, Role.ADMIN, Role.CUSTOMER})
DESK_ONLY = frozenset({Role.SERVICE_DESK, Role.ADMIN})
DEPOT_DESK_ADMIN = frozenset({Role.DEPOT, Role.SERVICE_DESK, Role.ADMIN})


def as_role(ctx: FakeContext, role: Role) -> FakeContext:
    ctx.actor = actor(role)
    return ctx


def one(out: list[object], kind: type[object]) -> object:
    found = [e for e in out if isinstance(e, kind)]
    assert len(found) == 1, found
    return found[0]


# drafting and the desk --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_draft_an_rma(role: Role) -> None:
    command = DraftRma(
        rma_id="rma-9", asset_id="asset-1", model=ServiceModel.STANDARD, symptom=" fans ", part_serial="fan-old"
    )
    if role in EVERYONE:
        (drafted,) = decide(command, world(role))
        assert isinstance(drafted, Rma)
        assert (drafted.status, drafted.symptom, drafted.part_serial, drafted.site_id) == (
            RmaStatus.DRAFT,
            "fans",
            "FAN-OLD",
            "site-ber",
        )
    else:
        with pytest.raises(Forbidden):
            decide(command, world(role))


DESK_STEPS = [
    (RmaStatus.DRAFT, RmaStatus.SUBMITTED, EVERYONE),
    (RmaStatus.SUBMITTED, RmaStatus.TRIAGE, DESK_ONLY),
    (RmaStatus.TRIAGE, RmaStatus.NEEDS_INFO, DESK_ONLY),
    (RmaStatus.NEEDS_INFO, RmaStatus.TRIAGE, EVERYONE),
    (RmaStatus.TRIAGE, RmaStatus.APPROVED, DESK_ONLY),
    (RmaStatus.TRIAGE, RmaStatus.REJECTED, DESK_ONLY),
    (RmaStatus.APPROVED, RmaStatus.AWAITING_RETURN, DEPOT_DESK_ADMIN),
    (RmaStatus.AWAITING_RETURN, RmaStatus.RECEIVED, DEPOT_DESK_ADMIN),
    (RmaStatus.RECEIVED, RmaStatus.INSPECTION, DEPOT_DESK_ADMIN),
    (RmaStatus.INSPECTION, RmaStatus.REPAIRED, DEPOT_DESK_ADMIN),
    (RmaStatus.REPAIRED, RmaStatus.CLOSED, DEPOT_DESK_ADMIN),
]


@pytest.mark.parametrize(("source", "target", "roles"), DESK_STEPS, ids=[f"{a}->{b}" for a, b, _ in DESK_STEPS])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_rma_step_is_open_to_its_roles_only(
    source: RmaStatus, target: RmaStatus, roles: frozenset[Role], role: Role
) -> None:
    ctx = as_role(desk().put(rma(source)), role)
    command = AdvanceRma(rma_id="rma-1", to_status=target, note="why?", lane=RmaLane.REPAIR)
    if role in roles:
        assert decide(command, ctx)[0].status is target  # type: ignore[attr-defined]
    else:
        with pytest.raises(Forbidden):
            decide(command, ctx)


def test_an_illegal_step_is_refused_with_the_reason_whoever_asks() -> None:
    ctx = desk(Role.ADMIN).put(rma(RmaStatus.SUBMITTED))
    with pytest.raises(IllegalTransition, match="from “submitted” to “approved”"):
        decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPAIR), ctx)


def test_sending_an_rma_back_needs_the_question_and_keeps_it() -> None:
    ctx = desk().put(rma(RmaStatus.TRIAGE))
    with pytest.raises(InvalidInput, match="question"):
        decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.NEEDS_INFO, note="  "), ctx)
    (back,) = decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.NEEDS_INFO, note=" rack depth? "), ctx)
    assert isinstance(back, Rma) and back.question == "rack depth?"


def test_approval_issues_a_number_and_the_lane_on_the_server_and_none_on_a_device() -> None:
    ctx = desk().put(rma(RmaStatus.TRIAGE))
    (approved,) = decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPLACE), ctx)
    assert isinstance(approved, Rma)
    assert (approved.number, approved.lane, approved.history[-1].by) == (
        "RMA-2026-000001",
        RmaLane.REPLACE,
        "u-service_desk",
    )
    ctx.issues_numbers = False
    (offline,) = decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPAIR), ctx)
    assert isinstance(offline, Rma) and offline.number is None


def test_approval_needs_a_lane() -> None:
    with pytest.raises(InvalidInput, match="lane"):
        decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED), desk().put(rma(RmaStatus.TRIAGE)))


@pytest.mark.parametrize(
    ("drop", "missing"),
    [
        (("ph-i",), ["install_photos"]),
        (("ph-l",), ["label_photos"]),
        (("ph-i", "ph-l"), ["install_photos", "label_photos"]),
    ],
)
def test_the_desk_cannot_approve_while_evidence_is_missing(drop: tuple[str, ...], missing: list[str]) -> None:
    ctx = desk().put(rma(RmaStatus.TRIAGE))
    for photo_id in drop:
        ctx.records.pop(("photos", photo_id))
    with pytest.raises(EvidenceMissing) as raised:
        decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPAIR), ctx)
    assert raised.value.details == {
        "missing": missing,
        "words": {"template": "triage evidence missing: {names}", "values": {"names": ", ".join(missing)}},
    }


def test_install_photos_of_the_installation_record_count_as_evidence() -> None:
    ctx = desk().put(rma(RmaStatus.TRIAGE))
    ctx.records.pop(("photos", "ph-i"))
    ctx.put(
        replace(photo("ph-inst", PhotoKind.INSTALL, rma()), subject_collection="installations", subject_id="inst-1")
    )
    (approved,) = decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPAIR), ctx)
    assert approved.status is RmaStatus.APPROVED  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("contract", "expected"), [(True, date(2026, 3, 19)), (False, date(2026, 3, 19))], ids=["contract", "default"]
)
def test_a_standard_rma_awaiting_return_gets_its_due_date_in_site_business_days(contract: bool, expected: date) -> None:
    ctx = desk(Role.DEPOT, contract=contract).put(rma(RmaStatus.APPROVED, lane=RmaLane.REPAIR))
    (awaiting,) = decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.AWAITING_RETURN), ctx)
    assert isinstance(awaiting, Rma) and awaiting.return_due == expected


def test_advance_exchange_is_refused_when_the_contract_does_not_offer_it() -> None:
    ctx = desk(Role.DEPOT).put(rma(RmaStatus.APPROVED, ServiceModel.ADVANCE_EXCHANGE, lane=RmaLane.REPLACE))
    ctx.put(replace(CONTRACT, models=(ServiceModel.STANDARD,)))
    with pytest.raises(Forbidden, match="does not offer advance exchange"):
        decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.REPLACEMENT_SHIPPED), ctx)


# advance exchange -------------------------------------------------------------------------------------------------
def ship(**changes: object) -> ShipReplacement:
    fields: dict[str, object] = {
        "rma_id": "rma-1",
        "shipment_id": "shp-1",
        "obligation_id": "obl-1",
        "replacement_serial": "nb9999",
        "carrier": " DHL ",
        "tracking": " 123 ",
        **changes,
    }
    return ShipReplacement(**fields)  # type: ignore[arg-type]


def exchange_world(role: Role = Role.DEPOT, **changes: object) -> FakeContext:
    approved = replace(rma(RmaStatus.APPROVED, ServiceModel.ADVANCE_EXCHANGE, lane=RmaLane.REPLACE), **changes)
    return desk(role).put(replace(CONTRACT, unreturned_penalty_cents=150_000), approved)


def test_shipping_a_replacement_chassis_pairs_the_serials_and_opens_a_due_dated_obligation() -> None:
    out = decide(ship(), exchange_world())
    shipped = one(out, Rma)
    assert isinstance(shipped, Rma)
    assert (shipped.status, shipped.replacement_serial, shipped.return_due) == (
        RmaStatus.REPLACEMENT_SHIPPED,
        "NB9999",
        date(2026, 3, 19),
    )
    assert one(out, Shipment) == Shipment(
        id="shp-1",
        org_id="org-acme",
        rma_id="rma-1",
        direction=ShipmentDirection.OUTBOUND,
        serials=("NB9999",),
        carrier="DHL",
        tracking="123",
        status=ShipmentStatus.IN_TRANSIT,
        shipped_at=NOW,
    )
    assert one(out, ReturnObligation) == ReturnObligation(
        id="obl-1",
        org_id="org-acme",
        serial="NB0001",
        source_collection="rmas",
        source_id="rma-1",
        site_id="site-ber",
        replacement_serial="NB9999",
        due_on=date(2026, 3, 19),
        penalty_cents=150_000,
        contract_id="ctr-gold",
        timezone="Europe/Berlin",
    )
    assert (shipped.return_contract_id, shipped.return_timezone) == ("ctr-gold", "Europe/Berlin")


def test_shipping_a_replacement_fru_takes_it_from_stock() -> None:
    ctx = exchange_world(part_serial="FAN-OLD")
    out = decide(ship(replacement_serial="FAN-NEW", from_location_id="van-1"), ctx)
    spare = one(out, Part)
    assert isinstance(spare, Part) and (spare.location, spare.location_id) == (PartLocation.IN_TRANSIT, "shp-1")
    stock = one(out, StockLevel)
    assert isinstance(stock, StockLevel) and stock.quantity == 1
    obligation = one(out, ReturnObligation)
    assert isinstance(obligation, ReturnObligation) and obligation.serial == "FAN-OLD"


@pytest.mark.parametrize(
    ("ctx_change", "command", "error", "message"),
    [
        ({}, {"replacement_serial": "NB0001"}, InvalidInput, "suspect unit itself"),
        ({"status": RmaStatus.TRIAGE}, {}, IllegalTransition, "from “triage” to “replacement_shipped”"),
        ({"model": ServiceModel.STANDARD}, {}, IllegalTransition, "not open to the “standard” model"),
        ({"part_serial": "FAN-OLD"}, {"replacement_serial": "FAN-NEW"}, InvalidInput, "stock location"),
        (
            {"part_serial": "FAN-OLD"},
            {"replacement_serial": "FAN-NEW", "from_location_id": "van-2"},
            PartUnavailable,
            "not in stock",
        ),
        ({"part_serial": "FAN-OLD"}, {"replacement_serial": "NOPE", "from_location_id": "van-1"}, NotFound, "NOPE"),
    ],
)
def test_a_replacement_that_cannot_ship_is_refused_with_its_reason(
    ctx_change: dict[str, object], command: dict[str, object], error: type[DomainError], message: str
) -> None:
    ctx = exchange_world(**ctx_change)
    with pytest.raises(error, match=message):
        decide(ship(**command), ctx)


def test_a_replacement_needs_entitlement_to_advance_exchange() -> None:
    ctx = exchange_world()
    ctx.drop(type(CONTRACT), CONTRACT.id)
    with pytest.raises(Forbidden, match="not entitled to advance exchange"):
        decide(ship(), ctx)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_depot_desk_and_admin_ship_replacements(role: Role) -> None:
    if role in DEPOT_DESK_ADMIN:
        assert decide(ship(), exchange_world(role))
    else:
        with pytest.raises(Forbidden):
            decide(ship(), exchange_world(role))


# depot receiving ----------------------------------------------------------------------------------------------------
def shipped_world() -> FakeContext:
    ctx = exchange_world()
    return ctx.apply(decide(ship(), ctx))


def receive(code: str, order_id: str = "do-1") -> ReceiveReturn:
    return ReceiveReturn(depot_order_id=order_id, code=code)


@pytest.mark.parametrize("code", ["RMA-2026-000007", " rma-2026-000007 ", "NB0001", "s/n: nb0001"])
def test_receiving_the_suspect_unit_by_label_or_serial_closes_the_obligation_and_opens_a_depot_order(code: str) -> None:
    ctx = shipped_world()
    ctx.put(replace(ctx.get(Rma, "rma-1"), number="RMA-2026-000007"))  # type: ignore[type-var]
    out = decide(receive(code), ctx)
    received = one(out, Rma)
    assert isinstance(received, Rma)
    assert [c.status for c in received.history][-2:] == [RmaStatus.AWAITING_RETURN, RmaStatus.RECEIVED]
    closed = one(out, ReturnObligation)
    assert isinstance(closed, ReturnObligation) and (closed.status, closed.received_at) == (
        ObligationStatus.RECEIVED,
        NOW,
    )
    order = one(out, DepotOrder)
    assert isinstance(order, DepotOrder)
    assert (order.rma_id, order.serial, order.obligation_id, order.sku_id, order.lot) == (
        "rma-1",
        "NB0001",
        "obl-1",
        "sku-2u",
        "L1",
    )


def test_a_second_scan_of_the_same_box_is_flagged_as_a_duplicate() -> None:
    ctx = shipped_world()
    ctx.apply(decide(receive("NB0001"), ctx))
    with pytest.raises(DuplicateRecord, match="already received") as raised:
        decide(receive("NB0001", "do-2"), ctx)
    assert raised.value.details["duplicate_scan"] == "NB0001"


def test_a_part_removed_in_a_field_swap_is_received_by_its_serial_and_closes_that_obligation() -> None:
    ctx = desk(Role.FIELD_ENGINEER)
    swap = SwapFru(
        swap_id="swap-1",
        asset_id="asset-1",
        visit_id=None,
        slot="fan",
        removed_serial="FAN-OLD",
        installed_serial="FAN-NEW",
        from_location_id="van-1",
        error_code="E-FAN",
        reason="dead",
        obligation_id="obl-swap",
    )
    ctx.apply(decide(swap, ctx))
    as_role(ctx, Role.DEPOT)
    out = decide(receive("fan-old"), ctx)
    closed = one(out, ReturnObligation)
    assert isinstance(closed, ReturnObligation) and closed.status is ObligationStatus.RECEIVED
    moved = one(out, Part)
    assert isinstance(moved, Part) and (moved.location, moved.location_id) == (PartLocation.AT_DEPOT, "do-1")
    ctx.apply(out)
    with pytest.raises(DuplicateRecord, match="already at the depot"):
        decide(receive("FAN-OLD", "do-2"), ctx)


@pytest.mark.parametrize(("code", "error"), [("  ", InvalidInput), ("RMA-2099-000001", NotFound), ("ZZ123", NotFound)])
def test_a_scan_that_names_nothing_awaited_is_refused(code: str, error: type[DomainError]) -> None:
    with pytest.raises(error):
        decide(receive(code), shipped_world())


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_depot_desk_and_admin_receive(role: Role) -> None:
    ctx = as_role(shipped_world(), role)
    if role in DEPOT_DESK_ADMIN:
        assert decide(receive("NB0001"), ctx)
    else:
        with pytest.raises(Forbidden):
            decide(receive("NB0001"), ctx)


# depot steps and grading --------------------------------------------------------------------------------------------
def received_fru_world(lane: RmaLane, model: ServiceModel = ServiceModel.STANDARD) -> FakeContext:
    """A fan wall back at the depot under an RMA of ``lane`` and ``model``, before triage."""
    ctx = desk(Role.DEPOT).put(
        rma(RmaStatus.AWAITING_RETURN, model, lane=lane, part_serial="FAN-OLD"),
        part("FAN-OLD", FAN, PartLocation.INSTALLED, "asset-1"),
    )
    return ctx.apply(decide(receive("FAN-OLD"), ctx))


def walk(ctx: FakeContext, *steps: tuple[DepotStage, tuple[str, ...], str]) -> FakeContext:
    for stage, codes, note in steps:
        ctx.apply(decide(AdvanceDepotOrder(depot_order_id="do-1", to_stage=stage, error_codes=codes, note=note), ctx))
    return ctx


REPAIRED = (
    (DepotStage.TRIAGE, (), ""),
    (DepotStage.REPAIR, ("E-FAN3",), ""),
    (DepotStage.BURN_IN, (), "new fan, 24h ok"),
)


def test_triage_at_the_depot_puts_the_rma_into_inspection() -> None:
    ctx = walk(received_fru_world(RmaLane.REPAIR), (DepotStage.TRIAGE, (), ""))
    assert ctx.get(Rma, "rma-1").status is RmaStatus.INSPECTION  # type: ignore[union-attr]
    assert ctx.get(DepotOrder, "do-1").stage is DepotStage.TRIAGE  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("lane", "model", "grade", "rma_status", "part_location", "pool_quantity"),
    [
        (RmaLane.REPLACE, ServiceModel.STANDARD, DepotGrade.READY_TO_SWAP, RmaStatus.REPLACED, PartLocation.GRADED, 1),
        (
            RmaLane.REPAIR,
            ServiceModel.ADVANCE_EXCHANGE,
            DepotGrade.REPAIRED_TESTED,
            RmaStatus.REPAIRED,
            PartLocation.GRADED,
            1,
        ),
        (
            RmaLane.REPAIR,
            ServiceModel.DEPOT_REPAIR,
            DepotGrade.REPAIRED_TESTED,
            RmaStatus.REPAIRED,
            PartLocation.AT_DEPOT,
            0,
        ),
        (
            RmaLane.REPLACE,
            ServiceModel.STANDARD,
            DepotGrade.SCRAP_SUPPLIER_CLAIM,
            RmaStatus.REPLACED,
            PartLocation.SCRAPPED,
            0,
        ),
    ],
)
def test_grading_moves_the_rma_to_its_outcome_and_the_unit_to_pool_owner_or_scrap(
    lane: RmaLane,
    model: ServiceModel,
    grade: DepotGrade,
    rma_status: RmaStatus,
    part_location: PartLocation,
    pool_quantity: int,
) -> None:
    ctx = walk(received_fru_world(lane, model), *REPAIRED)
    command = GradeDepotOrder(
        depot_order_id="do-1", grade=grade, root_cause="bearing", corrective_action="new fan", pool_location_id="pool"
    )
    ctx.apply(decide(command, ctx))
    assert ctx.get(Rma, "rma-1").status is rma_status  # type: ignore[union-attr]
    moved = ctx.find(Part, "FAN-OLD")
    assert moved is not None and moved.location is part_location
    pooled = ctx.get(StockLevel, "pool:pn-fan")
    assert (pooled.quantity if pooled else 0) == pool_quantity


def test_an_nff_unit_is_recorded_as_returned_nff_never_as_repaired() -> None:
    ctx = walk(
        received_fru_world(RmaLane.REPAIR), (DepotStage.TRIAGE, (), ""), (DepotStage.BURN_IN, (), "no fault, 24h")
    )
    command = GradeDepotOrder(depot_order_id="do-1", grade=DepotGrade.NO_FAULT_FOUND)
    ctx.apply(decide(command, ctx))
    assert ctx.get(Rma, "rma-1").status is RmaStatus.RETURNED_NFF  # type: ignore[union-attr]
    assert ctx.get(DepotOrder, "do-1").grade is DepotGrade.NO_FAULT_FOUND  # type: ignore[union-attr]


# lane, model, grade → RMA status after the ship step, who owns the shipment (the customer org sees it), its rma_id
SHIPPED = [
    (
        RmaLane.REPAIR,
        ServiceModel.DEPOT_REPAIR,
        DepotGrade.REPAIRED_TESTED,
        RmaStatus.SHIPPED_BACK,
        "org-acme",
        "rma-1",
    ),
    (RmaLane.REPAIR, ServiceModel.STANDARD, DepotGrade.NO_FAULT_FOUND, RmaStatus.SHIPPED_BACK, "org-acme", "rma-1"),
    (RmaLane.REPAIR, ServiceModel.ADVANCE_EXCHANGE, DepotGrade.REPAIRED_TESTED, RmaStatus.REPAIRED, "org-oem", None),
    (RmaLane.REPLACE, ServiceModel.STANDARD, DepotGrade.READY_TO_SWAP, RmaStatus.REPLACED, "org-oem", None),
]


@pytest.mark.parametrize(("lane", "model", "grade", "rma_status", "shipment_org", "shipment_rma"), SHIPPED)
def test_the_ship_step_records_the_parcel_and_the_rma_follows_a_unit_going_back_to_its_owner(
    lane: RmaLane,
    model: ServiceModel,
    grade: DepotGrade,
    rma_status: RmaStatus,
    shipment_org: str,
    shipment_rma: str | None,
) -> None:
    nff = grade is DepotGrade.NO_FAULT_FOUND
    steps = ((DepotStage.TRIAGE, (), ""), (DepotStage.BURN_IN, (), "no fault, 24h")) if nff else REPAIRED
    ctx = walk(received_fru_world(lane, model), *steps)
    causes = {} if nff else {"root_cause": "bearing", "corrective_action": "new fan"}
    ctx.apply(decide(GradeDepotOrder(depot_order_id="do-1", grade=grade, pool_location_id="pool", **causes), ctx))
    ship = AdvanceDepotOrder(
        depot_order_id="do-1", to_stage=DepotStage.SHIPPED, carrier="DHL", tracking="jd 0146 0000 6281"
    )
    assert ship.creates() == (("shipments", "do-1:shipment"),)
    ctx.apply(decide(ship, ctx))
    sent = ctx.get(Rma, "rma-1")
    assert sent is not None and sent.status is rma_status
    shipment = ctx.get(Shipment, "do-1:shipment")
    assert shipment is not None
    assert (shipment.carrier, shipment.tracking, shipment.serials) == ("DHL", "JD014600006281", ("FAN-OLD",))
    assert (shipment.status, shipment.shipped_at, shipment.direction) == (
        ShipmentStatus.IN_TRANSIT,
        ctx.now,
        ShipmentDirection.OUTBOUND,
    )
    assert (shipment.org_id, shipment.rma_id) == (shipment_org, shipment_rma)
    if rma_status is RmaStatus.SHIPPED_BACK:
        assert sent.history[-1].note == "DHL JD014600006281"


def test_the_ship_step_without_a_parcel_is_refused_and_shipped_back_is_no_bare_rma_move() -> None:
    ctx = walk(received_fru_world(RmaLane.REPAIR, ServiceModel.DEPOT_REPAIR), *REPAIRED)
    graded_cmd = GradeDepotOrder(
        depot_order_id="do-1", grade=DepotGrade.REPAIRED_TESTED, root_cause="b", corrective_action="f"
    )
    ctx.apply(decide(graded_cmd, ctx))
    with pytest.raises(InvalidInput, match="tracking number"):
        decide(AdvanceDepotOrder(depot_order_id="do-1", to_stage=DepotStage.SHIPPED, carrier="DHL"), ctx)
    with pytest.raises(RuleViolation, match="when the depot ships"):
        decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.SHIPPED_BACK), ctx)


def test_a_pooled_unit_needs_a_refurbished_pool_location() -> None:
    ctx = walk(received_fru_world(RmaLane.REPLACE), *REPAIRED)
    for pool_id, error in ((None, InvalidInput), ("depot", RuleViolation)):
        command = GradeDepotOrder(
            depot_order_id="do-1",
            grade=DepotGrade.READY_TO_SWAP,
            root_cause="c",
            corrective_action="a",
            pool_location_id=pool_id,
        )
        with pytest.raises(error):
            decide(command, ctx)


# return for credit -----------------------------------------------------------------------------------------------
def credit_world(**changes: object) -> FakeContext:
    contract = replace(
        CONTRACT,
        models=(*CONTRACT.models, ServiceModel.RETURN_FOR_CREDIT),
        prices=(UnitPrice(item_id="sku-2u", cents=400_000),),
    )
    asset = replace(world().get(Asset, "asset-1"), ship_date=date(2026, 2, 20))  # type: ignore[type-var]
    fields: dict[str, object] = {"lane": RmaLane.CREDIT, **changes}
    return desk(Role.DEPOT).put(
        contract, asset, replace(rma(RmaStatus.INSPECTION, ServiceModel.RETURN_FOR_CREDIT), **fields)
    )


def test_the_credit_is_computed_from_the_rules_explained_and_moves_the_rma_to_credited() -> None:
    command = DecideCredit(rma_id="rma-1", reason=CreditReason.NOT_NEEDED, kit_present=tuple(KitItem))
    (credited,) = decide(command, credit_world())
    assert isinstance(credited, Rma) and credited.credit is not None
    assert (credited.status, credited.credit.amount_cents, credited.credit.fee_cents) == (
        RmaStatus.CREDITED,
        340_000,
        60_000,
    )
    assert credited.credit.reasons[0] == "claim made 12 days after delivery, inside the 30-day window"


def test_a_denied_credit_keeps_the_rma_at_inspection_with_the_reasons() -> None:
    command = DecideCredit(rma_id="rma-1", reason=CreditReason.NOT_NEEDED, kit_present=(KitItem.RAILS,))
    (denied,) = decide(command, credit_world())
    assert isinstance(denied, Rma) and denied.credit is not None
    assert denied.status is RmaStatus.INSPECTION and not denied.credit.approved
    assert "kit incomplete: packaging missing" in denied.credit.reasons


@pytest.mark.parametrize(
    ("changes", "error"),
    [({"lane": RmaLane.REPAIR}, RuleViolation), ({"status": RmaStatus.RECEIVED}, IllegalTransition)],
)
def test_a_credit_is_decided_only_on_the_credit_lane_at_inspection(
    changes: dict[str, object], error: type[DomainError]
) -> None:
    command = DecideCredit(rma_id="rma-1", reason=CreditReason.NOT_NEEDED, kit_present=tuple(KitItem))
    with pytest.raises(error):
        decide(command, credit_world(**changes))


# stock moves ------------------------------------------------------------------------------------------------------
def move(**changes: object) -> MoveStock:
    fields: dict[str, object] = {
        "from_location_id": "van-1",
        "to_location_id": "depot",
        "part_number_id": "pn-fan",
        "quantity": 1,
        "reason": "return to depot",
        "serials": ("fan-new",),
        **changes,
    }
    return MoveStock(**fields)  # type: ignore[arg-type]


def test_moving_a_serialized_part_moves_both_levels_and_the_part() -> None:
    out = decide(move(), desk(Role.FIELD_ENGINEER))
    levels = {e.id: e.quantity for e in out if isinstance(e, StockLevel)}
    assert levels == {"van-1:pn-fan": 1, "depot:pn-fan": 2}
    moved = one(out, Part)
    assert isinstance(moved, Part) and (moved.location, moved.location_id) == (PartLocation.IN_STOCK, "depot")


@pytest.mark.parametrize(
    ("role", "changes", "error"),
    [
        (Role.INSTALLER, {}, Forbidden),
        (Role.CUSTOMER, {}, Forbidden),
        (Role.DEPOT, {"to_location_id": "van-1"}, InvalidInput),
        (Role.DEPOT, {"quantity": 0, "serials": ()}, InvalidInput),
        (Role.DEPOT, {"quantity": 2}, InvalidInput),
        (Role.DEPOT, {"reason": " "}, InvalidInput),
        (Role.DEPOT, {"quantity": 3, "serials": ()}, InsufficientStock),
        (Role.DEPOT, {"serials": ("BP-NEW",)}, PartUnavailable),
    ],
)
def test_a_stock_move_that_cannot_happen_is_refused(
    role: Role, changes: dict[str, object], error: type[DomainError]
) -> None:
    with pytest.raises(error):
        decide(move(**changes), desk(role))


def test_moving_into_the_pool_makes_the_parts_graded() -> None:
    out = decide(move(to_location_id="pool"), desk(Role.DEPOT))
    moved = one(out, Part)
    assert isinstance(moved, Part) and moved.location is PartLocation.GRADED
    assert (moved.serial, FAN_NEW.location_id) == ("FAN-NEW", VAN.id)


@pytest.mark.parametrize(
    ("model", "offered"),
    [
        (ServiceModel.ADVANCE_EXCHANGE, True),
        (ServiceModel.RETURN_FOR_CREDIT, False),
        (ServiceModel.STANDARD, True),
        (ServiceModel.DEPOT_REPAIR, True),
    ],
)
def test_approval_may_settle_the_model_but_only_a_contract_gives_advance_exchange_or_credit(
    model: ServiceModel, offered: bool
) -> None:
    ctx = desk().put(rma(RmaStatus.TRIAGE))
    command = AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPLACE, model=model)
    if offered:
        (approved,) = decide(command, ctx)
        assert isinstance(approved, Rma) and approved.model is model
    else:
        with pytest.raises(Forbidden, match="not entitled to “return_for_credit”") as raised:
            decide(command, ctx)
        assert raised.value.details["model"] == "return_for_credit"


def test_approval_without_a_model_keeps_the_drafted_one() -> None:
    ctx = desk().put(rma(RmaStatus.TRIAGE, ServiceModel.ON_SITE))
    (approved,) = decide(AdvanceRma(rma_id="rma-1", to_status=RmaStatus.APPROVED, lane=RmaLane.REPAIR), ctx)
    assert isinstance(approved, Rma) and approved.model is ServiceModel.ON_SITE
