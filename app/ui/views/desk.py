"""Service desk: its figures and the RMA queue by status with SLA-style ages (desk_queue.py), and the advance-exchange
ledger."""

from __future__ import annotations

import flet as ft

from app.ui import routes
from app.ui.state import AppState
from app.ui.views.common import big_button, heading, period_field, record_row, screen
from app.ui.views.desk_queue import queue
from app.ui.views.sla_card import attainment_card
from sync.domain.credit import money
from sync.domain.kpi import KpiReport


def _figure(value: float | None, unit: str, *, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f} %" if percent else f"{value:.1f} {unit}"


def kpi_card(state: AppState, report: KpiReport) -> ft.Control:
    """The desk's numbers at a glance, computed from the records (sync/domain/kpi.py), never typed in."""
    t = state.t
    tiles = [
        (t("RMA issuance (median)"), _figure(report.issuance_hours_median, "h"), "kpi-issuance"),
        (t("Turnaround (median)"), _figure(report.turnaround_days_median, "d"), "kpi-tat"),
        (t("Depot turnaround (median)"), _figure(report.depot_turnaround_hours_median, "h"), "kpi-depot-tat"),
        (t("NFF rate"), _figure(report.nff_rate, "", percent=True), "kpi-nff"),
        (
            t("Unreturned units"),
            " · ".join([str(len(report.unreturned)), *(money(c, cur) for cur, c in report.unreturned_penalties)]),
            "kpi-unreturned",
        ),
    ]
    return ft.Row(
        [
            ft.Container(
                content=ft.Column(
                    [ft.Text(label, size=12, color=ft.Colors.GREY_700), ft.Text(value, size=20, key=key)],
                    spacing=2,
                ),
                padding=10,
                border=ft.Border.all(1, ft.Colors.BLUE_GREY_100),
                border_radius=8,
                width=170,
            )
            for label, value, key in tiles
        ],
        wrap=True,
        key="kpi-card",
    )


@ft.component
def DeskView(state: AppState) -> ft.View:
    t, after = state.t, state.after
    body: list[ft.Control] = [
        period_field(t, after.kpi_days, after.set_kpi_days, key="kpi-period"),
        *([kpi_card(state, after.kpis)] if after.kpis else []),
        *([attainment_card(state, after.attainment)] if after.attainment else []),
        big_button(t("Advance exchange ledger"), after.open_ledger, key="go-ledger", icon=ft.Icons.SWAP_HORIZ),
        big_button(t("Failure analysis"), after.open_failures, key="go-failures", icon=ft.Icons.QUERY_STATS),
        *queue(state),
    ]
    return screen(state, route=routes.DESK, title=t("RMA queue"), controls=body)


@ft.component
def LedgerView(state: AppState) -> ft.View:
    t, after = state.t, state.after
    rows = after.ledger
    body: list[ft.Control] = [
        heading(t("{count} open returns, {late} overdue", count=len(rows), late=sum(1 for r in rows if r.overdue)))
    ]
    for row in rows:
        if row.overdue:
            when = t(
                "{days} days overdue, penalty {penalty}",
                days=row.days_overdue,
                penalty=money(row.penalty_due_cents, row.currency),
            )
        else:
            when = t("{days} business days left", days=row.business_days_left)
        body.append(
            record_row(
                f"{row.serial} / {row.replacement_serial or '-'}",
                f"{t.phrase(row.source)} · {row.site_name} · {t('due')} {row.due_on} · {when}",
                icon=ft.Icons.WARNING if row.overdue else ft.Icons.SCHEDULE,
                color=ft.Colors.RED_700 if row.overdue else ft.Colors.BLUE_GREY_700,
                key=f"ledger-row-{row.obligation_id}",
            )
        )
    return screen(state, route=routes.LEDGER, title=t("Advance exchange ledger"), controls=body)
