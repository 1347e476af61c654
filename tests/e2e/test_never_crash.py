"""Issue 11's crash in a real browser: a chassis that vanishes after the server refuses it closes with a message,
and a new user sees nothing of the last one. Before the fix the whole UI became "Error running app"."""

from __future__ import annotations

from collections.abc import Callable

from server.seed import DEMO_PASSWORD
from tests.e2e.browser import FletPage
from tests.e2e.processes import ServerProcess

SEEDED_SERIAL = "NBR22600001"


def test_sign_out_forgets_the_last_user_and_a_refused_registration_closes_the_chassis_with_a_message(
    field_app: Callable[..., FletPage],
) -> None:
    app = field_app("engineer", name="never-crash")
    app.type("Scan or type a chassis serial", "NBR2260000")
    app.see("Matching serials")
    app.press("Settings and account")
    app.press("Sign out")
    app.see("Signed out; local data removed from this device")
    app.type("Username", "installer")
    app.type("Password", DEMO_PASSWORD)
    app.press("Sign in")
    app.see("Signed in as")
    app.see("Recent chassis")
    assert app.page.get_by_text("Matching serials").count() == 0, "the engineer's search is gone"
    app.wedge_scan(SEEDED_SERIAL)
    app.see(f"{SEEDED_SERIAL} is not known on this device")
    app.pick("SKU", "R2", "NB-R2-2U — R2 rackmount 2U")
    app.type("Revision", "D")
    app.pick("Customer (owner)", "Helix", "Helix Cloud")
    app.press("Register chassis")
    app.see(f"Registered {SEEDED_SERIAL}")
    # The background sync (every 2 s here) pushes it; the server refuses the duplicate and the chassis goes away.
    app.see("The chassis you had open is gone", timeout=45_000)
    app.see("Recent chassis")
    app.shot("gone")
    app.page.get_by_role("button", name="1 rejected").first.click()
    app.see("Rejected changes (1)")
    app.press("Discard")
    app.see("Discarded the rejected change")
    app.see("Nothing was rejected.")
    app.shot("discarded")


def test_signing_out_with_unsynced_work_takes_a_second_deliberate_step(
    field_app: Callable[..., FletPage], server: ServerProcess
) -> None:
    app = field_app("engineer", name="sign-out-twice")
    app.see("synced")
    server.stop()  # offline, so the visit below stays on the device
    app.see("offline", timeout=30_000)
    app.wedge_scan(SEEDED_SERIAL)
    app.press("Start visit")
    app.see("Visit start saved on this device")
    app.press("Back")
    app.press("Back")
    app.press("Settings and account")
    app.press("Sign out")
    app.see("Keep my changes")
    app.press("Keep my changes")  # the double tap lands here: keeps the work, wipes nothing
    app.see("Sign out")
    app.see("Signed in as")
    app.press("Sign out")
    app.see("1 change(s) on this device are not on the server yet.")
    app.shot("confirm")
    app.press("Sign out anyway (lose unsynced changes)")
    app.see("Signed out; local data removed from this device")
