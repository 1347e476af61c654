"""The failure-analysis report in a real browser: the desk opens it on seeded depot grades and exports the CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from tests.e2e.browser import FletPage


def test_the_desk_reads_root_causes_and_nff_causes_and_exports_the_csv(field_app: Callable[..., FletPage]) -> None:
    app = field_app("desk", width=1280, name="failures")
    app.press("RMA queue")
    app.press("Failure analysis")
    app.see("Root causes of confirmed failures")
    app.see("units graded")
    app.see("fan 3 bearing wear")
    app.see("rail kit too short for the rack")
    app.shot("report")
    app.choose("Period", "Everything on this device")
    app.see("fan 3 bearing wear")
    data = app.download("Export CSV")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and {"serial", "root_cause", "corrective_action", "grade"} <= set(rows[0])
    assert "fan 3 bearing wear" in {r["root_cause"] for r in rows}
    assert {r["grade"] for r in rows} >= {"repaired_tested", "no_fault_found"}
