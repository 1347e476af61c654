"""Incidents on the device: open one (from the chassis page, from a customer's call at the desk, by the customer's
own users), move and amend it, and the read models of the desk board, the incident page, the engineer's list and
the chassis page's coverage badge.

The device computes the clocks itself with the domain (``incident_terms.ticket_clocks``: tier, place, history), so
an engineer in a cage sees the due times the server will compute. Which steps a user is offered comes from the
domain's table (``incident_actions``), never a copy. Every time shown is on the incident's site clock with its zone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore, as_utc
from app.i18n import Phrase, lowered, words
from app.ids import new_id
from app.services.incident_board import CLOSED_STATES, BoardIndex
from app.services.incident_models import (
    AMENDED_WORDS,
    EVENT_WORDS,
    STATUS_WORDS,
    Board,
    BoardFilter,
    BoardRow,
    ClockLine,
    FilterChoice,
    HistoryLine,
    IncidentPage,
    UnitChoice,
)
from app.services.tier_words import tier_phrase
from app.timefmt import duration_phrase, relative_phrase, short_phrase
from app.vocabulary import label
from sync.domain.asset import Asset
from sync.domain.commands import AmendIncident, MoveIncident, OpenTicket
from sync.domain.coverage import site_timezone
from sync.domain.errors import InvalidInput
from sync.domain.incident import Amendment, IncidentEvent, IncidentStatus
from sync.domain.incident_actions import amendments_allowed, may_visit_for, next_steps
from sync.domain.incident_terms import terms_for, ticket_clocks, ticket_terms
from sync.domain.org import Organization, OrgKind, Role, UserProfile
from sync.domain.permissions import Action, may
from sync.domain.serials import normalise_serial
from sync.domain.service import Severity
from sync.domain.site import Site
from sync.domain.sla import RISK_ORDER, Clock, ClockState, ClockStatus, risk_rank
from sync.domain.sla_alerts import next_breach_at
from sync.domain.sla_catalogue import NO_CONTRACT, TEMPLATES
from sync.domain.ticket import Ticket

# The desk board's first page: enough to fill a laptop screen twice, small enough to draw at once on a phone.
BOARD_PAGE = 50
# The engineer's home shows the most urgent few; the board has the rest.
HOME_ROWS = 5
UNIT_SEARCH_LIMIT = 20
ALL = BoardFilter()


def countdown(state: ClockState, now: datetime) -> Phrase | None:
    """A clock's countdown in plain words: "due in 2 h 10 min", "breached 35 min ago", "met", "paused"."""
    if state.status is ClockStatus.NOT_COMMITTED:
        return words("no committed time")
    if state.status is ClockStatus.BY_AGREEMENT:
        return words("time by agreement")
    if state.status is ClockStatus.MET:
        return words("met")
    if state.status is ClockStatus.MISSED:
        return words("missed")
    if state.due is None:
        return None
    due = as_utc(state.due)
    if state.paused:
        return words("paused")
    if due < now:
        return words("breached {ago} ago", ago=duration_phrase(now - due))
    return relative_phrase(due, now)


def clock_line(state: ClockState, now: datetime, zone: str) -> ClockLine:
    due = short_phrase(as_utc(state.due), zone) if state.due is not None else None
    said = countdown(state, now)
    status = lowered(label(state.status))
    # The countdown is left out where it would repeat the status ("met", "missed", "paused" said twice).
    repeats = said is None or said.template in ("met", "missed") or str(said) == str(status)
    line = words(
        "{clock}: {status}{due}{countdown}",
        clock=words(label(state.clock)),
        status=status,
        due=words(" · due {when}", when=due) if due is not None else "",
        countdown="" if repeats else words(" · {countdown}", countdown=said),
    )
    return ClockLine(
        clock=state.clock,
        status=state.status,
        words=line,
        countdown_words=said,
        paused=state.paused,
        notes=state.notes,
    )


def worst(states: Mapping[Clock, ClockState]) -> ClockStatus | None:
    rank, _due = risk_rank(states)
    return RISK_ORDER[rank] if rank < len(RISK_ORDER) else None


