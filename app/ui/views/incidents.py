"""Incidents: the desk board (ordered by risk, with filters), the incident page (status in plain words, both clocks
on the site's clock with countdowns, the history with pauses and extensions, only the actions this user may take),
opening one from a call or from the chassis page, and the slots the home and chassis pages show."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import flet as ft

from app.i18n import Translator
from app.services.incident_models import (
    AMENDMENT_WORDS,
    STEP_WORDS,
    BoardRow,
    ClockLine,
    FilterChoice,
    IncidentPage,
    UnitChoice,
)
from app.ui import routes
from app.ui.state import AppState
from app.ui.views.a11y import named
from app.ui.views.capture import LiveTextField
from app.ui.views.common import big_button, heading, record_row, screen
from app.ui.views.forms import NONE, use_form
from app.vocabulary import label
from sync.domain.incident import Amendment
from sync.domain.service import Severity
from sync.domain.sla import ClockStatus

RISK_COLORS = {
    ClockStatus.BREACHED: ft.Colors.RED_800,
    ClockStatus.AT_RISK: ft.Colors.ORANGE_900,
    ClockStatus.ON_TRACK: ft.Colors.GREEN_800,
    ClockStatus.MET: ft.Colors.GREEN_800,
    ClockStatus.MISSED: ft.Colors.RED_800,
}
RISK_ICONS = {
    ClockStatus.BREACHED: ft.Icons.ALARM_OFF,
    ClockStatus.AT_RISK: ft.Icons.WARNING_AMBER,
    ClockStatus.ON_TRACK: ft.Icons.TIMER,
}


def _risk_color(status: ClockStatus | None) -> str:
    return RISK_COLORS.get(status, ft.Colors.BLUE_GREY_700) if status else ft.Colors.BLUE_GREY_700


def incident_row(state: AppState, row: BoardRow) -> ft.Control:
    t = state.t
    clocks = " · ".join(
        f"{t(label(c.clock))}: {t.phrase(c.countdown_words) if c.countdown_words else t(label(c.status)).lower()}"
        for c in row.clocks
    )
    return record_row(
        f"{t.phrase(row.title)} — {t.phrase(row.risk_words)}",
        f"{t(label(row.severity))} · {row.symptom} · {clocks}",
        icon=RISK_ICONS.get(row.risk, ft.Icons.TIMER) if row.risk else ft.Icons.TIMER,
        color=_risk_color(row.risk),
        on_click=partial(state.incidents.open_incident, row.ticket_id),
        key=f"incident-row-{row.ticket_id}",
    )


def home_incidents(state: AppState) -> list[ft.Control]:
    """The home screen's slot: the incidents on this user's sites with their clocks, most urgent first."""
    t, incidents = state.t, state.incidents
    if not incidents.mine:
        return []
    return [
        # One of: "Open incidents on your sites", "Your open incidents", "Open incidents, most at risk first".
        heading(t(incidents.mine_heading), key="home-incidents"),
        *(incident_row(state, row) for row in incidents.mine),
        ft.TextButton(t("All open incidents"), icon=ft.Icons.LIST, on_click=incidents.open_board),
    ]


def incidents_entry(state: AppState) -> ft.Control:
    """The home screen's button to the board (every role sees the incidents its device holds)."""
    return big_button(state.t("Incidents"), state.incidents.open_board, key="go-incidents", icon=ft.Icons.WARNING)


def asset_incidents(state: AppState) -> list[ft.Control]:
    """On the chassis page: the coverage badge in plain words, open incidents, and "Open incident"."""
    t, incidents, field = state.t, state.incidents, state.field
    data = field.page_data
    if data is None:
        return []
    s = data.summary
    opening: list[ft.Control] = [
        big_button(
            t("Open incident"),
            lambda: incidents.start_on_asset(s.id, s.serial, s.site_name),
            key="go-new-incident",
            icon=ft.Icons.REPORT_PROBLEM,
        )
    ]
    return [
        ft.Text(t.phrase(incidents.coverage), size=13, key="coverage-sla"),
        *(opening if incidents.may_open else []),
        *(incident_row(state, row) for row in incidents.on_asset),
    ]


