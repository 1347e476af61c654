"""One rule per command: given what the actor can see, which records does the command create or change?

Handlers are pure. The client runs them for an optimistic local copy, the server replays them as the authority;
a handler that raises leaves nothing behind on either end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from sync.domain import rma_handlers
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.calendar import Coverage, ServiceCalendar, add_business_days, add_service_hours
from sync.domain.catalog import PartNumber, RailKit, Sku
from sync.domain.commands import (
    AddNote,
    AdjustStock,
    AdvanceDepotOrder,
    AdvanceRma,
    AttachPhoto,
    Command,
    DecideCredit,
    DraftRma,
    EditAsset,
    EndVisit,
    GradeDepotOrder,
    MoveStock,
    OpenTicket,
    ReceiveReturn,
    RecordInstallation,
    RegisterAsset,
    ResolveConflict,
    ShipReplacement,
    StartVisit,
    SwapFru,
)
from sync.domain.conflict import Conflict
from sync.domain.context import Context
from sync.domain.contract import Contract, ServiceModel, entitlement
from sync.domain.entity import Entity
from sync.domain.errors import (
    AlreadyExists,
    DepotOnlyPart,
    DuplicateRecord,
    Forbidden,
    InvalidInput,
    NotFound,
    PartUnavailable,
)
from sync.domain.evidence import Note, Photo, PhotoKind
from sync.domain.fit import check_fit
from sync.domain.installation import Installation
from sync.domain.limits import check_limits
from sync.domain.logistics import ReturnObligation
from sync.domain.org import Role
from sync.domain.registry import ENTITY_TYPES
from sync.domain.rma import Rma, RmaStatus, require_evidence
from sync.domain.serials import normalise_serial
from sync.domain.service import FruSwap, Ticket, TicketStatus, Visit
from sync.domain.site import Rack, Site
from sync.domain.stock import StockLevel, StockLocation, stock_level_id

E = TypeVar("E", bound=Entity)
C = TypeVar("C", bound=Command)

FIELD_ROLES = frozenset({Role.FIELD_ENGINEER, Role.INSTALLER, Role.SERVICE_DESK, Role.ADMIN})
DESK_ROLES = frozenset({Role.SERVICE_DESK, Role.ADMIN})
DEPOT_ROLES = frozenset({Role.DEPOT, Role.SERVICE_DESK, Role.ADMIN})
DRAFT_ROLES = FIELD_ROLES | {Role.DEPOT, Role.CUSTOMER}
EDITABLE_ASSET_FIELDS = frozenset({"revision", "lot", "notes"})
DEFAULT_RETURN_WINDOW_BUSINESS_DAYS = 10
# Subjects photos and notes may hang on.
ATTACHABLE = frozenset({"assets", "installations", "visits", "fru_swaps", "rmas", "tickets", "depot_orders", "parts"})

Outcome = list[Entity]


def _require_role(ctx: Context, allowed: frozenset[Role], action: str) -> None:
    if ctx.actor.role not in allowed:
        raise Forbidden(f"a {ctx.actor.role} may not {action}")


def _load(ctx: Context, kind: type[E], record_id: str) -> E:
    found = ctx.get(kind, record_id)
    if found is None:
        raise NotFound(f"no {kind.collection[:-1].replace('_', ' ')} {record_id!r} that you can see")
    return found


def _site_calendar(ctx: Context, asset: Asset) -> tuple[Site | None, list[Contract]]:
    site = ctx.get(Site, asset.site_id) if asset.site_id else None
    return site, ctx.children(Contract, asset.org_id)


def _calendar(site: Site | None, contract: Contract | None) -> ServiceCalendar:
    zone = site.timezone if site else "UTC"
    if contract is not None:
        return contract.calendar(zone)
    return ServiceCalendar(timezone=zone, coverage=Coverage.BUSINESS_HOURS)


def _covering(contracts: list[Contract], asset_id: str, on: date) -> Contract | None:
    active = sorted((c for c in contracts if c.covers(asset_id, on)), key=lambda c: c.tier.response_hours)
    return active[0] if active else None


def register_asset(cmd: RegisterAsset, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES | {Role.DEPOT}, "register a chassis")
    serial = normalise_serial(cmd.serial)
    if ctx.find(Asset, serial) is not None:
        raise DuplicateRecord(f"chassis {serial} is already registered", details={"serial": serial})
    sku = _load(ctx, Sku, cmd.sku_id)
    if not cmd.revision.strip():
        raise InvalidInput("a chassis needs its revision")
    asset = Asset(
        id=cmd.asset_id,
        org_id=cmd.owner_org_id,
        serial=serial,
        sku_id=sku.id,
        revision=cmd.revision.strip(),
        lot=cmd.lot.strip(),
        ship_date=cmd.ship_date,
        warranty_end=cmd.warranty_end,
        registered_by=ctx.actor.user_id,
    )
    return [asset]


def record_installation(cmd: RecordInstallation, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES, "record an installation")
    asset = _load(ctx, Asset, cmd.asset_id)
    rack = _load(ctx, Rack, cmd.rack_id)
    sku = _load(ctx, Sku, asset.sku_id)
    rail_kit = _load(ctx, RailKit, cmd.rail_kit_id) if cmd.rail_kit_id else None
    if cmd.measured_depth_mm <= 0:
        raise InvalidInput("measured rack depth must be a positive number of millimetres")
    if not 1 <= cmd.u_position <= rack.height_u:
        # A chassis that overhangs the top is a fit problem to report; a U the rack does not have is a typo.
        raise InvalidInput(f"rack {rack.name} has U1 to U{rack.height_u}; U{cmd.u_position} is not in it")
    fit = check_fit(
        sku=sku,
        rail_kit=rail_kit,
        rack_depth_mm=cmd.measured_depth_mm,
        rack_height_u=rack.height_u,
        u_position=cmd.u_position,
    )
    installation = Installation(
        id=cmd.installation_id,
        org_id=asset.org_id,
        asset_id=asset.id,
        site_id=rack.site_id,
        rack_id=rack.id,
        u_position=cmd.u_position,
        measured_depth_mm=cmd.measured_depth_mm,
        rail_kit_id=cmd.rail_kit_id,
        fit_problems=tuple(p.value for p in fit.problems),
        installed_by=ctx.actor.user_id,
        installed_at=ctx.now,
    )
    placed = replace(asset, site_id=rack.site_id, rack_id=rack.id, u_position=cmd.u_position)
    # Installed parts travel with their chassis: their site decides who sees them (the old site's partner no more).
    parts = [
        p.moved(PartLocation.INSTALLED, asset.id, site_id=rack.site_id)
        for p in ctx.children(Part, asset.id)
        if _installed_in(p, asset) and p.site_id != rack.site_id
    ]
    return [installation, placed, *parts]


def swap_fru(cmd: SwapFru, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES, "swap a FRU")
    asset = _load(ctx, Asset, cmd.asset_id)
    sku = _load(ctx, Sku, asset.sku_id)
    slot = sku.slot(cmd.slot)
    removed_serial = normalise_serial(cmd.removed_serial)
    installed_serial = normalise_serial(cmd.installed_serial)
    if removed_serial == installed_serial:
        raise InvalidInput("the removed and the installed part have the same serial")
    current = asset.part_in(slot.name)
    if current is not None and current != removed_serial:
        raise PartUnavailable(
            f"slot {slot.name} holds {current}, not {removed_serial}", details={"slot": slot.name, "holds": current}
        )
    new_part = ctx.find(Part, installed_serial)
    if new_part is None:
        raise NotFound(f"no spare part {installed_serial} that you can see")
    if new_part.location is not PartLocation.IN_STOCK or new_part.location_id != cmd.from_location_id:
        raise PartUnavailable(
            f"part {installed_serial} is not in stock at the location you are taking it from",
            details={"location": new_part.location.value, "location_id": new_part.location_id},
        )
    part_number = _load(ctx, PartNumber, new_part.part_number_id)
    if not part_number.field_replaceable:
        raise DepotOnlyPart(f"{part_number.code} ({part_number.description}) may only be replaced at the depot")
    if part_number.fru_type is not slot.fru_type:
        raise InvalidInput(f"a {part_number.fru_type} does not go into the {slot.fru_type} slot {slot.name}")
    level = _load(ctx, StockLevel, stock_level_id(cmd.from_location_id, part_number.id)).adjusted(-1)
    old_part = ctx.find(Part, removed_serial)
    if current is None and old_part is not None and not _installed_in(old_part, asset):
        # The slot's record is empty, so the serial read off the removed part is all we have; if that part is known to
        # be somewhere else (a spare in a van), moving it would make stock disagree with the shelf.
        raise PartUnavailable(
            f"part {removed_serial} is not installed in chassis {asset.serial}",
            details={"location": old_part.location.value, "location_id": old_part.location_id},
        )
    if old_part is None:
        old_part = Part(
            id=f"part:{removed_serial}",
            org_id=asset.org_id,
            serial=removed_serial,
            part_number_id=part_number.id,
            location=PartLocation.IN_TRANSIT,
            location_id=cmd.obligation_id,
            site_id=asset.site_id,
        )
    else:
        old_part = old_part.moved(PartLocation.IN_TRANSIT, cmd.obligation_id, site_id=asset.site_id)
    site, contracts = _site_calendar(ctx, asset)
    contract = _covering(contracts, asset.id, ctx.now.date())
    window = contract.return_window_business_days if contract else DEFAULT_RETURN_WINDOW_BUSINESS_DAYS
    swap = FruSwap(
        id=cmd.swap_id,
        org_id=asset.org_id,
        site_id=asset.site_id or "",
        asset_id=asset.id,
        visit_id=cmd.visit_id,
        slot=slot.name,
        removed_serial=removed_serial,
        installed_serial=installed_serial,
        error_code=cmd.error_code.strip(),
        reason=cmd.reason.strip(),
        performed_by=ctx.actor.user_id,
        performed_at=ctx.now,
    )
    obligation = ReturnObligation(
        id=cmd.obligation_id,
        org_id=asset.org_id,
        serial=removed_serial,
        source_collection=FruSwap.collection,
        source_id=swap.id,
        site_id=asset.site_id,
        replacement_serial=installed_serial,
        due_on=add_business_days(ctx.now, window, _calendar(site, contract)),
        penalty_cents=contract.unreturned_penalty_cents if contract else 0,
    )
    installed = new_part.moved(PartLocation.INSTALLED, asset.id, site_id=asset.site_id)
    return [swap, asset.with_part(slot.name, installed_serial), installed, old_part, level, obligation]


def _installed_in(part: Part, asset: Asset) -> bool:
    return part.location is PartLocation.INSTALLED and part.location_id == asset.id


def open_ticket(cmd: OpenTicket, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES | {Role.CUSTOMER}, "open a ticket")
    asset = _load(ctx, Asset, cmd.asset_id)
    if not cmd.symptom.strip():
        raise InvalidInput("describe the symptom")
    site, contracts = _site_calendar(ctx, asset)
    contract = _covering(contracts, asset.id, ctx.now.date())
    response_due = restore_due = None
    if contract is not None:
        calendar = _calendar(site, contract)
        response_due = add_service_hours(ctx.now, contract.tier.response_hours, calendar)
        restore_due = add_service_hours(ctx.now, contract.tier.restore_hours, calendar)
    ticket = Ticket(
        id=cmd.ticket_id,
        org_id=asset.org_id,
        site_id=asset.site_id or "",
        asset_id=asset.id,
        symptom=cmd.symptom.strip(),
        severity=cmd.severity,
        opened_at=ctx.now,
        response_due=response_due,
        restore_due=restore_due,
    )
    return [ticket]


def start_visit(cmd: StartVisit, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES, "start a visit")
    asset = _load(ctx, Asset, cmd.asset_id)
    if asset.site_id is None:
        raise InvalidInput(f"chassis {asset.serial} is not installed at a site yet")
    out: Outcome = []
    if cmd.ticket_id is not None:
        ticket = _load(ctx, Ticket, cmd.ticket_id)
        if ticket.asset_id != asset.id:
            # Otherwise a visit to one chassis would stop the response clock of another chassis's ticket.
            raise InvalidInput(f"ticket {ticket.id} is about another chassis")
        if ticket.responded_at is None:
            out.append(replace(ticket, responded_at=ctx.now, status=TicketStatus.RESPONDED))
    visit = Visit(
        id=cmd.visit_id,
        org_id=asset.org_id,
        site_id=asset.site_id,
        asset_id=asset.id,
        ticket_id=cmd.ticket_id,
        engineer_id=ctx.actor.user_id,
        arrived_at=ctx.now,
    )
    return [visit, *out]


def end_visit(cmd: EndVisit, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES, "end a visit")
    visit = _load(ctx, Visit, cmd.visit_id)
    if visit.left_at is not None:
        raise InvalidInput("this visit has already ended")
    if visit.engineer_id != ctx.actor.user_id and ctx.actor.role not in DESK_ROLES:
        raise Forbidden("only the engineer on the visit may end it")
    if (cmd.signed_by is None) != (cmd.signature_sha256 is None):
        raise InvalidInput("a signature needs both the signer's name and the drawn signature")
    return [
        replace(visit, left_at=ctx.now, notes=cmd.notes, signed_by=cmd.signed_by, signature_sha256=cmd.signature_sha256)
    ]


def _subject(ctx: Context, collection: str, subject_id: str) -> Entity:
    if collection not in ATTACHABLE:
        raise InvalidInput(f"nothing can be attached to {collection!r}")
    return _load(ctx, ENTITY_TYPES[collection], subject_id)


def _site_of(subject: Entity) -> str | None:
    site = getattr(subject, "site_id", None)
    return site if isinstance(site, str) and site else None


def attach_photo(cmd: AttachPhoto, ctx: Context) -> Outcome:
    subject = _subject(ctx, cmd.subject_collection, cmd.subject_id)
    photo = Photo(
        id=cmd.photo_id,
        org_id=subject.org_id,
        subject_collection=cmd.subject_collection,
        subject_id=cmd.subject_id,
        site_id=_site_of(subject),
        sha256=cmd.sha256,
        thumbnail_sha256=cmd.thumbnail_sha256,
        kind=cmd.kind,
        caption=cmd.caption.strip(),
        width=cmd.width,
        height=cmd.height,
        taken_by=ctx.actor.user_id,
        taken_at=ctx.now,
        media_type=cmd.media_type,
        # Not base_name(): a name with a path in it is refused (Photo checks it), as the protocol document says.
        file_name=cmd.file_name.strip(),
        size=cmd.size,
    )
    return [photo]


def add_note(cmd: AddNote, ctx: Context) -> Outcome:
    subject = _subject(ctx, cmd.subject_collection, cmd.subject_id)
    if not cmd.text.strip():
        raise InvalidInput("a note needs text")
    note = Note(
        id=cmd.note_id,
        org_id=subject.org_id,
        subject_collection=cmd.subject_collection,
        subject_id=cmd.subject_id,
        site_id=_site_of(subject),
        text=cmd.text.strip(),
        author_id=ctx.actor.user_id,
        written_at=ctx.now,
    )
    return [note]


def edit_asset(cmd: EditAsset, ctx: Context) -> Outcome:
    _require_role(ctx, FIELD_ROLES | {Role.DEPOT}, "edit a chassis")
    asset = _load(ctx, Asset, cmd.asset_id)
    changed: dict[str, Any] = {}
    out: Outcome = []
    for index, change in enumerate(cmd.changes):
        if change.field not in EDITABLE_ASSET_FIELDS:
            raise InvalidInput(f"{change.field!r} is not an editable chassis field")
        current = str(getattr(asset, change.field))
        if current != change.base_value and current != change.new_value:
            out.append(
                Conflict(
                    id=f"{cmd.asset_id}:{change.field}:{ctx.actor.device_id}:{index}:{current}",
                    org_id=asset.org_id,
                    site_id=asset.site_id,
                    subject_collection=Asset.collection,
                    subject_id=asset.id,
                    field=change.field,
                    base_value=change.base_value,
                    kept_value=change.new_value,
                    overwritten_value=current,
                    kept_author_id=ctx.actor.user_id,
                    detected_at=ctx.now,
                )
            )
        changed[change.field] = change.new_value
    updated: Asset = replace(asset, **changed)
    return [updated, *out]


def resolve_conflict(cmd: ResolveConflict, ctx: Context) -> Outcome:
    # Choosing a value is an edit: whoever may not edit the chassis may not pick its value either.
    _require_role(ctx, FIELD_ROLES | {Role.DEPOT}, "resolve a conflict")
    conflict = _load(ctx, Conflict, cmd.conflict_id)
    if conflict.resolved:
        raise InvalidInput("this conflict is already resolved")
    if cmd.chosen_value not in (conflict.kept_value, conflict.overwritten_value):
        raise InvalidInput("choose one of the two conflicting values")
    asset = _load(ctx, Asset, conflict.subject_id)
    resolved = replace(conflict, resolved=True, resolved_value=cmd.chosen_value, resolved_by=ctx.actor.user_id)
    chosen: dict[str, Any] = {conflict.field: cmd.chosen_value}
    return [resolved, replace(asset, **chosen)]


def draft_rma(cmd: DraftRma, ctx: Context) -> Outcome:
    _require_role(ctx, DRAFT_ROLES, "draft an RMA")
    asset = _load(ctx, Asset, cmd.asset_id)
    if cmd.rack_depth_mm is not None and cmd.rack_depth_mm <= 0:
        raise InvalidInput("measured rack depth must be a positive number of millimetres")
    rma = Rma(
        id=cmd.rma_id,
        org_id=asset.org_id,
        asset_id=asset.id,
        site_id=asset.site_id,
        part_serial=normalise_serial(cmd.part_serial) if cmd.part_serial else None,
        model=cmd.model,
        symptom=cmd.symptom.strip(),
        repro_steps=cmd.repro_steps.strip(),
        severity=cmd.severity.value,
        controller_involved=cmd.controller_involved,
        rack_depth_mm=cmd.rack_depth_mm,
        rail_kit_id=cmd.rail_kit_id,
        created_by=ctx.actor.user_id,
        created_at=ctx.now,
    )
    return [rma]


_DESK_TARGETS = frozenset({RmaStatus.TRIAGE, RmaStatus.NEEDS_INFO, RmaStatus.APPROVED, RmaStatus.REJECTED})


def _photo_counts(ctx: Context, rma: Rma) -> tuple[int, int, int]:
    photos = [*ctx.children(Photo, rma.id), *ctx.children(Photo, rma.asset_id)]
    for installation in ctx.children(Installation, rma.asset_id):
        photos.extend(ctx.children(Photo, installation.id))
    kinds = [p.kind for p in photos]
    return kinds.count(PhotoKind.INSTALL), kinds.count(PhotoKind.LABEL), kinds.count(PhotoKind.LOG)


# Models only a contract gives; the others stay open to a paid or warranty return whatever the contract says.
CONTRACT_MODELS = frozenset({ServiceModel.ADVANCE_EXCHANGE, ServiceModel.RETURN_FOR_CREDIT})


def _check_model_offered(ctx: Context, rma: Rma) -> None:
    """An approval may not promise a model the serial is not entitled to (advance exchange on a warranty-only unit)."""
    if rma.model not in CONTRACT_MODELS:
        return
    asset = _load(ctx, Asset, rma.asset_id)
    entitled = entitlement(asset=asset, contracts=ctx.children(Contract, asset.org_id), on=ctx.now.date())
    if rma.model not in entitled.models:
        offered = ", ".join(m.value for m in entitled.models) or "none"
        raise Forbidden(
            f"{asset.serial} is not entitled to {rma.model} (offered: {offered})",
            details={"model": rma.model.value, "offered": [m.value for m in entitled.models]},
        )


def advance_rma(cmd: AdvanceRma, ctx: Context) -> Outcome:
    rma = _load(ctx, Rma, cmd.rma_id)
    target = cmd.to_status
    if target is RmaStatus.SUBMITTED or (rma.status is RmaStatus.NEEDS_INFO and target is RmaStatus.TRIAGE):
        _require_role(ctx, DRAFT_ROLES, "submit an RMA")
    elif target in _DESK_TARGETS:
        _require_role(ctx, DESK_ROLES, f"move an RMA to {target}")
    else:
        _require_role(ctx, DEPOT_ROLES, f"move an RMA to {target}")
    moved = rma.moved_to(target, at=ctx.now, by=ctx.actor.user_id, note=cmd.note)
    if target is RmaStatus.NEEDS_INFO:
        if not cmd.note.strip():
            raise InvalidInput("sending an RMA back needs the question to ask")
        moved = replace(moved, question=cmd.note.strip())
    if target is RmaStatus.APPROVED:
        install, label, logs = _photo_counts(ctx, rma)
        require_evidence(rma.evidence(install_photos=install, label_photos=label, log_attachments=logs))
        if cmd.lane is None:
            raise InvalidInput("approval must choose a lane: repair, replace or credit")
        moved = replace(moved, lane=cmd.lane, model=cmd.model or rma.model, number=ctx.issue_rma_number())
        _check_model_offered(ctx, moved)
    if target is RmaStatus.AWAITING_RETURN or target is RmaStatus.REPLACEMENT_SHIPPED:
        asset = _load(ctx, Asset, rma.asset_id)
        site, contracts = _site_calendar(ctx, asset)
        contract = _covering(contracts, asset.id, ctx.now.date())
        if (
            rma.model is ServiceModel.ADVANCE_EXCHANGE
            and contract is not None
            and (ServiceModel.ADVANCE_EXCHANGE not in contract.models)
        ):
            raise Forbidden(f"contract {contract.number} does not offer advance exchange")
        if moved.return_due is None:
            window = contract.return_window_business_days if contract else DEFAULT_RETURN_WINDOW_BUSINESS_DAYS
            moved = replace(moved, return_due=add_business_days(ctx.now, window, _calendar(site, contract)))
    return [moved]


def adjust_stock(cmd: AdjustStock, ctx: Context) -> Outcome:
    _require_role(ctx, DEPOT_ROLES, "adjust stock")
    location = _load(ctx, StockLocation, cmd.location_id)
    _load(ctx, PartNumber, cmd.part_number_id)
    if not cmd.reason.strip():
        raise InvalidInput("a stock adjustment needs a reason")
    level_id = stock_level_id(location.id, cmd.part_number_id)
    level = ctx.get(StockLevel, level_id) or StockLevel(
        id=level_id,
        org_id=location.org_id,
        location_id=location.id,
        part_number_id=cmd.part_number_id,
        quantity=0,
        holder_user_id=location.holder_user_id,
    )
    return [level.adjusted(cmd.delta)]


def _handler(
    kind: type[C], fn: Callable[[C, Context], Outcome]
) -> tuple[type[Command], Callable[[Any, Context], Outcome]]:
    return kind, fn


HANDLERS: dict[type[Command], Callable[[Any, Context], Outcome]] = dict(
    [
        _handler(RegisterAsset, register_asset),
        _handler(RecordInstallation, record_installation),
        _handler(SwapFru, swap_fru),
        _handler(OpenTicket, open_ticket),
        _handler(StartVisit, start_visit),
        _handler(EndVisit, end_visit),
        _handler(AttachPhoto, attach_photo),
        _handler(AddNote, add_note),
        _handler(EditAsset, edit_asset),
        _handler(ResolveConflict, resolve_conflict),
        _handler(DraftRma, draft_rma),
        _handler(AdvanceRma, advance_rma),
        _handler(AdjustStock, adjust_stock),
        _handler(ShipReplacement, rma_handlers.ship_replacement),
        _handler(ReceiveReturn, rma_handlers.receive_return),
        _handler(AdvanceDepotOrder, rma_handlers.advance_depot_order),
        _handler(GradeDepotOrder, rma_handlers.grade_depot_order),
        _handler(DecideCredit, rma_handlers.decide_rma_credit),
        _handler(MoveStock, rma_handlers.move_stock),
    ]
)


def decide(command: Command, ctx: Context) -> Outcome:
    """The records ``command`` writes, or a DomainError saying why it may not happen.

    Every command passes the same gate before its handler runs, on both ends: its texts fit their limits, a create
    only creates (a taken id is refused, and the answer says nothing about whose it is), and it names only blobs the
    caller may name.
    """
    check_limits(command)
    for collection, record_id in command.creates():
        if ctx.exists(collection, record_id):
            raise AlreadyExists(
                f"the new record's id {record_id!r} is taken; make the {collection[:-1].replace('_', ' ')} again "
                "with a new id",
                details={"collection": collection, "id": record_id},
            )
    for sha256 in command.blob_names():
        if not ctx.may_name_blob(sha256):
            raise NotFound(
                f"no uploaded file {sha256[:12]}… that you may attach: upload it from this device first",
                details={"sha256": sha256},
            )
    return HANDLERS[type(command)](command, ctx)
