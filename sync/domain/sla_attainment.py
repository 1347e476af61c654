"""SLA attainment: how many clocks were met, per contract, customer, site and month, and first-time fix.

The definitions customers read (docs/sla.md, "Attainment") are these:
- an incident counts in the **month its call was received, in the site's calendar** (a call at 23:30 on 31 March in
  New York is March, though it is already April in UTC);
- a clock is **met** when it stopped on or before its due time; **missed** when it stopped late, or is still running
  past its due time (breached: it can no longer be met); **open** while it runs within its time (on track, at risk);
  a clock with no committed time (none for this severity, or a site beyond the last distance zone) is not counted;
- **attainment** is met / (met + missed) as a percentage to one decimal (half up); open clocks are shown beside it
  and not in it, and with nothing decided there is no percentage (None, never 0 % or 100 %);
- **first-time fix**: of the restored incidents that had at least one visit before the restore, the share restored
  with exactly one visit. A visit counts for an incident when it carries the incident's id and arrived at or before
  the restore; incidents fixed remotely (no visit) are not counted either way.

The clock states come from sync/domain/sla.py (``incident_clocks``) as of one instant, so a report, the desk's card,
the device export and the server's CSV all say the same for the same records and the same ``now``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sync.domain.service import Visit
from sync.domain.sla import Clock, ClockState, ClockStatus
from sync.domain.sla_window import aware_utc

# Where an incident has no governing contract (a unit out of contract), its clocks still count under this key.
NO_CONTRACT = ""


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    OPEN = "open"


_OUTCOMES: Mapping[ClockStatus, Outcome] = {
    ClockStatus.MET: Outcome.MET,
    ClockStatus.MISSED: Outcome.MISSED,
    ClockStatus.BREACHED: Outcome.MISSED,
    ClockStatus.ON_TRACK: Outcome.OPEN,
    ClockStatus.AT_RISK: Outcome.OPEN,
}


def clock_outcome(state: ClockState) -> Outcome | None:
    """Met, missed or open; None for a clock with no committed time (not counted)."""
    return _OUTCOMES.get(state.status)


def site_month(received_at: datetime, timezone: str) -> str:
    """``YYYY-MM`` of the call's receipt in the site's calendar."""
    return f"{aware_utc(received_at).astimezone(ZoneInfo(timezone)):%Y-%m}"


def month_span(month: str, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants a site month ``YYYY-MM`` begins and ends (exclusive): its first local midnight and the next
    month's, so exports give the period as instants however the site's offset moved within it."""
    year, number = (int(part) for part in month.split("-"))
    following = (year + number // 12, number % 12 + 1)
    zone = ZoneInfo(timezone)
    return (
        datetime(year, number, 1, tzinfo=zone).astimezone(UTC),
        datetime(following[0], following[1], 1, tzinfo=zone).astimezone(UTC),
    )


@dataclass(frozen=True)
class Tally:
    met: int = 0
    missed: int = 0
    open: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.met + other.met, self.missed + other.missed, self.open + other.open)

    def counted(self, outcome: Outcome | None) -> Tally:
        if outcome is None:
            return self
        return self + Tally(
            met=int(outcome is Outcome.MET), missed=int(outcome is Outcome.MISSED), open=int(outcome is Outcome.OPEN)
        )

    @property
    def percent(self) -> Decimal | None:
        """Met share of the decided clocks, in percent to one decimal; None when none is decided yet."""
        return percent(self.met, self.met + self.missed)


def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, kw_only=True)
class IncidentClocks:
    """What attainment needs of one incident: where it belongs, when it came and stopped, and its clocks' states."""

    incident_id: str
    contract_id: str | None
    customer_id: str
    site_id: str
    timezone: str
    received_at: datetime
    restored_at: datetime | None
    clocks: Mapping[Clock, ClockState]


