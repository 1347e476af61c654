"""One rule per command: given what the actor can see, which records does the command create or change?

Handlers are pure. The client runs them for an optimistic local copy, the server replays them as the authority;
a handler that raises leaves nothing behind on either end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sync.domain.commands import (
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
from sync.domain.context import Context
from sync.domain.errors import AlreadyExists, Forbidden
from sync.domain.handlers.common import Outcome
from sync.domain.handlers.depot import advance_depot_order, grade_depot_order, receive_return
from sync.domain.handlers.escalation import acknowledge_breach
from sync.domain.handlers.field import (
    add_note,
    attach_photo,
    edit_asset,
    end_visit,
    record_installation,
    register_asset,
    resolve_conflict,
    start_visit,
    swap_fru,
)
from sync.domain.handlers.incident import amend_incident, move_incident, open_ticket, record_breach
from sync.domain.handlers.rma import advance_rma, decide_rma_credit, draft_rma, ship_replacement
from sync.domain.handlers.stock import adjust_stock, move_stock
from sync.domain.limits import check_limits
from sync.domain.words import words

C = TypeVar("C", bound=Command)


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
        _handler(MoveIncident, move_incident),
        _handler(AmendIncident, amend_incident),
        _handler(RecordBreach, record_breach),
        _handler(AcknowledgeBreach, acknowledge_breach),
        _handler(StartVisit, start_visit),
        _handler(EndVisit, end_visit),
        _handler(AttachPhoto, attach_photo),
        _handler(AddNote, add_note),
        _handler(EditAsset, edit_asset),
        _handler(ResolveConflict, resolve_conflict),
        _handler(DraftRma, draft_rma),
        _handler(AdvanceRma, advance_rma),
        _handler(AdjustStock, adjust_stock),
        _handler(ShipReplacement, ship_replacement),
        _handler(ReceiveReturn, receive_return),
        _handler(AdvanceDepotOrder, advance_depot_order),
        _handler(GradeDepotOrder, grade_depot_order),
        _handler(DecideCredit, decide_rma_credit),
        _handler(MoveStock, move_stock),
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
                words(
                    "the new record's id '{id}' is taken; make the {kind} again with a new id",
                    id=record_id,
                    kind=collection[:-1].replace("_", " "),
                ),
                details={"collection": collection, "id": record_id},
            )
    for sha256 in command.blob_names():
        if not ctx.may_name_blob(sha256):
            raise Forbidden(
                words("a record may only name a blob your organization uploaded or can already see"),
                details={"sha256": sha256},
            )
    return HANDLERS[type(command)](command, ctx)
