"""The worked examples and the state table in docs/sla.md are checked against the engine, so the customers' page
cannot drift from the code."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sync.domain.errors import Forbidden, IllegalTransition
from sync.domain.incident import IncidentStatus, check_transition
from sync.domain.org import Role
from sync.domain.service import Severity
from sync.domain.sla import Clock, ClockFacts, ClockStatus, ServicePlace, clock_state
from sync.domain.sla_catalogue import template

DOC = Path(__file__).resolve().parents[2] / "docs" / "sla.md"


def example_rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Worked examples", 1)[1].split("\n## ", 1)[0]  # to the next section
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:]]  # the first is the header


def expected(cell: str) -> datetime | str:
    if cell in ("by agreement", "none committed"):
        return cell
    return datetime.strptime(cell, "%Y-%m-%d %H:%MZ").replace(tzinfo=UTC)


def shown(tier_name: str, zone: str, call: str, severity: str, km: str, clock: Clock) -> datetime | str:
    received = datetime.strptime(call, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(zone))
    state = clock_state(
        clock,
        tier=template(tier_name),
        severity=Severity(severity),
        place=ServicePlace(timezone=zone, distance_km=Decimal(km), holidays=frozenset(HOLIDAYS.get(zone, ()))),
        facts=ClockFacts(received_at=received),
        now=received,
    )
    if state.status is ClockStatus.BY_AGREEMENT:
        return "by agreement"
    if state.status is ClockStatus.NOT_COMMITTED:
        return "none committed"
    assert state.due is not None
    return state.due


# The examples' site holidays (the doc names them in the "why" column).
HOLIDAYS = {"America/New_York": (datetime(2026, 11, 26).date(),)}


def test_the_doc_has_examples_for_a_dozen_cases() -> None:
    assert len(example_rows()) >= 12


@pytest.mark.parametrize("row", example_rows(), ids=lambda row: f"{row[0]}-{row[2]}")
def test_each_worked_example_in_docs_sla_is_what_the_engine_computes(row: list[str]) -> None:
    tier, zone, call, severity, km, response, restore, _why = row
    assert shown(tier, zone, call, severity, km, Clock.RESPONSE) == expected(response)
    assert shown(tier, zone, call, severity, km, Clock.RESTORE) == expected(restore)


def state_rows() -> dict[tuple[str, str], set[str]]:
    section = DOC.read_text(encoding="utf-8").split("## Incident states and who may move them", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines()]
    rows = [row for row in rows if len(row) == 3 and row[0] not in ("from", "---")]
    return {(source, target): {who.strip() for who in roles.split(",")} for source, target, roles in rows}


@pytest.mark.parametrize("source", list(IncidentStatus))
@pytest.mark.parametrize("target", list(IncidentStatus))
@pytest.mark.parametrize("role", list(Role))
def test_the_doc_s_state_table_is_the_state_machine(source: IncidentStatus, target: IncidentStatus, role: Role) -> None:
    documented = state_rows().get((source.value, target.value))
    if documented is None:
        with pytest.raises(IllegalTransition):
            check_transition(source, target, role)
    elif role.value.replace("_", " ") in documented:
        check_transition(source, target, role)
    else:
        with pytest.raises(Forbidden):
            check_transition(source, target, role)