@dataclass(frozen=True, kw_only=True)
class Attainment:
    """One group's figures; ``key`` names the group (a contract, customer, site, month, or a row's four keys)."""

    key: tuple[str, ...]
    incidents: int = 0
    response: Tally = Tally()
    restore: Tally = Tally()
    # Restored incidents with at least one visit, and those of them restored with exactly one.
    visited_fixes: int = 0
    first_time_fixes: int = 0

    def __add__(self, other: Attainment) -> Attainment:
        return Attainment(
            key=self.key,
            incidents=self.incidents + other.incidents,
            response=self.response + other.response,
            restore=self.restore + other.restore,
            visited_fixes=self.visited_fixes + other.visited_fixes,
            first_time_fixes=self.first_time_fixes + other.first_time_fixes,
        )

    @property
    def first_time_fix_percent(self) -> Decimal | None:
        return percent(self.first_time_fixes, self.visited_fixes)


@dataclass(frozen=True, kw_only=True)
class AttainmentRow:
    """One contract at one site in one month (the site's calendar): the CSV's row and the unit every rollup adds."""

    contract_id: str
    customer_id: str
    site_id: str
    month: str
    # The site's zone, in which ``month`` is counted (month_span gives its bounds as instants).
    timezone: str
    figures: Attainment


def _visits_before_restore(incident: IncidentClocks, visits: Sequence[Visit]) -> int | None:
    """Visits that count for the incident's fix; None when it is not restored (not counted for first-time fix)."""
    if incident.restored_at is None:
        return None
    restored = aware_utc(incident.restored_at)
    return sum(1 for v in visits if aware_utc(v.arrived_at) <= restored)


def _figures(incident: IncidentClocks, visits: Sequence[Visit]) -> Attainment:
    response, restore = incident.clocks.get(Clock.RESPONSE), incident.clocks.get(Clock.RESTORE)
    visited = _visits_before_restore(incident, visits)
    return Attainment(
        key=(),
        incidents=1,
        response=Tally().counted(None if response is None else clock_outcome(response)),
        restore=Tally().counted(None if restore is None else clock_outcome(restore)),
        visited_fixes=int(bool(visited)),
        first_time_fixes=int(visited == 1),
    )


def attainment_rows(incidents: Iterable[IncidentClocks], visits: Iterable[Visit]) -> list[AttainmentRow]:
    """One row per contract × site × month with incidents, ordered by contract, site, month."""
    by_incident: dict[str, list[Visit]] = defaultdict(list)
    for visit in visits:
        if visit.ticket_id is not None:
            by_incident[visit.ticket_id].append(visit)
    groups: dict[tuple[str, str, str, str], Attainment] = {}
    zones: dict[str, str] = {}
    for incident in incidents:
        zones.setdefault(incident.site_id, incident.timezone)
        key = (
            incident.contract_id or NO_CONTRACT,
            incident.customer_id,
            incident.site_id,
            site_month(incident.received_at, incident.timezone),
        )
        figures = _figures(incident, by_incident.get(incident.incident_id, []))
        groups[key] = groups.get(key, Attainment(key=key)) + figures
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], item[0][2], item[0][3], item[0][1]))
    return [
        AttainmentRow(contract_id=c, customer_id=o, site_id=s, month=m, timezone=zones[s], figures=figures)
        for (c, o, s, m), figures in ordered
    ]


class Grouping(StrEnum):
    CONTRACT = "contract"
    CUSTOMER = "customer"
    SITE = "site"
    MONTH = "month"
    ALL = "all"


_KEYS: Mapping[Grouping, Callable[[AttainmentRow], tuple[str, ...]]] = {
    Grouping.CONTRACT: lambda r: (r.contract_id,),
    Grouping.CUSTOMER: lambda r: (r.customer_id,),
    Grouping.SITE: lambda r: (r.site_id,),
    Grouping.MONTH: lambda r: (r.month,),
    Grouping.ALL: lambda r: (),
}


def rollup(rows: Iterable[AttainmentRow], by: Grouping) -> list[Attainment]:
    """The rows added up per contract, customer, site or month (or all together), ordered by that key."""
    groups: dict[tuple[str, ...], Attainment] = {}
    pick = _KEYS[by]
    for row in rows:
        key = pick(row)
        groups[key] = groups.get(key, Attainment(key=key)) + row.figures
    return [groups[key] for key in sorted(groups)]


def total(rows: Iterable[AttainmentRow]) -> Attainment:
    """Everything together (the desk card's headline figures); an empty Attainment when there are no rows."""
    return next(iter(rollup(rows, Grouping.ALL)), Attainment(key=()))
