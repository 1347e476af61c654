"""Incidents on the device, against real SQLite files and the in-process server: opening one from a call, from the
chassis page and by a customer; the incident page's clocks in the site's time with countdowns; the board's risk
order and filters; the actions each role is offered; pauses in the history; an offline engineer's steps reaching
the desk; the chassis page's coverage badge.

Time is the device store's clock, set by each test (the same hook the e2e's RACKSIDE_TEST_CLOCK_FILE moves).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.i18n import Translator
from app.services.incident_models import BoardFilter
from app.ui import routes
from app.ui.state import AppState
from server.seed import sid
from sync.clock import TEST_CLOCK_ENV, set_offset
from sync.domain.asset import Asset
from sync.domain.contract import Contract
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.service import Severity
from sync.domain.sla import ClockStatus
from sync.domain.ticket import Ticket
from tests.client.conftest import Device

# Monday 7 December 2026, 09:00 UTC = 10:00 CET at Helix FRA1 (Europe/Berlin).
MONDAY_9_UTC = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
FRA1 = sid("site", "fra1")
ASH1 = sid("site", "ash1")
SFO = sid("site", "sfo-edge")  # America/Los_Angeles, 45 km from its depot
# Sold as "ProSupport Plus Mission Critical", 24×7: critical 30 min response / 4 h restore, major 2 h / 4 h,
# minor 2 h / 24 h; a 48 h parts extension. FRA1 is 18 km from its depot (no extra time), ASH1 120 km (+2 h restore).
PLATINUM = sid("contract", "A-PLAT")
MC = "ProSupport Plus Mission Critical"


def at(device: Device, moment: datetime) -> None:
    device.client.store.clock = lambda: moment


def server_at(moment: datetime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Put the in-process server's clock at ``moment`` (a test clock file): the server keeps a device's times only
    up to its own now, so a test working at a fixed past moment puts the server after it."""
    server_clock = tmp_path / "server-clock"
    set_offset(server_clock, moment - datetime.now(UTC))
    monkeypatch.setenv(TEST_CLOCK_ENV, str(server_clock))


def platinum_units(device: Device, site_id: str, *, untouched: bool = False, idle: bool = False) -> list[Asset]:
    store = device.client.store
    contract = store.get(Contract, PLATINUM)
    assert contract is not None
    found = [store.get(Asset, i) for i in contract.asset_ids]

    def usable(unit: Asset) -> bool:
        # ``untouched``: chassis without a seeded incident, so every incident on them is the test's own; ``idle``:
        # none of its seeded incidents is still open (the test's incident is the only open one).
        tickets = store.children(Ticket, unit.id)
        if untouched:
            return not tickets
        return not idle or all(t.status is IncidentStatus.CLOSED for t in tickets)

    units = sorted((a for a in found if a is not None and a.site_id == site_id and usable(a)), key=lambda a: a.serial)
    assert units, f"the seed puts platinum-covered chassis at {site_id}"
    return units


def test_the_desk_opens_an_incident_from_a_call_and_watches_its_clocks_in_the_sites_time(
    device: Callable[[str], Device],
) -> None:
    desk = device("desk")
    unit = platinum_units(desk, FRA1)[0]
    incidents = desk.services.incidents
    by_serial = incidents.find_units(unit.serial[:8].lower())
    assert unit.id in [u.asset_id for u in by_serial]
    by_site = incidents.find_units("helix fra1")
    assert by_site and all(str(u.where) == "Helix FRA1 colo" for u in by_site)
    at(desk, MONDAY_9_UTC)
    ticket_id = incidents.open_incident(
        asset_id=unit.id, symptom="PSU fault LED", severity=Severity.MAJOR, contact_name="Ana", contact_phone="+49 1"
    )
    page = incidents.page(ticket_id)
    assert page.status is IncidentStatus.OPEN
    assert page.status_words == "Open: waiting for the first response"
    assert str(page.received_text) == "Mon 10:00 CET"
    assert page.contact == "Ana · +49 1"
    assert [c.text for c in page.clocks] == [
        "Response: on track · due Mon 12:00 CET · due in 2 h",
        "Restore: on track · due Mon 14:00 CET · due in 4 h",
    ]
    at(desk, MONDAY_9_UTC + timedelta(hours=1, minutes=40))  # 100 of 120 min used: more than 75 %
    assert [c.text for c in incidents.page(ticket_id).clocks] == [
        "Response: at risk · due Mon 12:00 CET · due in 20 min",
        "Restore: on track · due Mon 14:00 CET · due in 2 h 20 min",
    ]
    at(desk, MONDAY_9_UTC + timedelta(hours=3, minutes=35))
    assert [c.text for c in incidents.page(ticket_id).clocks] == [
        "Response: breached · due Mon 12:00 CET · breached 1 h 35 min ago",
        "Restore: at risk · due Mon 14:00 CET · due in 25 min",
    ]


