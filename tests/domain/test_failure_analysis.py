"""The failure-analysis report (sync/domain/failure_analysis.py) and the KPIs it shares failure events with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sync.domain.failure_analysis import NO_CAUSE, Period, failure_analysis, order_error_codes
from sync.domain.kpi import (
    FailureEvent,
    PatternKey,
    failure_patterns,
    issuance_hours,
    nff_rate,
    repeat_failures,
    turnaround_days,
)
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage, DepotStep
from sync.domain.rma import Rma, RmaStatus, ServiceModel, StatusChange

T0 = datetime(2026, 9, 1, 8, tzinfo=UTC)
DAY = timedelta(days=1)


def order(
    n: int,
    grade: DepotGrade | None,
    *,
    graded_day: int = 1,
    cause: str = "",
    action: str = "",
    codes: tuple[str, ...] = (),
    step_codes: tuple[str, ...] = (),
    sku: str = "sku-r2",
    part: str | None = None,
    revision: str = "",
    lot: str = "",
) -> DepotOrder:
    return DepotOrder(
        id=f"do-{n}",
        org_id="org-oem",
        rma_id=f"rma-{n}",
        serial=f"SN{n:04d}",
        stage=DepotStage.BURN_IN,
        received_at=T0,
        error_codes=codes,
        history=(DepotStep(stage=DepotStage.REPAIR, at=T0, by="u", error_codes=step_codes),),
        root_cause=cause,
        corrective_action=action,
        grade=grade,
        graded_at=T0 + graded_day * DAY if grade is not None else None,
        sku_id=sku,
        part_number_id=part,
        revision=revision,
        lot=lot,
    )


R = DepotGrade.REPAIRED_TESTED
S = DepotGrade.SCRAP_SUPPLIER_CLAIM
N = DepotGrade.NO_FAULT_FOUND

FLEET = [
    order(1, R, cause="Fan bearing worn", action="replaced fan wall", codes=("E-FAN3",), part="pn-fw", lot="L1"),
    order(2, R, cause="fan  bearing WORN", action="Replaced fan wall", step_codes=("e-fan3", "E-TEMP"), part="pn-fw"),
    order(3, S, cause="Backplane trace burnt", action="supplier claim", codes=("E-BP1",), part="pn-bp", lot="L1"),
    order(4, N, cause="Rail kit too short for the rack", action="sent RK-L"),
    order(5, N, cause="rail kit too short for the rack", action=""),
    order(6, R, graded_day=40, cause="PSU bracket bent", action="new bracket"),
    order(7, None),
    order(8, R, sku="sku-n4", cause="", action="", codes=("E-IO",)),
]


def test_the_report_counts_grades_and_the_nff_rate_over_graded_orders_only() -> None:
    report = failure_analysis(FLEET)
    assert (report.graded, report.confirmed, report.no_fault_found) == (7, 5, 2)
    assert report.nff_rate == pytest.approx(2 / 7)
    assert report.by_grade == {R: 4, DepotGrade.READY_TO_SWAP: 0, S: 1, N: 2}
    assert [o.id for o in report.orders][-1] == "do-6"  # graded last


def test_root_causes_group_ignoring_case_and_spacing_rank_by_count_and_keep_every_action() -> None:
    rows = failure_analysis(FLEET).root_causes
    assert [(r.cause, r.orders) for r in rows] == [
        ("Fan bearing worn", 2),
        ("Backplane trace burnt", 1),
        ("PSU bracket bent", 1),
        (NO_CAUSE, 1),
    ]
    fan = rows[0]
    assert fan.corrective_actions == ("replaced fan wall",)
    assert fan.error_codes == (("E-FAN3", 2), ("E-TEMP", 1))
    assert fan.serials == ("SN0001", "SN0002")
    assert fan.share == pytest.approx(2 / 5)


def test_nff_causes_are_reported_apart_from_failures() -> None:
    report = failure_analysis(FLEET)
    assert [(r.cause, r.orders) for r in report.nff_causes] == [("Rail kit too short for the rack", 2)]
    assert all(r.cause != "Rail kit too short for the rack" for r in report.root_causes)


def test_error_codes_count_each_order_once_whatever_step_captured_them() -> None:
    assert order_error_codes(order(9, R, codes=("E-FAN3",), step_codes=("e-fan3 ", "E-TEMP"))) == ("E-FAN3", "E-TEMP")
    assert failure_analysis(FLEET).error_codes == (("E-FAN3", 2), ("E-BP1", 1), ("E-IO", 1), ("E-TEMP", 1))


@pytest.mark.parametrize(
    ("period", "sku", "part", "graded_ids"),
    [
        (Period(), None, None, {"do-1", "do-2", "do-3", "do-4", "do-5", "do-6", "do-8"}),
        (Period(since=T0 + 30 * DAY), None, None, {"do-6"}),
        (Period(until=T0 + 30 * DAY), None, None, {"do-1", "do-2", "do-3", "do-4", "do-5", "do-8"}),
        (Period(since=T0 + DAY, until=T0 + 40 * DAY), None, None, {"do-1", "do-2", "do-3", "do-4", "do-5", "do-8"}),
        (Period(), "sku-n4", None, {"do-8"}),
        (Period(), None, "pn-fw", {"do-1", "do-2"}),
        (Period(since=T0 + 30 * DAY), "sku-n4", None, set()),
    ],
)
def test_filters_by_period_sku_and_part_number(
    period: Period, sku: str | None, part: str | None, graded_ids: set[str]
) -> None:
    report = failure_analysis(FLEET, period=period, sku_id=sku, part_number_id=part)
    assert {o.id for o in report.orders} == graded_ids


def test_a_unit_the_depot_confirmed_failed_twice_within_the_window_is_a_repeat_and_nff_does_not_count() -> None:
    again = [
        order(10, R, cause="fan bearing worn"),
        order(11, R, graded_day=30, cause="fan bearing worn"),
        order(12, N, graded_day=35),
    ]
    again = [replace(o, serial="SN-REPEAT", received_at=T0 + n * 20 * DAY) for n, o in enumerate(again)]
    repeats = failure_analysis([*FLEET, *again]).repeats
    assert [(r.unit, r.failures) for r in repeats] == [("SN-REPEAT", 2)]


def test_an_empty_report_has_no_rate_rather_than_zero() -> None:
    report = failure_analysis([order(7, None)])
    assert (report.graded, report.nff_rate, report.root_causes) == (0, None, ())


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        Period(since=T0, until=T0)


def test_patterns_count_confirmed_failures_only() -> None:
    patterns = failure_analysis(FLEET).patterns
    assert [(r.key, r.failures) for r in patterns[PatternKey.PART_NUMBER]] == [("pn-fw", 2), ("pn-bp", 1)]
    assert [(r.key, r.failures) for r in patterns[PatternKey.LOT]] == [("L1", 2)]
    assert [(r.key, r.failures) for r in patterns[PatternKey.SKU]] == [("sku-r2", 4), ("sku-n4", 1)]


# The KPIs the report shares its events with ----------------------------------------------------------------------


def rma(*steps: tuple[RmaStatus, float]) -> Rma:
    history = tuple(StatusChange(status=s, at=T0 + timedelta(hours=h), by="u") for s, h in steps)
    return Rma(
        id="rma-k",
        org_id="org-c",
        asset_id="a",
        site_id=None,
        part_serial=None,
        model=ServiceModel.STANDARD,
        status=history[-1].status if history else RmaStatus.DRAFT,
        history=history,
        symptom="x",
        created_by="u",
        created_at=T0,
    )


@pytest.mark.parametrize(
    ("steps", "issuance", "turnaround"),
    [
        ((), None, None),
        (((RmaStatus.SUBMITTED, 0),), None, None),
        (((RmaStatus.SUBMITTED, 0), (RmaStatus.APPROVED, 6)), 6.0, None),
        (
            ((RmaStatus.SUBMITTED, 0), (RmaStatus.NEEDS_INFO, 2), (RmaStatus.SUBMITTED, 5), (RmaStatus.APPROVED, 8)),
            8.0,  # from the first submission: sending it back does not restart the clock
            None,
        ),
        (((RmaStatus.SUBMITTED, 0), (RmaStatus.APPROVED, 4), (RmaStatus.REPAIRED, 72)), 4.0, 3.0),
        (((RmaStatus.SUBMITTED, 0), (RmaStatus.APPROVED, 1), (RmaStatus.RETURNED_NFF, 48)), 1.0, 2.0),
    ],
)
def test_issuance_and_turnaround_run_from_the_first_submission(
    steps: tuple[tuple[RmaStatus, float], ...], issuance: float | None, turnaround: float | None
) -> None:
    record = rma(*steps)
    assert issuance_hours(record) == issuance
    assert turnaround_days(record) == turnaround


def test_nff_rate_is_over_graded_orders() -> None:
    assert nff_rate([order(1, N), order(2, R), order(3, None), order(4, S)]) == pytest.approx(1 / 3)
    assert nff_rate([order(3, None)]) is None


@pytest.mark.parametrize(
    ("days", "window", "expected"),
    [
        ((0, 30), 90, [("U", 2)]),
        ((0, 91), 90, []),
        ((0, 30, 200, 250), 90, [("U", 3)]),  # the chain counts every failure in it, the gap breaks no count
        ((0,), 90, []),
    ],
)
def test_repeat_failures_within_the_window(days: tuple[int, ...], window: int, expected: list[tuple[str, int]]) -> None:
    events = [FailureEvent(unit="U", at=T0 + d * DAY) for d in days]
    assert [(r.unit, r.failures) for r in repeat_failures(events, window_days=window)] == expected


def test_failure_patterns_leave_out_events_without_the_attribute() -> None:
    events = [FailureEvent(unit="a", at=T0, revision="B"), FailureEvent(unit="b", at=T0)]
    rows = failure_patterns(events, PatternKey.REVISION)
    assert [(r.key, r.failures, r.share) for r in rows] == [("B", 1, 1.0)]
