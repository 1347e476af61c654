"""Issue 11, "lost drafts", in a real browser: Back from a changed form asks first, and what was typed is still there
after the app is started again on the same device (before the fix Back left at once)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.browser import FletPage
from tests.e2e.processes import ServerProcess, free_port, rackside, stop, wait_http

SEEDED_SERIAL = "NBR22600001"
NOTES = "fan wall reseated, PSU2 LED amber"


def test_back_from_a_changed_visit_report_asks_and_the_draft_outlives_a_restart(
    field_app: Callable[..., FletPage], server: ServerProcess, browser: Browser, tmp_path: Path
) -> None:
    app = field_app("engineer", name="drafts")
    app.wedge_scan(SEEDED_SERIAL)
    app.press("Start visit")
    app.see("Customer signature")
    app.fill_form_field("Work notes", NOTES)
    app.fill_form_field("Signed by (customer's name)", "Mei Tanaka")

    app.press("Back")
    app.see("This form has changes that are not saved.")
    app.shot("asks")
    app.press("Keep editing")
    expect(app.page.get_by_text("This form has changes that are not saved.")).to_have_count(0)
    app.see("Customer signature")  # still on the report

    app.press("Back")
    app.see("This form has changes that are not saved.")
    app.press("Back")  # Back again: leave, keeping the draft
    app.see("Installed FRUs")
    app.page.close()

    # The app again, as a fresh process on the same device data: the report opens with what was typed.
    port = free_port()
    again = rackside(
        "client",
        "--web",
        "--data",
        str(tmp_path / "client-engineer"),
        "--server",
        server.url,
        "--port",
        str(port),
        log=tmp_path / "client-engineer-again.log",
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        restarted = FletPage.open(browser, f"http://127.0.0.1:{port}/", width=400, name="drafts-restarted")
        restarted.wedge_scan(SEEDED_SERIAL)
        restarted.press("Visit report")
        restarted.see("Customer signature")
        notes = restarted.field("Work notes")
        notes.click()  # Flutter's <input> mirrors the text once the field has focus
        expect(notes).to_have_value(NOTES)
        signer = restarted.field("Signed by (customer's name)")
        signer.click()
        expect(signer).to_have_value("Mei Tanaka")
        restarted.shot("restored")

        restarted.press("Back")
        restarted.see("This form has changes that are not saved.")
        restarted.press("Discard changes")
        restarted.see("Installed FRUs")
        restarted.press("Visit report")
        restarted.see("Customer signature")
        notes.click()
        expect(notes).to_have_value("")  # discarded: gone from the device
        restarted.page.close()
    finally:
        stop(again)
