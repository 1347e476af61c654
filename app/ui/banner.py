"""When the one-line feedback at the top of the screen has said its piece and goes away by itself.

"Saved on this device", "Kept NBR…" or a scan result are news for a moment; left on screen they read as current
long after they are not (the sync chip says what is current). A refusal or failure stays longer: the user must get to
read why. Pure, so the rule is tested with plain numbers (seconds of a monotonic clock).
"""

from __future__ import annotations

NEWS_SECONDS = 12.0
ERROR_SECONDS = 40.0


def is_stale(said_at: float, now: float, *, error: bool) -> bool:
    return now - said_at >= (ERROR_SECONDS if error else NEWS_SECONDS)
