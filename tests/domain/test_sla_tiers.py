"""Tier templates as sold (the market table of issue 12, written out here literally) and the checks on tiers."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from decimal import Decimal

import pytest

from sync.domain.errors import InvalidInput, RuleViolation
from sync.domain.service import Severity
from sync.domain.sla import (
    NBD,
    BusinessDaysTarget,
    DistanceZone,
    HoursTarget,
    Targets,
    Tier,
    check_ladder,
    check_tier,
    hours,
)
from sync.domain.sla_catalogue import (
    FOUNDATION_24X7,
    FOUNDATION_CALL_TO_REPAIR,
    FOUNDATION_NBD,
    NINE_BY_FIVE,
    OWN_WARRANTY_NEW,
    OWN_WARRANTY_REFURBISHED,
    PROSUPPORT_NBD,
    PROSUPPORT_PLUS_MISSION_CRITICAL,
    SERVICEPAC_24X7_8H,
    SERVICEPAC_24X7_24H,
    SERVICEPAC_NBD,
    TEMPLATES,
    TWENTY_FOUR_BY_SEVEN,
    template,
)
from sync.domain.sla_window import CoverageWindow

NBD17 = "next business day (calls after 17:00 count from the next)"


@pytest.mark.parametrize(
    ("tier", "window", "critical", "major", "minor", "extension", "parts_pause", "price"),
    [
        (FOUNDATION_NBD, "9×5", ("next business day",) * 2, ("next business day",) * 2,
         ("next business day",) * 2, "2 business days", True, Decimal("0.044")),
        (FOUNDATION_24X7, "24×7", ("4 h", None), ("4 h", None), ("4 h", None), None, False, Decimal("0.372")),
        (FOUNDATION_CALL_TO_REPAIR, "24×7", ("2 h", "6 h"), ("2 h", "6 h"), ("2 h", "24 h"), "48 h", False,
         Decimal("0.671")),
        (PROSUPPORT_NBD, "10×5", (NBD17, NBD17), (NBD17, NBD17), (NBD17, NBD17),
         "2 business days (calls after 17:00 count from the next)", True, Decimal("0.047")),
        (PROSUPPORT_PLUS_MISSION_CRITICAL, "24×7", ("30 min", "4 h"), ("2 h", "4 h"), ("2 h", "24 h"), "48 h", False,
         Decimal("0.306")),
        (SERVICEPAC_NBD, "9×5", ("4 h", "next business day"), ("4 h", "next business day"),
         ("4 h", "next business day"), "2 business days", True, Decimal("0.283")),
        (SERVICEPAC_24X7_8H, "24×7", ("4 h", "8 h"), ("4 h", "8 h"), ("4 h", "24 h"), "48 h", False,
         Decimal("0.964")),
        (SERVICEPAC_24X7_24H, "24×7", ("4 h", "24 h"), ("4 h", "24 h"), ("4 h", "24 h"), "48 h", False,
         Decimal("0.444")),
        (OWN_WARRANTY_NEW, "24×5", ("1 h", "24 h"), ("1 h", "24 h"), ("1 h", "24 h"), "48 h", False, None),
        (OWN_WARRANTY_REFURBISHED, "24×5", ("1 h", "24 h"), ("1 h", "24 h"), ("1 h", "24 h"), "48 h", False, None),
    ],
    ids=lambda value: value.name if isinstance(value, Tier) else None,
)  # fmt: skip
def test_the_templates_are_the_market_table(
    tier: Tier,
    window: str,
    critical: tuple[str, str | None],
    major: tuple[str, str | None],
    minor: tuple[str, str | None],
    extension: str | None,
    parts_pause: bool,
    price: Decimal | None,
) -> None:
    def described(severity: Severity) -> tuple[str | None, str | None]:
        targets = tier.for_severity(severity)
        return tuple(None if t is None else t.describe() for t in (targets.response, targets.restore))  # type: ignore[return-value]

    assert tier.window.name == window
    assert (described(Severity.CRITICAL), described(Severity.MAJOR), described(Severity.MINOR)) == (
        critical,
        major,
        minor,
    )
    assert (None if tier.parts_extension is None else tier.parts_extension.describe()) == extension
    assert tier.parts_pause is parts_pause
    # Exact shares: Decimal equality, and the string is the table's, digit for digit.
    assert tier.price_share == price
    assert price is None or str(tier.price_share) == str(price)
    assert tier.zones == (DistanceZone(80, timedelta(0)), DistanceZone(160, timedelta(hours=2)))
    check_tier(tier)


def test_the_catalogue_holds_the_ten_templates_and_finds_them_by_name() -> None:
    assert len(TEMPLATES) == 10
    assert template("ServicePac 24×7 8 h") is SERVICEPAC_24X7_8H
    with pytest.raises(InvalidInput, match="no tier template named 'Gold'"):
        template("Gold")


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        (FOUNDATION_NBD, FOUNDATION_CALL_TO_REPAIR),
        (FOUNDATION_24X7, FOUNDATION_CALL_TO_REPAIR),
        (PROSUPPORT_NBD, PROSUPPORT_PLUS_MISSION_CRITICAL),
        (SERVICEPAC_NBD, SERVICEPAC_24X7_24H),
        (SERVICEPAC_24X7_24H, SERVICEPAC_24X7_8H),
    ],
    ids=lambda tier: tier.name,
)
def test_each_vendor_ladder_never_gives_less_going_up(lower: Tier, higher: Tier) -> None:
    check_ladder(lower, higher)


def same(targets: Targets) -> tuple[tuple[Severity, Targets], ...]:
    return tuple((s, targets) for s in Severity)


@pytest.mark.parametrize(
    ("lower", "higher", "message"),
    [
        # Foundation 24×7 is no step up from NBD: it commits no restore time at all.
        (FOUNDATION_NBD, FOUNDATION_24X7, "no critical restore time where the lower tier commits one"),
        # Upside down: NBD is later than 2 h for the first probe call (Mon 00:00 UTC).
        (FOUNDATION_CALL_TO_REPAIR, FOUNDATION_NBD, "critical response due later for a call at Mon 00:00 UTC"),
        (SERVICEPAC_24X7_8H, SERVICEPAC_24X7_24H, "critical restore due later for a call at Mon 00:00 UTC"),
        # Same targets, but the higher one stops the clock while waiting for parts.
        (
            SERVICEPAC_24X7_8H,
            replace(SERVICEPAC_24X7_8H, name="8 h with parts pause", parts_pause=True),
            "it stops the clock while waiting for parts",
        ),
        # Same targets, but sites 80-160 km away wait 3 h more instead of 2.
        (
            SERVICEPAC_24X7_8H,
            replace(
                SERVICEPAC_24X7_8H,
                name="8 h far",
                zones=(DistanceZone(80, timedelta(0)), DistanceZone(160, timedelta(hours=3))),
            ),
            "less for a site 160 km away",
        ),
        # Same targets, but nothing committed past 80 km.
        (
            SERVICEPAC_24X7_8H,
            replace(SERVICEPAC_24X7_8H, name="8 h near", zones=(DistanceZone(80, timedelta(0)),)),
            "less for a site 160 km away",
        ),
        # A longer parts extension (72 h) than the tier below (48 h).
        (
            SERVICEPAC_24X7_24H,
            replace(SERVICEPAC_24X7_8H, name="8 h slow parts", parts_extension=hours(72)),
            "critical restore with parts extension due later",
        ),
        # The minor restore of a higher tier is worse (48 h vs 24 h) though critical and major are better.
        (
            SERVICEPAC_24X7_24H,
            replace(
                SERVICEPAC_24X7_8H,
                name="8 h, slow minor",
                targets=(
                    (Severity.CRITICAL, Targets(hours(4), hours(8))),
                    (Severity.MAJOR, Targets(hours(4), hours(8))),
                    (Severity.MINOR, Targets(hours(4), hours(48))),
                ),
            ),
            "minor restore due later",
        ),
    ],
)
def test_a_tier_worse_than_the_one_below_is_refused(lower: Tier, higher: Tier, message: str) -> None:
    with pytest.raises(RuleViolation, match=message):
        check_ladder(lower, higher)


@pytest.mark.parametrize(
    ("tier", "message"),
    [
        (
            Tier(name="upside down", window=TWENTY_FOUR_BY_SEVEN, targets=same(Targets(hours(8), hours(4)))),
            "critical response due after restore for a call at Mon 00:00 UTC",
        ),
        # On 9×5, 10 h of response against an NBD restore (Tuesday 17:00 for a Monday call): a call at Mon 16:00
        # gets 1 h + 9 h = Tuesday 17:00, still equal; the next probe, Mon 16:30, gets 0.5 h + 9 h + 0.5 h =
        # Wednesday 08:30, after the restore.
        (
            Tier(name="slow answer", window=NINE_BY_FIVE, targets=same(Targets(hours(10), NBD))),
            "critical response due after restore for a call at Mon 16:30 UTC",
        ),
        (
            Tier(
                name="short extension",
                window=TWENTY_FOUR_BY_SEVEN,
                targets=same(Targets(hours(4), hours(24))),
                parts_extension=hours(8),
            ),
            "critical restore due after parts extension",
        ),
    ],
)
def test_an_incoherent_tier_is_refused(tier: Tier, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_tier(tier)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Tier(name="t", window=NINE_BY_FIVE, targets=((Severity.CRITICAL, Targets(NBD, NBD)),)), "each sev"),
        (
            lambda: Tier(
                name="t",
                window=NINE_BY_FIVE,
                targets=same(Targets(NBD, NBD)),
                zones=(DistanceZone(160, timedelta(0)), DistanceZone(80, timedelta(0))),
            ),
            "go outward",
        ),
        (
            lambda: Tier(
                name="t",
                window=NINE_BY_FIVE,
                targets=same(Targets(NBD, NBD)),
                zones=(DistanceZone(80, timedelta(hours=2)), DistanceZone(160, timedelta(0))),
            ),
            "never adds less",
        ),
        (
            lambda: Tier(name="t", window=NINE_BY_FIVE, targets=same(Targets(NBD, NBD)), price_share=Decimal(0)),
            "price share",
        ),
        (lambda: HoursTarget(timedelta(0)), "positive"),
        (lambda: BusinessDaysTarget(0), "at least one business day"),
        (lambda: CoverageWindow(name="w", weekdays=frozenset(), opens=timedelta(0), closes=timedelta(hours=8)), "week"),
        (lambda: CoverageWindow(name="w", weekdays=frozenset({7}), opens=timedelta(0), closes=timedelta(hours=8)), "6"),
        (
            lambda: CoverageWindow(
                name="w", weekdays=frozenset({0}), opens=timedelta(hours=18), closes=timedelta(hours=8)
            ),
            "opens before it closes",
        ),
        (
            lambda: CoverageWindow(name="w", weekdays=frozenset({0}), opens=timedelta(0), closes=timedelta(hours=25)),
            "opens before it closes",
        ),
    ],
)
def test_malformed_tiers_targets_and_windows_are_refused(build: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        build()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (hours("0.5"), "30 min"),
        (hours("1.5"), "1 h 30 min"),
        (hours(48), "48 h"),
        (BusinessDaysTarget(1, cutoff=time(17, 0)), NBD17),
        (BusinessDaysTarget(3), "3 business days"),
    ],
)
def test_targets_describe_themselves_in_the_contract_words(target: HoursTarget | BusinessDaysTarget, text: str) -> None:
    assert target.describe() == text
