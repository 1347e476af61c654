"""A tier's targets in the reader's words, as the chassis page's coverage badge says them: "30 min response, 4 h
restore, 24×7". The domain keeps the targets as data (sync/domain/sla.py); this is only how they read on screen."""

from __future__ import annotations

from app.i18n import Phrase, words
from sync.domain.service import Severity
from sync.domain.sla import Target, Tier


def tier_phrase(tier: Tier, severity: Severity) -> Phrase:
    """Both clocks of one severity and the hours of cover, each clock named by its own template (so a language can
    put the clock's noun before or after the time)."""
    targets = tier.for_severity(severity)
    response = (
        words("no committed response")
        if targets.response is None
        else words("{target} response", target=target_phrase(targets.response))
    )
    restore = (
        words("no committed restore")
        if targets.restore is None
        else words("{target} restore", target=target_phrase(targets.restore))
    )
    return words("{response}, {restore}, {window}", response=response, restore=restore, window=tier.window.name)


def target_phrase(target: Target) -> Phrase:
    """``30 min``, ``48 h`` (contract hours stay hours, never days), ``next business day``: the target's own words."""
    return target.phrase()
