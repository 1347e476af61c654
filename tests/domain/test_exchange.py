"""The advance-exchange ledger: due dates in the site's business days, aging, the penalty, closing an obligation.

March 2026: Thu 5, Fri 6, Mon 9 ... Thu 19, Fri 20. Counted by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from sync.domain.calendar import Coverage, ServiceCalendar
from sync.domain.coverage import return_terms, return_window, service_calendar
from sync.domain.errors import IllegalTransition, InvalidInput
from sync.domain.exchange import aging, check_pairing, close_obligation, penalty_due
from sync.domain.logistics import ObligationStatus
from tests.domain.world import CONTRACT, OBLIGATION

AT = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
BERLIN = ServiceCalendar(timezone="Europe/Berlin", coverage=Coverage.BUSINESS_HOURS)


@pytest.mark.parametrize(
    ("shipped_at", "timezone", "window", "holidays", "expected"),
    [
        pytest.param(AT, "Europe/Berlin", 10, (), date(2026, 3, 19), id="ten-days"),
        pytest.param(AT, "Europe/Berlin", 1, (), date(2026, 3, 6), id="one-day"),
        pytest.param(AT, "Europe/Berlin", 2, (), date(2026, 3, 9), id="over-weekend"),
        pytest.param(AT, "Europe/Berlin", 10, (date(2026, 3, 12),), date(2026, 3, 20), id="holiday-pushes-a-day"),
        # 23:30 UTC Thursday is already Friday in Tokyo; 22:30 UTC is still Thursday (23:30) in Berlin.
        pytest.param(datetime(2026, 3, 5, 23, 30, tzinfo=UTC), "Asia/Tokyo", 10, (), date(2026, 3, 20), id="tokyo"),
        pytest.param(datetime(2026, 3, 5, 22, 30, tzinfo=UTC), "Europe/Berlin", 10, (), date(2026, 3, 19), id="berlin"),
        # 02:00 UTC Friday is still Thursday evening in New York.
        pytest.param(
            datetime(2026, 3, 6, 2, 0, tzinfo=UTC), "America/New_York", 1, (), date(2026, 3, 6), id="new-york"
        ),
    ],
)
def test_the_return_is_due_a_contract_window_of_business_days_after_shipping_at_the_site(
    shipped_at: datetime, timezone: str, window: int, holidays: tuple[date, ...], expected: date
) -> None:
    contract = replace(CONTRACT, return_window_business_days=window, holidays=holidays)
    terms = return_terms(shipped_at=shipped_at, contract=contract, timezone=timezone)
    assert (terms.due_on, terms.contract_id, terms.timezone) == (expected, CONTRACT.id, timezone)


def test_without_a_contract_the_default_window_of_ten_business_days_applies() -> None:
    assert return_window(None) == 10
    terms = return_terms(shipped_at=AT, contract=None, timezone="Europe/Berlin")
    assert (terms.due_on, terms.contract_id, terms.penalty_cents) == (date(2026, 3, 19), None, 0)
    calendar = service_calendar(timezone="Asia/Tokyo", contract=None)
    assert (calendar.timezone, calendar.holidays) == ("Asia/Tokyo", frozenset())


def test_the_contract_calendar_carries_its_holidays_into_the_site_timezone() -> None:
    contract = replace(CONTRACT, holidays=(date(2026, 12, 25),))
    calendar = service_calendar(timezone="Europe/Berlin", contract=contract)
    assert (calendar.timezone, calendar.holidays) == ("Europe/Berlin", frozenset({date(2026, 12, 25)}))


def test_the_replacement_cannot_be_the_suspect_unit() -> None:
    check_pairing(suspect_serial="NB0001", replacement_serial="NB9999")
    with pytest.raises(InvalidInput) as raised:
        check_pairing(suspect_serial="NB0001", replacement_serial="NB0001")
    assert raised.value.details == {
        "serial": "NB0001",
        "words": {"template": "the replacement cannot be the suspect unit itself", "values": {}},
    }


def test_receiving_the_suspect_unit_closes_the_obligation_once() -> None:
    closed = close_obligation(OBLIGATION, at=AT)
    assert (closed.status, closed.received_at) == (ObligationStatus.RECEIVED, AT)
    for status in (ObligationStatus.RECEIVED, ObligationStatus.WAIVED):
        with pytest.raises(IllegalTransition, match=f"already “{status}”"):
            close_obligation(replace(OBLIGATION, status=status), at=AT)


@pytest.mark.parametrize(
    ("today", "status", "overdue", "left", "penalty"),
    [
        pytest.param(date(2026, 3, 5), ObligationStatus.OPEN, 0, 10, 0, id="shipped-today"),
        pytest.param(date(2026, 3, 13), ObligationStatus.OPEN, 0, 4, 0, id="friday-before"),
        pytest.param(date(2026, 3, 14), ObligationStatus.OPEN, 0, 4, 0, id="weekend-counts-nothing"),
        pytest.param(date(2026, 3, 19), ObligationStatus.OPEN, 0, 0, 0, id="due-today"),
        pytest.param(date(2026, 3, 20), ObligationStatus.OPEN, 1, None, 150_000, id="one-day-late"),
        pytest.param(date(2026, 4, 18), ObligationStatus.OPEN, 30, None, 150_000, id="penalty-once"),
        pytest.param(date(2026, 4, 18), ObligationStatus.RECEIVED, 0, None, 0, id="received"),
        pytest.param(date(2026, 4, 18), ObligationStatus.WAIVED, 0, None, 0, id="waived"),
    ],
)
def test_an_obligation_ages_by_calendar_days_after_its_due_date_and_owes_the_penalty_once(
    today: date, status: ObligationStatus, overdue: int, left: int | None, penalty: int
) -> None:
    obligation = replace(OBLIGATION, status=status)
    row = aging(obligation, today=today, calendar=BERLIN)
    assert (row.days_overdue, row.business_days_left, row.penalty_due_cents) == (overdue, left, penalty)
    assert row.overdue is (overdue > 0)
    assert penalty_due(obligation, today) == penalty
    assert (row.serial, row.replacement_serial, row.due_on) == ("NB0001", "NB9999", date(2026, 3, 19))


def test_without_a_calendar_the_ledger_shows_no_business_days_left() -> None:
    assert aging(OBLIGATION, today=date(2026, 3, 5)).business_days_left is None
