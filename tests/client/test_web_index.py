"""The web page the client serves is Flet's own page plus the keyguard script and a script policy, nothing else.

Flet serves ``assets/index.html`` instead of its packaged page when the file exists. Ours must stay Flet 1.0.5's
page with two added lines (``assets/keyguard.js`` for issue 11's lost first keystroke, and a Content-Security-Policy
that keeps scripts on this device): when Flet's page changes with an
upgrade, this fails, and the copy is made again from the new page.
"""

from __future__ import annotations

from pathlib import Path

import flet_web

ASSETS = Path(__file__).resolve().parents[2] / "assets"
KEYGUARD_LINE = '  <script src="keyguard.js"></script>\n'
# Scripts from this device only: Flet's Rive module would otherwise fetch one from a CDN on every load.
POLICY_LINE = (
    '  <meta http-equiv="Content-Security-Policy" '
    "content=\"script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:\">\n"
)


def test_the_served_page_is_flets_page_plus_the_keyguard_script_and_a_script_policy() -> None:
    flets = (Path(flet_web.__file__).parent / "web" / "index.html").read_text(encoding="utf-8")
    ours = (ASSETS / "index.html").read_text(encoding="utf-8")
    assert ours.count(KEYGUARD_LINE) == 1
    assert ours.count(POLICY_LINE) == 1
    assert ours.replace(KEYGUARD_LINE, "").replace(POLICY_LINE, "") == flets
    # Loaded before Flutter's bootstrap, so the engine's writes to text fields already pass through it.
    assert ours.index(KEYGUARD_LINE) < ours.index("flutter_bootstrap.js")
