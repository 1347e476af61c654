"""A customer's home: their returns with where each stands and what happens next, return labels to print, and the
reports of finished visits to download."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services.homes import WHAT_NEXT
from app.timefmt import local_text
from app.ui import theme
from app.ui.files import file_picker
from app.ui.state import AppState
from app.ui.views.homes.parts import empty, entry_buttons, row, section, words


def _label_button(state: AppState, rma_id: str, number: str) -> ft.Control:
    async def save() -> None:
        data = state.home.return_label(rma_id)
        if data is not None:
            await file_picker().save_file(file_name=f"{number}.pdf", src_bytes=data)

    return ft.OutlinedButton(
        state.t("Return label {number}", number=number),
        icon=ft.Icons.PRINT,
        on_click=save,
        height=theme.TOUCH,
        key=f"label-{rma_id}",
    )


def _report_button(state: AppState, visit_id: str, serial: str) -> ft.Control:
    async def save() -> None:
        data = state.home.report_file(visit_id)
        if data is not None:
            await file_picker().save_file(file_name=f"visit-{serial}.txt", src_bytes=data)

    return ft.OutlinedButton(
        state.t("Download report"), icon=ft.Icons.DOWNLOAD, on_click=save, height=theme.TOUCH, key=f"report-{visit_id}"
    )


def customer_home(state: AppState) -> list[ft.Control]:
    t, home = state.t, state.home
    page = home.page
    cases = page.cases if page else ()
    reports = page.reports if page else ()
    # The incidents this customer reported or that run on its chassis open from the Incidents button.
    body: list[ft.Control] = [entry_buttons(state), section(t("Your returns"), key="home-returns")]
    if not cases:
        body.append(
            empty(
                t("No returns yet. To return a part, scan its chassis and choose Return a part."), key="empty-returns"
            )
        )
    for case in cases:
        number = case.number or t("not numbered yet")
        body.append(
            row(
                f"{number} · {case.serial}",
                f"{words(state, case.status)} — {t(WHAT_NEXT[case.status])}",
                icon=ft.Icons.ASSIGNMENT_RETURN,
                on_click=partial(home.open_case, case.rma_id),
                key=f"case-{case.rma_id}",
            )
        )
        if case.has_label and case.number:
            body.append(ft.Row([_label_button(state, case.rma_id, case.number)], alignment=ft.MainAxisAlignment.END))
    body.append(section(t("Visit reports"), key="home-reports"))
    if not reports:
        body.append(
            empty(t("No visit reports yet. One appears here when an engineer finishes a visit."), key="empty-reports")
        )
    for r in reports:
        body.append(
            row(
                f"{r.serial} · {r.site_name}",
                t("finished {when}", when=local_text(r.left_at, r.timezone)),
                icon=ft.Icons.DESCRIPTION,
                on_click=None,
                trailing=_report_button(state, r.visit_id, r.serial),
                key=f"visit-report-{r.visit_id}",
            )
        )
    return body
