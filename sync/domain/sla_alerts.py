"""When breaches are recorded and escalation notices go out: once per clock, and inside the site's coverage.

The server's sweep asks these instead of deciding itself, so a breach is raised when it happens (not only when
someone looks), counted once however often the sweep runs, and a notice never goes out at midnight or on a weekend
of a business-hours tier. Which notices are out for the desk, and until when, is sync/domain/escalations.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sync.domain.incident import IncidentStatus
from sync.domain.sla import Clock, ClockState, ClockStatus
from sync.domain.sla_window import SiteCoverage, aware_utc

# Incidents whose clocks have stopped for good: the sweep never escalates them, however late they stopped.
QUIET = frozenset({IncidentStatus.RESTORED, IncidentStatus.CLOSED})


def escalates(status: IncidentStatus) -> bool:
    """Whether the breach sweep watches an incident in this state: open ones (paused included), not restored or
    closed ones."""
    return status not in QUIET


def breaches_to_record(states: Mapping[Clock, ClockState], recorded: frozenset[Clock]) -> tuple[Clock, ...]:
    """Clocks past due (running and breached, or stopped late) not recorded yet, in clock order."""
    late = (ClockStatus.BREACHED, ClockStatus.MISSED)
    return tuple(clock for clock in Clock if clock in states and states[clock].status in late and clock not in recorded)


def next_breach_at(states: Mapping[Clock, ClockState]) -> datetime | None:
    """The earliest due time of a clock still running and not paused: when the sweep must look again.

    A paused clock has no breach time until it resumes (its due moves while it waits); a stopped, uncommitted or
    by-agreement clock never breaches.
    """
    running = (ClockStatus.ON_TRACK, ClockStatus.AT_RISK)
    dues = [s.due for s in states.values() if s.status in running and not s.paused and s.due is not None]
    return min(dues, default=None)


def notice_at(coverage: SiteCoverage, moment: datetime) -> datetime:
    """The first covered instant at or after ``moment``: escalation notices wait for the window to open."""
    return coverage.add(aware_utc(moment), timedelta(0))
