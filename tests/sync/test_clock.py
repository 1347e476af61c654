"""The clock tests control: real time plus the offset in the file RACKSIDE_TEST_CLOCK_FILE names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync import clock


def test_without_the_variable_now_is_the_machine_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.TEST_CLOCK_ENV, raising=False)
    before = datetime.now(UTC)
    now = clock.utcnow()
    assert before <= now <= datetime.now(UTC) and now.tzinfo is UTC


def test_the_file_shifts_now_and_a_rewrite_moves_it_without_a_restart(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "clock"
    clock.set_offset(path, timedelta(hours=3))
    monkeypatch.setenv(clock.TEST_CLOCK_ENV, str(path))
    shifted = clock.utcnow() - datetime.now(UTC)
    assert timedelta(hours=3) - timedelta(seconds=5) < shifted <= timedelta(hours=3)
    clock.set_offset(path, timedelta(hours=-1, minutes=-30))
    shifted = clock.utcnow() - datetime.now(UTC)
    assert timedelta(hours=-1, minutes=-30, seconds=-5) < shifted <= timedelta(hours=-1, minutes=-30)


def test_a_malformed_file_is_an_error_not_a_silent_real_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "clock"
    path.write_text("tomorrow", encoding="utf-8")
    monkeypatch.setenv(clock.TEST_CLOCK_ENV, str(path))
    with pytest.raises(ValueError, match="not a number of seconds"):
        clock.utcnow()


def test_the_device_store_and_the_server_read_the_same_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from app.adapters import local_store
    from server import accounts

    path = tmp_path / "clock"
    clock.set_offset(path, timedelta(days=2))
    monkeypatch.setenv(clock.TEST_CLOCK_ENV, str(path))
    for now in (local_store.utcnow(), accounts.utcnow()):
        assert now - datetime.now(UTC) > timedelta(days=2) - timedelta(seconds=5)
