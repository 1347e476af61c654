"""The desk's SLA attainment card: response and restore attainment and first-time fix over the KPI period, per
customer, and the CSV export. The figures are sync/domain/sla_attainment.py's; this only lays them out."""

from __future__ import annotations

import flet as ft

from app.services.sla_attainment import AttainmentCard
from app.ui.files import file_picker
from app.ui.state import AppState
from sync.domain.sla_attainment import Attainment, Tally


def _share(tally: Tally) -> str:
    """The percentage of decided clocks and what it is out of: "83.3 % (5/6, 1 open)"."""
    figure = "—" if tally.percent is None else f"{tally.percent} %"
    decided = tally.met + tally.missed
    opened = f", {tally.open} open" if tally.open else ""
    return f"{figure} ({tally.met}/{decided}{opened})"


def _ftf(figures: Attainment) -> str:
    percent = figures.first_time_fix_percent
    figure = "—" if percent is None else f"{percent} %"
    return f"{figure} ({figures.first_time_fixes}/{figures.visited_fixes})"


def _tile(label: str, value: str, key: str) -> ft.Control:
    return ft.Container(
        content=ft.Column(
            [ft.Text(label, size=12, color=ft.Colors.GREY_700), ft.Text(value, size=20, key=key)],
            spacing=2,
        ),
        padding=10,
        border=ft.Border.all(1, ft.Colors.BLUE_GREY_100),
        border_radius=8,
        width=200,
    )


def attainment_card(state: AppState, card: AttainmentCard) -> ft.Control:
    t, after = state.t, state.after
    figures = card.total

    async def export() -> None:
        data = after.attainment_csv()
        if data is not None:
            await file_picker().save_file(file_name=f"sla-attainment-{card.days or 'all'}d.csv", src_bytes=data)

    lines = [
        ft.Text(
            t(
                "{customer}: response {response} · restore {restore}",
                customer=name,
                response=_share(c.response),
                restore=_share(c.restore),
            ),
            size=12,
            key=f"sla-customer-{n}",
        )
        for n, (name, c) in enumerate(card.customers)
    ]
    return ft.Column(
        [
            ft.Row(
                [
                    _tile(t("SLA response attainment"), _share(figures.response), "sla-response"),
                    _tile(t("SLA restore attainment"), _share(figures.restore), "sla-restore"),
                    _tile(t("First-time fix"), _ftf(figures), "kpi-ftf"),
                ],
                wrap=True,
            ),
            *lines,
            ft.OutlinedButton(
                t("Export SLA attainment (CSV)"),
                icon=ft.Icons.DOWNLOAD,
                on_click=export,
                disabled=not figures.incidents,
                key="sla-csv",
            ),
        ],
        spacing=6,
        key="sla-card",
    )
