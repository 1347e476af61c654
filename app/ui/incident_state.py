"""Incidents on screen: the desk board with its filters, the incident page, the "open an incident" forms (from a
chassis, from a customer's call), and the engineer's list on the home screen.

Its intents call the incident service and reload the read models this feature owns; every sync round reloads them
too (``refresh``), so the board follows the devices' changes and the countdowns follow the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import flet as ft

from app.bootstrap import Services
from app.i18n import Phrase
from app.services.escalations import EscalationLine
from app.services.incident_models import Board, BoardFilter, BoardRow, IncidentPage, UnitChoice
from app.services.incidents import HOME_ROWS
from app.ui import routes
from app.ui.field_state import FieldState
from app.ui.shell import Shell, intent
from sync.domain.errors import DomainError
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.service import Severity
from sync.domain.sla import Clock

EMPTY_BOARD = Board(rows=(), total=0, breached=0, at_risk=0)


@dataclass
class IncidentState(ft.Observable):
    shell: Shell
    services: Services
    field_state: FieldState
    board: Board = EMPTY_BOARD
    filters: BoardFilter = BoardFilter()
    ticket_id: str | None = None
    page: IncidentPage | None = None
    # The engineer's open incidents, most urgent first (home screen).
    mine: tuple[BoardRow, ...] = ()
    mine_heading: str = ""
    # The chassis page's coverage badge and its open incidents.
    coverage: Phrase | str = ""
    coverage_title: Phrase | str = ""
    on_asset: tuple[BoardRow, ...] = ()
    # The "open from a call" search: what was typed and the chassis it found; the chassis chosen for the form.
    unit_query: str = ""
    units: list[UnitChoice] = field(default_factory=list)
    unit: UnitChoice | None = None
    # What was typed into the form for ``unit`` and not saved yet (kept on the device).
    draft: dict[str, str] = field(default_factory=dict)
    form_generation: int = 0
    # Bumped after each saved step or amendment: the incident page's action form remounts empty.
    step_generation: int = 0
    # Whether this user may open incidents (the opening command's grant): the "open" buttons show only then.
    may_open: bool = False
    # The desk's escalation notices out now (breaches recorded and not acknowledged), oldest first.
    escalations: tuple[EscalationLine, ...] = ()

    def __post_init__(self) -> None:
        def follow(_sender: Any, name: str | None) -> None:
            if name == "asset_id":  # a chassis was opened or closed: its badge and incidents follow at once
                self._asset()

        # Observables hold their listeners weakly: keep this one as long as the state.
        self._follow = follow
        self.field_state.subscribe(follow)

    def _asset(self) -> None:
        asset_id = self.field_state.asset_id
        if asset_id is None:
            self.coverage_title, self.coverage, self.on_asset = "", "", ()
            return
        try:
            self.coverage_title, self.coverage = self.services.incidents.coverage_badge(asset_id)
            self.on_asset = self.services.incidents.open_on_asset(asset_id)
        except DomainError:
            self.coverage_title, self.coverage, self.on_asset = (
                "",
                "",
                (),
            )  # the chassis left the device: the field state says so

    def refresh(self) -> None:
        """Reload what is on screen; an incident that left this device closes with a message."""
        incidents = self.services.incidents
        self.may_open = incidents.may_open()
        self.mine_heading = incidents.mine_heading()
        self.escalations = self.services.escalations.notices()
        self._asset()
        if self.shell.on(routes.INCIDENTS):
            self.board = incidents.board(self.filters)
        # The home's few are the unfiltered board's first rows: one pass when the board is open without filters.
        unfiltered = self.shell.on(routes.INCIDENTS) and self.filters == BoardFilter()
        self.mine = self.board.rows[:HOME_ROWS] if unfiltered else incidents.mine()
        if self.ticket_id is not None:
            try:
                self.page = incidents.page(self.ticket_id)
            except DomainError as err:
                self.ticket_id, self.page = None, None
                if self.shell.on(routes.INCIDENT):
                    self.shell.go(routes.INCIDENTS)
                gone = self.shell.t("The incident you had open is gone: {reason}", reason=self.shell.reason(err))
                self.shell.say(gone, error=True)

    def reset(self) -> None:
        self.services.incidents.forget()
        self.board, self.filters, self.ticket_id, self.page = EMPTY_BOARD, BoardFilter(), None, None
        self.mine, self.coverage_title, self.coverage, self.on_asset = (), "", "", ()
        self.unit_query, self.units, self.unit, self.draft = "", [], None, {}
        self.may_open = False
        self.escalations = ()
        self.form_generation += 1

    # navigation ---------------------------------------------------------------------------------------------------
    @intent("Opening the incident board")
    def open_board(self) -> None:
        self.shell.go(routes.INCIDENTS)
        self.board = self.services.incidents.board(self.filters)

    @intent("Opening the incident")
    def open_incident(self, ticket_id: str) -> None:
        self.ticket_id = ticket_id
        self.page = self.services.incidents.page(ticket_id)
        self.shell.go(routes.INCIDENT)

    @intent("Visit start")
    def start_visit(self) -> None:
        """On site for this incident: open its chassis and start the visit tied to it."""
        if self.ticket_id is None:
            return
        page = self.services.incidents.page(self.ticket_id)  # as it is now, not as it was drawn
        self.field_state.open_asset(page.asset_id)
        if self.field_state.asset_id == page.asset_id:
            self.field_state.start_visit_for_incident(page.ticket_id)

    @intent("Filtering the board")
    def set_filter(self, name: str, value: str | None) -> None:
        self.filters = replace(self.filters, **{name: value or None})
        self.board = self.services.incidents.board(self.filters)

    @intent("New incident")
    def start_from_call(self) -> None:
        """The desk takes a customer's call (or a customer reports a fault): find the chassis first."""
        self.unit_query, self.units, self.unit = "", [], None
        self.form_generation += 1
        self.shell.go(routes.NEW_INCIDENT)

    @intent("Search")
    def search_units(self, text: str) -> None:
        self.unit_query = text
        self.units = self.services.incidents.find_units(text)

    @intent("Choosing the chassis")
    def choose_unit(self, asset_id: str) -> None:
        unit = next((u for u in self.units if u.asset_id == asset_id), None)
        self.draft = self.services.incidents.draft(asset_id) if unit else {}
        self.unit = unit

    @intent("New incident")
    def keep_draft(self, values: dict[str, str]) -> None:
        """Keep what is typed on the device as it is typed. The screen already shows it, so this changes no field
        (a re-render per keystroke is what loses keystrokes); the draft is read back when the form opens again."""
        if self.unit is not None:
            self.services.incidents.keep_draft(self.unit.asset_id, values)

    @intent("Choosing the chassis")
    def clear_unit(self) -> None:
        self.unit = None

    @intent("New incident")
    def start_on_asset(self, asset_id: str, serial: str, where: Phrase | str) -> None:
        """From the chassis page: the chassis is known, straight to the symptom."""
        self.draft = self.services.incidents.draft(asset_id)
        self.unit = UnitChoice(asset_id=asset_id, serial=serial, where=where)
        self.form_generation += 1
        self.shell.go(routes.ASSET_NEW_INCIDENT)

    # commands -----------------------------------------------------------------------------------------------------
    @intent("Opening an incident")
    def submit(self, *, symptom: str, severity: str | None, contact_name: str, contact_phone: str) -> None:
        t = self.shell.t
        if self.unit is None:
            self.shell.say(t("Choose the chassis first"), error=True)
            return
        if severity not in set(Severity):
            self.shell.say(t("Choose the severity"), error=True)
            return
        asset_id = self.unit.asset_id
        saved = self.shell.attempt(
            "Opening an incident",
            lambda: self.services.incidents.open_incident(
                asset_id=asset_id,
                symptom=symptom,
                severity=Severity(severity),
                contact_name=contact_name,
                contact_phone=contact_phone,
            ),
        )
        if saved is not None:
            self.unit, self.draft = None, {}
            self.open_incident(saved.value)
            self.shell.say(t("Incident opened on this device; it will sync when online"))

    @intent("Moving the incident")
    def move(self, to_status: IncidentStatus, note: str = "") -> None:
        ticket_id = self.ticket_id
        if ticket_id is None:
            return
        if self.shell.attempt(
            "Moving the incident", lambda: self.services.incidents.move(ticket_id, to_status, note=note)
        ):
            self.step_generation += 1

    @intent("Amending the incident")
    def amend(self, amendment: Amendment, *, reason: str, value: str = "") -> None:
        ticket_id = self.ticket_id
        if ticket_id is None:
            return
        if self.shell.attempt(
            "Amending the incident",
            lambda: self.services.incidents.amend(ticket_id, amendment, reason=reason, value=value),
        ):
            self.step_generation += 1

    @intent("Acknowledging the breach")
    def acknowledge(self, ticket_id: str, clock: Clock) -> None:
        """The desk has seen an escalation notice: it leaves the list at once and the acknowledgement syncs."""
        if self.shell.attempt(
            "Acknowledging the breach", lambda: self.services.escalations.acknowledge(ticket_id, clock)
        ):
            self.escalations = self.services.escalations.notices()
