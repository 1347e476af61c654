"""The chassis page: what it is, where it is, whether it is covered, its FRUs by slot, and its history."""

from __future__ import annotations

import flet as ft

from app.ui.state import AppState
from app.ui.views.capture import RecordPhotos
from app.ui.views.common import big_button, heading, screen
from app.ui.views.rma import AssetRmas
from sync.domain.evidence import PhotoKind


@ft.component
def AssetView(state: AppState) -> ft.View:
    t = state.t
    data = state.page_data
    if data is None:
        return screen(state, route="/asset", title=t("Chassis"), controls=[ft.Text(t("No chassis open."))])
    s = data.summary
    covered = data.entitlement.covered
    badge = ft.Container(
        content=ft.Text(data.coverage_text, color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD, key="coverage"),
        bgcolor=ft.Colors.GREEN_700 if covered else ft.Colors.RED_700,
        padding=ft.Padding.symmetric(horizontal=10, vertical=6),
        border_radius=6,
    )
    where = f"{s.site_name} · rack {s.rack_name or '—'} · U{s.u_position}" if s.u_position else s.site_name
    warranty = f"warranty until {data.warranty_end}" if data.warranty_end else "no warranty date"
    slots = [
        ft.ListTile(
            title=ft.Text(f"{slot.slot}: {slot.part_serial or 'empty'}"),
            subtitle=ft.Text(slot.fru_type.replace("_", " ")),
            trailing=ft.OutlinedButton(
                t("Swap"), on_click=lambda _, n=slot.slot: state.start_swap(n), key=f"swap-{slot.slot}"
            ),
        )
        for slot in data.slots
    ]
    history: list[ft.Control] = [
        ft.ListTile(
            title=ft.Text(f"{h.title}"),
            subtitle=ft.Text(f"{h.at:%Y-%m-%d %H:%M} · {h.detail}"),
            dense=True,
            on_click=(lambda _, i=h.record_id: state.show_report(i)) if h.kind == "visit" else None,
        )
        for h in data.history
    ]
    visit = state.services.field.open_visit(s.id)
    body: list[ft.Control] = [
        ft.Text(s.serial, size=26, weight=ft.FontWeight.BOLD, selectable=True, key="asset-serial"),
        ft.Text(f"{s.sku_code} — {s.sku_name} ({s.family.replace('_', ' ')}) rev {data.revision}"),
        ft.Text(where),
        ft.Row([badge, ft.Text(warranty)], wrap=True),
        ft.Text("; ".join(data.entitlement.reasons), size=12, color=ft.Colors.GREY_700),
        ft.Row(
            [
                big_button(t("Install / move"), lambda: state.go("/install"), key="go-install", icon=ft.Icons.STORAGE),
                big_button(
                    t("Visit report") if visit else t("Start visit"),
                    (lambda: state.go("/visit")) if visit else state.start_visit,
                    key="go-visit",
                    icon=ft.Icons.ENGINEERING,
                ),
            ],
            wrap=True,
        ),
        AssetRmas(state),
        heading(t("Installed FRUs")),
        *slots,
        heading(t("Photos")),
        RecordPhotos(
            state,
            subject_collection="assets",
            subject_id=s.id,
            kinds=(PhotoKind.LABEL, PhotoKind.INSTALL, PhotoKind.DAMAGE, PhotoKind.OTHER),
            name="asset-photos",
        ),
        heading(t("History")),
        *(history or [ft.Text(t("No history yet."))]),
    ]
    return screen(state, route="/asset", title=s.serial, controls=body)
