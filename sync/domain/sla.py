"""SLA tiers as data and the clocks they set: due times, pauses, distance zones, parts extensions, clock states.

Everything here is a pure function of a tier, the incident's severity, the site (zone, holidays, distance) and the
incident's clock facts (received, responded, restored, pauses, extension). Changing an incident's tier or severity
midway is therefore simply a recomputation from its history under the new targets: nothing is stored that could go
stale. Deadlines are UTC instants. The customer-facing definitions are in docs/sla.md; keep the two in agreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from sync.domain.errors import InvalidInput, RuleViolation
from sync.domain.service import Severity
from sync.domain.sla_window import CoverageWindow, SiteCoverage, aware_utc
from sync.domain.words import Phrase, words


class Clock(StrEnum):
    RESPONSE = "response"
    RESTORE = "restore"


class PauseReason(StrEnum):
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    WAITING_FOR_PARTS = "waiting_for_parts"


@dataclass(frozen=True)
class HoursTarget:
    """Due after this much covered time from receipt (in 24×7: elapsed real time)."""

    covered: timedelta

    def __post_init__(self) -> None:
        if self.covered <= timedelta(0):
            raise InvalidInput(words("an hour target must be positive"))

    def phrase(self) -> Phrase:
        """``30 min``, ``1 h 30 min``, ``48 h``: contract hours stay hours, never days."""
        minutes = int(self.covered.total_seconds()) // 60
        hours, mins = divmod(minutes, 60)
        if not hours:
            return words("{mins} min", mins=mins)
        return words("{hours} h {mins} min", hours=hours, mins=mins) if mins else words("{hours} h", hours=hours)

    def describe(self) -> str:
        return str(self.phrase())


@dataclass(frozen=True)
class BusinessDaysTarget:
    """Due at the close of the window on the ``days``-th business day after the day the call counts as received.

    A call counts as received on its own local date unless it comes after the cut-off (if the tier has one), after
    the window closes, or on a day that is not a business day: then it counts as received on the next business day.
    An early-morning call before the window opens counts for that day. Exactly at the cut-off is not after it.
    """

    days: int = 1
    cutoff: time | None = None

    def __post_init__(self) -> None:
        if self.days < 1:
            raise InvalidInput(words("a business-day target is at least one business day"))

    def phrase(self) -> Phrase:
        base = words("next business day") if self.days == 1 else words("{days} business days", days=self.days)
        if self.cutoff is None:
            return base
        return words("{target} (calls after {cutoff} count from the next)", target=base, cutoff=f"{self.cutoff:%H:%M}")

    def describe(self) -> str:
        return str(self.phrase())


Target = HoursTarget | BusinessDaysTarget


def hours(value: int | str | Decimal) -> HoursTarget:
    """``hours(4)``, ``hours("0.5")``: exact, never a float."""
    return HoursTarget(timedelta(seconds=int(Decimal(value) * 3600)))


NBD = BusinessDaysTarget(1)


@dataclass(frozen=True)
class Targets:
    """The two clocks of one severity; None: that clock has no committed time for this severity."""

    response: Target | None
    restore: Target | None

    def of(self, clock: Clock) -> Target | None:
        return self.response if clock is Clock.RESPONSE else self.restore


@dataclass(frozen=True)
class DistanceZone:
    """Sites at most ``up_to_km`` from their servicing depot get ``extra`` covered time on the restore target."""

    up_to_km: int
    extra: timedelta


STANDARD_ZONES = (DistanceZone(80, timedelta(0)), DistanceZone(160, timedelta(hours=2)))


@dataclass(frozen=True, kw_only=True)
class Tier:
    name: str
    window: CoverageWindow
    # One entry per severity: severity chooses which targets apply.
    targets: tuple[tuple[Severity, Targets], ...]
    # Replaces the restore target when the part is not in the region's buffer; None: the tier grants none.
    parts_extension: Target | None = None
    # Whether "waiting for parts" stops the clock; "waiting for customer" always does.
    parts_pause: bool = False
    zones: tuple[DistanceZone, ...] = STANDARD_ZONES
    # Yearly price as an exact share of the hardware price; None: included with the unit.
    price_share: Decimal | None = None

    def __post_init__(self) -> None:
        given = [severity for severity, _ in self.targets]
        if sorted(given) != sorted(Severity) or len(given) != len(set(given)):
            raise InvalidInput(words("tier {tier}: give targets for each severity exactly once", tier=self.name))
        if not self.zones or any(a.up_to_km >= b.up_to_km for a, b in zip(self.zones, self.zones[1:], strict=False)):
            raise InvalidInput(words("tier {tier}: distance zones go outward, at least one", tier=self.name))
        if any(b.extra < a.extra for a, b in zip(self.zones, self.zones[1:], strict=False)):
            raise InvalidInput(words("tier {tier}: a farther zone never adds less time", tier=self.name))
        if self.price_share is not None and not Decimal(0) < self.price_share <= Decimal(1):
            raise InvalidInput(
                words("tier {tier}: price share must be a positive fraction of the hardware price", tier=self.name)
            )

    def for_severity(self, severity: Severity) -> Targets:
        return dict(self.targets)[severity]

    def zone_for(self, distance_km: Decimal) -> DistanceZone | None:
        """The first zone reaching the site; None: beyond the last zone, so no time is committed."""
        return next((z for z in self.zones if distance_km <= z.up_to_km), None)


@dataclass(frozen=True, kw_only=True)
class ServicePlace:
    """What the clocks need to know about a site."""

    timezone: str
    holidays: frozenset[date] = field(default_factory=frozenset)
    distance_km: Decimal = Decimal(0)

    def coverage(self, tier: Tier) -> SiteCoverage:
        return tier.window.at(timezone=self.timezone, holidays=self.holidays)


@dataclass(frozen=True, kw_only=True)
class Pause:
    reason: PauseReason
    start: datetime
    end: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class PartsExtension:
    at: datetime
    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ClockFacts:
    """An incident's history as far as its clocks care."""

    received_at: datetime
    responded_at: datetime | None = None
    restored_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    extension: PartsExtension | None = None

    def __post_init__(self) -> None:
        received = aware_utc(self.received_at)
        for stop in (self.responded_at, self.restored_at):
            if stop is not None and aware_utc(stop) < received:
                raise InvalidInput(words("a clock cannot stop before the incident was received"))
        previous_end = received
        for index, pause in enumerate(self.pauses):
            if aware_utc(pause.start) < previous_end:
                raise InvalidInput(words("pauses are in order, do not overlap and start after receipt"))
            if pause.end is None:
                if index != len(self.pauses) - 1:
                    raise InvalidInput(words("only the last pause may still be running"))
                previous_end = aware_utc(pause.start)
            elif aware_utc(pause.end) < aware_utc(pause.start):
                raise InvalidInput(words("a pause cannot end before it starts"))
            else:
                previous_end = aware_utc(pause.end)
        if self.extension is not None and not self.extension.reason.strip():
            raise InvalidInput(words("a parts extension says why"))


