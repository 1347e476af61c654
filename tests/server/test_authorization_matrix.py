"""Every command × every role × every way of reaching past one's scope, pushed over HTTP on SQLite and PostgreSQL.

The expected outcome of each cell is written out below, literally; nothing is derived from the code under test. A
command type that has no row fails the test, so a new command cannot ship without deciding who may reach what.

Cases (the four letters of a cell, in this order):
- **own**: the command aimed at the caller's own records, made valid (a chassis at one of its sites, a spare in its
  own van, a visit it started, a conflict and a draft RMA on its chassis, an open incident the desk opened on it):
  applied where the role may act, else the role's refusal. Moving an incident is open → responded (the customer and
  the depot are not on that edge), amending it is a severity change (the desk's and admins'), and a breach is
  recorded on the seeded incident at the place that breached long ago (server time is today; the seed's is
  November 2026), and acknowledged there (the desk records that breach first for the desk's and admins' places).
  The seeded partner holds no stock, so its swaps and stock moves find no spare (``N``). The depot workflow
  commands (shipping, receiving, depot steps, grading, credit) are checked here only for the roles they refuse;
  their steps for depot, desk and admin are walked by the domain's permission matrix and the depot flow tests.
- **other org**: the command names records of an organization whose records the caller never sees (Quarry's for the
  OEM engineer, the partner and Helix's customer user; Helix's for the Tokyo installer). For registering a chassis,
  the chassis is registered *for* that organization.
- **outside scope**: records of an organization the caller does see, at a site the caller is not assigned to (the
  partner and Helix's ASH1; the installer and Quarry's SYD edge), and stock in a colleague's van (the OEM's
  engineer and installer, who see every OEM stock location but may only move their own van's).
- **taken id**: a create naming the id of an existing record of another organization (Quarry's approved RMA and the
  like). Visible or not, a create only creates.

Letters: ``A`` applied, ``F`` forbidden, ``N`` not_found, ``X`` already_exists, ``-`` no such case for this role
(desk, depot and admin see everything and the customer user sees all of its organization, so nothing is outside
their scope; the engineer's sites are all of Helix's, so only stock reaches outside it; the OEM owns all stock, so
moving stock has no other organization for OEM staff; commands that create nothing have no taken-id case).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from server.accounts import enroll
from server.seed import CUSTOMER_B, DEMO_PASSWORD, sid
from server.store import Store
from server.tables import records
from sync import codec
from sync.domain.commands import (
    COMMAND_TYPES,
    AcknowledgeBreach,
    AddNote,
    AdjustStock,
    AdvanceDepotOrder,
    AdvanceRma,
    AmendIncident,
    AttachPhoto,
    Command,
    DecideCredit,
    DraftRma,
    EditAsset,
    EndVisit,
    FieldChange,
    GradeDepotOrder,
    MoveIncident,
    MoveStock,
    OpenTicket,
    ReceiveReturn,
    RecordBreach,
    RecordInstallation,
    RegisterAsset,
    ResolveConflict,
    ShipReplacement,
    StartVisit,
    SwapFru,
)
from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason
from sync.domain.evidence import PhotoKind
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.logistics import DepotGrade, DepotStage
from sync.domain.rack import Occupant, first_clash
from sync.domain.rma import RmaStatus
from sync.domain.service import Severity
from sync.domain.sla import Clock
from sync.protocol import PROTOCOL_HEADER

ROLES = ("engineer", "installer", "partner", "customer", "desk", "depot", "admin")

#                       engineer installer partner customer desk  depot admin
MATRIX = """
RegisterAsset           AA-X     AA-X      AF-X    FF-X     A--X  A--X  A--X
RecordInstallation      AN-X     ANNX      ANNX    FF-X     A--X  F--X  A--X
SwapFru                 AN-X     ANNX      NNNX    FF-X     A--X  F--X  A--X
OpenTicket              AN-X     ANNX      ANNX    AN-X     A--X  F--X  A--X
MoveIncident            AN--     FFF-      ANN-    FN--     A---  F---  A---
AmendIncident           FN--     FFF-      FNN-    FF--     A---  F---  A---
RecordBreach            FF--     FFF-      FFF-    FF--     A---  F---  A---
AcknowledgeBreach       FF--     FFF-      FFF-    FF--     A---  F---  A---
StartVisit              AN-X     ANNX      ANNX    FF-X     A--X  F--X  A--X
EndVisit                AN--     ANN-      ANN-    FF--     A---  F---  A---
AttachPhoto             AN-X     ANNX      ANNX    AN-X     A--X  A--X  A--X
AddNote                 AN-X     ANNX      ANNX    AN-X     A--X  A--X  A--X
EditAsset               AN--     ANN-      ANN-    FF--     A---  A---  A---
ResolveConflict         AN--     ANN-      ANN-    FF--     A---  A---  A---
DraftRma                AN-X     ANNX      ANNX    AN-X     A--X  A--X  A--X
AdvanceRma              AN--     ANN-      ANN-    AN--     A---  A---  A---
AdjustStock             FFF-     FFF-      FFF-    FF--     A---  A---  A---
ShipReplacement         FFFX     FFFX      FFFX    FF-X     ---X  ---X  ---X
ReceiveReturn           FFFX     FFFX      FFFX    FF-X     ---X  ---X  ---X
AdvanceDepotOrder       FFF-     FFF-      FFF-    FF--     ----  ----  ----
GradeDepotOrder         FFF-     FFF-      FFF-    FF--     ----  ----  ----
DecideCredit            FFF-     FFF-      FFF-    FF--     ----  ----  ----
MoveStock               A-F-     A-F-      NNN-    NN--     A---  A---  A---
"""

CASES = ("own", "other_org", "outside_scope", "taken_id")
LETTERS = {"A": "applied", "F": "forbidden", "N": "not_found", "X": "already_exists"}
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def expected() -> dict[tuple[str, str, str], str]:
    table: dict[tuple[str, str, str], str] = {}
    for line in MATRIX.strip().splitlines():
        command, *cells = line.split()
        assert len(cells) == len(ROLES), line
        for role, cell in zip(ROLES, cells, strict=True):
            assert len(cell) == len(CASES), line
            for case, letter in zip(CASES, cell, strict=True):
                if letter != "-":
                    table[(command, role, case)] = LETTERS[letter]
    return table


def test_every_command_type_has_a_row_in_the_matrix() -> None:
    rows = {line.split()[0] for line in MATRIX.strip().splitlines()}
    assert rows == set(COMMAND_TYPES)


# The world each case reaches into -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Place:
    """Records of one organization at one site (or the OEM's stock), as a command would name them."""

    org_id: str
    asset_id: str
    rack_id: str
    rma_id: str
    visit_id: str
    conflict_id: str
    location_id: str
    ticket_id: str = ""
    # A seeded incident at the place whose response clock breached long ago (RecordBreach applies to it).
    breached_ticket_id: str = ""
    # What a swap, a stock move and a conflict's resolution name: real ones in the caller's own place.
    slot: str = "FAN"
    removed_serial: str = "OLD1"
    spare_serial: str = "NEW1"
    part_number_id: str = "pn-none"
    move_to: str = ""
    # Where the chassis stands in ``rack_id``: installing it there again moves it onto its own Us, never onto another's.
    u_position: int = 1
    conflict_value: str = "LOT-DESK-1"


@dataclass(frozen=True, kw_only=True)
class Taken:
    """Ids of existing records of a customer, one per collection a command can create into."""

    asset_id: str
    installation_id: str
    swap_id: str
    obligation_id: str
    ticket_id: str
    visit_id: str
    photo_id: str
    note_id: str
    rma_id: str
    shipment_id: str
    depot_order_id: str


def new_id() -> str:
    return str(uuid.uuid4())


def rows_of(store: Store, collection: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        found = conn.execute(
            select(records.c.data)
            .where(records.c.collection == collection, records.c.deleted.is_(False))
            .order_by(records.c.version)
        ).scalars()
        return [json.loads(text) for text in found]


def first(store: Store, collection: str, **where: Any) -> str:
    for row in rows_of(store, collection):
        if all(row.get(k) == v for k, v in where.items()):
            return str(row["id"])
    raise AssertionError(f"the seeded world has no {collection} with {where}")


Push = Callable[[str, Command], dict[str, Any]]


def rack_chassis_in(store: Store, push: Push, asset: dict[str, Any], rack_id: str) -> int:
    """The desk places the chassis on the lowest free Us of the rack (the seed leaves gaps); returns its U."""
    heights = {s["id"]: s["height_u"] for s in rows_of(store, "skus")}
    placed = [
        Occupant(
            asset_id=a["id"],
            serial=a["serial"],
            sku_id=a["sku_id"],
            bottom_u=a["u_position"],
            height_u=heights[a["sku_id"]],
        )
        for a in rows_of(store, "assets")
        if a["rack_id"] == rack_id and a["u_position"] is not None
    ]
    height = heights[asset["sku_id"]]
    u = next(u for u in range(1, 60) if first_clash(placed, asset_id=asset["id"], bottom_u=u, height_u=height) is None)
    move = RecordInstallation(
        installation_id=new_id(),
        asset_id=asset["id"],
        rack_id=rack_id,
        u_position=u,
        measured_depth_mm=1000,
        rail_kit_id=None,
    )
    assert push("desk", move)["status"] == "applied"
    return u


def arrange_place(store: Store, push: Push, site_key: str, rack_name: str) -> Place:
    """A chassis, rack, RMA, visit and conflict at ``site_key``, made by the desk (who sees everything)."""
    site_id = sid("site", site_key)
    asset_id = first(store, "assets", site_id=site_id)
    asset = next(a for a in rows_of(store, "assets") if a["id"] == asset_id)
    visit_id = new_id()
    assert push("desk", StartVisit(visit_id=visit_id, asset_id=asset_id))["status"] == "applied"
    for value in ("LOT-DESK-1", "LOT-DESK-2"):
        # Both edits start from the seeded value: the second one conflicts with the first.
        change = FieldChange(field="lot", base_value=asset["lot"], new_value=value)
        assert push("desk", EditAsset(asset_id=asset_id, base_version=None, changes=(change,)))["status"] == "applied"
    rack_id = sid("rack", site_key, rack_name)
    return Place(
        org_id=asset["org_id"],
        asset_id=asset_id,
        rack_id=rack_id,
        u_position=rack_chassis_in(store, push, asset, rack_id),
        rma_id=first(store, "rmas", site_id=site_id),
        visit_id=visit_id,
        conflict_id=first(store, "conflicts", subject_id=asset_id),
        location_id=sid("loc", "buffer-apac"),
        ticket_id=open_incident(push, asset_id),
        breached_ticket_id=first(store, "tickets", site_id=site_id, status="open"),
    )


def open_incident(push: Push, asset_id: str) -> str:
    """A fresh incident on the chassis, opened by the desk (who sees everything)."""
    ticket_id = new_id()
    command = OpenTicket(ticket_id=ticket_id, asset_id=asset_id, symptom="fan alarm", severity=Severity.MAJOR)
    assert push("desk", command)["status"] == "applied"
    return ticket_id


# Roles that may start a visit themselves; for the others the desk starts the visit their own case ends.
VISITORS = ("engineer", "installer", "partner", "desk", "admin")
FAN_WALL = "FAN-WALL"


def arrange_own(
    store: Store, push: Push, role: str, *, site_key: str, rack_name: str, index: int, stock: str, move_to: str
) -> Place:
    """The caller's own place: the ``index``-th chassis at its site, with a visit, a conflict, a draft RMA and a fan
    wall spare in ``stock`` (its own van, or a shared location for the desk, the depot and the admin)."""
    site_id = sid("site", site_key)
    # By serial: versions move as earlier arrangements edit chassis, serials do not.
    asset = sorted((a for a in rows_of(store, "assets") if a["site_id"] == site_id), key=lambda a: a["serial"])[index]
    visit_id, rma_id = new_id(), new_id()
    starter = role if role in VISITORS else "desk"
    assert push(starter, StartVisit(visit_id=visit_id, asset_id=asset["id"]))["status"] == "applied"
    for value in ("LOT-OWN-1", "LOT-OWN-2"):
        change = FieldChange(field="lot", base_value=asset["lot"], new_value=value)
        assert (
            push("desk", EditAsset(asset_id=asset["id"], base_version=None, changes=(change,)))["status"] == "applied"
        )
    draft = DraftRma(rma_id=rma_id, asset_id=asset["id"], model=ServiceModel.ON_SITE, symptom="fan alarm")
    assert push("desk", draft)["status"] == "applied"
    fan_walls = {p["id"] for p in rows_of(store, "part_numbers") if p["fru_type"] == "fan_wall"}
    spares = [
        p
        for p in rows_of(store, "parts")
        if p["location_id"] == stock and p["location"] == "in_stock" and p["part_number_id"] in fan_walls
    ]
    # A different spare for each caller drawing on the same shelf (the desk and the admin share the EU buffer).
    spare = spares[index % len(spares)]
    removed = next(p["part_serial"] for p in asset["installed_parts"] if p["slot"] == FAN_WALL)
    rack_id = sid("rack", site_key, rack_name)
    breached = first(store, "tickets", site_id=site_id, status="open")
    if role in ("desk", "admin"):
        # Its response breach on the record (the sweep's work), so the desk and admins have a notice to acknowledge.
        assert push("desk", RecordBreach(ticket_id=breached, clock=Clock.RESPONSE))["status"] == "applied"
    return Place(
        org_id=asset["org_id"],
        asset_id=asset["id"],
        rack_id=rack_id,
        u_position=rack_chassis_in(store, push, asset, rack_id),
        rma_id=rma_id,
        visit_id=visit_id,
        conflict_id=first(store, "conflicts", subject_id=asset["id"], kept_value="LOT-OWN-2"),
        location_id=stock,
        slot=FAN_WALL,
        removed_serial=removed,
        spare_serial=spare["serial"],
        part_number_id=spare["part_number_id"],
        move_to=move_to,
        conflict_value="LOT-OWN-1",
        ticket_id=open_incident(push, asset["id"]),
        breached_ticket_id=breached,
    )


def arrange_taken(store: Store, push: Push) -> Taken:
    """Existing ids of Quarry's (and the OEM's) records, in every collection a command creates into."""
    tyo1 = sid("site", "tyo1")
    asset_id = first(store, "assets", site_id=tyo1)
    ticket_id, note_id, visit_id = new_id(), new_id(), new_id()
    assert (
        push("desk", OpenTicket(ticket_id=ticket_id, asset_id=asset_id, symptom="x", severity=Severity.MINOR))["status"]
        == "applied"
    )
    assert (
        push("desk", AddNote(note_id=note_id, subject_collection="assets", subject_id=asset_id, text="x"))["status"]
        == "applied"
    )
    assert push("desk", StartVisit(visit_id=visit_id, asset_id=asset_id))["status"] == "applied"
    return Taken(
        asset_id=asset_id,
        installation_id=first(store, "installations", site_id=tyo1),
        swap_id=new_id(),  # no swap is seeded: the command's taken id is its obligation's
        obligation_id=first(store, "return_obligations"),
        ticket_id=ticket_id,
        visit_id=visit_id,
        photo_id=first(store, "photos"),
        note_id=note_id,
        rma_id=first(store, "rmas", org_id=CUSTOMER_B),
        shipment_id=first(store, "shipments"),
        depot_order_id=first(store, "depot_orders"),
    )


# Commands, built against a place -------------------------------------------------------------------------------------
def build(name: str, place: Place, *, own_location: str, depot_order_id: str) -> Command:
    """``name`` aimed at ``place``: every id it names is there, every id it creates is new."""
    sku = sid("sku", "R2")
    commands: dict[str, Callable[[], Command]] = {
        "RegisterAsset": lambda: RegisterAsset(
            asset_id=new_id(),
            serial=f"NBZ{uuid.uuid4().int % 10**8:08d}",
            sku_id=sku,
            revision="A",
            owner_org_id=place.org_id,
        ),
        "RecordInstallation": lambda: RecordInstallation(
            installation_id=new_id(),
            asset_id=place.asset_id,
            rack_id=place.rack_id,
            u_position=place.u_position,
            measured_depth_mm=1000,
            rail_kit_id=None,
        ),
        "SwapFru": lambda: SwapFru(
            swap_id=new_id(),
            asset_id=place.asset_id,
            visit_id=None,
            slot=place.slot,
            removed_serial=place.removed_serial,
            installed_serial=place.spare_serial,
            from_location_id=place.location_id,
            error_code="",
            reason="x",
            obligation_id=new_id(),
        ),
        "OpenTicket": lambda: OpenTicket(
            ticket_id=new_id(), asset_id=place.asset_id, symptom="x", severity=Severity.MINOR
        ),
        "MoveIncident": lambda: MoveIncident(
            ticket_id=place.ticket_id, to_status=IncidentStatus.RESPONDED, from_status=IncidentStatus.OPEN
        ),
        "AmendIncident": lambda: AmendIncident(
            ticket_id=place.ticket_id, amendment=Amendment.CHANGE_SEVERITY, value="critical", reason="cluster down"
        ),
        "RecordBreach": lambda: RecordBreach(ticket_id=place.breached_ticket_id, clock=Clock.RESPONSE),
        "AcknowledgeBreach": lambda: AcknowledgeBreach(ticket_id=place.breached_ticket_id, clock=Clock.RESPONSE),
        "StartVisit": lambda: StartVisit(visit_id=new_id(), asset_id=place.asset_id),
        "EndVisit": lambda: EndVisit(visit_id=place.visit_id, notes="done"),
        "AttachPhoto": lambda: AttachPhoto(
            photo_id=new_id(),
            subject_collection="assets",
            subject_id=place.asset_id,
            sha256=uuid.uuid4().hex * 2,  # bytes nobody has uploaded yet: naming them grants nothing until one does
            thumbnail_sha256=None,
            kind=PhotoKind.LABEL,
        ),
        "AddNote": lambda: AddNote(note_id=new_id(), subject_collection="assets", subject_id=place.asset_id, text="x"),
        "EditAsset": lambda: EditAsset(
            asset_id=place.asset_id,
            base_version=None,
            changes=(FieldChange(field="notes", base_value="", new_value="mine"),),
        ),
        "ResolveConflict": lambda: ResolveConflict(conflict_id=place.conflict_id, chosen_value=place.conflict_value),
        "DraftRma": lambda: DraftRma(rma_id=new_id(), asset_id=place.asset_id, model=ServiceModel.ON_SITE, symptom="x"),
        "AdvanceRma": lambda: AdvanceRma(rma_id=place.rma_id, to_status=RmaStatus.SUBMITTED),
        "AdjustStock": lambda: AdjustStock(
            location_id=place.location_id, part_number_id=place.part_number_id, delta=1, reason="count"
        ),
        "ShipReplacement": lambda: ShipReplacement(
            rma_id=place.rma_id, shipment_id=new_id(), obligation_id=new_id(), replacement_serial="NEW1"
        ),
        "ReceiveReturn": lambda: ReceiveReturn(depot_order_id=new_id(), code="RMA-2026-000001"),
        "AdvanceDepotOrder": lambda: AdvanceDepotOrder(depot_order_id=depot_order_id, to_stage=DepotStage.TRIAGE),
        "GradeDepotOrder": lambda: GradeDepotOrder(
            depot_order_id=depot_order_id, grade=DepotGrade.SCRAP_SUPPLIER_CLAIM, root_cause="x", corrective_action="x"
        ),
        "DecideCredit": lambda: DecideCredit(rma_id=place.rma_id, reason=CreditReason.NOT_NEEDED, kit_present=()),
        "MoveStock": lambda: MoveStock(
            from_location_id=place.location_id,
            to_location_id=place.move_to or own_location,
            part_number_id=place.part_number_id,
            quantity=1,
            reason="x",
        ),
    }
    return commands[name]()


def with_taken_id(command: Command, taken: Taken) -> Command:
    """``command`` with each id it creates replaced by an existing one of the same collection."""
    by_collection = {
        "assets": taken.asset_id,
        "installations": taken.installation_id,
        "fru_swaps": taken.swap_id,
        "return_obligations": taken.obligation_id,
        "tickets": taken.ticket_id,
        "visits": taken.visit_id,
        "photos": taken.photo_id,
        "notes": taken.note_id,
        "rmas": taken.rma_id,
        "shipments": taken.shipment_id,
        "depot_orders": taken.depot_order_id,
    }
    payload = codec.dump(command)
    created = dict(command.creates())
    for field, value in payload.items():
        for collection, record_id in created.items():
            if value == record_id:
                payload[field] = by_collection[collection]
    return codec.load_command(command.type_name, payload)


@pytest.fixture
def pusher(api: httpx.Client, seeded_store: Store) -> Push:
    tokens = {}
    for username in ROLES:
        _device, token, _user = enroll(
            seeded_store.engine, username=username, password=DEMO_PASSWORD, device_name="matrix", now=NOW
        )
        tokens[username] = token

    def push(username: str, command: Command) -> dict[str, Any]:
        envelope = {"command_id": new_id(), "type": command.type_name, "payload": codec.dump(command)}
        headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {tokens[username]}"}
        answer = api.post("/api/v1/sync/push", json={"commands": [envelope]}, headers=headers)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()["results"][0]
        return result

    return push


def test_no_command_reaches_past_the_callers_scope(pusher: Push, seeded_store: Store) -> None:
    depot_order_id = first(seeded_store, "depot_orders")
    helix_fra1 = arrange_place(seeded_store, pusher, "fra1", "R01")
    helix_ash1 = arrange_place(seeded_store, pusher, "ash1", "A01")
    quarry_tyo1 = arrange_place(seeded_store, pusher, "tyo1", "T01")
    quarry_syd = arrange_place(seeded_store, pusher, "syd-edge", "S1")
    taken = arrange_taken(seeded_store, pusher)
    installers_van = sid("loc", "van-installer")
    engineers_van = sid("loc", "van-engineer")
    # Where each role's two cases reach; stock comes from a location outside the caller's reach too.
    reach: dict[str, dict[str, Place]] = {
        "engineer": {"other_org": quarry_tyo1, "outside_scope": _with_location(helix_fra1, installers_van)},
        "installer": {"other_org": helix_fra1, "outside_scope": _with_location(quarry_syd, engineers_van)},
        "partner": {"other_org": _with_location(quarry_tyo1, engineers_van), "outside_scope": helix_ash1},
        "customer": {"other_org": _with_location(quarry_tyo1, engineers_van)},
    }
    # Where a stock move would put the parts: the caller's own van, or a location it cannot see (partner, customer).
    own = {"engineer": engineers_van, "installer": installers_van, "partner": sid("loc", "buffer-eu")}
    buffer_eu, buffer_apac, depot = sid("loc", "buffer-eu"), sid("loc", "buffer-apac"), sid("loc", "depot")
    mine = {
        "engineer": dict(site_key="fra1", rack_name="R01", index=0, stock=engineers_van, move_to=buffer_eu),
        "partner": dict(site_key="fra1", rack_name="R01", index=1, stock=buffer_eu, move_to=buffer_eu),
        "customer": dict(site_key="fra1", rack_name="R01", index=2, stock=buffer_eu, move_to=depot),
        "desk": dict(site_key="fra1", rack_name="R01", index=3, stock=buffer_eu, move_to=depot),
        "depot": dict(site_key="fra1", rack_name="R01", index=4, stock=buffer_eu, move_to=depot),
        "admin": dict(site_key="fra1", rack_name="R01", index=5, stock=buffer_eu, move_to=depot),
        "installer": dict(site_key="tyo1", rack_name="T01", index=0, stock=installers_van, move_to=buffer_apac),
    }
    owned = {role: arrange_own(seeded_store, pusher, role, **where) for role, where in mine.items()}  # type: ignore[arg-type]
    table = expected()
    got: dict[tuple[str, str, str], str] = {}
    for (name, role, case), _want in sorted(table.items()):
        if case == "own":
            command = build(name, owned[role], own_location=depot, depot_order_id=depot_order_id)
        elif case == "taken_id":
            place = reach.get(role, {}).get("other_org", helix_fra1)
            command = build(name, place, own_location=engineers_van, depot_order_id=depot_order_id)
            command = with_taken_id(command, taken)
        else:
            target = own.get(role, sid("loc", "buffer-eu"))
            command = build(name, reach[role][case], own_location=target, depot_order_id=depot_order_id)
        result = pusher(role, command)
        got[(name, role, case)] = result["status"] if result["status"] == "applied" else result["error"]["code"]
    assert got == table


def _with_location(place: Place, location_id: str) -> Place:
    return Place(
        org_id=place.org_id,
        asset_id=place.asset_id,
        rack_id=place.rack_id,
        rma_id=place.rma_id,
        visit_id=place.visit_id,
        conflict_id=place.conflict_id,
        location_id=location_id,
        ticket_id=place.ticket_id,
        breached_ticket_id=place.breached_ticket_id,
    )
