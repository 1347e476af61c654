"""SLA attainment per contract × site × month, its rollups, and first-time fix (sync/domain/sla_attainment.py).

Clocks are the engine's own, computed from facts: ServicePac 24×7 8 h, critical (response 4 h, restore 8 h of
elapsed time) at 0 km, and Foundation 24×7 (response 4 h, no restore committed). Months are the site's: Berlin moved
to CEST (UTC+2) on Sun 29 March 2026, New York to EDT (UTC-4) on Sun 8 March 2026; Tokyo is UTC+9 all year.

The scenario, as of NOW = Fri 10 April 2026 12:00Z:

    id  contract  customer  site (zone)    received (UTC)     site month  response      restore        visits
    A   C1        helix     S1 Berlin      Mar  2 09:00       2026-03     +1 h met      +6 h met       1 (+2 h)
    B   C1        helix     S1 Berlin      Mar 10 09:00       2026-03     +5 h missed   +7 h met       2 (+1 h, +3 h)
    C   C1        helix     S1 Berlin      Mar 31 22:30       2026-04     +2 h met      +10 h missed   1 (+3 h), 1 after
    D   C1        helix     S1 Berlin      Apr 10 08:00       2026-04     +1 h met      running: open  0
    E   C2        helix     S2 New York    Apr  1 02:00       2026-03     breached      breached       1, not restored
    F   C3        other     S3 Tokyo       Mar  5 00:00       2026-03     +3 h met      not committed  0
    G   (none)    helix     S1 Berlin      Mar 20 10:00       2026-03     +1 h met      +2 h met       1 (+1 h)

C is 00:30 on 1 April in Berlin and E is 22:00 on 31 March in New York: each counts in its site's month.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sync.domain.service import Severity, Visit
from sync.domain.sla import Clock, ClockFacts, ClockState, ClockStatus, ServicePlace, Tier, clock_states
from sync.domain.sla_attainment import (
    Attainment,
    AttainmentRow,
    Grouping,
    IncidentClocks,
    Outcome,
    Tally,
    attainment_rows,
    clock_outcome,
    month_span,
    percent,
    rollup,
    site_month,
    total,
)
from sync.domain.sla_catalogue import FOUNDATION_24X7, SERVICEPAC_24X7_8H

NOW = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
ZONES = {"S1": "Europe/Berlin", "S2": "America/New_York", "S3": "Asia/Tokyo"}


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def incident(
    incident_id: str,
    contract: str | None,
    customer: str,
    site: str,
    received: datetime,
    *,
    responded: float | None,
    restored: float | None,
    tier: Tier = SERVICEPAC_24X7_8H,
) -> IncidentClocks:
    facts = ClockFacts(
        received_at=received,
        responded_at=None if responded is None else received + responded * H,
        restored_at=None if restored is None else received + restored * H,
    )
    place = ServicePlace(timezone=ZONES[site])
    return IncidentClocks(
        incident_id=incident_id,
        contract_id=contract,
        customer_id=customer,
        site_id=site,
        timezone=ZONES[site],
        received_at=received,
        restored_at=facts.restored_at,
        clocks=clock_states(tier=tier, severity=Severity.CRITICAL, place=place, facts=facts, now=NOW),
    )


def visit(n: int, incident_id: str | None, arrived: datetime) -> Visit:
    return Visit(
        id=f"v{n}",
        org_id="helix",
        site_id="S1",
        asset_id="a1",
        ticket_id=incident_id,
        engineer_id="eng",
        arrived_at=arrived,
    )


INCIDENTS = [
    incident("A", "C1", "helix", "S1", utc(3, 2, 9), responded=1, restored=6),
    incident("B", "C1", "helix", "S1", utc(3, 10, 9), responded=5, restored=7),
    incident("C", "C1", "helix", "S1", utc(3, 31, 22, 30), responded=2, restored=10),
    incident("D", "C1", "helix", "S1", utc(4, 10, 8), responded=1, restored=None),
    incident("E", "C2", "helix", "S2", utc(4, 1, 2), responded=None, restored=None),
    incident("F", "C3", "other", "S3", utc(3, 5, 0), responded=3, restored=20, tier=FOUNDATION_24X7),
    incident("G", None, "helix", "S1", utc(3, 20, 10), responded=1, restored=2),
]
VISITS = [
    visit(1, "A", utc(3, 2, 11)),
    visit(2, "B", utc(3, 10, 10)),
    visit(3, "B", utc(3, 10, 12)),
    visit(4, "C", utc(4, 1, 1, 30)),
    visit(5, "C", utc(4, 1, 12)),  # after the restore (08:30Z): a follow-up, not part of the fix
    visit(6, "E", utc(4, 2, 9)),
    visit(7, "G", utc(3, 20, 11)),
    visit(8, None, utc(3, 20, 11)),  # a planned visit, tied to no incident
]


def figures(key: tuple[str, ...], n: int, response: Tally, restore: Tally, visited: int, ftf: int) -> Attainment:
    return Attainment(
        key=key, incidents=n, response=response, restore=restore, visited_fixes=visited, first_time_fixes=ftf
    )


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (ClockStatus.MET, Outcome.MET),
        (ClockStatus.MISSED, Outcome.MISSED),
        (ClockStatus.BREACHED, Outcome.MISSED),
        (ClockStatus.ON_TRACK, Outcome.OPEN),
        (ClockStatus.AT_RISK, Outcome.OPEN),
        (ClockStatus.NOT_COMMITTED, None),
        (ClockStatus.BY_AGREEMENT, None),
    ],
)
def test_each_clock_status_counts_as_met_missed_open_or_not_at_all(
    status: ClockStatus, outcome: Outcome | None
) -> None:
    state = ClockState(clock=Clock.RESPONSE, status=status, target=None, due=None)
    assert clock_outcome(state) == outcome


@pytest.mark.parametrize(
    ("received", "zone", "month"),
    [
        (utc(4, 1, 3, 30), "America/New_York", "2026-03"),  # 23:30 EDT on 31 March
        (utc(4, 1, 4, 0), "America/New_York", "2026-04"),  # 00:00 EDT on 1 April
        (utc(3, 31, 15, 0), "Asia/Tokyo", "2026-04"),  # 00:00 JST on 1 April
        (utc(3, 31, 14, 59), "Asia/Tokyo", "2026-03"),
        (utc(3, 31, 22, 0), "Europe/Berlin", "2026-04"),  # 00:00 CEST
        (utc(2, 28, 23, 0), "Europe/Berlin", "2026-03"),  # 00:00 CET on 1 March
        (utc(2, 28, 22, 59), "Europe/Berlin", "2026-02"),
        (utc(12, 31, 23, 59), "UTC", "2026-12"),
    ],
)
def test_an_incident_counts_in_the_month_of_its_receipt_in_the_sites_calendar(
    received: datetime, zone: str, month: str
) -> None:
    assert site_month(received, zone) == month


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (2, 3, Decimal("66.7")),
        (1, 3, Decimal("33.3")),
        (1, 8, Decimal("12.5")),
        (1, 16, Decimal("6.3")),  # 6.25: half up, not to even
        (5, 5, Decimal("100.0")),
        (0, 2, Decimal("0.0")),
        (0, 0, None),
    ],
)
def test_percentages_are_exact_to_one_decimal_half_up_and_absent_with_nothing_decided(
    part: int, whole: int, expected: Decimal | None
) -> None:
    assert percent(part, whole) == expected


def test_one_row_per_contract_site_and_month_with_met_missed_and_open_clocks() -> None:
    rows = attainment_rows(INCIDENTS, VISITS)
    assert rows == [
        AttainmentRow(
            contract_id="",
            customer_id="helix",
            site_id="S1",
            timezone="Europe/Berlin",
            month="2026-03",
            figures=figures(("", "helix", "S1", "2026-03"), 1, Tally(1, 0, 0), Tally(1, 0, 0), 1, 1),
        ),
        AttainmentRow(
            contract_id="C1",
            customer_id="helix",
            site_id="S1",
            timezone="Europe/Berlin",
            month="2026-03",
            figures=figures(("C1", "helix", "S1", "2026-03"), 2, Tally(1, 1, 0), Tally(2, 0, 0), 2, 1),
        ),
        AttainmentRow(
            contract_id="C1",
            customer_id="helix",
            site_id="S1",
            timezone="Europe/Berlin",
            month="2026-04",
            figures=figures(("C1", "helix", "S1", "2026-04"), 2, Tally(2, 0, 0), Tally(0, 1, 1), 1, 1),
        ),
        AttainmentRow(
            contract_id="C2",
            customer_id="helix",
            site_id="S2",
            timezone="America/New_York",
            month="2026-03",
            figures=figures(("C2", "helix", "S2", "2026-03"), 1, Tally(0, 1, 0), Tally(0, 1, 0), 0, 0),
        ),
        AttainmentRow(
            contract_id="C3",
            customer_id="other",
            site_id="S3",
            timezone="Asia/Tokyo",
            month="2026-03",
            figures=figures(("C3", "other", "S3", "2026-03"), 1, Tally(1, 0, 0), Tally(0, 0, 0), 0, 0),
        ),
    ]


# (grouping, [(key, incidents, response %, restore %, open restore clocks, first-time fix %)])
@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            Grouping.CONTRACT,
            [
                (("",), 1, "100.0", "100.0", 0, "100.0"),
                (("C1",), 4, "75.0", "66.7", 1, "66.7"),
                (("C2",), 1, "0.0", "0.0", 0, None),
                (("C3",), 1, "100.0", None, 0, None),
            ],
        ),
        (
            Grouping.CUSTOMER,
            [
                (("helix",), 6, "66.7", "60.0", 1, "75.0"),
                (("other",), 1, "100.0", None, 0, None),
            ],
        ),
        (
            Grouping.SITE,
            [
                (("S1",), 5, "80.0", "75.0", 1, "75.0"),
                (("S2",), 1, "0.0", "0.0", 0, None),
                (("S3",), 1, "100.0", None, 0, None),
            ],
        ),
        (
            Grouping.MONTH,
            [
                (("2026-03",), 5, "60.0", "75.0", 0, "66.7"),
                (("2026-04",), 2, "100.0", "0.0", 1, "100.0"),
            ],
        ),
        (Grouping.ALL, [((), 7, "71.4", "60.0", 1, "75.0")]),
    ],
)
def test_rollups_per_contract_customer_site_and_month(
    by: Grouping, expected: list[tuple[tuple[str, ...], int, str, str | None, int, str | None]]
) -> None:
    got = [
        (
            g.key,
            g.incidents,
            str(g.response.percent),
            None if g.restore.percent is None else str(g.restore.percent),
            g.restore.open,
            None if g.first_time_fix_percent is None else str(g.first_time_fix_percent),
        )
        for g in rollup(attainment_rows(INCIDENTS, VISITS), by)
    ]
    assert got == expected


def test_the_total_of_nothing_has_no_percentages() -> None:
    nothing = total([])
    assert (nothing.incidents, nothing.response.percent, nothing.restore.percent, nothing.first_time_fix_percent) == (
        0,
        None,
        None,
        None,
    )


def test_a_clock_still_within_time_is_open_and_once_past_due_is_missed_without_a_stop() -> None:
    received = utc(4, 10, 6)  # response due 10:00Z, restore due 14:00Z
    early = incident("X", "C1", "helix", "S1", received, responded=None, restored=None)
    later = clock_states(
        tier=SERVICEPAC_24X7_8H,
        severity=Severity.CRITICAL,
        place=ServicePlace(timezone="Europe/Berlin"),
        facts=ClockFacts(received_at=received),
        now=utc(4, 10, 15),
    )
    late = replace(early, clocks=later)
    assert total(attainment_rows([early], [])).response == Tally(0, 1, 0)  # NOW is 12:00Z: response breached
    assert total(attainment_rows([early], [])).restore == Tally(0, 0, 1)
    assert total(attainment_rows([late], [])).restore == Tally(0, 1, 0)


@pytest.mark.parametrize(
    ("month", "zone", "begins", "ends"),
    [
        ("2026-03", "Europe/Berlin", utc(2, 28, 23), utc(3, 31, 22)),  # CET at the start, CEST at the end
        ("2026-11", "America/New_York", utc(11, 1, 4), utc(12, 1, 5)),  # EDT at the start, EST at the end
        ("2026-04", "Asia/Tokyo", utc(3, 31, 15), utc(4, 30, 15)),
        ("2026-12", "UTC", utc(12, 1, 0), datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_site_month_begins_and_ends_at_the_sites_midnights_given_as_utc_instants(
    month: str, zone: str, begins: datetime, ends: datetime
) -> None:
    assert month_span(month, zone) == (begins, ends)
