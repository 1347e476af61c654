"""The installer in a rack, in a real browser: a 4U at U36 over the 4U at U35 is refused on the device with the
occupant named, before any sync; valid installs through the batch flow then show in the rack elevation, each chassis
as tall as its model. Screenshots of the elevation and the batch flow at phone (400 px) and laptop (1280 px) width.

The e2e server's seed (60 chassis) puts in Quarry TYO1 / T01 (42U, 1070 mm): NBG82600048 (4U at U3–U6),
NBR12600008 (1U at U9), NBN42600028 (2U at U17–U18), NBG82600018 (4U at U35–U38) and NBR12600038 (1U at U39);
NBN42600058 (2U) waits at the Tokyo site, in no rack. The installer is assigned to that site.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.browser import FletPage

GPU_MODEL = "NB-G8-4U — G8 GPU server 4U"
NAS_MODEL = "NB-N4-NAS — N4 NAS 2U 12-bay"


def _chassis(app: FletPage, name: str) -> None:
    """A chassis block of the elevation, found by its accessible name (serial, span, model, rail kit)."""
    expect(app.page.get_by_role("button", name=name, exact=True).first).to_be_visible(timeout=15_000)


# Flutter draws on a canvas the browser cannot scroll for a click: the window is as tall as the whole rack (42U at
# 48 px, under the side panel on a phone, beside it on a laptop), which also puts the whole rack in the screenshots.
TALL = {400: 3000, 1280: 2300}


def _at_width(app: FletPage, width: int) -> None:
    app.page.set_viewport_size({"width": width, "height": TALL[width]})
    app.page.wait_for_timeout(1_000)


def _pick(app: FletPage, label: str, filter_text: str, option: str) -> None:
    """Pick a drop-down option and check the drop-down shows it; once more if the pick did not take (a person opens
    it again). A sync round does not close an open menu (tests/e2e/test_open_dropdown.py); new choices do."""
    box = app.field(label)
    for attempt in range(3):
        try:
            app.type(label, filter_text)
            app.page.get_by_text(option, exact=True).last.click(timeout=5_000)
            expect(box).to_have_value(option, timeout=3_000)
            return
        except (AssertionError, PlaywrightTimeoutError):
            if attempt == 2:
                raise
            app.page.keyboard.press("Escape")
            box.click()
            box.press("Control+A")
            box.press("Delete")


def _shot(app: FletPage, screen: str, width: int) -> None:
    """artifacts/screenshots/<screen>-<width>.png"""
    app.name = screen
    app.shot(str(width))


def _back(app: FletPage, then: str) -> None:
    """The app bar's Back, again if a tap lands while the last screen change still animates."""
    for _ in range(2):
        app.page.get_by_role("button", name="Back").first.click()
        try:
            app.see(then, timeout=5_000)
            return
        except AssertionError:
            continue
    app.see(then)


def test_a_4u_over_another_4u_is_refused_on_the_device_and_valid_installs_show_in_the_elevation(
    field_app: Callable[..., FletPage],
) -> None:
    app = field_app("installer", width=400, name="rack")
    _at_width(app, 400)
    app.see("Recent chassis")
    app.press("Racks")
    app.type("Rack label", "T01", enter=True)
    app.see("Quarry TYO1 / T01")
    _chassis(app, f"NBG82600018, 4U at U35–U38, {GPU_MODEL}, rail kit RK-L-750")

    # Tapping a chassis in the elevation opens it; moving it onto U36 is refused live and on save, offline.
    app.press(f"NBG82600048, 4U at U3–U6, {GPU_MODEL}, rail kit RK-L-750")
    app.see("Installed FRUs")
    app.press("Install / move")
    _pick(app, "Rack", "T01", "Quarry TYO1 / T01 (1070 mm, 42U)")
    app.fill_form_field("U position (bottom)", "36")
    app.see("Refused: U36 is taken by NBG82600018 (4U at U35–U38)")
    _shot(app, "install-rack-collision", 400)
    app.press("Save installation")
    app.see("Installation was refused: U36 is taken by NBG82600018 (4U at U35–U38).")
    expect(app.page.get_by_text("Installation saved on this device")).to_have_count(0)

    # Back on the chassis page, its rack; then the batch flow installs two chassis on free Us.
    _back(app, "Installed FRUs")
    app.press("Rack")
    app.see("Quarry TYO1 / T01")
    app.press("Install chassis into this rack")
    app.see("Next chassis")
    app.fill_form_field("Chassis serial", "NBG82600048")
    app.fill_form_field("U position (bottom)", "36")
    app.see("U36 is taken by NBG82600018 (4U at U35–U38)")
    app.fill_form_field("U position (bottom)", "30")
    _pick(app, "Rail kit", "RK-L", "RK-L-750 (750–1100 mm)")
    app.see("Fits, and the Us are free")
    app.press("Save and next chassis")
    app.see("NBG82600048 at U30 (RK-L-750)")
    app.see_nothing_pending()  # the first chassis reached the server before the next one is typed
    app.fill_form_field("Chassis serial", "NBN42600058")
    app.fill_form_field("U position (bottom)", "20")
    _pick(app, "Rail kit", "RK-M", "RK-M-600 (600–900 mm)")
    app.see("the rack is deeper than the rail kit can extend")
    _shot(app, "batch-install-warning", 400)
    app.press("Save anyway (misfit is recorded)")
    app.see("NBN42600058 at U20 (RK-M-600)")

    _chassis(app, f"NBG82600048, 4U at U30–U33, {GPU_MODEL}, rail kit RK-L-750")
    _chassis(app, f"NBG82600018, 4U at U35–U38, {GPU_MODEL}, rail kit RK-L-750")
    _chassis(app, f"NBN42600058, 2U at U20–U21, {NAS_MODEL}, rail kit RK-M-600")
    app.see("U34 empty")
    app.see("U3 empty")  # the 4U moved away from U3–U6
    _shot(app, "batch-install", 400)
    _at_width(app, 1280)
    _shot(app, "batch-install", 1280)

    _back(app, "Install chassis into this rack")
    _chassis(app, f"NBN42600058, 2U at U20–U21, {NAS_MODEL}, rail kit RK-M-600")
    _shot(app, "rack-elevation", 1280)
    _at_width(app, 400)
    _shot(app, "rack-elevation", 400)
