"""The visit report as the customer saw it when signing."""

from __future__ import annotations

import flet as ft

from app.ui import routes
from app.ui.state import AppState
from app.ui.views.a11y import copyable
from app.ui.views.common import screen


@ft.component
def ReportView(state: AppState) -> ft.View:
    t = state.t
    report = state.field.report
    lines = [t.phrase(line) for line in report.lines()] if report else [t("No report open.")]
    body: list[ft.Control] = [copyable(line, key=f"report-line-{i}") for i, line in enumerate(lines)]
    return screen(state, route=routes.REPORT, title=t("Visit report"), controls=body)
