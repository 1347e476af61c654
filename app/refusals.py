"""Refusals in plain words: what was refused, why, and what to do next, from an error's stable code and details.

One mapping for every refusal a person meets: a rule on this device (``Shell.attempt``), a command the server
rejected (the Sync screen, ``Rejection``), a box the depot scanned. The domain's message is for logs and the API;
people read this. Codes are those of ``sync/domain/errors.py`` (docs/sync-protocol.md, 8.3); details are what the
domain put in the error, and only what the caller may see (issue 9): a serial taken out of sight comes with the
serial alone, so the text says so and names nothing else. The domain's reason reads in the reader's language when the
domain gave it as words (``details["words"]``, sync/domain/errors.py).

Every text is English and its own translation key (``app/i18n.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from app.i18n import Translator
from app.vocabulary import label
from sync.domain.contract import ServiceModel
from sync.domain.errors import DomainError
from sync.domain.incident import IncidentStatus
from sync.domain.logistics import DepotStage
from sync.domain.org import Role
from sync.domain.rma import EvidenceItem, RmaStatus
from sync.domain.words import from_wire


@dataclass(frozen=True, kw_only=True)
class Refusal:
    what: str  # "Registering chassis NBR22600001"
    why: str  # "NBR22600001 is already registered (Helix FRA1, rack R02)."
    next_step: str  # "Open it?"
    open_asset_id: str | None = None  # the chassis the refusal points to, for an "Open" action

    def headline(self, t: Translator) -> str:
        return t("{what} was refused", what=self.what)

    def text(self, t: Translator) -> str:
        return f"{self.headline(t)}: {self.why} {self.next_step}"


# What a command does, in words, from its type and payload (the Sync screen knows no more about a rejected one).
def _what(t: Translator, command: str, payload: Mapping[str, Any]) -> str:
    value = {k: str(v) for k, v in payload.items() if isinstance(v, str | int)}
    if command == "RegisterAsset" and "serial" in value:
        return t("Registering chassis {serial}", serial=value["serial"].strip().upper())
    if command == "SwapFru" and "slot" in value:
        return t("The part swap in slot {slot}", slot=value["slot"])
    if command == "AdvanceRma" and "to_status" in value:
        return t("Moving the RMA to “{status}”", status=_label(t, RmaStatus, value["to_status"]))
    if command == "AdvanceDepotOrder" and "to_stage" in value:
        return t("Moving the depot order to “{stage}”", stage=_label(t, DepotStage, value["to_stage"]))
    if command == "ReceiveReturn" and "code" in value:
        return t("Receiving {code}", code=value["code"])
    words = COMMAND_WORDS.get(command)
    return t(words) if words else t("A change")


COMMAND_WORDS: Mapping[str, str] = {
    "RegisterAsset": "Registering the chassis",
    "RecordInstallation": "Recording the installation",
    "SwapFru": "The part swap",
    "OpenTicket": "Opening the ticket",
    "StartVisit": "Starting the visit",
    "EndVisit": "The visit report",
    "AttachPhoto": "Adding the photo",
    "AddNote": "Adding the note",
    "EditAsset": "Editing the chassis",
    "ResolveConflict": "Resolving the conflict",
    "DraftRma": "Drafting the RMA",
    "AdvanceRma": "Moving the RMA on",
    "AdjustStock": "Adjusting the stock",
    "ShipReplacement": "Shipping the replacement",
    "ReceiveReturn": "Receiving the box",
    "AdvanceDepotOrder": "Moving the depot order on",
    "GradeDepotOrder": "Grading the unit",
    "DecideCredit": "The credit decision",
    "MoveStock": "Moving stock",
    "MoveIncident": "Moving the incident on",
    "AmendIncident": "Changing the incident's terms",
    "RecordBreach": "Recording the breach",
    "AcknowledgeBreach": "Acknowledging the breach",
}


def _label(t: Translator, kind: type[StrEnum], code: object) -> str:
    try:
        return t(label(kind(str(code))))
    except ValueError:
        return str(code).replace("_", " ")


def state_label(t: Translator, code: object) -> str:
    """A state from an illegal transition's details: whichever state machine knows it (RMA, depot, incident)."""
    for kind in (RmaStatus, DepotStage, IncidentStatus):
        try:
            return t(label(kind(str(code))))
        except ValueError:
            continue
    return str(code).replace("_", " ")


def _sentence(message: str) -> str:
    text = message.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def reason(t: Translator, error: DomainError) -> str:
    """An error's own reason as a sentence in the reader's language, where no "what was refused" frames it (the
    chassis on screen is gone, a label could not be made)."""
    return _reason(t, error.message, error.details)


def _reason(t: Translator, message: str, details: Mapping[str, Any]) -> str:
    """The domain's own reason as a sentence: in the reader's language when the domain gave it as words (an error's
    ``details["words"]``, sync/domain/errors.py), else its English message."""
    phrase = from_wire(details.get("words"))
    return _sentence(t.phrase(phrase) if phrase is not None else message)


def _box(details: Mapping[str, Any]) -> str:
    names = [str(details[k]) for k in ("rma_number", "serial") if details.get(k)]
    return " · ".join(dict.fromkeys(names)) or str(details.get("code") or details.get("duplicate_scan") or "")


# What an RMA that is not expected at the depot yet is waiting for, by its status.
def _waiting_for(t: Translator, status: object) -> str:
    if status in (RmaStatus.DRAFT, RmaStatus.SUBMITTED, RmaStatus.TRIAGE, RmaStatus.NEEDS_INFO):
        return t("It is still waiting for the service desk's approval.")
    if status == RmaStatus.APPROVED:
        return t("The service desk approved it but has not yet marked the return as expected.")
    if status == RmaStatus.REJECTED:
        return t("The service desk rejected it: this box was not expected back.")
    return t("It is not waiting for a box.")


