"""Field work: registering and installing chassis, FRU swaps with their return obligation, visits, photos, notes,
chassis edits and conflicts (incidents themselves: handlers/incident.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.catalog import PartNumber, RailKit, Sku
from sync.domain.commands import (
    AddNote,
    AttachPhoto,
    EditAsset,
    EndVisit,
    RecordInstallation,
    RegisterAsset,
    ResolveConflict,
    StartVisit,
    SwapFru,
)
from sync.domain.conflict import Conflict
from sync.domain.context import Context
from sync.domain.coverage import return_terms_for
from sync.domain.entity import Entity
from sync.domain.errors import DepotOnlyPart, DuplicateRecord, Forbidden, InvalidInput, NotFound, PartUnavailable
from sync.domain.evidence import Note, Photo
from sync.domain.fit import check_fit
from sync.domain.handlers.common import Outcome, load, require_role
from sync.domain.handlers.incident import arrival, resolve_ticket_conflict
from sync.domain.installation import Installation
from sync.domain.logistics import ReturnObligation
from sync.domain.permissions import Action, may
from sync.domain.rack import require_space
from sync.domain.registry import ENTITY_TYPES
from sync.domain.serials import normalise_serial
from sync.domain.service import FruSwap, Visit
from sync.domain.site import Rack, Site
from sync.domain.stock import StockLevel, stock_level_id
from sync.domain.ticket import Ticket
from sync.domain.words import words

EDITABLE_ASSET_FIELDS = frozenset({"revision", "lot", "notes"})


# Subjects photos and notes may hang on.
ATTACHABLE = frozenset({"assets", "installations", "visits", "fru_swaps", "rmas", "tickets", "depot_orders", "parts"})


def registered_where(ctx: Context, asset: Asset) -> dict[str, object]:
    """Where the chassis that holds this serial is, so the refusal can offer to open it (and the server's serial
    lookup can name it). ``ctx`` reads only what the caller may see (on the server too), so this names nothing of
    another organization: a serial taken out of the caller's sight is refused by the store's natural-key check
    instead, with the serial alone."""
    site = ctx.get(Site, asset.site_id) if asset.site_id else None
    rack = ctx.get(Rack, asset.rack_id) if asset.rack_id else None
    return {
        "serial": asset.serial,
        "asset_id": asset.id,
        "site_name": site.name if site else None,
        "rack_name": rack.name if rack else None,
        "u_position": asset.u_position,
    }


def register_asset(cmd: RegisterAsset, ctx: Context) -> Outcome:
    require_role(ctx, Action.REGISTER_ASSET, "register a chassis")
    serial = normalise_serial(cmd.serial)
    existing = ctx.find(Asset, serial)
    if existing is not None:
        raise DuplicateRecord(
            words("chassis {serial} is already registered", serial=serial), details=registered_where(ctx, existing)
        )
    sku = load(ctx, Sku, cmd.sku_id)
    if not cmd.revision.strip():
        raise InvalidInput(words("a chassis needs its revision"))
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
    require_role(ctx, Action.RECORD_INSTALLATION, "record an installation")
    asset = load(ctx, Asset, cmd.asset_id)
    rack = load(ctx, Rack, cmd.rack_id)
    sku = load(ctx, Sku, asset.sku_id)
    rail_kit = load(ctx, RailKit, cmd.rail_kit_id) if cmd.rail_kit_id else None
    if cmd.measured_depth_mm <= 0:
        raise InvalidInput(words("measured rack depth must be a positive number of millimetres"))
    if not 1 <= cmd.u_position <= rack.height_u:
        # A chassis that overhangs the top is a fit problem to report; a U the rack does not have is a typo.
        raise InvalidInput(
            words(
                "rack {rack} has U1 to U{height}; U{u} is not in it",
                rack=rack.name,
                height=rack.height_u,
                u=cmd.u_position,
            )
        )
    require_space(ctx, rack_id=rack.id, asset_id=asset.id, bottom_u=cmd.u_position, height_u=sku.height_u)
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
    require_role(ctx, Action.SWAP_FRU, "swap a FRU")
    asset = load(ctx, Asset, cmd.asset_id)
    sku = load(ctx, Sku, asset.sku_id)
    slot = sku.slot(cmd.slot)
    removed_serial = normalise_serial(cmd.removed_serial)
    installed_serial = normalise_serial(cmd.installed_serial)
    if removed_serial == installed_serial:
        raise InvalidInput(words("the removed and the installed part have the same serial"))
    current = asset.part_in(slot.name)
    if current is not None and current != removed_serial:
        raise PartUnavailable(
            words(
                "slot {slot} holds {current}, not {removed}", slot=slot.name, current=current, removed=removed_serial
            ),
            details={"slot": slot.name, "holds": current},
        )
    new_part = ctx.find(Part, installed_serial)
    if new_part is None:
        raise NotFound(words("no spare part {serial} that you can see", serial=installed_serial))
    if new_part.location is not PartLocation.IN_STOCK or new_part.location_id != cmd.from_location_id:
        raise PartUnavailable(
            words("part {serial} is not in stock at the location you are taking it from", serial=installed_serial),
            details={"location": new_part.location.value, "location_id": new_part.location_id},
        )
    part_number = load(ctx, PartNumber, new_part.part_number_id)
    if not part_number.field_replaceable:
        raise DepotOnlyPart(
            words(
                "{code} ({description}) may only be replaced at the depot",
                code=part_number.code,
                description=part_number.description,
            )
        )
    if part_number.fru_type is not slot.fru_type:
        raise InvalidInput(
            words(
                "a {part} does not go into the {kind} slot {slot}",
                part=part_number.fru_type,
                kind=slot.fru_type,
                slot=slot.name,
            )
        )
    level = load(ctx, StockLevel, stock_level_id(cmd.from_location_id, part_number.id)).adjusted(-1)
    old_part = ctx.find(Part, removed_serial)
    if current is None and old_part is not None and not _installed_in(old_part, asset):
        # The slot's record is empty, so the serial read off the removed part is all we have; if that part is known to
        # be somewhere else (a spare in a van), moving it would make stock disagree with the shelf.
        raise PartUnavailable(
            words("part {serial} is not installed in chassis {chassis}", serial=removed_serial, chassis=asset.serial),
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
    obligation = _swap_obligation(ctx, cmd, asset, swap)
    installed = new_part.moved(PartLocation.INSTALLED, asset.id, site_id=asset.site_id)
    return [swap, asset.with_part(slot.name, installed_serial), installed, old_part, level, obligation]


def _swap_obligation(ctx: Context, cmd: SwapFru, asset: Asset, swap: FruSwap) -> ReturnObligation:
    """The removed part owes its return, due by the governing contract's window in the site's calendar."""
    terms = return_terms_for(ctx, asset, shipped_at=ctx.now, site_id=asset.site_id)
    return ReturnObligation(
        id=cmd.obligation_id,
        org_id=asset.org_id,
        serial=swap.removed_serial,
        source_collection=FruSwap.collection,
        source_id=swap.id,
        site_id=asset.site_id,
        replacement_serial=swap.installed_serial,
        due_on=terms.due_on,
        penalty_cents=terms.penalty_cents,
        currency=terms.currency,
        contract_id=terms.contract_id,
        timezone=terms.timezone,
    )


def _installed_in(part: Part, asset: Asset) -> bool:
    return part.location is PartLocation.INSTALLED and part.location_id == asset.id


def start_visit(cmd: StartVisit, ctx: Context) -> Outcome:
    require_role(ctx, Action.START_VISIT, "start a visit")
    asset = load(ctx, Asset, cmd.asset_id)
    if asset.site_id is None:
        raise InvalidInput(words("chassis {serial} is not installed at a site yet", serial=asset.serial))
    out: Outcome = []
    if cmd.ticket_id is not None:
        ticket = load(ctx, Ticket, cmd.ticket_id)
        if ticket.asset_id != asset.id:
            # Otherwise a visit to one chassis would stop the response clock of another chassis's ticket.
            raise InvalidInput(words("ticket {ticket} is about another chassis", ticket=ticket.id))
        out.extend(arrival(ticket, ctx))
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
    require_role(ctx, Action.END_VISIT, "end a visit")
    visit = load(ctx, Visit, cmd.visit_id)
    if visit.left_at is not None:
        raise InvalidInput(words("this visit has already ended"))
    if visit.engineer_id != ctx.actor.user_id and not may(ctx.actor.role, Action.END_ANY_VISIT):
        raise Forbidden(words("only the engineer on the visit may end it"))
    if (cmd.signed_by is None) != (cmd.signature_sha256 is None):
        raise InvalidInput(words("a signature needs both the signer's name and the drawn signature"))
    return [
        replace(visit, left_at=ctx.now, notes=cmd.notes, signed_by=cmd.signed_by, signature_sha256=cmd.signature_sha256)
    ]


def _subject(ctx: Context, collection: str, subject_id: str) -> Entity:
    if collection not in ATTACHABLE:
        raise InvalidInput(words("nothing can be attached to '{collection}'", collection=collection))
    return load(ctx, ENTITY_TYPES[collection], subject_id)


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
        raise InvalidInput(words("a note needs text"))
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
    require_role(ctx, Action.EDIT_ASSET, "edit a chassis")
    asset = load(ctx, Asset, cmd.asset_id)
    changed: dict[str, Any] = {}
    out: Outcome = []
    for index, change in enumerate(cmd.changes):
        if change.field not in EDITABLE_ASSET_FIELDS:
            raise InvalidInput(words("'{field}' is not an editable chassis field", field=change.field))
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
    require_role(ctx, Action.RESOLVE_CONFLICT, "resolve a conflict")
    conflict = load(ctx, Conflict, cmd.conflict_id)
    if conflict.resolved:
        raise InvalidInput(words("this conflict is already resolved"))
    if cmd.chosen_value not in (conflict.kept_value, conflict.overwritten_value):
        raise InvalidInput(words("choose one of the two conflicting values"))
    resolved = replace(conflict, resolved=True, resolved_value=cmd.chosen_value, resolved_by=ctx.actor.user_id)
    if conflict.subject_collection == Ticket.collection:
        return [resolved, *resolve_ticket_conflict(conflict, cmd.chosen_value, ctx)]
    asset = load(ctx, Asset, conflict.subject_id)
    chosen: dict[str, Any] = {conflict.field: cmd.chosen_value}
    return [resolved, replace(asset, **chosen)]
