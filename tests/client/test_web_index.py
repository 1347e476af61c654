"""The web page the client serves is Flet's own page plus the keyguard script, nothing else.

Flet serves ``assets/index.html`` instead of its packaged page when the file exists. Ours must stay Flet 1.0.5's
page with one added line (``assets/keyguard.js``, issue 11's lost first keystroke): when Flet's page changes with an
upgrade, this fails, and the copy is made again from the new page.
"""

from __future__ import annotations

from pathlib import Path

import flet_web

ASSETS = Path(__file__).resolve().parents[2] / "assets"
KEYGUARD_LINE = '  <script src="keyguard.js"></script>\n'


def test_the_served_page_is_flets_page_plus_the_keyguard_script() -> None:
    flets = (Path(flet_web.__file__).parent / "web" / "index.html").read_text(encoding="utf-8")
    ours = (ASSETS / "index.html").read_text(encoding="utf-8")
    assert ours.count(KEYGUARD_LINE) == 1
    assert ours.replace(KEYGUARD_LINE, "") == flets
    # Loaded before Flutter's bootstrap, so the engine's writes to text fields already pass through it.
    assert ours.index(KEYGUARD_LINE) < ours.index("flutter_bootstrap.js")

