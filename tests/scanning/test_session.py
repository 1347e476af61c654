"""A depot scan session: every scan recorded at once, duplicates flagged, one feedback event per scan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.scanning.serial import SerialPattern
from app.scanning.session import Feedback, ScanSession, SessionEntry


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=2)
        return self.now


def test_duplicates_are_flagged_and_still_recorded_with_feedback_for_every_scan() -> None:
    heard: list[SessionEntry] = []
    session = ScanSession(clock=Clock())
    session.subscribe(heard.append)
    for raw in ["NB000000001", "S/N: nb000000002", "NB000000001", "", "nb000000002"]:
        session.record_text(raw)
    entries = session.entries
    assert [e.feedback for e in entries] == [
        Feedback.ACCEPTED,
        Feedback.ACCEPTED,
        Feedback.DUPLICATE,
        Feedback.REJECTED,
        Feedback.DUPLICATE,
    ]
    assert [e.duplicate_of for e in entries] == [None, None, 1, None, 2]
    assert session.serials == ("NB000000001", "NB000000002")
    assert heard == list(entries)  # the UI hears each scan as it is recorded
    assert entries[0].at < entries[1].at and entries[4].number == 5
    assert {f.tone for f in Feedback} == {"beep", "double-beep", "chirp", "buzz"}


def test_a_scan_that_matches_no_known_pattern_asks_instead_of_accepting() -> None:
    session = ScanSession(patterns=[SerialPattern("NB", r"NB\d{9}")])
    entry = session.record_text("900-12345-01")
    assert entry.feedback is Feedback.CHECK and session.serials == ()


def test_a_wedge_scan_that_starts_like_a_data_identifier_is_taken_as_scanned_and_a_fragment_is_refused() -> None:
    session = ScanSession()
    assert session.record_text("SSD00421234").feedback is Feedback.ACCEPTED
    assert session.record_text("7").feedback is Feedback.REJECTED  # too short to be a serial
    assert session.serials == ("SSD00421234",)
    patterned = ScanSession(patterns=[SerialPattern("NB", r"NB\d{9}")])
    assert patterned.record_text("SNB123456789").serial == "NB123456789"  # data identifier S, the catalogue agrees
