"""The swap-to-return chain on the chassis page: each part swapped out with no RMA yet, offered for return."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.ui.state import AppState
from app.ui.views.common import record_row


def return_offers(state: AppState) -> list[ft.Control]:
    t, after = state.t, state.after
    return [
        record_row(
            t("Return the removed part {serial}", serial=offer.part_serial),
            t("{code} in {slot}: draft its RMA", code=offer.error_code, slot=offer.slot),
            icon=ft.Icons.KEYBOARD_RETURN,
            on_click=partial(after.start_return, offer.swap_id),
            key=f"return-offer-{offer.part_serial}",
        )
        for offer in after.return_offers
    ]
