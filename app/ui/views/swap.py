"""FRU swap: scan out, scan in, why. Depot-only parts are refused with the reason."""

from __future__ import annotations

import flet as ft

from app.ui.state import AppState, PendingPhoto
from app.ui.views.a11y import named
from app.ui.views.capture import LiveTextField, PendingPhotos, ScanInput
from app.ui.views.common import big_button, heading, picker, screen
from sync.domain.evidence import PhotoKind

ERROR_CODES = ["E-FAN", "E-PSU", "E-BP-LINK", "E-IO-LINK", "E-RISER", "E-PHYS-DAMAGE", "OTHER"]


@ft.component
def SwapView(state: AppState) -> ft.View:
    t = state.t
    service = state.services.field
    asset_id, slot = state.asset_id or "", state.swap_slot or ""
    page = state.page_data
    current = next((s.part_serial for s in page.slots if s.slot == slot), None) if page else None
    locations = service.my_stock_locations()
    removed, set_removed = ft.use_state(current or "")
    location, set_location = ft.use_state(locations[0].id if locations else None)
    installed, set_installed = ft.use_state("")
    error_code, set_error_code = ft.use_state(ERROR_CODES[0])
    reason, set_reason = ft.use_state("")
    photos, set_photos = ft.use_state(list[PendingPhoto]())
    spares = service.spares_for_slot(asset_id=asset_id, slot=slot, location_id=location) if location else []

    def save() -> None:
        if not removed.strip() or not installed.strip() or location is None:
            state.say(t("Scan the removed part, the new part, and pick where the new part comes from"), error=True)
            return
        state.swap(
            removed_serial=removed,
            installed_serial=installed,
            location_id=location,
            error_code=error_code or "OTHER",
            reason=reason,
            photos=photos,
        )

    body: list[ft.Control] = [
        ft.Text(f"Swap FRU in slot {slot}", size=20, weight=ft.FontWeight.BOLD),
        ScanInput(
            state, label=t("Removed part serial (scan)"), value=removed, on_change=set_removed, name="swap-removed"
        ),
        picker(t("Take the new part from"), locations, location, set_location, key="swap-location"),
        ScanInput(
            state, label=t("New part serial (scan)"), value=installed, on_change=set_installed, name="swap-installed"
        ),
        ft.Text(
            f"{len(spares)} matching spares here" if spares else t("No matching spare at this location"),
            size=12,
            color=ft.Colors.GREY_700,
        ),
        *[ft.TextButton(c.label, on_click=lambda _, s=c.id: set_installed(s)) for c in spares[:5]],
        named(
            ft.Dropdown(
                label=t("Error code"),
                value=error_code,
                options=[ft.DropdownOption(key=c, text=c) for c in ERROR_CODES],
                on_select=lambda e: set_error_code(e.control.value),
                key="swap-error",
            )
        ),
        LiveTextField(label=t("Reason"), value=reason, on_change=set_reason, multiline=True, name="swap-reason"),
        heading(t("Photos of the removed part and any damage")),
        PendingPhotos(
            state,
            kinds=(PhotoKind.PART, PhotoKind.DAMAGE, PhotoKind.LABEL, PhotoKind.OTHER),
            on_change=set_photos,
            name="swap-photos",
        ),
        big_button(t("Save swap"), save, key="swap-save", icon=ft.Icons.SWAP_HORIZ),
    ]
    return screen(state, route="/swap", title=f"Swap {slot}", controls=body)
