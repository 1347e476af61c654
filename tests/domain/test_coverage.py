"""The governing contract of a unit and the calendar that set a return's due date (sync/domain/coverage.py).

March 2026: Thu 5, Fri 6, Mon 9 ... Thu 19. Counted by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from sync import codec
from sync.domain.calendar import Coverage
from sync.domain.commands import OpenTicket
from sync.domain.contract import ServiceModel
from sync.domain.coverage import (
    DEFAULT_RETURN_WINDOW_BUSINESS_DAYS,
    Entitlement,
    due_calendar,
    entitlement,
    governing_contract,
    governing_contract_of,
    models_offered,
    return_terms_for,
    site_day,
)
from sync.domain.handlers import decide
from sync.domain.logistics import ReturnObligation
from sync.domain.rma import Rma, RmaStatus
from sync.domain.service import Severity
from sync.domain.ticket import Ticket
from tests.domain.world import ASSET, CONTRACT, NOW, OBLIGATION, rma, world

FAST = replace(CONTRACT, id="ctr-a", number="C-A", tier=replace(CONTRACT.tier, response_hours=2, restore_hours=4))
SAME_SPEED = replace(FAST, id="ctr-b", number="C-B")
SLOW = replace(CONTRACT, id="ctr-c", number="C-C", tier=replace(CONTRACT.tier, response_hours=48, restore_hours=96))
LAPSED = replace(FAST, id="ctr-0", starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
OTHER_UNIT = replace(FAST, id="ctr-x", asset_ids=("asset-2",))
# Sold as a template, the contract runs under the template's targets, whatever hours its old tier still carries.
MISSION_CRITICAL = replace(SLOW, id="ctr-m", number="C-M", tier_template="ProSupport Plus Mission Critical")  # 30 min
NBD_SOLD = replace(
    CONTRACT,
    id="ctr-n",
    number="C-N",
    tier=replace(CONTRACT.tier, response_hours=1, restore_hours=2),
    tier_template="ProSupport NBD",  # next business day
)
# The same 4 h response: round the clock is the faster promise, whatever the ids say.
ROUND_THE_CLOCK = replace(CONTRACT, id="ctr-z", number="C-Z", tier=replace(CONTRACT.tier, coverage=Coverage.ALWAYS))


@pytest.mark.parametrize(
    ("contracts", "expected"),
    [
        ([SLOW, FAST], "ctr-a"),
        ([FAST, SLOW], "ctr-a"),
        # Equal response: the lower id, whichever order a reader returns them in.
        ([SAME_SPEED, FAST], "ctr-a"),
        ([FAST, SAME_SPEED], "ctr-a"),
        ([LAPSED, SLOW], "ctr-c"),
        ([LAPSED, OTHER_UNIT], None),
        ([], None),
        # The tier the contract is sold as decides, not the hours of the tier it had before templates.
        ([FAST, MISSION_CRITICAL], "ctr-m"),
        ([MISSION_CRITICAL, FAST], "ctr-m"),
        # Next business day: 1.4 days on average. 48 business hours (10 a day, 5 days a week): 6.7 days.
        ([SLOW, NBD_SOLD], "ctr-n"),
        ([NBD_SOLD, FAST], "ctr-a"),  # 2 business hours: 6.7 h on average
        ([CONTRACT, ROUND_THE_CLOCK], "ctr-z"),  # ctr-gold: 4 h in business hours
    ],
)
def test_the_governing_contract_is_the_fastest_in_term_contract_listing_the_unit(
    contracts: list[object], expected: str | None
) -> None:
    found = governing_contract(contracts, "asset-1", date(2026, 3, 5))  # type: ignore[arg-type]
    assert (found.id if found else None) == expected


def test_the_entitlement_names_the_tier_the_contract_is_sold_as() -> None:
    found = entitlement(asset=ASSET, contracts=[MISSION_CRITICAL], on=date(2026, 3, 5))
    assert (found.contract_id, found.tier) == ("ctr-m", "ProSupport Plus Mission Critical")
    assert "contract C-M (ProSupport Plus Mission Critical) until 2026-12-31" in map(str, found.reasons)


def test_the_governing_contract_is_read_from_the_customers_contracts() -> None:
    ctx = world().put(SLOW, FAST)
    found = governing_contract_of(ctx, ASSET, date(2026, 3, 5))
    assert found is not None and found.id == "ctr-a"


def test_return_terms_name_the_contract_and_site_timezone_that_set_them() -> None:
    ctx = world().put(replace(SLOW, return_window_business_days=1, unreturned_penalty_cents=7))
    terms = return_terms_for(ctx, ASSET, shipped_at=NOW, site_id="site-tyo")
    assert (terms.due_on, terms.contract_id, terms.timezone, terms.penalty_cents) == (
        date(2026, 3, 6),
        "ctr-c",
        "Asia/Tokyo",
        7,
    )


def test_without_a_contract_or_site_the_default_window_runs_in_utc() -> None:
    terms = return_terms_for(world(), ASSET, shipped_at=NOW, site_id=None)
    assert DEFAULT_RETURN_WINDOW_BUSINESS_DAYS == 10
    assert (terms.due_on, terms.contract_id, terms.timezone, terms.penalty_cents) == (date(2026, 3, 19), None, "UTC", 0)


def test_aging_uses_the_stored_contract_and_timezone_even_when_another_contract_governs_now() -> None:
    stored = replace(SLOW, holidays=(date(2026, 3, 10),))
    ctx = world().put(stored, FAST)
    calendar = due_calendar(ctx, contract_id="ctr-c", timezone="Asia/Tokyo", site_id="site-ber")
    assert (calendar.timezone, calendar.holidays) == ("Asia/Tokyo", frozenset({date(2026, 3, 10)}))


def test_a_record_from_before_the_terms_were_stored_ages_on_its_sites_default_calendar() -> None:
    ctx = world().put(FAST)
    old = OBLIGATION
    calendar = due_calendar(ctx, contract_id=old.contract_id, timezone=old.timezone, site_id=old.site_id)
    assert (calendar.timezone, calendar.holidays) == ("Europe/Berlin", frozenset())


def test_records_stored_without_the_terms_still_load() -> None:
    stored = codec.dump(OBLIGATION)
    del stored["contract_id"], stored["timezone"]
    assert codec.load(ReturnObligation, stored) == OBLIGATION
    waiting = rma(RmaStatus.AWAITING_RETURN, return_due=date(2026, 3, 19))
    stored = codec.dump(waiting)
    del stored["return_contract_id"], stored["return_timezone"]
    assert codec.load(Rma, stored) == waiting


# 2026-12-31 23:30 UTC is 2027-01-01 08:30 in Tokyo (UTC+9, no DST) and 2027-01-01 00:30 in Berlin (UTC+1 in winter).
NEW_YEAR_MORNING_IN_TOKYO = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
NEXT_YEAR = replace(FAST, id="ctr-2027", number="C-2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))


@pytest.mark.parametrize(
    ("site_id", "day"),
    [
        ("site-tyo", date(2027, 1, 1)),
        ("site-ber", date(2027, 1, 1)),
        (None, date(2026, 12, 31)),  # no site: the UTC day, as the clocks of such a record run in UTC
    ],
)
def test_the_day_a_contract_term_is_read_on_is_the_sites_day(site_id: str | None, day: date) -> None:
    assert site_day(world(), site_id, NEW_YEAR_MORNING_IN_TOKYO) == day


def test_a_ticket_opened_on_the_sites_new_year_morning_falls_under_the_contract_that_starts_that_day() -> None:
    tokyo_asset = replace(ASSET, site_id="site-tyo")
    ctx = world(now=NEW_YEAR_MORNING_IN_TOKYO).put(tokyo_asset, replace(NEXT_YEAR, site_ids=("site-tyo",)))
    ctx.records.pop(("contracts", CONTRACT.id), None)
    (ticket,) = decide(
        OpenTicket(ticket_id="t-new", asset_id=tokyo_asset.id, symptom="fans", severity=Severity.MAJOR), ctx
    )
    # With the UTC day (31 December) no contract would be in term and the ticket would run under no contract.
    assert isinstance(ticket, Ticket) and ticket.contract_id == NEXT_YEAR.id


# What the serial's entitlement gives → the models an approval may use, in the order a screen lists them.
M = ServiceModel
OFFERED = [
    ((), (M.STANDARD, M.DEPOT_REPAIR, M.ON_SITE)),
    ((M.STANDARD, M.DEPOT_REPAIR), (M.STANDARD, M.DEPOT_REPAIR, M.ON_SITE)),
    ((M.ADVANCE_EXCHANGE,), (M.STANDARD, M.ADVANCE_EXCHANGE, M.DEPOT_REPAIR, M.ON_SITE)),
    ((M.RETURN_FOR_CREDIT, M.STANDARD), (M.STANDARD, M.RETURN_FOR_CREDIT, M.DEPOT_REPAIR, M.ON_SITE)),
    (tuple(M), (M.STANDARD, M.ADVANCE_EXCHANGE, M.RETURN_FOR_CREDIT, M.DEPOT_REPAIR, M.ON_SITE)),
]


@pytest.mark.parametrize(("entitled_models", "offered"), OFFERED)
def test_an_approval_offers_advance_exchange_and_credit_only_when_the_contract_gives_them(
    entitled_models: tuple[ServiceModel, ...], offered: tuple[ServiceModel, ...]
) -> None:
    entitled = Entitlement(under_warranty=True, contract_id=None, tier=None, models=entitled_models, reasons=())
    assert models_offered(entitled) == offered
