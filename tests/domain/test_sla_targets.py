"""Due times of every tier template for a fresh incident. Every expected value was worked out by hand, in UTC.

2026 calendar: March Mon 2, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9, Tue 10; Easter: Good Friday 3 April, Easter Monday
6 April; US Thanksgiving Thu 26 November. Offsets: Berlin CET (UTC+1) until Sun 29 Mar 02:00, then CEST (UTC+2)
until Sun 25 Oct 03:00; New York EST (UTC-5) until Sun 8 Mar 02:00, then EDT (UTC-4) until Sun 1 Nov 02:00;
Tokyo UTC+9 all year.

Windows of the catalogue: 9×5 = Mon-Fri 08:00-17:00, 10×5 = Mon-Fri 08:00-18:00, 13×5 = Mon-Fri 08:00-21:00,
24×5 = Mon-Fri all day, 24×7 = every instant. NBD = end of the window on the business day after the receipt day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sync.domain.errors import InvalidInput
from sync.domain.service import Severity
from sync.domain.sla import Clock, ServicePlace, Targets, Tier, due_times, hours
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
    THIRTEEN_BY_FIVE,
)

BER = ZoneInfo("Europe/Berlin")
NYC = ZoneInfo("America/New_York")
TYO = ZoneInfo("Asia/Tokyo")
EASTER = frozenset({date(2026, 4, 3), date(2026, 4, 6)})
THANKSGIVING = frozenset({date(2026, 11, 26)})
CRIT, MAJ, MIN = Severity.CRITICAL, Severity.MAJOR, Severity.MINOR

# A 13×5 tier is not in the market table; the window is, so a tier on it is checked here too.
THIRTEEN_FOUR_HOURS = Tier(
    name="13×5 4 h", window=THIRTEEN_BY_FIVE, targets=tuple((s, Targets(hours(4), hours(8))) for s in Severity)
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def place(zone: str = "Europe/Berlin", holidays: frozenset[date] = frozenset(), km: str = "0") -> ServicePlace:
    return ServicePlace(timezone=zone, holidays=holidays, distance_km=Decimal(km))


NY, TOKYO = place("America/New_York"), place("Asia/Tokyo")

CASES = [
    # --- Foundation NBD: 9×5, NBD both clocks, no cut-off beyond the window's own close at 17:00.
    pytest.param(FOUNDATION_NBD, place(), datetime(2026, 3, 5, 10, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 6, 16, 0), utc(2026, 3, 6, 16, 0), id="f-nbd-thursday-morning"),
    # 06:00 is before the window opens: an early call counts for that day, so Friday 17:00 CET.
    pytest.param(FOUNDATION_NBD, place(), datetime(2026, 3, 5, 6, 0, tzinfo=BER), MAJ,
                 utc(2026, 3, 6, 16, 0), utc(2026, 3, 6, 16, 0), id="f-nbd-early-morning"),
    # Exactly at the close is not after it: received Friday, due Monday 17:00 CET.
    pytest.param(FOUNDATION_NBD, place(), datetime(2026, 3, 6, 17, 0, tzinfo=BER), MIN,
                 utc(2026, 3, 9, 16, 0), utc(2026, 3, 9, 16, 0), id="f-nbd-friday-at-close"),
    # Friday evening: after the close, received Monday 9, due Tuesday 10 17:00 CET.
    pytest.param(FOUNDATION_NBD, place(), datetime(2026, 3, 6, 17, 30, tzinfo=BER), CRIT,
                 utc(2026, 3, 10, 16, 0), utc(2026, 3, 10, 16, 0), id="f-nbd-friday-evening"),
    # Saturday: received Monday, due Tuesday 17:00 CET.
    pytest.param(FOUNDATION_NBD, place(), datetime(2026, 3, 7, 11, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 10, 16, 0), utc(2026, 3, 10, 16, 0), id="f-nbd-saturday"),
    # Thursday before Easter: Friday and Monday are holidays, so Tuesday 7 April 17:00 CEST.
    pytest.param(FOUNDATION_NBD, place(holidays=EASTER), datetime(2026, 4, 2, 10, 0, tzinfo=BER), CRIT,
                 utc(2026, 4, 7, 15, 0), utc(2026, 4, 7, 15, 0), id="f-nbd-easter"),
    # Friday before the March change: due Monday 17:00, which is CEST by then (15:00Z, not 16:00Z).
    pytest.param(FOUNDATION_NBD, place(), datetime(2026, 3, 27, 10, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 30, 15, 0), utc(2026, 3, 30, 15, 0), id="f-nbd-berlin-dst"),
    pytest.param(FOUNDATION_NBD, NY, datetime(2026, 3, 6, 10, 0, tzinfo=NYC), CRIT,
                 utc(2026, 3, 9, 21, 0), utc(2026, 3, 9, 21, 0), id="f-nbd-new-york-dst"),
    pytest.param(FOUNDATION_NBD, TOKYO, datetime(2026, 3, 5, 16, 59, tzinfo=TYO), CRIT,
                 utc(2026, 3, 6, 8, 0), utc(2026, 3, 6, 8, 0), id="f-nbd-tokyo"),
    # 23:30Z on Thursday is Friday 08:30 in Tokyo: the site's date counts, so due Monday 9 17:00 JST.
    pytest.param(FOUNDATION_NBD, TOKYO, utc(2026, 3, 5, 23, 30), CRIT,
                 utc(2026, 3, 9, 8, 0), utc(2026, 3, 9, 8, 0), id="f-nbd-tokyo-site-date"),
    # --- Foundation 24×7: 4 h response of elapsed time, no restore commitment.
    # Sat 28 Mar 23:00 CET = 22:00Z; +4 h = 02:00Z, which reads 04:00 CEST: the lost hour is not added to the promise.
    pytest.param(FOUNDATION_24X7, place(), datetime(2026, 3, 28, 23, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 29, 2, 0), None, id="f-24x7-berlin-spring"),
    # Sat 31 Oct 23:00 EDT = 03:00Z on 1 Nov; +4 h = 07:00Z (02:00 EST after the fall-back).
    pytest.param(FOUNDATION_24X7, NY, datetime(2026, 10, 31, 23, 0, tzinfo=NYC), MIN,
                 utc(2026, 11, 1, 7, 0), None, id="f-24x7-new-york-fall"),
    # --- Foundation call-to-repair: 2 h / 6 h (minor: 24 h), 24×7.
    # Fri 20:00 JST = 11:00Z.
    pytest.param(FOUNDATION_CALL_TO_REPAIR, TOKYO, datetime(2026, 3, 6, 20, 0, tzinfo=TYO), CRIT,
                 utc(2026, 3, 6, 13, 0), utc(2026, 3, 6, 17, 0), id="f-ctr-tokyo-weekend-eve"),
    # Sat 28 Mar 12:00 CET = 11:00Z; 24 h later is 11:00Z on Sunday, 13:00 CEST on the wall.
    pytest.param(FOUNDATION_CALL_TO_REPAIR, place(), datetime(2026, 3, 28, 12, 0, tzinfo=BER), MIN,
                 utc(2026, 3, 28, 13, 0), utc(2026, 3, 29, 11, 0), id="f-ctr-minor-across-dst"),
    # --- ProSupport NBD: 10×5, NBD with a 17:00 cut-off.
    pytest.param(PROSUPPORT_NBD, place(), datetime(2026, 3, 5, 16, 59, tzinfo=BER), CRIT,
                 utc(2026, 3, 6, 17, 0), utc(2026, 3, 6, 17, 0), id="ps-nbd-before-cutoff"),
    pytest.param(PROSUPPORT_NBD, place(), datetime(2026, 3, 5, 17, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 6, 17, 0), utc(2026, 3, 6, 17, 0), id="ps-nbd-at-cutoff"),
    # One second after 17:00: received Friday, due Monday 18:00 CET, though the window was still open.
    pytest.param(PROSUPPORT_NBD, place(), datetime(2026, 3, 5, 17, 0, 1, tzinfo=BER), MAJ,
                 utc(2026, 3, 9, 17, 0), utc(2026, 3, 9, 17, 0), id="ps-nbd-after-cutoff"),
    pytest.param(PROSUPPORT_NBD, place(), datetime(2026, 3, 5, 7, 0, tzinfo=BER), MIN,
                 utc(2026, 3, 6, 17, 0), utc(2026, 3, 6, 17, 0), id="ps-nbd-early-morning"),
    pytest.param(PROSUPPORT_NBD, place(), datetime(2026, 3, 6, 17, 30, tzinfo=BER), CRIT,
                 utc(2026, 3, 10, 17, 0), utc(2026, 3, 10, 17, 0), id="ps-nbd-friday-evening"),
    # Fri 17:30 EST is after the cut-off: received Monday 9, due Tuesday 10 18:00 EDT = 22:00Z.
    pytest.param(PROSUPPORT_NBD, NY, datetime(2026, 3, 6, 17, 30, tzinfo=NYC), CRIT,
                 utc(2026, 3, 10, 22, 0), utc(2026, 3, 10, 22, 0), id="ps-nbd-new-york-spring"),
    # Fri 30 Oct 16:00 EDT: due Mon 2 Nov 18:00, EST by then = 23:00Z.
    pytest.param(PROSUPPORT_NBD, NY, datetime(2026, 10, 30, 16, 0, tzinfo=NYC), CRIT,
                 utc(2026, 11, 2, 23, 0), utc(2026, 11, 2, 23, 0), id="ps-nbd-new-york-fall"),
    # Wed 25 Nov before Thanksgiving: Thursday is a holiday, so Friday 27 18:00 EST = 23:00Z.
    pytest.param(PROSUPPORT_NBD, place("America/New_York", THANKSGIVING),
                 datetime(2026, 11, 25, 16, 0, tzinfo=NYC), CRIT,
                 utc(2026, 11, 27, 23, 0), utc(2026, 11, 27, 23, 0), id="ps-nbd-thanksgiving"),
    # --- ProSupport Plus Mission Critical: 24×7; critical 0.5 h / 4 h, major 2 h / 4 h, minor 2 h / 24 h.
    # Sun 25 Oct 01:30 CEST = 23:30Z on the 24th, the night Berlin falls back: elapsed time, no extra hour.
    pytest.param(PROSUPPORT_PLUS_MISSION_CRITICAL, place(), datetime(2026, 10, 25, 1, 30, tzinfo=BER), CRIT,
                 utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 3, 30), id="ps-mc-critical-fall-back"),
    pytest.param(PROSUPPORT_PLUS_MISSION_CRITICAL, place(), datetime(2026, 10, 25, 1, 30, tzinfo=BER), MAJ,
                 utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 3, 30), id="ps-mc-major"),
    pytest.param(PROSUPPORT_PLUS_MISSION_CRITICAL, place(), datetime(2026, 10, 25, 1, 30, tzinfo=BER), MIN,
                 utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 23, 30), id="ps-mc-minor"),
    # --- ServicePac NBD: 9×5, 4 h response of covered time, NBD restore.
    # Fri 15:00 CET: 2 h on Friday (15-17), 2 h on Monday from 08:00 → Mon 10:00 CET; restore Monday 17:00 CET.
    pytest.param(SERVICEPAC_NBD, place(), datetime(2026, 3, 6, 15, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 9, 9, 0), utc(2026, 3, 9, 16, 0), id="sp-nbd-rollover-weekend"),
    # Mon 16:00 JST: 1 h Monday, 3 h Tuesday → Tue 11:00 JST = 02:00Z; restore Tue 17:00 JST = 08:00Z.
    pytest.param(SERVICEPAC_NBD, TOKYO, datetime(2026, 3, 2, 16, 0, tzinfo=TYO), MAJ,
                 utc(2026, 3, 3, 2, 0), utc(2026, 3, 3, 8, 0), id="sp-nbd-tokyo-rollover"),
    # Thu 2 Apr 14:00 CEST: 3 h Thursday, Easter skipped, 1 h Tue 7 Apr → 09:00 CEST = 07:00Z.
    pytest.param(SERVICEPAC_NBD, place(holidays=EASTER), datetime(2026, 4, 2, 14, 0, tzinfo=BER), MIN,
                 utc(2026, 4, 7, 7, 0), utc(2026, 4, 7, 15, 0), id="sp-nbd-easter"),
    # Fri 27 Mar 16:00 CET: 1 h Friday, 3 h on Mon 30 (CEST) → 11:00 CEST = 09:00Z.
    pytest.param(SERVICEPAC_NBD, place(), datetime(2026, 3, 27, 16, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 30, 9, 0), utc(2026, 3, 30, 15, 0), id="sp-nbd-berlin-dst"),
    # --- ServicePac 24×7 8 h: Sat 7 Mar 22:00 EST = 03:00Z Sun 8, the night New York springs forward.
    pytest.param(SERVICEPAC_24X7_8H, NY, datetime(2026, 3, 7, 22, 0, tzinfo=NYC), CRIT,
                 utc(2026, 3, 8, 7, 0), utc(2026, 3, 8, 11, 0), id="sp-8h-new-york-spring"),
    pytest.param(SERVICEPAC_24X7_8H, NY, datetime(2026, 3, 7, 22, 0, tzinfo=NYC), MIN,
                 utc(2026, 3, 8, 7, 0), utc(2026, 3, 9, 3, 0), id="sp-8h-minor"),
    # --- ServicePac 24×7 24 h: Mon 09:00 JST = 00:00Z.
    pytest.param(SERVICEPAC_24X7_24H, TOKYO, datetime(2026, 3, 2, 9, 0, tzinfo=TYO), CRIT,
                 utc(2026, 3, 2, 4, 0), utc(2026, 3, 3, 0, 0), id="sp-24h-tokyo"),
    # --- Own warranty: 24×5 (Mon-Fri all day), 1 h / 24 h.
    # Fri 12:00 CET: 12 h on Friday, the weekend does not count, 12 h from Monday 00:00 → Mon 12:00 CET = 11:00Z.
    pytest.param(OWN_WARRANTY_NEW, place(), datetime(2026, 3, 6, 12, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 6, 12, 0), utc(2026, 3, 9, 11, 0), id="own-new-friday"),
    # Same across the March change: Monday 30 opens at 00:00 CEST = Sun 22:00Z, + 12 h = 10:00Z.
    pytest.param(OWN_WARRANTY_REFURBISHED, place(), datetime(2026, 3, 27, 12, 0, tzinfo=BER), MAJ,
                 utc(2026, 3, 27, 12, 0), utc(2026, 3, 30, 10, 0), id="own-refurbished-dst"),
    # Saturday in Tokyo: the clock starts Monday 00:00 JST = Sun 15:00Z.
    pytest.param(OWN_WARRANTY_NEW, TOKYO, datetime(2026, 3, 7, 10, 0, tzinfo=TYO), MIN,
                 utc(2026, 3, 8, 16, 0), utc(2026, 3, 9, 15, 0), id="own-new-tokyo-saturday"),
    # --- 13×5 (08:00-21:00) in New York, a schedule ending in the evening, with Thanksgiving on Thursday.
    # Wed 25 Nov 20:00 EST = 01:00Z Thu (already Thursday in UTC): 1 h Wednesday, Thursday is skipped whole, 3 h
    # Friday → Fri 11:00 EST = 16:00Z. Restore 8 h: 1 h Wed, 7 h Fri → 15:00 EST = 20:00Z.
    pytest.param(THIRTEEN_FOUR_HOURS, place("America/New_York", THANKSGIVING),
                 datetime(2026, 11, 25, 20, 0, tzinfo=NYC), CRIT,
                 utc(2026, 11, 27, 16, 0), utc(2026, 11, 27, 20, 0), id="13x5-evening-holiday"),
    # Thu 26 Nov 19:00 EST = 00:00Z Fri: on the holiday itself (though Friday in UTC) → Fri 08:00 + 4 h = 17:00Z.
    pytest.param(THIRTEEN_FOUR_HOURS, place("America/New_York", THANKSGIVING),
                 datetime(2026, 11, 26, 19, 0, tzinfo=NYC), CRIT,
                 utc(2026, 11, 27, 17, 0), utc(2026, 11, 27, 21, 0), id="13x5-on-holiday-evening"),
    # Thu 5 Mar 18:00 CET: 3 h Thursday (to 21:00), 1 h Friday → 09:00 CET = 08:00Z; 8 h: 5 h Friday → 13:00 CET.
    pytest.param(THIRTEEN_FOUR_HOURS, place(), datetime(2026, 3, 5, 18, 0, tzinfo=BER), CRIT,
                 utc(2026, 3, 6, 8, 0), utc(2026, 3, 6, 12, 0), id="13x5-evening-rollover"),
]  # fmt: skip


@pytest.mark.parametrize(("tier", "site", "received", "severity", "response", "restore"), CASES)
def test_due_times_follow_the_tier_in_the_site_calendar(
    tier: Tier,
    site: ServicePlace,
    received: datetime,
    severity: Severity,
    response: datetime,
    restore: datetime | None,
) -> None:
    due = due_times(tier=tier, severity=severity, place=site, received_at=received)
    assert due == {Clock.RESPONSE: response, Clock.RESTORE: restore}
    for moment in due.values():
        assert moment is None or moment.utcoffset() == timedelta(0)


def test_every_template_has_a_due_time_case() -> None:
    covered = {case.values[0].name for case in CASES}  # type: ignore[union-attr]
    assert covered >= {
        "Foundation NBD",
        "Foundation 24×7",
        "Foundation call-to-repair",
        "ProSupport NBD",
        "ProSupport Plus Mission Critical",
        "ServicePac NBD",
        "ServicePac 24×7 8 h",
        "ServicePac 24×7 24 h",
        "Own warranty, new units",
        "Own warranty, refurbished units",
    }


def test_a_local_time_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="timezone"):
        due_times(tier=FOUNDATION_NBD, severity=CRIT, place=place(), received_at=datetime(2026, 3, 5, 10, 0))
