"""The chassis page: what it is, where it is, whether it is covered, its FRUs by slot, and its history."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.ui import routes, theme
from app.ui.state import AppState
from app.ui.views.a11y import copyable
from app.ui.views.capture import RecordPhotos
from app.ui.views.common import big_button, heading, record_row, rma_row_title, screen
from app.ui.views.incidents import asset_incidents
from app.ui.views.return_offers import return_offers
from app.vocabulary import label
from sync.domain.evidence import PhotoKind


def asset_rmas(state: AppState) -> ft.Control:
    """On the chassis page: draft an RMA, and the RMAs this chassis already has."""
    after = state.after
    rows = [
        record_row(
            rma_row_title(state.t, r),
            f"{state.t(label(r.status))} · {state.t.phrase(r.age)} · {r.symptom}",
            icon=ft.Icons.ASSIGNMENT_RETURN,
            on_click=partial(after.open_rma, r.rma_id),
        )
        for r in after.asset_rmas
    ]
    return ft.Column(
        [
            *return_offers(state),
            big_button(state.t("Draft RMA"), after.start_draft, key="go-rma-draft", icon=ft.Icons.ASSIGNMENT_RETURN),
            *rows,
        ],
        spacing=6,
    )


@ft.component
def AssetView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    data = field.page_data
    if data is None:
        return screen(state, route=routes.ASSET, title=t("Chassis"), controls=[ft.Text(t("No chassis open."))])
    s = data.summary
    covered = data.entitlement.covered
    badge = ft.Container(
        content=ft.Text(
            # The tier an incident would run under now (app/services/incidents.py), else the entitlement's word.
            t.phrase(state.incidents.coverage_title or data.coverage_text),
            color=ft.Colors.WHITE,
            weight=ft.FontWeight.BOLD,
            key="coverage",
        ),
        bgcolor=theme.GOOD if covered else theme.PROBLEM,
        padding=ft.Padding.symmetric(horizontal=10, vertical=6),
        border_radius=6,
    )
    where = (
        t("{site} · rack {rack} · U{u}", site=t.phrase(s.site_name), rack=s.rack_name or "—", u=s.u_position)
        if s.u_position
        else t.phrase(s.site_name)
    )
    slots = [
        ft.ListTile(
            title=ft.Text(f"{slot.slot}: {slot.part_serial or t('empty')}"),
            subtitle=ft.Text(t(slot.fru_type)),
            trailing=ft.OutlinedButton(
                t("Swap"), on_click=lambda _, n=slot.slot: field.start_swap(n), key=f"swap-{slot.slot}"
            ),
        )
        for slot in data.slots
    ]
    history: list[ft.Control] = [
        ft.ListTile(
            title=ft.Text(t.phrase(h.title)),
            subtitle=ft.Text(f"{h.when} · {t.phrase(h.detail)}"),
            dense=True,
            on_click=(lambda _, i=h.record_id: field.show_report(i)) if h.kind == "visit" else None,
        )
        for h in data.history
    ]
    body: list[ft.Control] = [
        copyable(s.serial, size=26, weight=ft.FontWeight.BOLD, key="asset-serial"),
        ft.Text(f"{s.sku_code} — {s.sku_name} ({t(s.family)}) rev {data.revision}"),
        ft.Text(where),
        ft.Row([badge], wrap=True),
        # The warranty's end and the contract's term, once (the badge names the tier).
        ft.Text("; ".join(map(t.phrase, data.entitlement.reasons)), size=12, color=ft.Colors.GREY_700),
        *asset_incidents(state),
        ft.Row(
            [
                big_button(t("Install / move"), field.open_install, key="go-install", icon=ft.Icons.STORAGE),
                big_button(t("Rack"), state.rack.open_racks, key="go-rack", icon=ft.Icons.VIEW_AGENDA),
                big_button(
                    t("Visit report") if field.visit else t("Start visit"),
                    field.start_visit,
                    key="go-visit",
                    icon=ft.Icons.ENGINEERING,
                ),
            ],
            wrap=True,
        ),
        asset_rmas(state),
        heading(t("Installed FRUs")),
        *slots,
        heading(t("Photos")),
        RecordPhotos(
            state,
            thumbs=field.asset_photos,
            on_images=lambda kind, images: field.add_photos(
                subject_collection="assets", subject_id=s.id, kind=kind, images=images
            ),
            kinds=(PhotoKind.LABEL, PhotoKind.INSTALL, PhotoKind.DAMAGE, PhotoKind.OTHER),
            name="asset-photos",
        ),
        heading(t("History")),
        *(history or [ft.Text(t("No history yet."))]),
    ]
    return screen(state, route=routes.ASSET, title=s.serial, controls=body)
