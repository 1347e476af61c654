"""A tier's targets in the reader's words, as the chassis page's coverage badge says them: "30 min response, 4 h
restore, 24×7". The domain keeps the targets as data (sync/domain/sla.py); this is only how they read on screen."""

from __future__ import annotations

from app.i18n import Phrase, words
from sync.domain.service import Severity
from sync.domain.sla import Tier


def tier_phrase(tier: Tier, severity: Severity) -> Phrase:
    """Both clocks of one severity and the hours of cover, each clock named by its own template (so a language can
    put the clock's noun before or after the time)."""
    targets = tier.for_severity(severity)
    response = (
        words("no committed response")
        if targets.response is None
        else words("{target} response", target=targets.response.phrase())
    )
    restore = (
        words("no committed restore")
        if targets.restore is None
        else words("{target} restore", target=targets.restore.phrase())
    )
    return words("{response}, {restore}, {window}", response=response, restore=restore, window=tier.window.name)