def target_due(target: Target, received: datetime, coverage: SiteCoverage) -> datetime:
    """The due instant of one target for a call received at ``received``, before distance and pauses."""
    if isinstance(target, HoursTarget):
        return coverage.add(received, target.covered)
    return coverage.closing(_nth_business_day(target.days, receipt_day(target, received, coverage), coverage))


def receipt_day(target: BusinessDaysTarget, received: datetime, coverage: SiteCoverage) -> date:
    """The business day a call counts as received on (see BusinessDaysTarget)."""
    moment = aware_utc(received)
    day = coverage.local_date(moment)
    late = moment > coverage.closing(day) or (
        target.cutoff is not None and moment > coverage.local_instant(day, target.cutoff)
    )
    if not coverage.is_business_day(day) or late:
        return coverage.next_business_day(day)
    return day


def _nth_business_day(days: int, start: date, coverage: SiteCoverage) -> date:
    for _ in range(days):
        start = coverage.next_business_day(start)
    return start


def distance_flags(tier: Tier, distance_km: Decimal) -> tuple[Phrase, ...]:
    """What a contract for a site this far away must flag when it is made (and what its incidents say)."""
    if tier.zone_for(distance_km) is not None:
        return ()
    return (
        words(
            "site is {km} km away, beyond {last} km: time by agreement",
            km=distance_km,
            last=tier.zones[-1].up_to_km,
        ),
    )


class ClockStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"
    BY_AGREEMENT = "by_agreement"
    NOT_COMMITTED = "not_committed"


# A clock a tier does not commit for a severity, in words (one template per clock, so a language can order them).
NOT_COMMITTED_WORDS = {
    Clock.RESPONSE: "{tier} commits no response time for {severity} incidents",
    Clock.RESTORE: "{tier} commits no restore time for {severity} incidents",
}
SEVERITY_ADJECTIVES = {Severity.CRITICAL: "critical", Severity.MAJOR: "major", Severity.MINOR: "minor"}


@dataclass(frozen=True, kw_only=True)
class ClockState:
    clock: Clock
    status: ClockStatus
    target: Target | None
    due: datetime | None
    # Covered time the target grants and covered time used so far (pauses excluded), for the "75 % used" rule.
    budget: timedelta = timedelta(0)
    used: timedelta = timedelta(0)
    # Real time until due (negative once breached); None when stopped or not committed.
    left: timedelta | None = None
    paused: bool = False
    extension: PartsExtension | None = None
    notes: tuple[Phrase, ...] = ()  # for people: each device puts them in its reader's language


def clock_state(
    clock: Clock, *, tier: Tier, severity: Severity, place: ServicePlace, facts: ClockFacts, now: datetime
) -> ClockState:
    """One clock of an incident as of ``now``, recomputed from its facts under the given tier and severity."""
    now = aware_utc(now)
    received = aware_utc(facts.received_at)
    target = tier.for_severity(severity).of(clock)
    if target is None:
        note = words(NOT_COMMITTED_WORDS[clock], tier=tier.name, severity=words(SEVERITY_ADJECTIVES[severity]))
        return ClockState(clock=clock, status=ClockStatus.NOT_COMMITTED, target=None, due=None, notes=(note,))
    zone = tier.zone_for(place.distance_km)
    if zone is None:
        flags = distance_flags(tier, place.distance_km)
        return ClockState(clock=clock, status=ClockStatus.BY_AGREEMENT, target=target, due=None, notes=flags)
    coverage = place.coverage(tier)
    notes: list[Phrase] = []
    extension = None
    if clock is Clock.RESTORE and facts.extension is not None:
        if tier.parts_extension is None:
            notes.append(words("{tier} grants no parts extension: the recorded one does not apply", tier=tier.name))
        else:
            target, extension = tier.parts_extension, facts.extension
            notes.append(
                words(
                    "extended to {target} for parts by {who}: {reason}",
                    target=target.phrase(),
                    who=extension.by,  # a user id: a device names the person (IncidentService)
                    reason=extension.reason,
                )
            )
    due = target_due(target, received, coverage)
    if clock is Clock.RESTORE and zone.extra:
        due = coverage.add(due, zone.extra)
        notes.append(
            words("+{extra} for a site {km} km away", extra=HoursTarget(zone.extra).phrase(), km=place.distance_km)
        )
    budget = coverage.between(received, due)
    raw_stop = facts.responded_at if clock is Clock.RESPONSE else facts.restored_at
    # Restoring also ends the response clock: a fix is a contact.
    if clock is Clock.RESPONSE and raw_stop is None:
        raw_stop = facts.restored_at
    stop = None if raw_stop is None else aware_utc(raw_stop)
    horizon = now if stop is None else min(stop, now)
    paused_covered = timedelta(0)
    paused_now = False
    for pause in facts.pauses:
        start = aware_utc(pause.start)
        if pause.reason is PauseReason.WAITING_FOR_PARTS and not tier.parts_pause:
            notes.append(words("{tier} does not stop the clock for parts: that wait counts", tier=tier.name))
            continue
        if start >= due or (stop is not None and start >= stop):
            # A clock that already ran out (or stopped) is not rescued by a later pause.
            continue
        # A pause still running holds the clock until now; none holds it past the moment the clock stopped.
        end = now if pause.end is None else aware_utc(pause.end)
        if stop is not None:
            end = min(end, stop)
        paused_now = paused_now or (pause.end is None and stop is None)
        due = coverage.add(due, coverage.between(start, end))
        paused_covered += coverage.between(start, min(end, horizon))
    used = coverage.between(received, horizon) - paused_covered
    if stop is not None and stop <= now:
        return ClockState(
            clock=clock,
            status=ClockStatus.MET if stop <= due else ClockStatus.MISSED,
            target=target,
            due=due,
            budget=budget,
            used=used,
            extension=extension,
            notes=tuple(notes),
        )
    if now > due:
        status = ClockStatus.BREACHED
    elif used * 4 > budget * 3:
        status = ClockStatus.AT_RISK
    else:
        status = ClockStatus.ON_TRACK
    return ClockState(
        clock=clock,
        status=status,
        target=target,
        due=due,
        budget=budget,
        used=used,
        left=due - now,
        paused=paused_now,
        extension=extension,
        notes=tuple(notes),
    )


