"""The failure-analysis report on a synced depot device: seeded grades, a grading done here, the CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.bootstrap import Client
from app.services.depot import DepotService
from app.services.failure_report import CSV_COLUMNS, FailureReportService
from rackside.cli import app
from server.seed import sid
from sync.domain.catalog import Sku
from sync.domain.kpi import PatternKey
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage
from sync.domain.rma import Rma

FORMULA = '=HYPERLINK("http://evil.example","click")'


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode().removeprefix("\ufeff"))))


@pytest.fixture
def depot(enrolled: Callable[[str], Client]) -> Client:
    client = enrolled("depot")
    client.sync()
    return client


def _grade_a_box_here(client: Client, *, cause: str) -> DepotOrder:
    service = DepotService(store=client.store)
    number = client.store.get(Rma, sid("rma", "box-0")).number  # type: ignore[union-attr]
    order_id = service.scan(number or "").depot_order_id
    assert order_id is not None
    service.advance(order_id, to_stage=DepotStage.TRIAGE)
    service.advance(order_id, to_stage=DepotStage.REPAIR, error_codes=("e-bp1",), note="backplane slot 4 dead")
    service.advance(order_id, to_stage=DepotStage.BURN_IN, note="new backplane, burn-in clean")
    service.grade(order_id, grade=DepotGrade.REPAIRED_TESTED, root_cause=cause, corrective_action="backplane swapped")
    order = client.store.get(DepotOrder, order_id)
    assert order is not None
    return order


def test_the_report_holds_the_seeded_grades_with_names_and_the_nff_cause_apart(depot: Client) -> None:
    page = FailureReportService(store=depot.store).page(days=None)
    graded = [o for o in depot.store.all(DepotOrder) if o.grade is not None]
    assert page.analysis.graded == len(graded) > 0
    assert page.analysis.no_fault_found == sum(o.grade is DepotGrade.NO_FAULT_FOUND for o in graded) > 0
    assert page.root_causes[0].cause == "fan 3 bearing wear"
    assert page.root_causes[0].error_codes[0][0] == "E-FAN3"
    assert page.nff_causes and page.nff_causes[0].cause.startswith("rail kit too short")
    sku_codes = {s.code for s in depot.store.all(Sku)}
    assert page.patterns[PatternKey.SKU] and all(row.label in sku_codes for row in page.patterns[PatternKey.SKU])
    assert {code for _, code in page.sku_choices} <= sku_codes


def test_a_grading_done_on_this_device_is_in_the_report_and_exported_without_running_formulas(depot: Client) -> None:
    reports = FailureReportService(store=depot.store)
    before = reports.analysis(days=30)
    order = _grade_a_box_here(depot, cause=FORMULA)
    after = reports.analysis(days=30)
    assert after.graded == before.graded + 1 and after.confirmed == before.confirmed + 1
    mine = next(r for r in after.root_causes if r.cause == FORMULA)
    assert (mine.orders, mine.serials, mine.corrective_actions) == (1, (order.serial,), ("backplane swapped",))

    rows = _rows(reports.csv(days=30))
    assert len(rows) == after.graded and list(rows[0]) == list(CSV_COLUMNS)
    line = next(r for r in rows if r["serial"] == order.serial)
    assert line["root_cause"] == "'" + FORMULA  # a spreadsheet shows the text instead of running it
    assert line["error_codes"] == "E-BP1" and line["grade"] == "repaired_tested"
    assert line["rma_number"] == depot.store.get(Rma, sid("rma", "box-0")).number  # type: ignore[union-attr]
    sku = depot.store.get(Sku, order.sku_id or "")
    assert sku is not None and line["sku"] == sku.code


def test_period_and_sku_filters_narrow_the_report(depot: Client) -> None:
    order = _grade_a_box_here(depot, cause="backplane trace burnt")
    later = FailureReportService(store=depot.store, now=lambda: datetime.now(UTC) + timedelta(days=400))
    assert later.analysis(days=30).graded == 0
    assert later.analysis(days=None).graded >= 1
    reports = FailureReportService(store=depot.store)
    only = reports.page(days=None, sku_id=order.sku_id)
    assert only.analysis.graded >= 1 and {o.sku_id for o in only.analysis.orders} == {order.sku_id}
    with pytest.raises(ValueError, match="at least one day"):
        reports.analysis(days=0)


def test_the_cli_prints_the_report_and_writes_the_csv(depot: Client, tmp_path: Path) -> None:
    _grade_a_box_here(depot, cause="backplane trace burnt")
    out = tmp_path / "failures.csv"
    result = CliRunner().invoke(
        app, ["client", "failures", "--data", str(depot.store.path.parent), "--days", "30", "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["days"] == 30 and summary["graded"] == len(_rows(out.read_bytes())) >= 1
    assert "backplane trace burnt" in [c["cause"] for c in summary["root_causes"]]
    assert summary["error_codes"]["E-BP1"] >= 1
    assert summary["repeat_failures"] == {}  # every seeded unit failed once
