"""The failure-analysis report: what the depot found, over a period, for one SKU or all; exported as CSV."""

from __future__ import annotations

from datetime import UTC

import flet as ft

from app.i18n import Translator
from app.services.failure_report import NamedRow
from app.timefmt import local_text
from app.ui.files import file_picker
from app.ui.state import AppState
from app.ui.views.a11y import named
from app.ui.views.common import heading, period_field, screen
from sync.domain.failure_analysis import RootCauseRow
from sync.domain.kpi import REPEAT_WINDOW_DAYS, PatternKey

ALL = "all"
PATTERN_TITLES = {
    PatternKey.SKU: "By SKU",
    PatternKey.PART_NUMBER: "By part number",
    PatternKey.REVISION: "By revision",
    PatternKey.LOT: "By lot",
}


def _cause_rows(t: Translator, rows: tuple[RootCauseRow, ...], *, name: str) -> list[ft.Control]:
    out: list[ft.Control] = []
    for n, row in enumerate(rows):
        codes = ", ".join(f"{code} ×{count}" for code, count in row.error_codes[:4])
        actions = "; ".join(row.corrective_actions) or t("no corrective action recorded")
        out.append(
            ft.ListTile(
                title=ft.Text(f"{row.cause} — {row.orders} ({row.share * 100:.0f} %)"),
                subtitle=ft.Text(f"{t('Corrective action')}: {actions}" + (f" · {codes}" if codes else "")),
                key=f"{name}-{n}",
            )
        )
    return out or [ft.Text(t("None in this period"), italic=True)]


def _pattern_rows(rows: tuple[NamedRow, ...], *, name: str) -> list[ft.Control]:
    return [
        ft.Text(f"{row.label}: {row.failures} ({row.share * 100:.0f} %)", key=f"{name}-{n}")
        for n, row in enumerate(rows[:8])
    ]


@ft.component
def FailuresView(state: AppState, route: str) -> ft.View:
    t, after = state.t, state.after
    page = after.failures
    if page is None:
        return screen(state, route=route, title=t("Failure analysis"), controls=[])
    days, sku_id = after.failure_days, after.failure_sku
    report = page.analysis

    async def export() -> None:
        data = after.failures_csv()
        if data is not None:
            await file_picker().save_file(file_name=f"failure-analysis-{days or 'all'}d.csv", src_bytes=data)

    nff = f"{report.nff_rate * 100:.0f} %" if report.nff_rate is not None else "—"
    body: list[ft.Control] = [
        ft.Row(
            [
                period_field(t, days, lambda d: after.filter_failures(days=d, sku_id=sku_id), key="failures-period"),
                named(
                    ft.Dropdown(
                        label=t("SKU"),
                        value=sku_id or ALL,
                        options=[
                            ft.DropdownOption(key=ALL, text=t("All SKUs")),
                            *(ft.DropdownOption(key=sid, text=code) for sid, code in page.sku_choices),
                        ],
                        on_select=lambda e: after.filter_failures(
                            days=days, sku_id=None if e.control.value in (None, ALL) else e.control.value
                        ),
                        width=200,
                        key="failures-sku",
                    )
                ),
            ],
            wrap=True,
        ),
        ft.Text(
            t(
                "{graded} units graded: {confirmed} confirmed failures, {nff_count} no fault found (NFF rate {nff})",
                graded=report.graded,
                confirmed=report.confirmed,
                nff_count=report.no_fault_found,
                nff=nff,
            ),
            key="failures-summary",
        ),
        ft.FilledTonalButton(
            t("Export CSV"), icon=ft.Icons.DOWNLOAD, on_click=export, disabled=not report.graded, key="failures-csv"
        ),
        heading(t("Root causes of confirmed failures")),
        *_cause_rows(t, page.root_causes, name="failures-cause"),
        heading(t("Why good units came back (NFF)")),
        *_cause_rows(t, page.nff_causes, name="failures-nff"),
        heading(t("Error codes")),
        ft.Text(", ".join(f"{code} ×{count}" for code, count in report.error_codes) or "—", key="failures-codes"),
    ]
    if report.repeats:
        window = t("Units that failed again within {days} days", days=REPEAT_WINDOW_DAYS)
        body.append(heading(window))
        body.extend(
            ft.Text(
                t(
                    "{serial}: {count} failures, last {day}",
                    serial=r.unit,
                    count=r.failures,
                    day=local_text(r.last_at if r.last_at.tzinfo else r.last_at.replace(tzinfo=UTC), None),
                ),
                key=f"failures-repeat-{n}",
            )
            for n, r in enumerate(report.repeats[:10])
        )
    for key, title in PATTERN_TITLES.items():
        rows = page.patterns[key]
        if rows:
            body.append(heading(t(title)))
            body.extend(_pattern_rows(rows, name=f"failures-{key.value}"))
    return screen(state, route=route, title=t("Failure analysis"), controls=body)