def clock_states(
    *, tier: Tier, severity: Severity, place: ServicePlace, facts: ClockFacts, now: datetime
) -> Mapping[Clock, ClockState]:
    return {
        clock: clock_state(clock, tier=tier, severity=severity, place=place, facts=facts, now=now) for clock in Clock
    }


def status_changes_at(state: ClockState, coverage: SiteCoverage, now: datetime) -> datetime | None:
    """When a clock's status next changes if nothing happens to the incident (the desk board keeps its order until
    then): on track turns at risk once more than three quarters of the budget is used (the rule in ``clock_state``),
    at risk breaches at its due time. Stopped, breached, uncommitted and paused clocks keep their status (a pause
    moves the due time, not the status); None."""
    if state.paused or state.due is None:
        return None
    if state.status is ClockStatus.AT_RISK:
        return aware_utc(state.due)
    if state.status is ClockStatus.ON_TRACK:
        left = state.budget * 3 / 4 - state.used
        return coverage.add(aware_utc(now), max(left, timedelta(0)))
    return None


def due_times(
    *, tier: Tier, severity: Severity, place: ServicePlace, received_at: datetime
) -> Mapping[Clock, datetime | None]:
    """The due instants of a fresh incident (None: no committed time), as ``open_ticket`` stores them."""
    facts = ClockFacts(received_at=received_at)
    states = clock_states(tier=tier, severity=severity, place=place, facts=facts, now=received_at)
    return {clock: state.due for clock, state in states.items()}


