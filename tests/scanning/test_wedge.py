"""Keyboard-wedge bursts: Enter or Tab ends a scan, prefix and suffix go, no character is ever lost."""

from __future__ import annotations

import threading

from app.scanning.wedge import WedgeAssembler, WedgeConfig


def test_a_burst_ending_in_enter_or_tab_is_one_scan_each() -> None:
    wedge = WedgeAssembler()
    assert wedge.feed("NB123\rNB456\tNB7") == 2
    assert wedge.drain() == ["NB123", "NB456"]
    assert wedge.pending == "NB7"
    assert wedge.feed("89\r\n") == 1  # CR LF is one end, not an empty second scan
    assert wedge.drain() == ["NB789"]
    assert wedge.drain() == []


def test_configured_prefix_and_suffix_are_stripped_only_where_they_are() -> None:
    wedge = WedgeAssembler(WedgeConfig(prefix="\x02", suffix="\x03"))
    wedge.feed("\x02S/N:NB1\x03\r")
    wedge.feed("NB2\r")  # a scanner not configured the same way still works
    assert wedge.drain() == ["S/N:NB1", "NB2"]


def test_key_events_from_the_ui_assemble_the_same_way() -> None:
    wedge = WedgeAssembler()
    for key in ["N", "B", "Shift", "9", "X", "Backspace", "Enter"]:
        wedge.key(key)
    assert wedge.drain() == ["NB9"]
    assert wedge.key("Tab") == 0  # an empty scan is not a scan


def test_scans_arriving_while_the_app_is_busy_wait_in_order_with_every_character() -> None:
    wedge = WedgeAssembler()
    scans = [f"NB{n:09d}" for n in range(400)]

    def scanner(chunk: list[str]) -> None:
        for scan in chunk:
            for ch in scan + "\r":
                wedge.feed(ch)

    # One scanner thread types while the UI thread drains now and then: nothing may be lost or reordered.
    thread = threading.Thread(target=scanner, args=(scans,))
    thread.start()
    received: list[str] = []
    while thread.is_alive():
        received += wedge.drain()
    thread.join()
    received += wedge.drain()
    assert received == scans
