"""FRU swap: scan out, scan in, why. Depot-only parts are refused with the reason."""

from __future__ import annotations

import flet as ft

from app.ui import routes
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField, PendingPhotos, ScanInput
from app.ui.views.common import big_button, choice_field, heading, picker, screen
from app.ui.views.empty import empty_note
from app.ui.views.forms import use_form
from sync.domain.error_codes import FIELD_SWAP_CODES
from sync.domain.evidence import PhotoKind


@ft.component
def SwapView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    slot = field.swap_slot or ""
    page = field.page_data
    current = next((s.part_serial for s in page.slots if s.slot == slot), None) if page else None
    # Read at save from the form (forms.py), not from this render: the last keystroke's render can come after the
    # click, and the swap then kept "fan 3 tach failur" (its RMA draft repeated it).
    key = f"swap:{field.asset_id}:{slot}"
    values = use_form((state.shell.drafts, routes.SWAP, key))
    removed, set_removed = values.field("removed", current or "")
    first_location = field.locations[0].id if field.locations else ""
    location, set_location = values.field("location", first_location, kept=False)
    installed, set_installed = values.field("installed", "")
    error_code, set_error_code = values.field("error_code", FIELD_SWAP_CODES[0])
    reason, set_reason = values.field("reason", "")
    photos, set_photos = values.photos()  # kept with the draft, read at save as the fields are
    spares = field.spares

    def pick_location(location_id: str | None) -> None:
        set_location(location_id or "")
        field.pick_swap_location(location_id)

    def save() -> None:
        removed, installed, location = values["removed"], values["installed"], values["location"]
        if not removed.strip() or not installed.strip() or not location:
            state.shell.say(
                t("Scan the removed part, the new part, and pick where the new part comes from"), error=True
            )
            return
        field.swap(
            removed_serial=removed,
            installed_serial=installed,
            location_id=location,
            error_code=values["error_code"] or FIELD_SWAP_CODES[-1],
            reason=values["reason"],
            photos=values["photos"],
        )
        if state.shell.route != routes.SWAP:  # saved: back on the chassis
            state.shell.drafts.saved(key)

    body: list[ft.Control] = [
        ft.Text(t("Swap FRU in slot {slot}", slot=slot), size=20, weight=ft.FontWeight.BOLD),
        ScanInput(
            state, label=t("Removed part serial (scan)"), value=removed, on_change=set_removed, name="swap-removed"
        ),
        picker(t, t("Take the new part from"), field.locations, location or None, pick_location, key="swap-location")
        if field.locations
        else empty_note(
            t("No stock to take a part from on this device: sync now, or ask the desk to assign you a van"),
            key="swap-location-empty",
        ),
        ScanInput(
            state, label=t("New part serial (scan)"), value=installed, on_change=set_installed, name="swap-installed"
        ),
        ft.Text(
            f"{len(spares)} matching spares here"
            if spares
            else t("No matching spare at this location: pick another one, or scan the new part's serial"),
            size=12,
            color=ft.Colors.GREY_700,
        ),
        *[ft.TextButton(c.label, on_click=lambda _, s=c.id: set_installed(s)) for c in spares[:5]],
        choice_field(
            t("Error code"),
            FIELD_SWAP_CODES,
            error_code,
            lambda v: set_error_code(v or FIELD_SWAP_CODES[-1]),
            key="swap-error",
        ),
        LiveTextField(label=t("Reason"), value=reason, on_change=set_reason, multiline=True, name="swap-reason"),
        heading(t("Photos of the removed part and any damage")),
        PendingPhotos(
            state,
            photos=photos,
            kinds=(PhotoKind.PART, PhotoKind.DAMAGE, PhotoKind.LABEL, PhotoKind.OTHER),
            on_change=set_photos,
            name="swap-photos",
        ),
        big_button(t("Save swap"), save, key="swap-save", icon=ft.Icons.SWAP_HORIZ),
    ]
    return screen(state, route=routes.SWAP, title=f"Swap {slot}", controls=body)
