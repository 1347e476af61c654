"""Server settings, read once from the environment by the entry point and passed down explicitly."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

DEFAULT_DATABASE_URL = "sqlite:///rackside.db"


@dataclass(frozen=True, kw_only=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Devices whose clock is further off than this have their timestamps clamped (see apply.effective_time).
    max_clock_skew_days: int = 7
    # Blob (photo) storage: ``blob_url`` s3://bucket/prefix for an S3-compatible bucket (endpoint and credentials
    # from AWS_* variables), or a directory (``blob_dir``; None: next to an SQLite database file, else
    # ./rackside-blobs). server/blobs/config.py reads these.
    blob_url: str | None = None
    blob_dir: str | None = None
    blob_max_bytes: int = 16 * 1024 * 1024
    blob_max_pixels: int = 25_000_000
    blob_quota_bytes: int = 20 * 1024 * 1024 * 1024
    # Controller logs (text, or gzip-compressed text): their own, smaller cap, and a cap on the unpacked text.
    blob_log_max_bytes: int = 4 * 1024 * 1024
    blob_log_max_text_bytes: int = 32 * 1024 * 1024
    # Unfinished uploads untouched this long are abandoned and swept (at start, then every interval); a device that
    # comes back later starts that upload over from offset 0, with the bytes it still holds.
    blob_staging_max_age_seconds: float = 24 * 3600
    blob_sweep_interval_seconds: float = 3600
    # Unfinished uploads one organization may have at once, by count and by the sum of their declared sizes: the
    # quota counts stored blobs only, so without these, uploads started and never finished would hold storage
    # outside it. A new upload past either answers 429 too_many_unfinished_uploads; continuing one never does.
    blob_unfinished_uploads_max: int = 1000
    blob_unfinished_bytes_max: int = 4 * 1024 * 1024 * 1024
    # Failed enrollments allowed within the window (server/throttle.py): per username from one address (the
    # lock-out), and per client address for any usernames; and a slower backstop per username from anywhere.
    sign_in_failures_per_username: int = 5
    sign_in_failures_per_address: int = 20
    sign_in_window_seconds: float = 300
    sign_in_failures_per_username_anywhere: int = 50
    sign_in_backstop_window_seconds: float = 3600

    # Requests per device (server/rate_limit.py): a sustained rate and a burst, far above what a syncing device sends.
    push_per_minute: float = 600
    push_burst: int = 300
    pull_per_minute: float = 1200
    pull_burst: int = 600
    # The SLA breach sweep (server/sla_sweeper.py): one process, holding a lease, records the breaches of open
    # incidents as they happen, waking just after the next due time and at least every this many seconds. 0 turns it
    # off in this process (others may still sweep).
    sla_sweep_interval_seconds: float = 60
    # GET /metrics answers only with this bearer token, and not at all without one (server/routes/metrics.py).
    metrics_token: str | None = None

    @classmethod
    def from_env(cls, *, database_url: str | None = None, blob_url: str | None = None) -> Settings:
        return cls(
            database_url=database_url or os.environ.get("RACKSIDE_DATABASE_URL", DEFAULT_DATABASE_URL),
            blob_url=blob_url or os.environ.get("RACKSIDE_BLOB_URL") or None,
            blob_dir=os.environ.get("RACKSIDE_BLOB_DIR") or None,
            metrics_token=os.environ.get("RACKSIDE_METRICS_TOKEN") or None,
            sla_sweep_interval_seconds=float(os.environ.get("RACKSIDE_SLA_SWEEP_SECONDS") or 60),
            push_per_minute=_positive("RACKSIDE_PUSH_PER_MINUTE", float, cls.push_per_minute),
            push_burst=_positive("RACKSIDE_PUSH_BURST", int, cls.push_burst),
            pull_per_minute=_positive("RACKSIDE_PULL_PER_MINUTE", float, cls.pull_per_minute),
            pull_burst=_positive("RACKSIDE_PULL_BURST", int, cls.pull_burst),
        )


_Number = TypeVar("_Number", int, float)


def _positive(variable: str, kind: Callable[[str], _Number], default: _Number) -> _Number:
    """A positive number from the environment (the per-device rates, docs/operations.md), or the default."""
    raw = os.environ.get(variable)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{variable} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{variable} must be positive, not {raw!r}")
    return value
