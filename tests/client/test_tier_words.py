"""The coverage badge's words for a tier (app/services/tier_words.py), in English and in German."""

from __future__ import annotations

from datetime import time

import pytest

from app.i18n import Translator
from app.services.tier_words import tier_phrase
from sync.domain.service import Severity
from sync.domain.sla import BusinessDaysTarget, HoursTarget, Tier, hours
from sync.domain.sla_catalogue import FOUNDATION_24X7, FOUNDATION_NBD, PROSUPPORT_PLUS_MISSION_CRITICAL


@pytest.mark.parametrize(
    ("tier", "severity", "english", "german"),
    [
        (
            FOUNDATION_24X7,
            Severity.CRITICAL,
            "4 h response, no committed restore, 24×7",
            "Reaktion: 4 Std., Wiederherstellung: nicht zugesagt, 24×7",
        ),
        (
            PROSUPPORT_PLUS_MISSION_CRITICAL,
            Severity.CRITICAL,
            "30 min response, 4 h restore, 24×7",
            "Reaktion: 30 Min., Wiederherstellung: 4 Std., 24×7",
        ),
        (
            PROSUPPORT_PLUS_MISSION_CRITICAL,
            Severity.MINOR,
            "2 h response, 24 h restore, 24×7",
            "Reaktion: 2 Std., Wiederherstellung: 24 Std., 24×7",
        ),
        (
            FOUNDATION_NBD,
            Severity.MAJOR,
            "next business day response, next business day restore, 9×5",
            "Reaktion: nächster Arbeitstag, Wiederherstellung: nächster Arbeitstag, 9×5",
        ),
    ],
)
def test_a_tier_in_plain_words_for_the_coverage_badge(
    tier: Tier, severity: Severity, english: str, german: str
) -> None:
    assert str(tier_phrase(tier, severity)) == english
    assert Translator.for_language("de").phrase(tier_phrase(tier, severity)) == german


@pytest.mark.parametrize(
    ("target", "english"),
    [
        (hours("0.5"), "30 min"),
        (hours("1.5"), "1 h 30 min"),
        (hours(48), "48 h"),  # contract hours stay hours: "2 days" would read as calendar days
        (BusinessDaysTarget(1, cutoff=time(17, 0)), "next business day (calls after 17:00 count from the next)"),
        (BusinessDaysTarget(3), "3 business days"),
    ],
)
def test_targets_read_as_the_contract_writes_them(target: HoursTarget | BusinessDaysTarget, english: str) -> None:
    assert str(target.phrase()) == english
    # The same words as the domain's own description, used in its clock notes.
    assert target.describe() == english