def _filter(
    label: str, choices: tuple[FilterChoice, ...], value: str | None, on_pick: Callable[[str | None], None], key: str
) -> ft.Control:
    options = [ft.DropdownOption(key="", text="All"), *(ft.DropdownOption(key=c.id, text=c.label) for c in choices)]
    return named(
        ft.Dropdown(
            label=label,
            value=value or "",
            options=options,
            on_select=lambda e: on_pick(e.control.value or None),
            width=220,
            key=key,
        )
    )


@ft.component
def BoardView(state: AppState) -> ft.View:
    t, incidents = state.t, state.incidents
    board, filters = incidents.board, incidents.filters
    summary = t(
        "{total} open · {breached} breached · {at_risk} at risk",
        total=board.total,
        breached=board.breached,
        at_risk=board.at_risk,
    )
    opening = big_button(t("New incident (call)"), incidents.start_from_call, key="go-new-call", icon=ft.Icons.ADD_CALL)
    body: list[ft.Control] = [
        *([opening] if incidents.may_open else []),
        ft.Row(
            [
                _filter(
                    t("Customer"),
                    board.customers,
                    filters.customer_id,
                    partial(incidents.set_filter, "customer_id"),
                    "filter-customer",
                ),
                _filter(
                    t("Site"), board.sites, filters.site_id, partial(incidents.set_filter, "site_id"), "filter-site"
                ),
                _filter(
                    t("Partner"),
                    board.partners,
                    filters.partner_id,
                    partial(incidents.set_filter, "partner_id"),
                    "filter-partner",
                ),
                _filter(
                    t("Tier"), board.tiers, filters.tier_name, partial(incidents.set_filter, "tier_name"), "filter-tier"
                ),
            ],
            wrap=True,
        ),
        heading(summary, key="board-summary"),
        *(incident_row(state, row) for row in board.rows),
    ]
    if not board.rows:
        body.append(
            ft.Text(
                t("No open incidents. A customer's call starts one: New incident.")
                if incidents.may_open
                else t("No open incidents on this device.")
            )
        )
    elif board.total > len(board.rows):
        body.append(ft.Text(t("Showing the {n} most at risk; filter to see others", n=len(board.rows)), size=12))
    return screen(state, route=routes.INCIDENTS, title=t("Incidents"), controls=body)


def clock_card(t: Translator, line: ClockLine) -> ft.Control:
    color = _risk_color(line.status)
    return ft.Container(
        content=ft.Column(
            [
                ft.Text(t.phrase(line.words), weight=ft.FontWeight.BOLD, color=color, key=f"clock-{line.clock.value}"),
                *(ft.Text(t.phrase(note), size=12) for note in line.notes),
            ],
            spacing=2,
        ),
        padding=10,
        border=ft.Border.all(2, color),
        border_radius=8,
    )


