"""Read models of the incident screens (the desk board, the incident page, the engineer's list, the chassis badge)
and the plain words they use. Times are already text on the site's clock with its zone (app/timefmt.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n import Phrase
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.service import Severity
from sync.domain.sla import Clock, ClockStatus

# What each status means to the person looking at it, beyond its label (app/vocabulary.py): the incident page's
# headline. Clock names, clock statuses and severities are labelled by app/vocabulary.py alone.
STATUS_WORDS: dict[IncidentStatus, str] = {
    IncidentStatus.OPEN: "Open: waiting for the first response",
    IncidentStatus.OPEN_WAITING_FOR_CUSTOMER: "Waiting for the customer before the first response (clocks paused)",
    IncidentStatus.RESPONDED: "Responded: an engineer is on it",
    IncidentStatus.WAITING_FOR_CUSTOMER: "Waiting for the customer (restore clock paused)",
    IncidentStatus.WAITING_FOR_PARTS: "Waiting for parts",
    IncidentStatus.RESTORED: "Restored: the service is back",
    IncidentStatus.CLOSED: "Closed",
}

# The button that takes an incident to each status.
STEP_WORDS: dict[IncidentStatus, str] = {
    IncidentStatus.OPEN: "Customer answered",
    IncidentStatus.OPEN_WAITING_FOR_CUSTOMER: "Wait for customer",
    IncidentStatus.RESPONDED: "Mark responded",
    IncidentStatus.WAITING_FOR_CUSTOMER: "Wait for customer",
    IncidentStatus.WAITING_FOR_PARTS: "Wait for parts",
    IncidentStatus.RESTORED: "Mark restored",
    IncidentStatus.CLOSED: "Close incident",
}

# What a history line says a step was.
EVENT_WORDS: dict[IncidentStatus, str] = {
    IncidentStatus.OPEN: "customer answered, clocks running again",
    IncidentStatus.OPEN_WAITING_FOR_CUSTOMER: "paused: waiting for the customer",
    IncidentStatus.RESPONDED: "responded",
    IncidentStatus.WAITING_FOR_CUSTOMER: "paused: waiting for the customer",
    IncidentStatus.WAITING_FOR_PARTS: "waiting for parts",
    IncidentStatus.RESTORED: "restored",
    IncidentStatus.CLOSED: "closed",
}

# What a history line says an amendment changed; ``{value}`` is the new severity or tier.
AMENDED_WORDS: dict[Amendment, str] = {
    Amendment.CHANGE_SEVERITY: "severity changed to {value}",
    Amendment.CHANGE_TIER: "tier changed to {value}",
    Amendment.EXTEND_FOR_PARTS: "restore target extended for parts",
}

AMENDMENT_WORDS: dict[Amendment, str] = {
    Amendment.CHANGE_SEVERITY: "Change severity",
    Amendment.CHANGE_TIER: "Change tier",
    Amendment.EXTEND_FOR_PARTS: "Parts extension",
}


@dataclass(frozen=True, kw_only=True)
class ClockLine:
    clock: Clock
    status: ClockStatus
    # "Response: at risk · due Thu 14:30 CET · due in 2 h 10 min"; the view translates it.
    words: Phrase
    countdown_words: Phrase | None = None  # "due in 2 h 10 min", "breached 35 min ago", "paused"
    paused: bool = False
    notes: tuple[Phrase, ...] = ()  # the domain's explanations (a parts extension, a far site)

    @property
    def text(self) -> str:
        return str(self.words)

    @property
    def countdown(self) -> str:
        return str(self.countdown_words or "")


@dataclass(frozen=True, kw_only=True)
class BoardRow:
    ticket_id: str
    asset_id: str
    title: Phrase  # serial · site; the view translates it
    status: IncidentStatus
    status_words: str
    # The worst running clock decides the row's place and colour (sync/domain/sla.risk_rank).
    risk: ClockStatus | None
    risk_words: Phrase
    severity: Severity
    symptom: str
    clocks: tuple[ClockLine, ...]


@dataclass(frozen=True, kw_only=True)
class BoardFilter:
    """The desk board's filters: None shows all."""

    customer_id: str | None = None
    site_id: str | None = None
    partner_id: str | None = None
    tier_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class FilterChoice:
    id: str
    label: str


@dataclass(frozen=True, kw_only=True)
class Board:
    rows: tuple[BoardRow, ...]
    total: int  # open incidents matching the filters (the rows are the first page)
    breached: int
    at_risk: int
    customers: tuple[FilterChoice, ...] = ()
    sites: tuple[FilterChoice, ...] = ()
    partners: tuple[FilterChoice, ...] = ()
    tiers: tuple[FilterChoice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HistoryLine:
    when: Phrase  # on the site's clock with zone; the view translates it and ``what``
    who: str
    what: Phrase
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class IncidentPage:
    ticket_id: str
    asset_id: str
    serial: str
    site_name: Phrase | str
    customer_name: str
    symptom: str
    severity: Severity
    status: IncidentStatus
    status_words: str
    tier_name: str
    contact: str
    received_text: Phrase
    clocks: tuple[ClockLine, ...]
    history: tuple[HistoryLine, ...]
    # Only what this user may do now (sync/domain/incident_actions.py).
    steps: tuple[IncidentStatus, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    tiers: tuple[str, ...] = field(default=())
    may_visit: bool = False  # "Start visit for this incident": its arrival is the response (incident_actions)


@dataclass(frozen=True, kw_only=True)
class UnitChoice:
    """A chassis found by serial or site, for the desk's "open from a call" form."""

    asset_id: str
    serial: str
    where: Phrase | str  # the site's name, or "not installed"