def test_the_board_orders_by_risk_counts_and_filters(device: Callable[[str], Device]) -> None:
    desk = device("desk")
    incidents = desk.services.incidents
    fra, ash = platinum_units(desk, FRA1), platinum_units(desk, ASH1)
    opened = {}
    for name, unit, minutes_ago in [("on track", fra[0], 10), ("breached", ash[0], 180), ("at risk", fra[1], 105)]:
        at(desk, MONDAY_9_UTC - timedelta(minutes=minutes_ago))
        opened[name] = incidents.open_incident(asset_id=unit.id, symptom=name, severity=Severity.MAJOR)
    at(desk, MONDAY_9_UTC)
    board = incidents.board(limit=1000)
    mine = [r for r in board.rows if r.ticket_id in opened.values()]
    assert [r.ticket_id for r in mine] == [opened["breached"], opened["at risk"], opened["on track"]]
    assert [r.risk for r in mine] == [ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK]
    # Breached rows first, then at risk, then on track, over the seeded incidents too.
    ranks = [(r.risk or ClockStatus.MET) for r in board.rows]
    order = [ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK, ClockStatus.MET]
    assert ranks == sorted(ranks, key=order.index)
    assert board.breached == sum(r.risk is ClockStatus.BREACHED for r in board.rows)
    assert board.at_risk == sum(r.risk is ClockStatus.AT_RISK for r in board.rows)
    assert board.total == len(board.rows)
    assert {"Helix ASH1 colo", "Helix FRA1 colo"} <= {c.label for c in board.sites}
    assert MC in [c.label for c in board.tiers]

    def ids(filters: BoardFilter) -> list[str]:
        return [r.ticket_id for r in incidents.board(filters, limit=1000).rows if r.ticket_id in opened.values()]

    assert ids(BoardFilter(site_id=FRA1)) == [opened["at risk"], opened["on track"]]
    assert all(str(r.title).endswith("Helix FRA1 colo") for r in incidents.board(BoardFilter(site_id=FRA1)).rows)
    assert ids(BoardFilter(customer_id=sid("org", "customer-a"))) == list(ids(BoardFilter()))
    assert ids(BoardFilter(customer_id=sid("org", "customer-b"))) == []
    # The EU partner services customer A, whose chassis these are; the APAC partner services customer B.
    assert len(ids(BoardFilter(partner_id=sid("org", "partner-eu")))) == 3
    assert ids(BoardFilter(partner_id=sid("org", "partner-apac"))) == []
    assert len(ids(BoardFilter(tier_name=MC))) == 3
    assert ids(BoardFilter(tier_name="ProSupport NBD")) == []
    assert len(incidents.board(limit=2).rows) == 2
    # Restored incidents leave the board.
    incidents.move(opened["breached"], IncidentStatus.RESTORED)
    assert ids(BoardFilter()) == [opened["at risk"], opened["on track"]]


def test_each_role_is_offered_only_what_it_may_do(device: Callable[[str], Device]) -> None:
    desk = device("desk")
    unit = platinum_units(desk, FRA1)[0]
    at(desk, MONDAY_9_UTC)
    ticket_id = desk.services.incidents.open_incident(asset_id=unit.id, symptom="fan", severity=Severity.MINOR)
    page = desk.services.incidents.page(ticket_id)
    S = IncidentStatus
    assert page.steps == (S.RESPONDED, S.OPEN_WAITING_FOR_CUSTOMER, S.RESTORED)
    # Mission Critical grants a parts extension, so the desk may record one.
    assert page.amendments == (Amendment.CHANGE_SEVERITY, Amendment.CHANGE_TIER, Amendment.EXTEND_FOR_PARTS)
    desk.services.incidents.move(ticket_id, S.RESTORED)
    page = desk.services.incidents.page(ticket_id)
    assert page.steps == (S.CLOSED,)
    # Minor: 2 h response, 24 h restore.
    assert [c.text for c in page.clocks] == ["Response: met · due Mon 12:00 CET", "Restore: met · due Tue 10:00 CET"]


