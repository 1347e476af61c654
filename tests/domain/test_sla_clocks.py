"""Running clocks: distance zones, parts extensions, pauses, the on-track / at-risk / breached states.

Calendar and offsets as in test_sla_targets.py: March 2026 Mon 2 ... Fri 6, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11;
Berlin is CET (UTC+1) in early March. ServicePac 24×7 8 h: response 4 h, restore 8 h of elapsed time.
ServicePac NBD: 9×5 (08:00-17:00), response 4 h of covered time, restore next business day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sync.domain.errors import InvalidInput
from sync.domain.service import Severity
from sync.domain.sla import (
    Clock,
    ClockFacts,
    ClockState,
    ClockStatus,
    PartsExtension,
    Pause,
    PauseReason,
    ServicePlace,
    Targets,
    Tier,
    clock_state,
    distance_flags,
    hours,
)
from sync.domain.sla_catalogue import (
    FOUNDATION_24X7,
    FOUNDATION_CALL_TO_REPAIR,
    FOUNDATION_NBD,
    OWN_WARRANTY_NEW,
    OWN_WARRANTY_REFURBISHED,
    PROSUPPORT_NBD,
    PROSUPPORT_PLUS_MISSION_CRITICAL,
    SERVICEPAC_24X7_8H,
    SERVICEPAC_24X7_24H,
    SERVICEPAC_NBD,
    TWENTY_FOUR_BY_SEVEN,
)

BER = ZoneInfo("Europe/Berlin")
CRIT = Severity.CRITICAL
BERLIN = ServicePlace(timezone="Europe/Berlin")
CUSTOMER, PARTS = PauseReason.WAITING_FOR_CUSTOMER, PauseReason.WAITING_FOR_PARTS
RESPONSE, RESTORE = Clock.RESPONSE, Clock.RESTORE


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def at(km: str) -> ServicePlace:
    return ServicePlace(timezone="Europe/Berlin", distance_km=Decimal(km))


def state(
    clock: Clock,
    tier: Tier,
    facts: ClockFacts,
    now: datetime,
    *,
    site: ServicePlace = BERLIN,
    severity: Severity = CRIT,
) -> ClockState:
    return clock_state(clock, tier=tier, severity=severity, place=site, facts=facts, now=now)


MONDAY_0900Z = utc(2026, 3, 2, 9, 0)  # Mon 2 Mar 10:00 CET


@pytest.mark.parametrize(
    ("tier", "km", "clock", "status", "due"),
    [
        # ServicePac 24×7 8 h from 09:00Z: restore 17:00Z within 80 km, 19:00Z (+2 h) from just past 80 to 160 km.
        pytest.param(SERVICEPAC_24X7_8H, "0", RESTORE, ClockStatus.ON_TRACK, utc(2026, 3, 2, 17, 0), id="0km"),
        pytest.param(SERVICEPAC_24X7_8H, "80", RESTORE, ClockStatus.ON_TRACK, utc(2026, 3, 2, 17, 0), id="80km"),
        pytest.param(SERVICEPAC_24X7_8H, "80.5", RESTORE, ClockStatus.ON_TRACK, utc(2026, 3, 2, 19, 0), id="80.5km"),
        pytest.param(SERVICEPAC_24X7_8H, "160", RESTORE, ClockStatus.ON_TRACK, utc(2026, 3, 2, 19, 0), id="160km"),
        # The zone adds to the restore target only: response stays 4 h.
        pytest.param(SERVICEPAC_24X7_8H, "120", RESPONSE, ClockStatus.ON_TRACK, utc(2026, 3, 2, 13, 0), id="resp"),
        # Beyond the last zone nothing is committed, on either clock, and the state says so.
        pytest.param(SERVICEPAC_24X7_8H, "160.1", RESTORE, ClockStatus.BY_AGREEMENT, None, id="beyond-restore"),
        pytest.param(SERVICEPAC_24X7_8H, "400", RESPONSE, ClockStatus.BY_AGREEMENT, None, id="beyond-response"),
        # 9×5: NBD restore Tue 3 Mar 17:00 CET, +2 h of covered time → Wed 4 Mar 10:00 CET = 09:00Z.
        pytest.param(SERVICEPAC_NBD, "120", RESTORE, ClockStatus.ON_TRACK, utc(2026, 3, 4, 9, 0), id="9x5-120km"),
        pytest.param(SERVICEPAC_NBD, "40", RESTORE, ClockStatus.ON_TRACK, utc(2026, 3, 3, 16, 0), id="9x5-40km"),
    ],
)
def test_distance_zones_add_covered_time_to_restore_or_leave_it_by_agreement(
    tier: Tier, km: str, clock: Clock, status: ClockStatus, due: datetime | None
) -> None:
    result = state(clock, tier, ClockFacts(received_at=MONDAY_0900Z), MONDAY_0900Z, site=at(km))
    assert (result.status, result.due) == (status, due)
    if status is ClockStatus.BY_AGREEMENT:
        assert tuple(map(str, result.notes)) == (f"site is {km} km away, beyond 160 km: time by agreement",)


EXTENSION = PartsExtension(at=utc(2026, 3, 2, 10, 0), by="desk-anna", reason="PSU not in the Frankfurt buffer")


@pytest.mark.parametrize(
    ("tier", "received", "site", "due"),
    [
        # Mission Critical restore 4 h (13:00Z) becomes 48 h: Wed 4 Mar 09:00Z.
        pytest.param(PROSUPPORT_PLUS_MISSION_CRITICAL, MONDAY_0900Z, BERLIN, utc(2026, 3, 4, 9, 0), id="mc-48h"),
        # ... and the distance zone still adds its 2 h on top of the extended target: 11:00Z.
        pytest.param(PROSUPPORT_PLUS_MISSION_CRITICAL, MONDAY_0900Z, at("120"), utc(2026, 3, 4, 11, 0), id="mc-zone"),
        # ProSupport NBD: Thu 5 Mar 17:30 CET is after the cut-off, so received Friday; two business days after
        # Friday are Mon 9 and Tue 10, due Tue 18:00 CET = 17:00Z.
        pytest.param(
            PROSUPPORT_NBD, datetime(2026, 3, 5, 17, 30, tzinfo=BER), BERLIN, utc(2026, 3, 10, 17, 0), id="ps-2bd"
        ),
        # Own warranty: 48 h of 24×5 from Fri 12:00 CET: 12 h Friday, 24 h Monday, 12 h Tuesday → Tue 12:00 CET.
        pytest.param(OWN_WARRANTY_NEW, datetime(2026, 3, 6, 12, 0, tzinfo=BER), BERLIN, utc(2026, 3, 10, 11, 0),
                     id="own-48h"),
        # Foundation NBD: Thu 5 Mar 10:00 CET; two business days after Thursday: Fri 6, Mon 9 → Mon 17:00 CET.
        pytest.param(FOUNDATION_NBD, datetime(2026, 3, 5, 10, 0, tzinfo=BER), BERLIN, utc(2026, 3, 9, 16, 0),
                     id="f-nbd-2bd"),
    ],
)  # fmt: skip
def test_a_parts_extension_replaces_the_restore_target_and_says_who_and_why(
    tier: Tier, received: datetime, site: ServicePlace, due: datetime
) -> None:
    facts = ClockFacts(received_at=received, extension=EXTENSION)
    result = state(RESTORE, tier, facts, received, site=site)
    assert result.due == due
    assert result.extension == EXTENSION
    assert "by desk-anna: PSU not in the Frankfurt buffer" in str(result.notes[0])
    # The response clock is not touched by a parts extension.
    assert state(RESPONSE, tier, facts, received, site=site).extension is None


def test_an_extension_the_tier_does_not_grant_is_shown_and_not_applied() -> None:
    no_extension = Tier(
        name="Plain 8 h", window=TWENTY_FOUR_BY_SEVEN, targets=tuple((s, Targets(hours(4), hours(8))) for s in Severity)
    )
    result = state(RESTORE, no_extension, ClockFacts(received_at=MONDAY_0900Z, extension=EXTENSION), MONDAY_0900Z)
    assert result.due == utc(2026, 3, 2, 17, 0)
    assert result.extension is None
    assert tuple(map(str, result.notes)) == ("Plain 8 h grants no parts extension: the recorded one does not apply",)


@pytest.mark.parametrize(
    ("tier", "received", "pauses", "clock", "due"),
    [
        # ServicePac NBD, Thu 5 Mar 10:00 CET: restore due Fri 6 17:00 CET. Waiting for the customer from
        # Fri 15:00 CET to Mon 9 11:00 CET holds 2 h on Friday and 3 h on Monday (the weekend is not covered),
        # so the due moves 5 h of covered time past Friday 17:00 → Mon 13:00 CET = 12:00Z.
        pytest.param(
            SERVICEPAC_NBD,
            datetime(2026, 3, 5, 10, 0, tzinfo=BER),
            (Pause(reason=CUSTOMER, start=utc(2026, 3, 6, 14, 0), end=utc(2026, 3, 9, 10, 0)),),
            RESTORE,
            utc(2026, 3, 9, 12, 0),
            id="9x5-across-weekend",
        ),
        # 24×7: received Fri 6 Mar 19:00Z, due Sat 03:00Z; paused Fri 21:00Z to Mon 07:00Z = 58 h → Mon 13:00Z.
        pytest.param(
            SERVICEPAC_24X7_8H,
            utc(2026, 3, 6, 19, 0),
            (Pause(reason=CUSTOMER, start=utc(2026, 3, 6, 21, 0), end=utc(2026, 3, 9, 7, 0)),),
            RESTORE,
            utc(2026, 3, 9, 13, 0),
            id="24x7-across-weekend",
        ),
        # Waiting for parts where the tier allows it (ServicePac NBD): 2 h Thursday 14:00-16:00 CET → Fri 17:00
        # + 2 h covered → Mon 10:00 CET = 09:00Z.
        pytest.param(
            SERVICEPAC_NBD,
            datetime(2026, 3, 5, 10, 0, tzinfo=BER),
            (Pause(reason=PARTS, start=utc(2026, 3, 5, 13, 0), end=utc(2026, 3, 5, 15, 0)),),
            RESTORE,
            utc(2026, 3, 9, 9, 0),
            id="parts-allowed",
        ),
        # ... and where it does not (ServicePac 24×7 8 h): the wait counts, due stays 17:00Z.
        pytest.param(
            SERVICEPAC_24X7_8H,
            MONDAY_0900Z,
            (Pause(reason=PARTS, start=utc(2026, 3, 2, 11, 0), end=utc(2026, 3, 2, 13, 0)),),
            RESTORE,
            utc(2026, 3, 2, 17, 0),
            id="parts-not-allowed",
        ),
        # Two pauses add up: 1 h and 30 min → 17:00Z + 1 h 30 = 18:30Z.
        pytest.param(
            SERVICEPAC_24X7_8H,
            MONDAY_0900Z,
            (
                Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 10, 0), end=utc(2026, 3, 2, 11, 0)),
                Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 12, 0), end=utc(2026, 3, 2, 12, 30)),
            ),
            RESTORE,
            utc(2026, 3, 2, 18, 30),
            id="two-pauses",
        ),
        # A pause that starts after the due time does not rescue a clock that already ran out.
        pytest.param(
            SERVICEPAC_24X7_8H,
            MONDAY_0900Z,
            (Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 18, 0), end=utc(2026, 3, 2, 20, 0)),),
            RESTORE,
            utc(2026, 3, 2, 17, 0),
            id="pause-after-due",
        ),
        # A pause before the first response holds the response clock too: 13:00Z + 2 h = 15:00Z.
        pytest.param(
            SERVICEPAC_24X7_8H,
            MONDAY_0900Z,
            (Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 10, 0), end=utc(2026, 3, 2, 12, 0)),),
            RESPONSE,
            utc(2026, 3, 2, 15, 0),
            id="response-paused",
        ),
        # A pause entirely outside coverage (Saturday, 9×5) moves nothing: response Fri 15:00 CET + 4 h covered
        # = Mon 10:00 CET = 09:00Z either way.
        pytest.param(
            SERVICEPAC_NBD,
            datetime(2026, 3, 6, 15, 0, tzinfo=BER),
            (Pause(reason=CUSTOMER, start=utc(2026, 3, 7, 9, 0), end=utc(2026, 3, 7, 15, 0)),),
            RESPONSE,
            utc(2026, 3, 9, 9, 0),
            id="pause-outside-coverage",
        ),
    ],
)
def test_a_pause_moves_the_due_time_later_by_the_covered_time_it_held(
    tier: Tier, received: datetime, pauses: tuple[Pause, ...], clock: Clock, due: datetime
) -> None:
    facts = ClockFacts(received_at=received, pauses=pauses)
    assert state(clock, tier, facts, received).due == due


def test_a_parts_wait_the_tier_does_not_allow_is_named_in_the_notes() -> None:
    facts = ClockFacts(
        received_at=MONDAY_0900Z,
        pauses=(Pause(reason=PARTS, start=utc(2026, 3, 2, 11, 0), end=utc(2026, 3, 2, 13, 0)),),
    )
    notes = state(RESTORE, SERVICEPAC_24X7_8H, facts, MONDAY_0900Z).notes
    assert tuple(map(str, notes)) == ("ServicePac 24×7 8 h does not stop the clock for parts: that wait counts",)


# ServicePac 24×7 8 h from 09:00Z, responded at 10:00Z: restore budget 8 h, due 17:00Z; at risk past 6 h used.
RESPONDED = ClockFacts(received_at=MONDAY_0900Z, responded_at=utc(2026, 3, 2, 10, 0))


@pytest.mark.parametrize(
    ("now", "status", "left", "used"),
    [
        (utc(2026, 3, 2, 9, 0), ClockStatus.ON_TRACK, timedelta(hours=8), timedelta(0)),
        # Exactly 75 % used is still on track; one second more is at risk.
        (utc(2026, 3, 2, 15, 0), ClockStatus.ON_TRACK, timedelta(hours=2), timedelta(hours=6)),
        (utc(2026, 3, 2, 15, 0, 1), ClockStatus.AT_RISK, timedelta(hours=2, seconds=-1), timedelta(hours=6, seconds=1)),
        # Due at 17:00 means 17:00 is still on time.
        (utc(2026, 3, 2, 17, 0), ClockStatus.AT_RISK, timedelta(0), timedelta(hours=8)),
        (utc(2026, 3, 2, 17, 0, 1), ClockStatus.BREACHED, timedelta(seconds=-1), timedelta(hours=8, seconds=1)),
    ],
)
def test_a_running_clock_is_on_track_at_risk_past_75_percent_and_breached_after_due(
    now: datetime, status: ClockStatus, left: timedelta, used: timedelta
) -> None:
    result = state(RESTORE, SERVICEPAC_24X7_8H, RESPONDED, now)
    assert (result.status, result.left, result.used, result.budget) == (status, left, used, timedelta(hours=8))


@pytest.mark.parametrize(
    ("now", "status", "left"),
    [
        # ServicePac NBD response from Fri 6 Mar 15:00 CET: 2 h Friday + 2 h Monday, due Mon 10:00 CET (09:00Z).
        # Mon 08:30 CET: 2 h 30 min of 4 h covered used (62.5 %), 1 h 30 min of real time left.
        (utc(2026, 3, 9, 7, 30), ClockStatus.ON_TRACK, timedelta(hours=1, minutes=30)),
        # Sunday noon: the weekend is not covered, so still 2 h of 4 used: on track, with 45 h of real time left.
        (utc(2026, 3, 8, 12, 0), ClockStatus.ON_TRACK, timedelta(hours=21)),
        # Mon 09:01 CET: 3 h 1 min used (> 75 %).
        (utc(2026, 3, 9, 8, 1), ClockStatus.AT_RISK, timedelta(minutes=59)),
    ],
)
def test_clock_use_counts_covered_time_only(now: datetime, status: ClockStatus, left: timedelta) -> None:
    facts = ClockFacts(received_at=datetime(2026, 3, 6, 15, 0, tzinfo=BER))
    result = state(RESPONSE, SERVICEPAC_NBD, facts, now)
    assert (result.status, result.left) == (status, left)


@pytest.mark.parametrize(
    ("restored", "status"),
    [(utc(2026, 3, 2, 17, 0), ClockStatus.MET), (utc(2026, 3, 2, 17, 1), ClockStatus.MISSED)],
)
def test_a_stopped_clock_is_met_or_missed_for_good(restored: datetime, status: ClockStatus) -> None:
    facts = ClockFacts(received_at=MONDAY_0900Z, responded_at=utc(2026, 3, 2, 10, 0), restored_at=restored)
    result = state(RESTORE, SERVICEPAC_24X7_8H, facts, utc(2026, 3, 20, 0, 0))
    assert (result.status, result.left) == (status, None)
    assert state(RESPONSE, SERVICEPAC_24X7_8H, facts, utc(2026, 3, 20, 0, 0)).status is ClockStatus.MET


def test_resuming_after_the_original_due_time_does_not_breach_at_once() -> None:
    # Restore due 17:00Z; paused 16:00Z-18:00Z → due 19:00Z. At the resume: 7 h of 8 used (87.5 %), 1 h left.
    facts = ClockFacts(
        received_at=MONDAY_0900Z,
        responded_at=utc(2026, 3, 2, 10, 0),
        pauses=(Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 16, 0), end=utc(2026, 3, 2, 18, 0)),),
    )
    resumed = state(RESTORE, SERVICEPAC_24X7_8H, facts, utc(2026, 3, 2, 18, 0))
    assert (resumed.status, resumed.due, resumed.left) == (
        ClockStatus.AT_RISK,
        utc(2026, 3, 2, 19, 0),
        timedelta(hours=1),
    )
    assert state(RESTORE, SERVICEPAC_24X7_8H, facts, utc(2026, 3, 2, 19, 0, 1)).status is ClockStatus.BREACHED


def test_a_running_pause_holds_the_clock_until_now() -> None:
    # Paused since 16:00Z, still waiting at 20:00Z: due 17:00Z + 4 h = 21:00Z, 7 h used, shown as paused.
    facts = ClockFacts(
        received_at=MONDAY_0900Z,
        responded_at=utc(2026, 3, 2, 10, 0),
        pauses=(Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 16, 0)),),
    )
    result = state(RESTORE, SERVICEPAC_24X7_8H, facts, utc(2026, 3, 2, 20, 0))
    assert (result.status, result.due, result.used, result.paused) == (
        ClockStatus.AT_RISK,
        utc(2026, 3, 2, 21, 0),
        timedelta(hours=7),
        True,
    )


def test_a_tier_without_a_restore_target_says_so() -> None:
    result = state(RESTORE, FOUNDATION_24X7, ClockFacts(received_at=MONDAY_0900Z), MONDAY_0900Z)
    assert (result.status, result.due) == (ClockStatus.NOT_COMMITTED, None)
    assert tuple(map(str, result.notes)) == ("Foundation 24×7 commits no restore time for critical incidents",)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (lambda: ClockFacts(received_at=MONDAY_0900Z, responded_at=utc(2026, 3, 2, 8, 0)), "before the incident"),
        (
            lambda: ClockFacts(
                received_at=MONDAY_0900Z,
                pauses=(
                    Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 10, 0), end=utc(2026, 3, 2, 12, 0)),
                    Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 11, 0), end=utc(2026, 3, 2, 13, 0)),
                ),
            ),
            "do not overlap",
        ),
        (
            lambda: ClockFacts(
                received_at=MONDAY_0900Z,
                pauses=(
                    Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 10, 0)),
                    Pause(reason=CUSTOMER, start=utc(2026, 3, 2, 11, 0), end=utc(2026, 3, 2, 13, 0)),
                ),
            ),
            "only the last pause",
        ),
        (
            lambda: ClockFacts(
                received_at=MONDAY_0900Z,
                extension=PartsExtension(at=MONDAY_0900Z, by="desk-anna", reason="  "),
            ),
            "says why",
        ),
        (lambda: ClockFacts(received_at=datetime(2026, 3, 2, 9, 0)), "timezone"),
    ],
    ids=["stop-before-receipt", "overlap", "open-pause-not-last", "extension-without-reason", "naive"],
)
def test_impossible_histories_are_refused(facts: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        facts()  # type: ignore[operator]


def test_covered_time_in_the_past_uses_that_day_s_offset_not_today_s() -> None:
    # ServicePac NBD response 4 h from Fri 23 Oct 2026 15:00 CEST (13:00Z): 2 h Friday (until 17:00 CEST = 15:00Z),
    # then Monday 26 Oct after the change, 08:00 CET = 07:00Z: due 10:00 CET = 09:00Z. Looked at long after, in
    # July 2027 (CEST again), the history is still counted with each day's own offset: 4 h used, missed if unanswered.
    facts = ClockFacts(received_at=utc(2026, 10, 23, 13, 0), responded_at=utc(2026, 10, 26, 9, 0))
    result = state(RESPONSE, SERVICEPAC_NBD, facts, utc(2027, 7, 1, 12, 0))
    assert (result.status, result.due, result.used, result.budget) == (
        ClockStatus.MET,
        utc(2026, 10, 26, 9, 0),
        timedelta(hours=4),
        timedelta(hours=4),
    )


@pytest.mark.parametrize(
    ("km", "flags"),
    [
        ("0", ()),
        ("160", ()),
        ("160.5", ("site is 160.5 km away, beyond 160 km: time by agreement",)),
    ],
)
def test_a_site_beyond_the_last_zone_is_flagged_when_the_contract_is_made(km: str, flags: tuple[str, ...]) -> None:
    assert tuple(map(str, distance_flags(SERVICEPAC_24X7_8H, Decimal(km)))) == flags


# Every template, one call: Friday 6 March 2026 15:00 CET (14:00Z) in Berlin, critical.
FRIDAY_1500 = utc(2026, 3, 6, 14, 0)


@pytest.mark.parametrize(
    ("tier", "restore"),
    [
        # 9×5, two business days after Friday: Mon 9, Tue 10 → Tue 17:00 CET.
        pytest.param(FOUNDATION_NBD, utc(2026, 3, 10, 16, 0), id="foundation-nbd"),
        pytest.param(FOUNDATION_24X7, None, id="foundation-24x7-no-restore"),
        # 24×7 tiers: 48 h of elapsed time → Sunday 14:00Z.
        pytest.param(FOUNDATION_CALL_TO_REPAIR, utc(2026, 3, 8, 14, 0), id="foundation-ctr"),
        # 10×5 with the 17:00 cut-off (15:00 is before it): Tue 18:00 CET.
        pytest.param(PROSUPPORT_NBD, utc(2026, 3, 10, 17, 0), id="prosupport-nbd"),
        pytest.param(PROSUPPORT_PLUS_MISSION_CRITICAL, utc(2026, 3, 8, 14, 0), id="prosupport-mc"),
        pytest.param(SERVICEPAC_NBD, utc(2026, 3, 10, 16, 0), id="servicepac-nbd"),
        pytest.param(SERVICEPAC_24X7_8H, utc(2026, 3, 8, 14, 0), id="servicepac-8h"),
        pytest.param(SERVICEPAC_24X7_24H, utc(2026, 3, 8, 14, 0), id="servicepac-24h"),
        # 24×5, 48 h: 9 h Friday (to midnight), 24 h Monday, 15 h Tuesday → Tue 15:00 CET.
        pytest.param(OWN_WARRANTY_NEW, utc(2026, 3, 10, 14, 0), id="own-new"),
        pytest.param(OWN_WARRANTY_REFURBISHED, utc(2026, 3, 10, 14, 0), id="own-refurbished"),
    ],
)
def test_every_template_s_parts_extension_for_a_friday_afternoon_call(tier: Tier, restore: datetime | None) -> None:
    facts = ClockFacts(received_at=FRIDAY_1500, extension=EXTENSION)
    assert state(RESTORE, tier, facts, FRIDAY_1500).due == restore


WEEKEND_WAIT = (Pause(reason=CUSTOMER, start=utc(2026, 3, 6, 15, 0), end=utc(2026, 3, 9, 9, 0)),)


@pytest.mark.parametrize(
    ("tier", "response", "restore"),
    [
        # The customer cannot be reached from Fri 16:00 CET (15:00Z) to Mon 10:00 CET (09:00Z); nobody responded.
        # 9×5 NBD: due Mon 17:00 CET; the wait held 1 h Friday + 2 h Monday → Tue 11:00 CET.
        pytest.param(FOUNDATION_NBD, utc(2026, 3, 10, 10, 0), utc(2026, 3, 10, 10, 0), id="foundation-nbd"),
        # 24×7: the wait held 66 h of elapsed time. Response 18:00Z Fri + 66 h = Mon 12:00Z.
        pytest.param(FOUNDATION_24X7, utc(2026, 3, 9, 12, 0), None, id="foundation-24x7"),
        # 2 h → 16:00Z + 66 h = Mon 10:00Z; 6 h → 20:00Z + 66 h = Mon 14:00Z.
        pytest.param(FOUNDATION_CALL_TO_REPAIR, utc(2026, 3, 9, 10, 0), utc(2026, 3, 9, 14, 0), id="foundation-ctr"),
        # 10×5: due Mon 18:00 CET; held 2 h Friday (16-18) + 2 h Monday (8-10) → Tue 12:00 CET.
        pytest.param(PROSUPPORT_NBD, utc(2026, 3, 10, 11, 0), utc(2026, 3, 10, 11, 0), id="prosupport-nbd"),
        # 30 min response was due 14:30Z, before the wait began: the wait does not rescue it.
        # Restore 4 h → 18:00Z + 66 h = Mon 12:00Z.
        pytest.param(
            PROSUPPORT_PLUS_MISSION_CRITICAL, utc(2026, 3, 6, 14, 30), utc(2026, 3, 9, 12, 0), id="prosupport-mc"
        ),
        # 9×5: response 4 h = 2 h Friday + 2 h Monday → Mon 10:00 CET, + 3 h held → Mon 13:00 CET;
        # restore Mon 17:00 CET + 3 h → Tue 11:00 CET.
        pytest.param(SERVICEPAC_NBD, utc(2026, 3, 9, 12, 0), utc(2026, 3, 10, 10, 0), id="servicepac-nbd"),
        # 4 h → Mon 12:00Z; 8 h → 22:00Z Fri + 66 h = Mon 16:00Z.
        pytest.param(SERVICEPAC_24X7_8H, utc(2026, 3, 9, 12, 0), utc(2026, 3, 9, 16, 0), id="servicepac-8h"),
        # 24 h → Sat 14:00Z + 66 h = Tue 08:00Z.
        pytest.param(SERVICEPAC_24X7_24H, utc(2026, 3, 9, 12, 0), utc(2026, 3, 10, 8, 0), id="servicepac-24h"),
        # 24×5: response 1 h was due at 16:00 CET, the very instant the wait began, so it is not held (a pause
        # at or after the due time changes nothing). Restore: 9 h Friday + 15 h Monday → Mon 15:00 CET; held
        # 8 h Friday (16-24) + 10 h Monday (0-10) → Mon 15:00 + 18 h: 9 h Monday, 9 h Tuesday → Tue 09:00 CET.
        pytest.param(OWN_WARRANTY_NEW, utc(2026, 3, 6, 15, 0), utc(2026, 3, 10, 8, 0), id="own-new"),
        pytest.param(OWN_WARRANTY_REFURBISHED, utc(2026, 3, 6, 15, 0), utc(2026, 3, 10, 8, 0), id="own-refurbished"),
    ],
)
def test_every_template_with_a_customer_wait_across_the_weekend(
    tier: Tier, response: datetime, restore: datetime | None
) -> None:
    facts = ClockFacts(received_at=FRIDAY_1500, pauses=WEEKEND_WAIT)
    now = utc(2026, 3, 9, 9, 0)
    assert (state(RESPONSE, tier, facts, now).due, state(RESTORE, tier, facts, now).due) == (response, restore)
