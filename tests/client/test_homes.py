"""Each role's home: which buttons it offers (the matrix written out), which home each demo user gets, and what the
sections hold on a freshly synced device."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.services.home_models import CaseLine, DeskFilter, Entry, HomeKind
from app.services.homes import WHAT_NEXT, entries_for
from app.ui import routes
from sync.domain.org import Role
from sync.domain.rma import RmaStatus
from tests.client.conftest import Device

E = Entry
SEEDED_R2 = "NBR22600001"  # R2 2U at Helix ASH1 (Ashburn, America/New_York), one of the engineer's sites


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        (Role.FIELD_ENGINEER, (E.RACKS,)),
        (Role.INSTALLER, (E.RACKS,)),
        (Role.DEPOT, (E.DEPOT_SESSION, E.STOCK)),
        (Role.SERVICE_DESK, (E.DESK_QUEUE, E.LEDGER, E.STOCK, E.RACKS)),
        (Role.ADMIN, (E.DESK_QUEUE, E.LEDGER, E.DEPOT_SESSION, E.STOCK, E.RACKS)),
        (Role.CUSTOMER, ()),
        (None, ()),
    ],
)
def test_each_role_is_offered_only_the_work_areas_it_may_open(role: Role | None, entries: tuple[Entry, ...]) -> None:
    assert entries_for(role) == entries


def test_every_status_says_what_happens_next_in_words() -> None:
    assert set(WHAT_NEXT) == set(RmaStatus)
    assert all(text and "_" not in text for text in WHAT_NEXT.values())


def _case(**kw: object) -> CaseLine:
    values: dict[str, object] = {
        "rma_id": "r1",
        "asset_id": "a1",
        "number": "RMA-2026-000123",
        "serial": "NBR22600001",
        "status": RmaStatus.TRIAGE,
        "symptom": "fan wall noisy",
        "site_id": "s1",
        "site_name": "Helix FRA1",
        "customer_id": "c1",
        "customer_name": "Helix Cloud",
        "owner_id": "u1",
        "owner_name": "Eli Engineer",
        "age_hours": 3.0,
        "late": False,
        "has_label": False,
    } | kw
    return CaseLine(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("chosen", "kept"),
    [
        (DeskFilter(), True),
        (DeskFilter(text="fan WALL"), True),
        (DeskFilter(text="000123"), True),
        (DeskFilter(text="psu"), False),
        (DeskFilter(customer_id="c1"), True),
        (DeskFilter(customer_id="c2"), False),
        (DeskFilter(site_id="s2"), False),
        (DeskFilter(status=RmaStatus.TRIAGE, owner_id="u1"), True),
        (DeskFilter(status=RmaStatus.APPROVED), False),
        (DeskFilter(owner_id="u2"), False),
    ],
)
def test_the_desk_filter_keeps_a_case_only_when_every_choice_matches(chosen: DeskFilter, kept: bool) -> None:
    assert chosen.keeps(_case()) is kept


@pytest.mark.parametrize(
    ("username", "kind"),
    [
        ("engineer", HomeKind.ENGINEER),
        ("partner", HomeKind.PARTNER),
        ("installer", HomeKind.INSTALLER),
        ("depot", HomeKind.DEPOT),
        ("desk", HomeKind.DESK),
        ("admin", HomeKind.DESK),
        ("customer", HomeKind.CUSTOMER),
    ],
)
def test_each_demo_user_gets_the_home_of_their_work(
    device: Callable[[str], Device], username: str, kind: HomeKind
) -> None:
    d = device(username)
    page = d.state.home.page
    assert page is not None and page.kind is kind


def test_the_desk_home_filters_its_queue_and_offers_only_choices_that_exist(device: Callable[[str], Device]) -> None:
    d = device("desk")
    home = d.state.home
    page = home.page
    assert page is not None and page.case_total == len(page.cases) > 0
    customer_id, _ = page.customers[0]
    home.filter_by("customer", customer_id)
    assert home.page is not None
    assert {c.customer_id for c in home.page.cases} == {customer_id}
    home.search("no such thing anywhere")
    assert home.page.cases == () and home.page.case_total == page.case_total
    home.clear_filters()
    assert len(home.page.cases) == page.case_total


def test_a_visit_started_now_is_todays_work_on_the_sites_clock_and_reports_once_finished(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    visit_id = d.field.start_visit(asset_id=asset_id)
    d.state.refresh()
    page = d.state.home.page
    assert page is not None
    (visit,) = [v for v in page.visits if v.visit_id == visit_id]
    assert (visit.serial, visit.on_site, visit.timezone) == (SEEDED_R2, True, "America/New_York")
    d.field.end_visit(visit_id=visit_id, notes="fan wall", signed_by="Ada", signature_sha256="a" * 64)
    d.state.refresh()
    page = d.state.home.page
    assert page is not None
    # Seeded visits of today may be on the list too (the demo's incidents); this one is there once, finished.
    assert [(v.visit_id, v.on_site) for v in page.visits if v.visit_id == visit_id] == [(visit_id, False)]


def test_a_tap_on_a_case_shows_it_beside_the_queue_on_a_laptop_and_opens_it_on_a_phone(
    device: Callable[[str], Device],
) -> None:
    d = device("desk")
    home, shell = d.state.home, d.state.shell
    assert home.page is not None
    first = home.page.cases[0].rma_id
    home.set_width(1280)
    home.open_case(first)
    assert (home.picked_case, shell.route) == (first, routes.HOME)
    home.set_width(400)
    home.open_case(first)
    assert (shell.route, d.state.after.rma_id) == (routes.DESK_RMA, first)


def test_a_tap_in_the_desks_rma_queue_shows_the_rma_beside_it_on_a_laptop_and_opens_it_on_a_phone(
    device: Callable[[str], Device],
) -> None:
    d = device("desk")
    home, shell, after = d.state.home, d.state.shell, d.state.after
    after.open_desk()
    assert shell.route == routes.DESK and after.queue
    first = after.queue[0].rows[0].rma_id
    home.set_width(1280)
    home.open_queue_row(first)
    assert (home.picked_case, shell.route, after.rma_id) == (first, routes.DESK, None)
    home.set_width(400)
    home.open_queue_row(first)
    assert (shell.route, after.rma_id) == (routes.DESK_RMA, first)


def test_a_customer_sees_only_their_own_cases_each_with_what_happens_next(device: Callable[[str], Device]) -> None:
    d = device("customer")
    page = d.state.home.page
    assert page is not None and page.cases
    assert {c.customer_name for c in page.cases} == {"Helix Cloud"}
    labelled = [c for c in page.cases if c.has_label]
    assert all(
        c.status in (RmaStatus.APPROVED, RmaStatus.REPLACEMENT_SHIPPED, RmaStatus.AWAITING_RETURN) for c in labelled
    )
    assert labelled, "an approved return in the seed offers its label"
    data = d.state.home.return_label(labelled[0].rma_id)
    assert data is not None and data.startswith(b"%PDF")