@ft.component
def IncidentActions(
    state: AppState,
    page: IncidentPage,
    key: str | None = None,  # for @ft.component (a new key remounts the form empty); not read here
) -> ft.Control:
    """The steps and amendments this user may take, with the note or reason they type. Remounted empty after each
    saved step (its key carries the state's generation), so a note never carries over to the next step."""
    t, incidents = state.t, state.incidents
    form = use_form()
    note, set_note = form.field("note", "")
    reason, set_reason = form.field("reason", "")
    amendment, set_amendment = form.field("amendment", NONE)
    value, set_value = form.field("value", NONE)
    parts: list[ft.Control] = []
    steps: list[ft.Control] = [
        ft.FilledButton(
            content=t(STEP_WORDS[target]),
            # Read at the click, not from this render's closure (app/ui/views/forms.py).
            on_click=lambda _, s=target: incidents.move(s, form["note"]),
            height=52,
            key=f"step-{target.value}",
        )
        for target in page.steps
    ]
    if steps:
        parts += [
            LiveTextField(label=t("Note (optional)"), value=note, on_change=set_note, name="incident-note"),
            ft.Row(steps, wrap=True),
        ]
    if page.amendments:
        choices = [ft.DropdownOption(key=a.value, text=t(AMENDMENT_WORDS[a])) for a in page.amendments]
        picked = Amendment(amendment) if amendment else None
        values: list[str] = []
        if picked is Amendment.CHANGE_SEVERITY:
            values = [s.value for s in Severity]
        elif picked is Amendment.CHANGE_TIER:
            values = list(page.tiers)

        def value_words(value: str) -> str:
            # Severities by their label; tier names are names already.
            return t(label(Severity(value))) if picked is Amendment.CHANGE_SEVERITY else value

        def save() -> None:
            if not form["amendment"]:
                state.shell.say(t("Choose what to change"), error=True)
                return
            incidents.amend(Amendment(form["amendment"]), reason=form["reason"], value=form["value"] or "")

        parts += [
            heading(t("Change the terms")),
            named(
                ft.Dropdown(
                    label=t("Change"),
                    value=amendment,
                    options=choices,
                    on_select=lambda e: set_amendment(e.control.value),
                    width=260,
                    key="amend-kind",
                )
            ),
            *(
                [
                    named(
                        ft.Dropdown(
                            label=t("New value"),
                            value=value,
                            options=[ft.DropdownOption(key=v, text=value_words(v)) for v in values],
                            on_select=lambda e: set_value(e.control.value),
                            width=300,
                            key="amend-value",
                        )
                    )
                ]
                if values
                else []
            ),
            LiveTextField(
                label=t("Why (shown in the history)"), value=reason, on_change=set_reason, name="amend-reason"
            ),
            ft.OutlinedButton(t("Save change"), on_click=save, height=48, key="amend-save"),
        ]
    return ft.Column(parts, spacing=12)


@ft.component
def IncidentView(state: AppState) -> ft.View:
    t, incidents = state.t, state.incidents
    page = incidents.page
    if page is None:
        return screen(state, route=routes.INCIDENT, title=t("Incident"), controls=[ft.Text(t("No incident open."))])
    body: list[ft.Control] = [
        ft.Text(t(page.status_words), size=20, weight=ft.FontWeight.BOLD, key="incident-status"),
        ft.Text(f"{page.serial} · {t.phrase(page.site_name)} · {page.customer_name}"),
        ft.Text(f"{t(label(page.severity))} · {page.symptom}"),
        ft.Text(t("Received {when} · tier {tier}", when=t.phrase(page.received_text), tier=page.tier_name), size=13),
        *([ft.Text(t("Contact: {contact}", contact=page.contact), size=13)] if page.contact else []),
        ft.ResponsiveRow([ft.Container(clock_card(t, c), col={"xs": 12, "md": 6}) for c in page.clocks]),
        *(
            [
                big_button(
                    t("Start visit for this incident"),
                    incidents.start_visit,
                    key="incident-visit",
                    icon=ft.Icons.ENGINEERING,
                )
            ]
            if page.may_visit
            else []
        ),
        IncidentActions(state, page, key=f"incident-actions-{page.ticket_id}-{incidents.step_generation}"),
    ]
    body.append(heading(t("History")))
    body += [
        ft.ListTile(
            title=ft.Text(f"{t.phrase(line.when)} · {t.phrase(line.what)}"),
            subtitle=ft.Text(" · ".join(p for p in (line.who, line.note) if p)),
            dense=True,
        )
        for line in reversed(page.history)
    ]
    body.append(ft.TextButton(t("Open the chassis"), on_click=lambda: state.field.open_asset(page.asset_id)))
    return screen(state, route=routes.INCIDENT, title=t("Incident {serial}", serial=page.serial), controls=body)


