"""Errors raised by domain rules.

    DomainError                 code            meaning
    ├── InvalidInput            invalid_input   a value is malformed (empty serial, negative depth, ...)
    ├── NotFound                not_found       a referenced record does not exist or is outside the caller's scope
    ├── Forbidden               forbidden       the caller's role may not do this
    ├── DuplicateRecord         duplicate       a natural key (serial, RMA number, ...) is already taken
    ├── AlreadyExists           already_exists  a command that creates a record names an id that is taken (says nothing
    │                                           more: the record may belong to someone the caller may not see)
    ├── IllegalTransition       illegal_transition  a state machine has no such edge from the current state
    └── RuleViolation           rule_violation  a business rule says no; subclasses narrow the code:
        ├── DepotOnlyPart       depot_only_part     the FRU may only be replaced at the depot
        ├── PartUnavailable     part_unavailable    the part is not where the command says it is
        ├── InsufficientStock   insufficient_stock  a stock level would go negative
        ├── EvidenceMissing     evidence_missing    the RMA triage checklist is incomplete
        └── RackSpaceTaken      rack_space_taken    another chassis already takes one of the rack Us

Codes travel on the wire unchanged (see docs/sync-protocol.md); never rename one.
"""

from __future__ import annotations

from sync.domain.words import Phrase, to_wire


class DomainError(Exception):
    """``message`` is English, for logs and the API. Given as a :class:`Phrase` (``words("...")``), the error also
    carries it in ``details["words"]``, so the device that shows the refusal can say it in its reader's language
    (``app/refusals.py``), whether this device or the server refused."""

    code = "domain_error"

    def __init__(self, message: str | Phrase, *, details: dict[str, object] | None = None) -> None:
        text = str(message)
        super().__init__(text)
        self.message = text
        self.said: Phrase | str = message  # for a screen on this device: its translator says a Phrase
        self.details = details or {}
        if isinstance(message, Phrase):
            self.details = {**self.details, "words": to_wire(message)}


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class DuplicateRecord(DomainError):
    code = "duplicate"


class AlreadyExists(DomainError):
    code = "already_exists"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class RuleViolation(DomainError):
    code = "rule_violation"


class DepotOnlyPart(RuleViolation):
    code = "depot_only_part"


class PartUnavailable(RuleViolation):
    code = "part_unavailable"


class InsufficientStock(RuleViolation):
    code = "insufficient_stock"


class EvidenceMissing(RuleViolation):
    code = "evidence_missing"


class RackSpaceTaken(RuleViolation):
    code = "rack_space_taken"