def _duplicate(t: Translator, details: Mapping[str, Any], message: str) -> tuple[str, str, str | None]:
    serial = str(details.get("serial") or details.get("natural_key") or "")
    if details.get("asset_id"):
        if details.get("site_name"):
            where = str(details["site_name"])
            if details.get("rack_name"):
                where = t("{site}, rack {rack}", site=where, rack=details["rack_name"])
        else:
            where = t("not installed yet")
        why = t("{serial} is already registered ({where}).", serial=serial, where=where)
        return why, t("Open it?"), str(details["asset_id"])
    if details.get("collection") == "assets":
        why = t("{serial} is already registered, to a customer or site this account cannot see.", serial=serial)
        step = t("Check the serial on the chassis label. If it is right, ask the service desk for access to it.")
        return why, step, None
    if details.get("duplicate_scan"):
        why = t("{box} was already received.", box=_box(details))
        return why, t("Put the box with the received ones: nothing was recorded twice."), None
    why = t("{key} is already taken.", key=serial) if serial else _reason(t, message, details)
    return why, t("Check what you typed; if it is right, open the existing record instead."), None


def _illegal(t: Translator, details: Mapping[str, Any]) -> tuple[str, str]:
    current, target = details.get("from"), details.get("to")
    if target == RmaStatus.RECEIVED and details.get("code"):
        why = t(
            "{box} cannot be received yet: its RMA is “{status}”.",
            box=_box(details),
            status=state_label(t, current),
        )
        step = t("Set the box aside and ask the service desk to expect its return; then scan it again.")
        return f"{why} {_waiting_for(t, current)}", step
    if details.get("model"):
        why = t(
            "The service model “{model}” does not allow going from “{current}” to “{target}”.",
            model=_label(t, ServiceModel, details["model"]),
            current=state_label(t, current),
            target=state_label(t, target),
        )
        return why, t("Choose a step the screen offers, or change the service model at approval.")
    why = t(
        "It is “{current}” now and cannot go to “{target}”.",
        current=state_label(t, current),
        target=state_label(t, target),
    )
    return why, t("Someone may have moved it on meanwhile: sync, look at it again, and choose a step it offers.")


def _forbidden(t: Translator, details: Mapping[str, Any], message: str) -> str:
    if details.get("role") and details.get("doing"):
        role, doing = t.inline(_label(t, Role, details["role"])), t(str(details["doing"]))
        return t("A {role} may not {doing}.", role=role, doing=doing)
    return _reason(t, message, details) or t("Your role may not do this.")


def _evidence(t: Translator, details: Mapping[str, Any], message: str) -> str:
    missing = details.get("missing")
    if isinstance(missing, list) and missing:
        items = ", ".join(_label(t, EvidenceItem, m).lower() for m in missing)
        return t("Evidence is missing: {items}.", items=items)
    return _reason(t, message, details)


# The next step for codes whose "why" is the domain's own sentence.
NEXT_STEPS: Mapping[str, str] = {
    "invalid_input": "Correct it and save again.",
    "not_found": "Sync, check that it still exists and that you may see it, then try again.",
    "forbidden": "Ask the service desk or an administrator to do it.",
    "already_exists": "Discard this change and enter it again.",
    "rule_violation": "Change what the rule names, then try again.",
    "depot_only_part": "Draft an RMA to send the chassis to the depot.",
    "part_unavailable": "Scan the part again, or take one from another stock location.",
    "insufficient_stock": "Pick another stock location, or ask the depot to restock.",
    "evidence_missing": "Add it on the RMA page, then submit again.",
    "rack_space_taken": "Choose free Us: the rack view shows which are taken.",
}


class RejectedCommand(Protocol):
    """A command the server refused, as this device keeps it (``app/adapters/local_store.Rejection``)."""

    @property
    def type(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


def explain_rejection(t: Translator, rejection: RejectedCommand) -> Refusal:
    """A refused command, from what the server said of it and what the command was (the Sync screen)."""
    return explain(
        t,
        code=rejection.code,
        message=rejection.message,
        details=rejection.details,
        command=rejection.type,
        payload=rejection.payload,
    )


def explain(
    t: Translator,
    *,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    command: str = "",
    payload: Mapping[str, Any] | None = None,
    action: str = "",
) -> Refusal:
    """The refusal of ``command`` (a rejected command's type and payload) or of ``action`` (an English label of what
    the user just did, e.g. "Registration"), from the error's ``code``, ``message`` and ``details``."""
    details = details or {}
    what = _what(t, command, payload or {}) if command else (t(action) if action else t("A change"))
    open_asset_id = None
    if code == "duplicate":
        why, step, open_asset_id = _duplicate(t, details, message)
    elif code == "illegal_transition":
        why, step = _illegal(t, details)
    else:
        if code == "forbidden":
            why = _forbidden(t, details, message)
        elif code == "evidence_missing":
            why = _evidence(t, details, message)
        elif code == "already_exists":  # says nothing of the record on purpose: it may be out of the caller's sight
            why = t("A record with the same identity already exists, and this account may not see it.")
        else:
            why = _reason(t, message, details) or t("It was refused.")
        step = t(NEXT_STEPS.get(code, "Discard this change, or ask the service desk."))
    return Refusal(what=what, why=why, next_step=step, open_asset_id=open_asset_id)
