"""The evidence photos on an RMA's page: a thumbnail per photo the approval gate counts, tap to see it full size.

The desk approves on these pictures, so it sees them, not only the checklist's ticks. A photo whose thumbnail is not
on this device yet shows a placeholder; tapping it fetches the full picture all the same.
"""

from __future__ import annotations

from functools import partial

import flet as ft

from app.i18n import Translator
from app.timefmt import local_text
from app.ui.aftersales_state import AfterSalesState
from app.ui.views.common import heading
from sync.domain.rma import EvidenceItem

THUMB = 96  # px: above the 48 px touch target, four to a phone-width row
ITEM_TEXT = {
    EvidenceItem.INSTALL_PHOTOS: "Install photo {n}",
    EvidenceItem.LABEL_PHOTOS: "Label photo {n}",
    EvidenceItem.CONTROLLER_LOGS: "Log screenshot {n}",
}


def evidence_photos(after: AfterSalesState, t: Translator, zone: str | None) -> list[ft.Control]:
    tiles: list[ft.Control] = []
    counts: dict[EvidenceItem, int] = {}
    for index, shown in enumerate(after.evidence_photos):
        counts[shown.item] = counts.get(shown.item, 0) + 1
        name = t(ITEM_TEXT[shown.item], n=counts[shown.item])
        picture: ft.Control = (
            ft.Image(src=shown.thumbnail, width=THUMB, height=THUMB, fit=ft.BoxFit.COVER, border_radius=6)
            if shown.thumbnail is not None
            else ft.Container(
                content=ft.Icon(ft.Icons.IMAGE_OUTLINED),
                width=THUMB,
                height=THUMB,
                alignment=ft.Alignment.CENTER,
                bgcolor=ft.Colors.BLUE_GREY_50,
                border_radius=6,
            )
        )
        tiles.append(
            # A button whose text names the photo: tappable, and screen readers hear what it is.
            ft.TextButton(
                content=ft.Column([picture, ft.Text(name, size=12)], spacing=2, tight=True),
                on_click=partial(after.enlarge, shown.photo),
                key=f"evidence-photo-{index}",
            )
        )
    if not tiles:
        return []
    out: list[ft.Control] = [heading(t("Evidence photos")), ft.Row(tiles, wrap=True, key="evidence-photos")]
    big = after.enlarged
    if big is not None:
        caption = f"{big.kind.value.replace('_', ' ')} · {local_text(big.taken_at, zone)}"
        out += [
            ft.Row(
                [
                    ft.Text(caption, weight=ft.FontWeight.BOLD, expand=True, key="evidence-enlarged-caption"),
                    ft.TextButton(
                        t("Close photo"), icon=ft.Icons.CLOSE, on_click=after.close_enlarged, key="evidence-close"
                    ),
                ]
            ),
            ft.Image(
                src=big.data,
                fit=ft.BoxFit.CONTAIN,
                semantics_label=caption,
                key="evidence-enlarged",
            ),
        ]
    return out
