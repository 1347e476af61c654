"""Installation: rack, U, measured depth and rail kit, with the fit check running as the user types."""

from __future__ import annotations

import flet as ft

from app.ui import routes, theme
from app.ui.drafts import install_key
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField, PendingPhotos, ScanInput
from app.ui.views.common import big_button, heading, parse_int, picker, screen
from app.ui.views.forms import use_form
from app.ui.views.rack import taken_banner
from sync.domain.evidence import PhotoKind


@ft.component
def InstallView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    # What is typed stays on the device until saved or discarded (app/ui/drafts.py); choices are kept as their ids
    # ("" for none). The form's values are current as events arrive (a render may lag): the fit check reads them.
    form = use_form((state.shell.drafts, routes.INSTALL, install_key(field.asset_id or "")))
    rack, set_rack = form.field("rack", "")
    rail, set_rail = form.field("rail", "")
    # No U until the installer types one: a default (it was U1) got saved unchanged, and raced select-all ("30"
    # became "130").
    u_text, set_u = form.field("u", "")
    depth_text, set_depth = form.field("depth", "")
    rail_scan, set_rail_scan = ft.use_state("")
    photos, set_photos = form.photos()  # kept with the draft, read at save as the fields are

    def check() -> None:
        field.preview_fit(
            rack_id=form["rack"] or None,
            depth_mm=parse_int(form["depth"]),
            rail_kit_id=form["rail"] or None,
            u_position=parse_int(form["u"]),
        )

    # A form opened again from its draft shows its fit check at once, not after the next keystroke.
    restored = form.draft is not None and bool(form.draft.kept)
    ft.use_effect(lambda: check() if restored else None, [])

    def pick_rail(kit: str | None) -> None:
        set_rail(kit or "")
        check()

    def scan_rail(code: str) -> None:
        set_rail_scan("")
        kit = field.rail_kit_by_code(code)
        if kit is not None:
            pick_rail(kit)

    def pick_rack(rack_id: str | None) -> None:
        set_rack(rack_id or "")
        depth = field.rack_depths.get(rack_id) if rack_id else None
        if depth is not None and not form["depth"]:
            set_depth(str(depth))
        check()

    def type_u(text: str) -> None:
        set_u(text)
        check()

    def type_depth(text: str) -> None:
        set_depth(text)
        check()

    preview = field.fit
    warnings = [
        ft.Container(
            content=ft.Row(
                [ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.WHITE), ft.Text(w, color=ft.Colors.WHITE, expand=True)]
            ),
            bgcolor=theme.WARNING,
            padding=8,
            border_radius=6,
            key=f"fit-warning-{i}",
        )
        for i, w in enumerate(preview.warnings)
    ]
    # Taken Us are refused on save, not a warning to override: say so before the installer tries.
    refusal = [taken_banner(t("Refused: {reason}", reason=preview.taken))] if preview.taken else []
    ready = bool(rack) and parse_int(u_text) is not None and parse_int(depth_text) is not None

    def save() -> None:
        rack_id, u, depth = form["rack"], parse_int(form["u"]), parse_int(form["depth"])
        if not rack_id or u is None or depth is None:
            state.shell.say(t("Pick the rack and enter U position and measured depth"), error=True)
            return
        field.install(
            rack_id=rack_id, u_position=u, depth_mm=depth, rail_kit_id=form["rail"] or None, photos=form["photos"]
        )

    fit_line = (
        ft.Text(t("Fits: rail kit and rack depth agree"), color=ft.Colors.GREEN_800, key="fit-ok")
        if ready and preview.fits and not preview.taken
        else ft.Container(height=0)
    )
    body: list[ft.Control] = [
        picker(t, t("Rack"), field.racks, rack or None, pick_rack, key="install-rack"),
        LiveTextField(
            label=t("U position (bottom)"),
            value=u_text,
            on_change=type_u,
            keyboard_type=ft.KeyboardType.NUMBER,
            name="install-u",
        ),
        LiveTextField(
            label=t("Measured rack depth (mm)"),
            value=depth_text,
            on_change=type_depth,
            keyboard_type=ft.KeyboardType.NUMBER,
            name="install-depth",
        ),
        ScanInput(
            state,
            label=t("Scan the rail kit label"),
            value=rail_scan,
            on_change=set_rail_scan,
            on_scan=scan_rail,
            name="install-rail-scan",
        ),
        picker(t, t("Rail kit"), field.rail_kits, rail or None, pick_rail, key="install-rail"),
        *refusal,
        *warnings,
        fit_line,
        heading(t("Install and label photos")),
        PendingPhotos(
            state,
            photos=photos,
            kinds=(PhotoKind.INSTALL, PhotoKind.LABEL, PhotoKind.OTHER),
            on_change=set_photos,
            name="install-photos",
        ),
        big_button(
            t("Save anyway (misfit is recorded)") if warnings else t("Save installation"),
            save,
            key="install-save",
            icon=ft.Icons.SAVE,
        ),
    ]
    return screen(state, route=routes.INSTALL, title=t("Installation"), controls=body)
