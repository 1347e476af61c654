"""RMA intents through the device's unit of work, against the in-process server over the seeded world."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest
import zxingcpp

from app.bootstrap import Client
from app.services.depot import DepotService
from app.services.rma import RmaService
from server.seed import sid
from sync.domain.asset import Asset
from sync.domain.contract import Contract, ServiceModel
from sync.domain.coverage import site_day
from sync.domain.credit import CreditReason, KitItem
from sync.domain.errors import EvidenceMissing, InvalidInput
from sync.domain.evidence import PhotoKind
from sync.domain.logistics import ObligationStatus, ReturnObligation
from sync.domain.rma import EvidenceItem, Rma, RmaLane, RmaStatus
from sync.domain.service import Severity

SHA = "c" * 64


@dataclass
class Desk:
    client: Client
    rma: RmaService
    depot: DepotService


@pytest.fixture
def user(enrolled: Callable[[str], Client]) -> Callable[[str], Desk]:
    def make(username: str) -> Desk:
        client = enrolled(username)
        client.sync()
        return Desk(client=client, rma=RmaService(store=client.store), depot=DepotService(store=client.store))

    return make


def test_an_engineer_drafts_from_the_asset_sees_entitlement_and_checklist_and_submits_offline(
    user: Callable[[str], Desk],
) -> None:
    eli = user("engineer")
    asset = eli.client.store.find(Asset, "NBR22600001")
    assert asset is not None
    form = eli.rma.draft_form(asset.id)
    assert form.entitlement.covered and form.entitlement.reasons
    assert form.rack_depth_mm == 1000 and form.rail_kit_label.startswith("RK-M-600")
    assert set(form.models) <= set(ServiceModel) and form.models
    assert [slot for slot, _ in form.parts][:1] == ["FAN-WALL"]

    rma_id = eli.rma.draft(
        asset_id=asset.id,
        model=form.models[0],
        symptom="fan 3 tach failure",
        repro_steps="boot, wait 10 min",
        severity=Severity.MAJOR,
        controller_involved=True,
        rack_depth_mm=form.rack_depth_mm,
        rail_kit_id=form.rail_kit_id,
    )
    page = eli.rma.page(rma_id)
    assert page.status is RmaStatus.DRAFT and page.actions == ("submit", "add_evidence")
    assert {i.item for i in page.checklist if not i.done} == {
        EvidenceItem.INSTALL_PHOTOS,
        EvidenceItem.LABEL_PHOTOS,
        EvidenceItem.CONTROLLER_LOGS,
    }
    for kind in (PhotoKind.INSTALL, PhotoKind.LABEL, PhotoKind.LOG):
        eli.rma.attach_evidence(rma_id=rma_id, kind=kind, sha256=SHA)
    eli.rma.submit(rma_id)
    page = eli.rma.page(rma_id)
    assert page.status is RmaStatus.SUBMITTED and page.evidence_complete and page.pending
    # The chassis is at Helix ASH1 (America/New_York): its history is on that clock, zone named.
    assert page.history and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T \w+.*", h) for h in page.history)
    assert eli.client.store.pending_count() == 5
    assert [r.rma_id for r in eli.rma.for_asset(asset.id)].count(rma_id) == 1

    report = eli.client.sync()
    assert (report.pushed, report.rejected) == (5, 0)
    desk = user("desk")
    (submitted,) = [g for g in desk.rma.queue() if g.status is RmaStatus.SUBMITTED]
    row = next(r for r in submitted.rows if r.rma_id == rma_id)
    assert row.missing == 0 and row.number is None and row.age_hours < 1 and not row.late


def test_the_desk_queue_groups_by_status_desk_work_first_with_sla_ages(user: Callable[[str], Desk]) -> None:
    groups = user("desk").rma.queue()
    statuses = [g.status for g in groups]
    assert statuses[:3] == [RmaStatus.SUBMITTED, RmaStatus.TRIAGE, RmaStatus.NEEDS_INFO]
    # Every status the demo seeds; "shipped back" only comes from a depot ship step (not seeded).
    assert set(statuses) == set(RmaStatus) - {RmaStatus.SHIPPED_BACK}
    for group in groups:
        ages = [r.age_hours for r in group.rows]
        assert ages == sorted(ages, reverse=True)
    submitted = groups[0].rows[0]
    # Seeded three weeks before today: far past the 4-hour submitted target.
    assert submitted.late and re.fullmatch(r"\d+ days( \d+ h)?", str(submitted.age)), submitted.age


def test_triage_sends_back_answers_approves_and_the_label_scans_back_to_the_rma_number(
    user: Callable[[str], Desk],
) -> None:
    desk = user("desk")
    rma_id = sid("rma", "exchange")
    with pytest.raises(InvalidInput, match="question"):
        desk.rma.send_back(rma_id, question=" ")
    desk.rma.send_back(rma_id, question="Which BMC firmware?")
    assert desk.rma.page(rma_id).question == "Which BMC firmware?"
    desk.client.sync()

    eli = user("engineer")
    assert eli.rma.page(rma_id).actions == ("answer", "add_evidence")
    eli.rma.answer(rma_id, answer="BMC 2.14")
    assert eli.client.sync().rejected == 0

    desk.client.sync()
    assert desk.rma.page(rma_id).status is RmaStatus.TRIAGE
    desk.rma.approve(rma_id, lane=RmaLane.REPLACE, model=ServiceModel.ADVANCE_EXCHANGE)
    with pytest.raises(InvalidInput, match="no RMA number yet"):
        desk.rma.return_label(rma_id)
    desk.client.sync()
    page = desk.rma.page(rma_id)
    assert page.status is RmaStatus.APPROVED and page.number == "RMA-2026-000014"
    assert "ship_replacement" in page.actions and "label" in page.actions

    pdf = pypdfium2.PdfDocument(desk.rma.return_label(rma_id))
    image = pdf[0].render(scale=3).to_pil()
    read = {b.text for b in zxingcpp.read_barcodes(image)}
    pdf.close()
    assert {"RMA-2026-000014", page.serial} <= read


def test_approval_is_refused_while_evidence_is_missing_and_nothing_is_queued(user: Callable[[str], Desk]) -> None:
    desk = user("desk")
    asset = desk.client.store.find(Asset, "NBR22600001")
    assert asset is not None
    rma_id = desk.rma.draft(asset_id=asset.id, model=ServiceModel.STANDARD, symptom="no POST")
    desk.rma.submit(rma_id)
    before = desk.client.store.pending_count()
    with pytest.raises(EvidenceMissing) as raised:
        desk.rma.approve(rma_id, lane=RmaLane.REPAIR)
    assert "install_photos" in raised.value.message
    # approve() moved it to triage first (a command of its own); the refused approval left nothing behind.
    assert desk.client.store.pending_count() == before + 1
    assert desk.rma.page(rma_id).status is RmaStatus.TRIAGE
    with pytest.raises(InvalidInput, match="why"):
        desk.rma.reject(rma_id, reason="")
    desk.rma.reject(rma_id, reason="customer damage")
    assert desk.rma.page(rma_id).status is RmaStatus.REJECTED
    assert desk.client.sync().rejected == 0


def test_a_full_advance_exchange_ships_first_ages_in_the_ledger_and_closes_when_the_suspect_arrives(
    user: Callable[[str], Desk],
) -> None:
    desk = user("desk")
    rma_id = sid("rma", "exchange")
    desk.rma.approve(rma_id, lane=RmaLane.REPLACE, model=ServiceModel.ADVANCE_EXCHANGE)
    desk.client.sync()
    number = desk.rma.page(rma_id).number
    assert number is not None
    desk.rma.ship_replacement(rma_id, replacement_serial="NBRP9990001", carrier="DHL", tracking="JD1")
    page = desk.rma.page(rma_id)
    assert page.status is RmaStatus.REPLACEMENT_SHIPPED and page.replacement_serial == "NBRP9990001"
    (obligation,) = page.ledger
    assert obligation.replacement_serial == "NBRP9990001" and obligation.days_overdue == 0
    assert obligation.business_days_left == 10 and obligation.due_on == page.return_due
    seeded = next(r for r in desk.rma.ledger() if r.obligation_id == sid("obligation", 6))
    # Shipped in October, ten business days to return: weeks overdue today, owing the platinum penalty.
    assert seeded.overdue and seeded.penalty_due_cents == 150_000
    assert desk.rma.ledger()[0].days_overdue >= seeded.days_overdue
    assert desk.client.sync().rejected == 0

    depot = user("depot")
    line = depot.depot.scan(number)
    assert line.outcome == "received", line.message
    assert depot.rma.page(rma_id).status is RmaStatus.RECEIVED
    closed = depot.client.store.children(ReturnObligation, rma_id)
    assert [o.status for o in closed] == [ObligationStatus.RECEIVED]
    assert all(r.obligation_id != closed[0].id for r in depot.rma.ledger())
    assert depot.client.sync().rejected == 0
    desk.client.sync()
    assert desk.rma.page(rma_id).status is RmaStatus.RECEIVED


def test_a_return_for_credit_is_decided_offline_from_the_rules_and_explained(user: Callable[[str], Desk]) -> None:
    desk = user("desk")
    store = desk.client.store
    gold = store.get(Contract, sid("contract", "A-GOLD"))
    assert gold is not None
    asset = store.get(Asset, gold.asset_ids[0])
    assert asset is not None and asset.ship_date is not None
    rma_id = desk.rma.draft(
        asset_id=asset.id,
        model=ServiceModel.RETURN_FOR_CREDIT,
        symptom="wrong spec delivered",
        repro_steps="label says 2x25G, board is 2x10G",
        rack_depth_mm=1000,
        rail_kit_id=sid("rail", "RK-M"),
    )
    for kind in (PhotoKind.INSTALL, PhotoKind.LABEL):
        desk.rma.attach_evidence(rma_id=rma_id, kind=kind, sha256=SHA)
    desk.rma.submit(rma_id)
    desk.rma.approve(rma_id, lane=RmaLane.CREDIT)
    desk.rma.await_return(rma_id)
    line = desk.depot.scan(asset.serial)
    assert line.outcome == "received", line.message
    order_id = line.depot_order_id
    assert order_id is not None
    assert desk.depot.order_page(order_id).grades == ()
    desk.depot.advance(order_id, to_stage=desk.depot.order_page(order_id).steps[0].stage)
    assert desk.depot.order_page(order_id).credit_decidable
    approved, reasons = desk.depot.decide_credit(rma_id, reason=CreditReason.WRONG_SPEC, kit_present=tuple(KitItem))
    # The claim is dated on the site's calendar day (coverage.site_day), which at night differs from the UTC day.
    days = (site_day(desk.client.store, asset.site_id, datetime.now(UTC)) - asset.ship_date).days
    assert not approved
    assert f"claim made {days} days after delivery, outside the 30-day window" in reasons
    assert reasons[-1] == "credit denied"
    assert desk.rma.page(rma_id).credit == reasons
    report = desk.client.sync()
    assert report.rejected == 0
    on_server = desk.client.store.get(Rma, rma_id)
    assert on_server is not None and on_server.number is not None and on_server.credit is not None
    assert on_server.status is RmaStatus.INSPECTION and not on_server.credit.approved


def test_desk_kpis_are_computed_from_the_records_on_the_device(user: Callable[[str], Desk]) -> None:
    desk = user("desk")
    report = desk.rma.kpis()
    rmas = desk.client.store.all(Rma)
    assert report.rmas == len(rmas) > 0
    # The seed has approved RMAs (issued after submission) and graded depot orders, NFF among them or not.
    assert report.issuance_hours_median is not None and report.issuance_hours_median > 0
    assert report.nff_rate is not None and 0.0 <= report.nff_rate <= 1.0
    overdue = [a for a in report.unreturned if a.overdue]
    assert len(overdue) == len(report.unreturned)
    assert report.unreturned_penalties == (("EUR", sum(a.penalty_due_cents for a in report.unreturned)),)


def test_desk_kpis_over_a_period_count_what_was_opened_in_it_and_unreturned_units_as_of_today(
    user: Callable[[str], Desk],
) -> None:
    desk = user("desk")
    everything = desk.rma.kpis()
    recent = desk.rma.kpis(days=3650)
    assert (recent.rmas, recent.nff_rate) == (everything.rmas, everything.nff_rate)
    rmas = desk.client.store.all(Rma)
    newest = max(r.created_at for r in rmas)
    # A desk looking back one day from a moment 400 days after the newest RMA sees none of them...
    later = RmaService(store=desk.client.store, now=lambda: newest.replace(tzinfo=UTC) + timedelta(days=400))
    late = later.kpis(days=1)
    assert (late.rmas, late.issuance_hours_median, late.nff_rate) == (0, None, None)
    # ...but units still out are overdue whatever the period: an obligation does not age out of the report.
    assert len(late.unreturned) >= len(everything.unreturned) > 0
    with pytest.raises(ValueError, match="at least one day"):
        desk.rma.kpis(days=0)