# The ladder check compares tiers on a neutral site (UTC, no holidays) for a call every half hour of two weeks.
PROBE_PLACE = ServicePlace(timezone="UTC")
PROBES = tuple(datetime(2026, 3, 2, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(14 * 48))


def _worst_restore(tier: Tier, severity: Severity) -> Target | None:
    restore = tier.for_severity(severity).restore
    return tier.parts_extension if restore is not None and tier.parts_extension is not None else restore


def check_tier(tier: Tier) -> None:
    """A tier is coherent: response is never due after restore, and a parts extension never shortens the restore."""
    coverage = PROBE_PLACE.coverage(tier)
    for severity in Severity:
        targets = tier.for_severity(severity)
        pairs = [("response", targets.response, "restore", targets.restore)]
        if targets.restore is not None and tier.parts_extension is not None:
            pairs.append(("restore", targets.restore, "parts extension", tier.parts_extension))
        for first_name, first, second_name, second in pairs:
            if first is None or second is None:
                continue
            for probe in PROBES:
                if target_due(first, probe, coverage) > target_due(second, probe, coverage):
                    raise InvalidInput(
                        words(
                            "tier {tier}: {severity} {first} due after {second} for a call at {at} UTC",
                            tier=tier.name,
                            severity=severity,
                            first=first_name,
                            second=second_name,
                            at=f"{probe:%a %H:%M}",
                        ),
                        details={"tier": tier.name, "severity": severity.value},
                    )


def check_ladder(lower: Tier, higher: Tier) -> None:
    """Refuse ``higher`` if it gives less than ``lower`` anywhere: a later due time for any clock and severity at
    any probe call, a missing target the lower tier commits, a parts pause the lower tier does not allow, a farther
    zone the lower tier commits, or more time added for distance."""
    lower_cov, higher_cov = PROBE_PLACE.coverage(lower), PROBE_PLACE.coverage(higher)

    def refuse(what: Phrase) -> RuleViolation:
        return RuleViolation(
            words("tier {tier} gives less than {lower}: {what}", tier=higher.name, lower=lower.name, what=what),
            details={"tier": higher.name, "below": lower.name},
        )

    for severity in Severity:
        low, high = lower.for_severity(severity), higher.for_severity(severity)
        comparisons = [
            (Clock.RESPONSE.value, low.response, high.response),
            (Clock.RESTORE.value, low.restore, high.restore),
            ("restore with parts extension", _worst_restore(lower, severity), _worst_restore(higher, severity)),
        ]
        for name, low_target, high_target in comparisons:
            if low_target is None:
                continue
            if high_target is None:
                raise refuse(
                    words(
                        "no {severity} {clock} time where the lower tier commits one",
                        severity=severity,
                        clock=name,
                    )
                )
            for probe in PROBES:
                if target_due(high_target, probe, higher_cov) > target_due(low_target, probe, lower_cov):
                    raise refuse(
                        words(
                            "{severity} {clock} due later for a call at {at} UTC",
                            severity=severity,
                            clock=name,
                            at=f"{probe:%a %H:%M}",
                        )
                    )
    if higher.parts_pause and not lower.parts_pause:
        raise refuse(words("it stops the clock while waiting for parts"))
    for zone in lower.zones:
        reached = higher.zone_for(Decimal(zone.up_to_km))
        if reached is None or reached.extra > zone.extra:
            raise refuse(words("less for a site {km} km away", km=zone.up_to_km))


# Board order: the worst clock of an incident decides its place; within a rank, the earliest due first.
RISK_ORDER = (ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK)


def risk_rank(states: Mapping[Clock, ClockState]) -> tuple[int, datetime]:
    """Sort key for open incidents: breached, then at risk, then on track, then the rest; earliest due first."""
    running = [s for s in states.values() if s.status in RISK_ORDER and s.due is not None]
    if not running:
        return len(RISK_ORDER), datetime.max.replace(tzinfo=UTC)
    worst = min(running, key=lambda s: (RISK_ORDER.index(s.status), s.due))
    assert worst.due is not None
    return RISK_ORDER.index(worst.status), worst.due


def rank_changes_at(states: Mapping[Clock, ClockState], coverage: SiteCoverage, now: datetime) -> datetime | None:
    """When an incident's board key (``risk_rank``) may next change if nothing happens to it: never once its worst
    clock is breached (no rank is worse, and a clock that breaches later is due later, so it orders after), else at
    the next status change of any of its clocks (``status_changes_at``); None: not until something happens."""
    rank, _due = risk_rank(states)
    if rank == RISK_ORDER.index(ClockStatus.BREACHED):
        return None
    changes = [c for s in states.values() if (c := status_changes_at(s, coverage, now)) is not None]
    return min(changes, default=None)
