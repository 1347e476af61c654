"""The tier templates of the market table (issue 12) as data, with the ladders each vendor family must respect.

    template                          response          restore (or call-to-repair)       coverage   price share
    Foundation NBD                    NBD               NBD                               9×5        0.044
    Foundation 24×7                   4 h               —                                 24×7       0.372
    Foundation call-to-repair         2 h               6 h call-to-repair                24×7       0.671
    ProSupport NBD                    NBD (17:00 cut)   NBD (17:00 cut)                   10×5       0.047
    ProSupport Plus Mission Critical  0.5–2 h           4 h                               24×7       0.306
    ServicePac NBD                    0–4 h             48 h (next business day)          9×5        0.283
    ServicePac 24×7 8 h / 24 h        0–4 h             8 h / 24 h                        24×7       0.964 / 0.444
    Own warranty, new / refurbished   ≤ 1 h             24 h in stock, 48 h without       24×5       —

Readings of the table, so that nobody has to guess (docs/sla.md says the same to customers):
- A range of response times ("0.5–2 h") gives its short end to critical incidents and its long end to the others;
  "0–4 h" promises at most 4 h (zero is no promise), so 4 h for every severity.
- Where the table gives one restore time for a round-the-clock tier, critical and major incidents get it and minor
  ones get 24 h; NBD tiers treat every severity alike. This is how severity chooses the targets.
- Foundation call-to-repair: the 4 h "repair start" is not a clock of ours; the restore clock is the 6 h call-to-repair.
- ServicePac NBD restore "48 h (next business day)" is read as next business day: 48 h of 9×5 time would be five days.
- Own warranty "5 days" is Monday to Friday, all day (24×5); the 48 h without parts in stock is its parts extension.
- Parts extensions: two business days on business-hours tiers, 48 h on round-the-clock ones (two business days of a
  24×7 window would be two calendar days ending at midnight, later than 48 h for a morning call on a weekday).
- "Waiting for parts" stops the clock on NBD tiers only; the round-the-clock tiers sell the parts buffer with the price.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from sync.domain.errors import InvalidInput
from sync.domain.service import Severity
from sync.domain.sla import NBD, BusinessDaysTarget, Targets, Tier, hours
from sync.domain.sla_window import ALL_WEEK, CoverageWindow, daily
from sync.domain.words import words

NINE_BY_FIVE = daily("9×5", time(8, 0), time(17, 0))
TEN_BY_FIVE = daily("10×5", time(8, 0), time(18, 0))
THIRTEEN_BY_FIVE = daily("13×5", time(8, 0), time(21, 0))
TWENTY_FOUR_BY_FIVE = daily("24×5", time(0, 0), None)
TWENTY_FOUR_BY_SEVEN = daily("24×7", time(0, 0), None, weekdays=ALL_WEEK)
WINDOWS: tuple[CoverageWindow, ...] = (
    NINE_BY_FIVE,
    TEN_BY_FIVE,
    THIRTEEN_BY_FIVE,
    TWENTY_FOUR_BY_FIVE,
    TWENTY_FOUR_BY_SEVEN,
)

NBD_AFTER_17 = BusinessDaysTarget(1, cutoff=time(17, 0))
TWO_BUSINESS_DAYS = BusinessDaysTarget(2)


def _same(targets: Targets) -> tuple[tuple[Severity, Targets], ...]:
    return tuple((severity, targets) for severity in Severity)


def _by_severity(critical: Targets, major: Targets, minor: Targets) -> tuple[tuple[Severity, Targets], ...]:
    return ((Severity.CRITICAL, critical), (Severity.MAJOR, major), (Severity.MINOR, minor))


FOUNDATION_NBD = Tier(
    name="Foundation NBD",
    window=NINE_BY_FIVE,
    targets=_same(Targets(response=NBD, restore=NBD)),
    parts_extension=TWO_BUSINESS_DAYS,
    parts_pause=True,
    price_share=Decimal("0.044"),
)
FOUNDATION_24X7 = Tier(
    name="Foundation 24×7",
    window=TWENTY_FOUR_BY_SEVEN,
    targets=_same(Targets(response=hours(4), restore=None)),
    price_share=Decimal("0.372"),
)
FOUNDATION_CALL_TO_REPAIR = Tier(
    name="Foundation call-to-repair",
    window=TWENTY_FOUR_BY_SEVEN,
    targets=_by_severity(
        Targets(response=hours(2), restore=hours(6)),
        Targets(response=hours(2), restore=hours(6)),
        Targets(response=hours(2), restore=hours(24)),
    ),
    parts_extension=hours(48),
    price_share=Decimal("0.671"),
)
PROSUPPORT_NBD = Tier(
    name="ProSupport NBD",
    window=TEN_BY_FIVE,
    targets=_same(Targets(response=NBD_AFTER_17, restore=NBD_AFTER_17)),
    parts_extension=BusinessDaysTarget(2, cutoff=time(17, 0)),
    parts_pause=True,
    price_share=Decimal("0.047"),
)
PROSUPPORT_PLUS_MISSION_CRITICAL = Tier(
    name="ProSupport Plus Mission Critical",
    window=TWENTY_FOUR_BY_SEVEN,
    targets=_by_severity(
        Targets(response=hours("0.5"), restore=hours(4)),
        Targets(response=hours(2), restore=hours(4)),
        Targets(response=hours(2), restore=hours(24)),
    ),
    parts_extension=hours(48),
    price_share=Decimal("0.306"),
)
SERVICEPAC_NBD = Tier(
    name="ServicePac NBD",
    window=NINE_BY_FIVE,
    targets=_same(Targets(response=hours(4), restore=NBD)),
    parts_extension=TWO_BUSINESS_DAYS,
    parts_pause=True,
    price_share=Decimal("0.283"),
)
SERVICEPAC_24X7_8H = Tier(
    name="ServicePac 24×7 8 h",
    window=TWENTY_FOUR_BY_SEVEN,
    targets=_by_severity(
        Targets(response=hours(4), restore=hours(8)),
        Targets(response=hours(4), restore=hours(8)),
        Targets(response=hours(4), restore=hours(24)),
    ),
    parts_extension=hours(48),
    price_share=Decimal("0.964"),
)
SERVICEPAC_24X7_24H = Tier(
    name="ServicePac 24×7 24 h",
    window=TWENTY_FOUR_BY_SEVEN,
    targets=_same(Targets(response=hours(4), restore=hours(24))),
    parts_extension=hours(48),
    price_share=Decimal("0.444"),
)


def _own_warranty(name: str) -> Tier:
    return Tier(
        name=name,
        window=TWENTY_FOUR_BY_FIVE,
        targets=_same(Targets(response=hours(1), restore=hours(24))),
        parts_extension=hours(48),
    )


OWN_WARRANTY_NEW = _own_warranty("Own warranty, new units")
OWN_WARRANTY_REFURBISHED = _own_warranty("Own warranty, refurbished units")

TEMPLATES: tuple[Tier, ...] = (
    FOUNDATION_NBD,
    FOUNDATION_24X7,
    FOUNDATION_CALL_TO_REPAIR,
    PROSUPPORT_NBD,
    PROSUPPORT_PLUS_MISSION_CRITICAL,
    SERVICEPAC_NBD,
    SERVICEPAC_24X7_8H,
    SERVICEPAC_24X7_24H,
    OWN_WARRANTY_NEW,
    OWN_WARRANTY_REFURBISHED,
)

# Not a template, never sold: what an incident on a chassis with no contract and no warranty runs under (no
# committed time on either clock, and it says so). Records from before tiers were named read as this tier too.
NO_CONTRACT = Tier(
    name="No contract",
    window=TWENTY_FOUR_BY_SEVEN,
    targets=_same(Targets(response=None, restore=None)),
)

# Each vendor family's tiers from lower to higher; check_ladder holds between neighbours. Foundation 24×7 sits
# beside Foundation NBD, not above it: it commits no restore time, where NBD commits next business day.
LADDERS: tuple[tuple[Tier, ...], ...] = (
    (FOUNDATION_NBD, FOUNDATION_CALL_TO_REPAIR),
    (FOUNDATION_24X7, FOUNDATION_CALL_TO_REPAIR),
    (PROSUPPORT_NBD, PROSUPPORT_PLUS_MISSION_CRITICAL),
    (SERVICEPAC_NBD, SERVICEPAC_24X7_24H, SERVICEPAC_24X7_8H),
)


def template(name: str) -> Tier:
    found = next((tier for tier in TEMPLATES if tier.name == name), None)
    if found is None:
        raise InvalidInput(words("no tier template named '{name}'", name=name))
    return found