def test_an_offline_engineer_pauses_responds_and_restores_and_the_desk_sees_who_and_why(
    device: Callable[[str], Device], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server_at(MONDAY_9_UTC + timedelta(hours=2), monkeypatch, tmp_path)  # two hours after the work
    engineer, desk = device("engineer"), device("desk")
    unit = platinum_units(engineer, SFO, untouched=True)[0]
    at(engineer, MONDAY_9_UTC)
    # From the chassis page, as the engineer would (the state routes to the form, then to the incident page).
    state = engineer.state
    state.field.open_asset(unit.id)
    assert str(state.incidents.coverage_title) == f"Covered: {MC}"
    assert str(state.incidents.coverage) == (
        f"{MC}: 30 min response, 4 h restore, 24×7 (Critical (service down)); next breach risk: none"
    )
    state.incidents.start_on_asset(unit.id, unit.serial, "Helix SFO edge")
    assert state.shell.route == routes.ASSET_NEW_INCIDENT
    state.incidents.submit(symptom="no power", severity="critical", contact_name="", contact_phone="")
    assert state.shell.route == routes.INCIDENT and state.incidents.page is not None
    ticket_id = state.incidents.page.ticket_id
    assert str(state.incidents.coverage).endswith("next breach risk: Mon 01:30 PST (in 30 min)")
    assert [r.ticket_id for r in state.incidents.on_asset] == [ticket_id]
    assert state.incidents.mine  # the home's most urgent incidents on the engineer's sites (seeded ones too)
    at(engineer, MONDAY_9_UTC + timedelta(minutes=20))
    state.incidents.move(IncidentStatus.OPEN_WAITING_FOR_CUSTOMER, "no access to the cage")
    at(engineer, MONDAY_9_UTC + timedelta(minutes=50))
    page = state.incidents.page
    assert page is not None and [c.countdown for c in page.clocks] == ["paused", "paused"]
    state.incidents.move(IncidentStatus.RESPONDED)
    at(engineer, MONDAY_9_UTC + timedelta(hours=1))
    state.incidents.move(IncidentStatus.RESTORED, "PSU reseated")
    assert engineer.client.store.pending_count() == 4  # all on this device, none sent yet
    engineer.client.sync()
    desk.client.sync()
    seen = desk.services.incidents.page(ticket_id)
    assert seen.status is IncidentStatus.RESTORED
    assert [(str(h.when), h.who, str(h.what), h.note) for h in seen.history] == [
        ("Mon 01:00 PST", "Eli Engineer", f"opened: Critical (service down), {MC}", ""),
        ("Mon 01:20 PST", "Eli Engineer", "paused: waiting for the customer", "no access to the cage"),
        ("Mon 01:50 PST", "Eli Engineer", "responded", ""),
        ("Mon 02:00 PST", "Eli Engineer", "restored", "PSU reseated"),
    ]
    # The 30 min pause moved both due times by 30 min (critical: 30 min response, 4 h restore).
    assert [c.text for c in seen.clocks] == [
        "Response: met · due Mon 02:00 PST",
        "Restore: met · due Mon 05:30 PST",
    ]


def test_a_customer_reports_a_fault_on_its_own_chassis_and_may_not_move_it(device: Callable[[str], Device]) -> None:
    customer = device("customer")
    unit = platinum_units(customer, FRA1)[0]
    at(customer, MONDAY_9_UTC)
    state = customer.state
    state.incidents.open_board()
    state.incidents.start_from_call()
    assert state.shell.route == routes.NEW_INCIDENT
    state.incidents.search_units(unit.serial)
    state.incidents.choose_unit(unit.id)
    state.incidents.submit(symptom="disk LEDs amber", severity=None, contact_name="Cora", contact_phone="")
    assert state.shell.flash_is_error and state.shell.flash == "Choose the severity"
    state.incidents.submit(symptom="disk LEDs amber", severity="major", contact_name="Cora", contact_phone="")
    page = state.incidents.page
    assert state.shell.route == routes.INCIDENT and page is not None
    assert page.steps == () and page.amendments == ()


@pytest.mark.parametrize("text", ["", "x"])
def test_a_search_too_short_finds_nothing(device: Callable[[str], Device], text: str) -> None:
    assert device("desk").services.incidents.find_units(text) == []


def test_the_coverage_badge_says_when_a_clock_of_the_chassis_is_already_breached(
    device: Callable[[str], Device],
) -> None:
    engineer = device("engineer")
    unit = platinum_units(engineer, SFO, untouched=True)[0]
    incidents = engineer.services.incidents
    at(engineer, MONDAY_9_UTC)
    incidents.open_incident(asset_id=unit.id, symptom="no power", severity=Severity.CRITICAL)
    at(engineer, MONDAY_9_UTC + timedelta(minutes=45))  # critical response: 30 min
    assert tuple(map(str, incidents.coverage_badge(unit.id))) == (
        f"Covered: {MC}",
        f"{MC}: 30 min response, 4 h restore, 24×7 (Critical (service down)); breached now: response since 15 min",
    )


def test_the_board_follows_the_clock_between_reloads_without_a_change_to_the_records(
    device: Callable[[str], Device],
) -> None:
    """The board keeps each incident's place until its status would change (app/services/incident_board.py)."""
    desk = device("desk")
    unit = platinum_units(desk, FRA1)[0]
    incidents = desk.services.incidents
    at(desk, MONDAY_9_UTC)
    ticket_id = incidents.open_incident(asset_id=unit.id, symptom="fan", severity=Severity.MAJOR)

    def risk_at(minutes: int) -> ClockStatus | None:
        at(desk, MONDAY_9_UTC + timedelta(minutes=minutes))
        return next(r.risk for r in incidents.board(limit=1000).rows if r.ticket_id == ticket_id)

    # Major: 2 h response. At risk past 90 min (75 %), breached past 120 min.
    assert [risk_at(m) for m in (0, 89, 91, 119, 121, 60)] == [
        ClockStatus.ON_TRACK,
        ClockStatus.ON_TRACK,
        ClockStatus.AT_RISK,
        ClockStatus.AT_RISK,
        ClockStatus.BREACHED,
        # Back in time (a test clock can go back): a kept place is only trusted between its two instants.
        ClockStatus.ON_TRACK,
    ]


def _desk_major_incident(device: Callable[[str], Device], symptom: str) -> tuple[Device, str]:
    """The desk opens a major incident on a Mission Critical chassis at FRA1, Monday 09:00 UTC (10:00 CET)."""
    desk = device("desk")
    unit = platinum_units(desk, FRA1)[0]
    at(desk, MONDAY_9_UTC)
    return desk, desk.services.incidents.open_incident(asset_id=unit.id, symptom=symptom, severity=Severity.MAJOR)


def test_a_parts_extension_shows_on_the_restore_clock_and_in_the_history_with_who_and_why(
    device: Callable[[str], Device],
) -> None:
    desk, ticket_id = _desk_major_incident(device, "backplane")
    incidents = desk.services.incidents
    at(desk, MONDAY_9_UTC + timedelta(minutes=30))
    incidents.amend(ticket_id, Amendment.EXTEND_FOR_PARTS, reason="backplane not in the Frankfurt buffer")
    page = incidents.page(ticket_id)
    restore = page.clocks[1]
    # Mission Critical's extension replaces the 4 h restore target with 48 h.
    assert restore.text == "Restore: on track · due Wed 10:00 CET · due in 1 day 23 h"
    assert tuple(map(str, restore.notes)) == (
        "extended to 48 h for parts by Sam Desk: backplane not in the Frankfurt buffer",
    )
    assert Translator.for_language("de").phrase(restore.notes[0]) == (
        "verlängert auf 48 Std. für Teile durch Sam Desk: backplane not in the Frankfurt buffer"
    )
    last = page.history[-1]
    assert (str(last.when), last.who, str(last.what), last.note) == (
        "Mon 10:30 CET",
        "Sam Desk",
        "restore target extended for parts",
        "backplane not in the Frankfurt buffer",
    )


@pytest.mark.parametrize(
    ("username", "may_open"),
    [("desk", True), ("engineer", True), ("installer", True), ("customer", True), ("depot", False)],
)
def test_only_users_who_may_open_an_incident_are_offered_it(
    device: Callable[[str], Device], username: str, may_open: bool
) -> None:
    assert device(username).state.incidents.may_open is may_open


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("engineer", "Open incidents on your sites"),
        ("customer", "Your open incidents"),
        ("desk", "Open incidents, most at risk first"),
    ],
)
def test_the_home_list_says_whose_incidents_it_shows(
    device: Callable[[str], Device], username: str, heading: str
) -> None:
    state = device(username).state
    assert state.incidents.mine_heading == heading
    assert state.incidents.mine  # the seed has open incidents every one of them may see