@ft.component
def IncidentForm(
    state: AppState,
    unit: UnitChoice,
    key: str | None = None,  # for @ft.component: one form per chassis, remounted with its own draft; not read here
) -> ft.Control:
    """Symptom, severity and contact for the chassis chosen. What is typed is kept on the device as it is typed
    (a draft per chassis, until the incident is opened), so Back, a crash or a restart lose nothing."""
    t, incidents = state.t, state.incidents
    draft = incidents.draft
    form = use_form()
    symptom, set_symptom = form.field("symptom", draft.get("symptom", ""))
    severity, set_severity = form.field("severity", draft.get("severity") or NONE)
    contact, set_contact = form.field("contact", draft.get("contact", ""))
    phone, set_phone = form.field("phone", draft.get("phone", ""))

    def keeping(setter: Callable[[Any], None], name: str) -> Callable[[Any], None]:
        def change(value: Any) -> None:
            setter(value)
            incidents.keep_draft({**form.values, name: value or ""})

        return change

    return ft.Column(
        [
            ft.Text(f"{unit.serial} · {t.phrase(unit.where)}", size=18, weight=ft.FontWeight.BOLD, key="incident-unit"),
            LiveTextField(
                label=t("Symptom"),
                value=symptom,
                on_change=keeping(set_symptom, "symptom"),
                multiline=True,
                name="incident-symptom",
            ),
            named(
                ft.Dropdown(
                    label=t("Severity"),
                    value=severity,
                    # No severity is pre-selected: the caller says how bad it is.
                    options=[ft.DropdownOption(key=s.value, text=t(label(s))) for s in Severity],
                    on_select=lambda e: keeping(set_severity, "severity")(e.control.value),
                    width=240,
                    key="incident-severity",
                )
            ),
            LiveTextField(
                label=t("Contact name"),
                value=contact,
                on_change=keeping(set_contact, "contact"),
                name="incident-contact",
            ),
            LiveTextField(
                label=t("Contact phone"), value=phone, on_change=keeping(set_phone, "phone"), name="incident-phone"
            ),
            big_button(
                t("Open incident now"),
                lambda: incidents.submit(
                    symptom=form["symptom"],
                    severity=form["severity"],
                    contact_name=form["contact"],
                    contact_phone=form["phone"],
                ),
                key="incident-save",
                icon=ft.Icons.REPORT_PROBLEM,
            ),
        ],
        spacing=12,
    )


def incident_form(state: AppState, route: str, lead: list[ft.Control]) -> ft.View:
    """The form for the chassis chosen (shared by the call and the chassis page), under ``lead``."""
    t, incidents = state.t, state.incidents
    unit = incidents.unit
    body: list[ft.Control] = [*lead]
    if unit is not None:
        body.append(IncidentForm(state, unit, key=f"incident-form-{unit.asset_id}-{incidents.form_generation}"))
    return screen(state, route=route, title=t("New incident"), controls=body)


@ft.component
def NewIncidentView(state: AppState) -> ft.View:
    """A customer's call: find the chassis by serial or site, then the symptom, severity and contact."""
    t, incidents = state.t, state.incidents
    if incidents.unit is not None:
        # Chosen: the list folds away so the form is in view; one tap goes back to the search.
        lead: list[ft.Control] = [
            ft.TextButton(t("Choose another chassis"), icon=ft.Icons.SEARCH, on_click=incidents.clear_unit)
        ]
        return incident_form(state, routes.NEW_INCIDENT, lead)
    lead = [
        LiveTextField(
            label=t("Serial or site"),
            value=incidents.unit_query,
            on_change=incidents.search_units,
            name=f"unit-search-{incidents.form_generation}",
        ),
        *(
            record_row(
                u.serial,
                t.phrase(u.where),
                icon=ft.Icons.DNS,
                on_click=partial(incidents.choose_unit, u.asset_id),
                key=f"unit-{u.asset_id}",
            )
            for u in incidents.units
        ),
    ]
    if incidents.unit_query and not incidents.units:
        lead.append(ft.Text(t("No chassis on this device matches; try the serial's first letters or the site's name.")))
    return incident_form(state, routes.NEW_INCIDENT, lead)


@ft.component
def AssetNewIncidentView(state: AppState) -> ft.View:
    return incident_form(state, routes.ASSET_NEW_INCIDENT, [])
