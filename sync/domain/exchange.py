"""The advance-exchange ledger: a good unit goes out first, the suspect unit owes its return by a due date.

The due date (sync/domain/coverage.py) is the governing contract's return window in business days, counted in the
site's timezone and holidays, from the day the replacement ships (that day not counted). An open obligation past
its due date is overdue: it ages by calendar days and owes the contract's unreturned-unit penalty once. Receiving
the suspect unit closes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sync.domain.calendar import ServiceCalendar, business_days_between
from sync.domain.errors import IllegalTransition, InvalidInput
from sync.domain.logistics import ObligationStatus, ReturnObligation
from sync.domain.words import words


def check_pairing(*, suspect_serial: str, replacement_serial: str) -> None:
    if suspect_serial == replacement_serial:
        raise InvalidInput(
            words("the replacement cannot be the suspect unit itself"), details={"serial": suspect_serial}
        )


def close_obligation(obligation: ReturnObligation, *, at: datetime) -> ReturnObligation:
    if obligation.status is not ObligationStatus.OPEN:
        raise IllegalTransition(
            words(
                "the return of {serial} is already “{status}”",
                serial=obligation.serial,
                status=obligation.status,
            ),
            details={"obligation_id": obligation.id, "status": obligation.status.value},
        )
    return replace(obligation, status=ObligationStatus.RECEIVED, received_at=at)


@dataclass(frozen=True, kw_only=True)
class Aging:
    """An obligation as the ledger shows it on a given day."""

    obligation_id: str
    serial: str
    replacement_serial: str | None
    due_on: date
    days_overdue: int
    business_days_left: int | None
    penalty_due_cents: int
    currency: str

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def penalty_due(obligation: ReturnObligation, today: date) -> int:
    return obligation.penalty_cents if obligation.days_overdue(today) > 0 else 0


def aging_now(obligation: ReturnObligation, *, now: datetime, calendar: ServiceCalendar) -> Aging:
    """Aged on the calendar's own day at ``now``: a return due Monday in New York is neither late nor a day shorter
    at 01:00 UTC on Monday, when it is still Sunday evening there."""
    return aging(obligation, today=now.astimezone(calendar.zone).date(), calendar=calendar)


def aging(obligation: ReturnObligation, *, today: date, calendar: ServiceCalendar | None = None) -> Aging:
    """``business_days_left`` needs the site calendar; without one (or once overdue or closed) it is None."""
    overdue = obligation.days_overdue(today)
    left = None
    if calendar is not None and obligation.status is ObligationStatus.OPEN and not overdue:
        left = business_days_between(today, obligation.due_on, calendar)
    return Aging(
        obligation_id=obligation.id,
        serial=obligation.serial,
        replacement_serial=obligation.replacement_serial,
        due_on=obligation.due_on,
        days_overdue=overdue,
        business_days_left=left,
        penalty_due_cents=penalty_due(obligation, today),
        currency=obligation.currency,
    )