def test_what_is_typed_into_a_new_incident_is_kept_on_the_device_until_it_is_opened(
    device: Callable[[str], Device],
) -> None:
    engineer = device("engineer")
    unit = platinum_units(engineer, FRA1)[0]
    state = engineer.state
    state.incidents.start_on_asset(unit.id, unit.serial, "Helix FRA1 colo")
    assert state.incidents.draft == {}
    state.incidents.keep_draft({"symptom": "fans loud", "severity": "minor", "contact": "", "phone": ""})
    state.shell.back()  # Back from the half-typed form
    # A new session on the same device (a restart) opens the form with what was typed.
    again = AppState.build(engineer.client.services(engineer.client.store.path.parent / "restart"))
    again.incidents.start_on_asset(unit.id, unit.serial, "Helix FRA1 colo")
    assert again.incidents.draft == {"symptom": "fans loud", "severity": "minor", "contact": "", "phone": ""}
    again.incidents.submit(symptom="fans loud", severity="minor", contact_name="", contact_phone="")
    assert again.shell.route == routes.INCIDENT
    again.incidents.start_on_asset(unit.id, unit.serial, "Helix FRA1 colo")
    assert again.incidents.draft == {}  # opened: the draft is gone


def test_sign_out_leaves_nothing_of_the_last_users_incidents(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    state = d.state
    state.incidents.open_board()
    assert state.incidents.board.rows and state.incidents.mine
    state.incidents.open_incident(state.incidents.board.rows[0].ticket_id)
    assert state.incidents.page is not None
    state.account.sign_out()
    assert d.client.store.identity() is None
    inc = state.incidents
    assert (inc.board.rows, inc.mine, inc.page, inc.ticket_id, inc.may_open, inc.coverage) == (
        (),
        (),
        None,
        None,
        False,
        "",
    )


def test_an_engineer_starts_the_visit_from_the_incident_and_its_arrival_is_the_response(
    device: Callable[[str], Device], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server_at(MONDAY_9_UTC + timedelta(hours=1), monkeypatch, tmp_path)
    engineer, desk = device("engineer"), device("desk")
    unit = platinum_units(engineer, SFO, untouched=True)[0]
    at(engineer, MONDAY_9_UTC)
    state = engineer.state
    state.field.open_asset(unit.id)
    state.incidents.start_on_asset(unit.id, unit.serial, "Helix SFO edge")
    state.incidents.submit(symptom="no power", severity="critical", contact_name="", contact_phone="")
    page = state.incidents.page
    assert page is not None and page.may_visit
    at(engineer, MONDAY_9_UTC + timedelta(minutes=12))
    state.incidents.start_visit()
    assert state.shell.route == routes.VISIT
    visit = state.field.visit
    assert visit is not None and visit.ticket_id == page.ticket_id  # first-time fix counts visits by their incident
    ticket = engineer.client.store.get(Ticket, page.ticket_id)
    assert ticket is not None and ticket.status is IncidentStatus.RESPONDED
    assert ticket.responded_at == MONDAY_9_UTC + timedelta(minutes=12)
    # The server takes the arrival as the response too.
    assert engineer.client.sync().rejected == 0
    desk.client.sync()
    seen = desk.client.store.get(Ticket, page.ticket_id)
    assert seen is not None and seen.responded_at == MONDAY_9_UTC + timedelta(minutes=12)


def test_an_amended_severity_or_tier_reads_in_the_history_by_its_label_in_the_readers_language(
    device: Callable[[str], Device],
) -> None:
    desk, ticket_id = _desk_major_incident(device, "fan noise")
    incidents = desk.services.incidents
    at(desk, MONDAY_9_UTC + timedelta(minutes=10))
    incidents.amend(ticket_id, Amendment.CHANGE_SEVERITY, reason="only noise, no outage", value="minor")
    incidents.amend(ticket_id, Amendment.CHANGE_TIER, reason="wrong contract picked", value="Foundation NBD")
    lines = incidents.page(ticket_id).history[-2:]
    german = Translator.for_language("de")
    assert [(str(h.when), str(h.what)) for h in lines] == [
        ("Mon 10:10 CET", "severity changed to Minor (no service impact)"),
        ("Mon 10:10 CET", "tier changed to Foundation NBD"),
    ]
    assert [(german.phrase(h.when), german.phrase(h.what)) for h in lines] == [
        ("Mo 10:10 CET", "Schweregrad geändert auf Gering (keine Auswirkung auf den Dienst)"),
        ("Mo 10:10 CET", "Stufe geändert auf Foundation NBD"),
    ]
