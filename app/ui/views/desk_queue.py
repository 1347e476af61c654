"""The desk's RMA queue by status with its ages; on a laptop the picked RMA sits beside the queue (as on the desk's
home), on a phone a tap opens the RMA's own screen."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services.aftersales_models import RmaRow
from app.ui.state import AppState
from app.ui.views.a11y import copyable
from app.ui.views.common import big_button, heading, rma_row_title
from app.ui.views.homes.parts import empty, list_and_detail
from app.ui.views.homes.parts import row as case_row
from app.vocabulary import label, label_of
from sync.domain.service import Severity


def _rows(state: AppState) -> list[ft.Control]:
    t, home = state.t, state.home
    rows: list[ft.Control] = []
    for group in state.after.queue:
        late = f" · {t('{count} late', count=group.late)}" if group.late else ""
        rows.append(
            heading(f"{t(label(group.status)).upper()} ({len(group.rows)}){late}", key=f"queue-{group.status.value}")
        )
        for row in group.rows:
            missing = f" · {t('{count} evidence missing', count=row.missing)}" if row.missing else ""
            rows.append(
                case_row(
                    rma_row_title(t, row),
                    f"{t.phrase(row.age)} {t('in status')}{missing} · {row.symptom}",
                    icon=ft.Icons.TIMER_OFF if row.late else ft.Icons.TIMER,
                    color=ft.Colors.RED_700 if row.late else ft.Colors.GREEN_700,
                    on_click=partial(home.open_queue_row, row.rma_id),
                    selected=home.wide and row.rma_id == home.picked_case,
                    key=f"queue-row-{row.rma_id}",
                )
            )
    return rows


def _detail(state: AppState, row: RmaRow | None) -> list[ft.Control]:
    t = state.t
    if row is None:
        return [empty(t("Pick a case on the left to see it here."), key="empty-queue-detail")]
    late = f" · {t('late')}" if row.late else ""
    return [
        heading(rma_row_title(t, row), key="queue-detail-title"),
        ft.Text(f"{t(label(row.status))} · {t.phrase(row.age)} {t('in status')}{late}"),
        ft.Text(f"{t('Service model')}: {t(label(row.model))}"),
        ft.Text(f"{t('Severity')}: {t(label_of(Severity, row.severity))}"),
        *([ft.Text(t("{count} evidence missing", count=row.missing))] if row.missing else []),
        copyable(row.symptom or t("No symptom written yet.")),
        big_button(
            t("Open RMA"),
            partial(state.after.open_rma, row.rma_id),
            key="queue-detail-open",
            icon=ft.Icons.OPEN_IN_NEW,
        ),
    ]


def queue(state: AppState) -> list[ft.Control]:
    """The queue, with the picked RMA beside it on a wide screen."""
    picked = state.home.picked_case
    row = next((r for g in state.after.queue for r in g.rows if r.rma_id == picked), None)
    return list_and_detail(state, _rows(state), _detail(state, row))