@dataclass
class IncidentService:
    store: LocalStore
    make_id: Callable[[], str] = new_id
    now: Callable[[], datetime] | None = None
    _names: dict[str, str] = field(default_factory=dict)
    _index: BoardIndex = field(init=False)

    def __post_init__(self) -> None:
        self._index = BoardIndex(self.store)

    def _now(self) -> datetime:
        return as_utc((self.now or self.store.clock)())

    def forget(self) -> None:
        """Sign-out: nothing of the last user's incidents stays in memory."""
        self._names.clear()
        self._index = BoardIndex(self.store)

    def index_after_sync(self) -> None:
        """Bring the board's kept places up to date with what a sync round pulled, on the sync's thread (an index of
        its own: the screens' one reads the rows it writes instead of recomputing them), so the next board a screen
        loads recomputes nothing the pull changed."""
        BoardIndex(self.store).open_incidents(self._now())

    def may_open(self) -> bool:
        """Whether this user may open incidents at all (the opening command's grant), so the buttons show only then."""
        return may(self.store.role(), Action.OPEN_TICKET)

    # commands ---------------------------------------------------------------------------------------------------
    def open_incident(
        self, *, asset_id: str, symptom: str, severity: Severity, contact_name: str = "", contact_phone: str = ""
    ) -> str:
        """Open an incident on a chassis: the clocks start now, computed on this device and again by the server."""
        ticket_id = self.make_id()
        self.store.execute(
            OpenTicket(
                ticket_id=ticket_id,
                asset_id=asset_id,
                symptom=symptom,
                severity=severity,
                contact_name=contact_name,
                contact_phone=contact_phone,
            )
        )
        self.store.drop_draft(_draft_key(asset_id))  # saved: the draft has done its job
        return ticket_id

    def draft(self, asset_id: str) -> dict[str, str]:
        """What was typed into the new-incident form for this chassis and not saved yet."""
        return self.store.draft(_draft_key(asset_id))

    def keep_draft(self, asset_id: str, values: Mapping[str, str]) -> None:
        self.store.save_draft(_draft_key(asset_id), {k: str(v or "") for k, v in values.items()})

    def move(self, ticket_id: str, to_status: IncidentStatus, *, note: str = "") -> None:
        ticket = self._ticket(ticket_id)
        self.store.execute(MoveIncident(ticket_id=ticket_id, to_status=to_status, note=note, from_status=ticket.status))

    def amend(self, ticket_id: str, amendment: Amendment, *, reason: str, value: str = "") -> None:
        ticket = self._ticket(ticket_id)
        base = {Amendment.CHANGE_SEVERITY: ticket.severity.value, Amendment.CHANGE_TIER: ticket.tier_name}
        self.store.execute(
            AmendIncident(
                ticket_id=ticket_id, amendment=amendment, reason=reason, value=value, base_value=base.get(amendment)
            )
        )

    # finding a unit from a call -----------------------------------------------------------------------------------
    def find_units(self, text: str) -> list[UnitChoice]:
        """Chassis whose serial starts with ``text``, or installed at a site whose name contains it."""
        query = text.strip()
        if len(query) < 2:
            return []
        sites = {s.id: s for s in self.store.all(Site)}
        found: dict[str, Asset] = {}
        try:
            prefix = normalise_serial(query)
        except InvalidInput:
            prefix = query.upper()
        for serial in self.store.natural_keys_with_prefix(Asset.collection, prefix, limit=UNIT_SEARCH_LIMIT):
            asset = self.store.find(Asset, serial)
            if asset is not None:
                found[asset.id] = asset
        matching_sites = {i for i, s in sites.items() if query.casefold() in s.name.casefold()}
        if matching_sites and len(found) < UNIT_SEARCH_LIMIT:
            for asset in self.store.all(Asset):
                if asset.site_id in matching_sites:
                    found.setdefault(asset.id, asset)
                if len(found) >= UNIT_SEARCH_LIMIT:
                    break
        return [
            UnitChoice(asset_id=a.id, serial=a.serial, where=self._where(a, sites))
            for a in sorted(found.values(), key=lambda a: a.serial)
        ]

    @staticmethod
    def _where(asset: Asset, sites: Mapping[str, Site]) -> Phrase | str:
        site = sites.get(asset.site_id or "")
        return site.name if site else NOT_INSTALLED

    # read models --------------------------------------------------------------------------------------------------
    def _ticket(self, ticket_id: str) -> Ticket:
        ticket = self.store.get(Ticket, ticket_id)
        if ticket is None:
            raise InvalidInput(words("this incident is not on this device"))
        return ticket

    def _name(self, user_id: str) -> str:
        if user_id not in self._names:
            profile = self.store.get(UserProfile, user_id)
            self._names[user_id] = profile.name if profile else user_id
        return self._names[user_id]

    def page(self, ticket_id: str) -> IncidentPage:
        ticket = self._ticket(ticket_id)
        now = self._now()
        zone = site_timezone(self.store, ticket.site_id or None)
        tier, _place = ticket_terms(self.store, ticket)
        states = ticket_clocks(self.store, ticket, now)
        asset = self.store.get(Asset, ticket.asset_id)
        site = self.store.get(Site, ticket.site_id) if ticket.site_id else None
        customer = self.store.get(Organization, ticket.org_id)
        role = self.store.role()
        contact = " · ".join(p for p in (ticket.contact_name, ticket.contact_phone) if p)
        history = [
            HistoryLine(
                when=short_phrase(as_utc(ticket.opened_at), zone),
                who=self._name(ticket.opened_by) if ticket.opened_by else "",
                what=words(
                    "opened: {severity}, {tier}",
                    severity=words(label(ticket.severity)),
                    tier=ticket.tier_name or tier.name,
                ),
            ),
            *(self._history_line(event, zone) for event in ticket.history),
        ]
        return IncidentPage(
            ticket_id=ticket.id,
            asset_id=ticket.asset_id,
            serial=asset.serial if asset else "?",
            site_name=site.name if site else NOT_INSTALLED,
            customer_name=customer.name if customer else "",
            symptom=ticket.symptom,
            severity=ticket.severity,
            status=ticket.status,
            status_words=STATUS_WORDS[ticket.status],
            tier_name=tier.name,
            contact=contact,
            received_text=short_phrase(as_utc(ticket.opened_at), zone),
            clocks=tuple(clock_line(self._named(states[c]), now, zone) for c in Clock if c in states),
            history=tuple(history),
            steps=next_steps(ticket.status, role, tier),
            amendments=amendments_allowed(ticket.status, role, tier),
            may_visit=may_visit_for(ticket.status, role),
            tiers=tuple(t.name for t in TEMPLATES),
        )

    def _named(self, state: ClockState) -> ClockState:
        """The domain's notes name who granted a parts extension by user id; people read names."""
        ext = state.extension
        if ext is None:
            return state
        name = self._name(ext.by)
        return replace(state, notes=tuple(_who_named(note, ext.by, name) for note in state.notes))

    def _history_line(self, event: IncidentEvent, zone: str) -> HistoryLine:
        what: Phrase
        if event.status is not None:
            what = words(EVENT_WORDS[event.status])
            if event.late:
                what = words("{step} (made offline, earlier: its time counts)", step=what)
        elif event.amendment is not None:
            what = words(AMENDED_WORDS[event.amendment], value=_amended_value(event.amendment, event.value))
        else:
            what = words("note")
        return HistoryLine(
            when=short_phrase(as_utc(event.at), zone), who=self._name(event.by), what=what, note=event.note
        )

    def board(self, filters: BoardFilter = ALL, *, limit: int = BOARD_PAGE) -> Board:
        """Open incidents, most at risk first (breached, at risk, on track; earliest due first), first page only.

        The order comes from the device's board index (app/services/incident_board.py); only the rows of the first
        page have their clocks recomputed for their countdowns."""
        now = self._now()
        orgs = {o.id: o for o in self.store.all(Organization)}
        sites = {s.id: s for s in self.store.all(Site)}
        partner = orgs.get(filters.partner_id or "")
        serviced = frozenset(partner.serviced_org_ids) if partner else None
        placed = self._index.open_incidents(now)
        chosen = [
            p
            for p in placed
            if (filters.customer_id is None or p.org_id == filters.customer_id)
            and (filters.site_id is None or p.site_id == filters.site_id)
            and (serviced is None or p.org_id in serviced)
            and (filters.tier_name is None or p.tier_name == filters.tier_name)
        ]
        counts = Counter(p.risk for p in chosen)
        reader = CachedReader(self.store)
        page = self.store.get_many(Ticket, [p.ticket_id for p in chosen[:limit]])
        serials = {a.id: a.serial for a in self.store.get_many(Asset, [t.asset_id for t in page])}
        rows = tuple(self._row(t, ticket_clocks(reader, t, now), now, sites, serials) for t in page)
        return Board(
            rows=rows,
            total=len(chosen),
            breached=counts[ClockStatus.BREACHED],
            at_risk=counts[ClockStatus.AT_RISK],
            customers=_choices((orgs[i].id, orgs[i].name) for i in {p.org_id for p in placed} if i in orgs),
            sites=_choices((sites[i].id, sites[i].name) for i in {p.site_id for p in placed} if i in sites),
            partners=_choices((o.id, o.name) for o in orgs.values() if o.kind is OrgKind.SERVICE_PARTNER),
            tiers=_choices((n, n) for n in {p.tier_name for p in placed} if n),
        )

    def mine_heading(self) -> str:
        """What the home's list is, in the user's terms: a device holds what its user may see (an engineer's sites,
        a customer's own incidents, everything for the desk)."""
        role = self.store.role()
        if role is Role.CUSTOMER:
            return "Your open incidents"
        if role in (Role.SERVICE_DESK, Role.ADMIN):
            return "Open incidents, most at risk first"
        return "Open incidents on your sites"

    def mine(self) -> tuple[BoardRow, ...]:
        """The engineer's home: the open incidents this device holds (an engineer's device holds their sites')."""
        return self.board(limit=HOME_ROWS).rows

    def _row(
        self,
        ticket: Ticket,
        states: Mapping[Clock, ClockState],
        now: datetime,
        sites: Mapping[str, Site],
        serials: Mapping[str, str],
    ) -> BoardRow:
        site = sites.get(ticket.site_id)
        zone = site.timezone if site else site_timezone(self.store, None)
        risk = worst(states)
        return BoardRow(
            ticket_id=ticket.id,
            asset_id=ticket.asset_id,
            title=words(
                "{serial} · {site}", serial=serials.get(ticket.asset_id, "?"), site=site.name if site else NOT_INSTALLED
            ),
            status=ticket.status,
            status_words=STATUS_WORDS[ticket.status],
            risk=risk,
            risk_words=lowered(label(risk)) if risk else words("no running clock"),
            severity=ticket.severity,
            symptom=ticket.symptom,
            clocks=tuple(clock_line(states[c], now, zone) for c in Clock if c in states),
        )

    # the chassis page ------------------------------------------------------------------------------------------
    def coverage_badge(self, asset_id: str) -> tuple[Phrase | str, Phrase]:
        """The chassis page's badge: its title ("Covered: ProSupport Plus Mission Critical"; empty when no tier
        commits anything) and what it means in plain words ("30 min response, 4 h restore, 24×7 (critical); next
        breach risk: none"), from the tier that would govern an incident opened now (incident_terms.terms_for)."""
        asset = self.store.get(Asset, asset_id)
        if asset is None:
            raise InvalidInput(words("this chassis is not on this device"))
        now = self._now()
        terms = terms_for(self.store, asset, now)
        zone = terms.place.timezone
        title = "" if terms.tier.name == NO_CONTRACT.name else words("Covered: {tier}", tier=terms.tier.name)
        summary = words(
            "{tier}: {targets} ({severity})",
            tier=terms.tier.name,
            targets=tier_phrase(terms.tier, Severity.CRITICAL),
            severity=words(label(Severity.CRITICAL)),
        )
        breached: list[tuple[datetime, Clock]] = []
        dues: list[datetime] = []
        for ticket in self.store.children(Ticket, asset.id):
            if ticket.status in CLOSED_STATES:
                continue
            states = ticket_clocks(self.store, ticket, now)
            breached += [(as_utc(s.due), c) for c, s in states.items() if s.status is ClockStatus.BREACHED and s.due]
            due = next_breach_at(states)
            if due is not None:
                dues.append(as_utc(due))
        if breached:
            first, clock = min(breached)
            since = duration_phrase(now - first)
            return title, words(
                "{summary}; breached now: {clock} since {since}",
                summary=summary,
                clock=lowered(label(clock)),
                since=since,
            )
        if not dues:
            return title, words("{summary}; next breach risk: none", summary=summary)
        soonest = min(dues)
        return title, words(
            "{summary}; next breach risk: {when} (in {left})",
            summary=summary,
            when=short_phrase(soonest, zone),
            left=duration_phrase(soonest - now),
        )

    def open_on_asset(self, asset_id: str) -> tuple[BoardRow, ...]:
        now = self._now()
        sites = {s.id: s for s in self.store.all(Site)}
        tickets = [t for t in self.store.children(Ticket, asset_id) if t.status is not IncidentStatus.CLOSED]
        asset = self.store.get(Asset, asset_id)
        serials = {asset_id: asset.serial} if asset else {}
        return tuple(self._row(t, ticket_clocks(self.store, t, now), now, sites, serials) for t in tickets)


NOT_INSTALLED = words("not installed")


def _who_named(note: Phrase, user_id: str, name: str) -> Phrase:
    """The note with the user id it names as ``who`` replaced by the person's name."""
    values = tuple((k, name if k == "who" and v == user_id else v) for k, v in note.values)
    return replace(note, values=values)


def _amended_value(amendment: Amendment, value: str) -> Phrase | str:
    """The new value of an amendment as people read it: a severity by its label, a tier by its name."""
    if amendment is Amendment.CHANGE_SEVERITY and value in {s.value for s in Severity}:
        return words(label(Severity(value)))
    return value


def _draft_key(asset_id: str) -> str:
    return f"incident:{asset_id}"


def _choices(pairs: Iterable[tuple[str, str]]) -> tuple[FilterChoice, ...]:
    return tuple(sorted((FilterChoice(id=i, label=label) for i, label in pairs), key=lambda c: c.label))
