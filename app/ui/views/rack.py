"""The rack screens: a rack drawn U by U (top U at the top, each chassis as tall as it is), and the batch install flow
(rack label, then for each chassis its serial, U and rail kit, checked live before save).

On a phone the rack and its side panel stack; on a laptop they sit side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import flet as ft

from app.i18n import Translator
from app.services.racks import Band, ChassisInRack, RackElevation
from app.ui import routes
from app.ui.files import pick_images
from app.ui.state import AppState
from app.ui.views.capture import CameraPanel, LiveTextField, label_buttons
from app.ui.views.common import big_button, heading, parse_int, picker, record_row, screen
from app.ui.views.forms import NONE, use_value

# Height of one U on screen: a 1U chassis is still a 48 px touch target.
U_PX = 48
U_LABEL_PX = 56
# Phone: one column; laptop (md and up): the side panel beside the rack.
SIDE_BY_SIDE: dict[str | ft.ResponsiveRowBreakpoint, int | float] = {"xs": 12, "md": 5}
RACK_COLUMN: dict[str | ft.ResponsiveRowBreakpoint, int | float] = {"xs": 12, "md": 7}


def _chassis_text(t: Translator, chassis: ChassisInRack) -> str:
    rails = t("rail kit {kit}", kit=chassis.rail_kit) if chassis.rail_kit else t("no rail kit recorded")
    return f"{chassis.serial}, {t.phrase(chassis.span)}, {chassis.model}, {rails}"


def _chassis_block(t: Translator, chassis: ChassisInRack, *, clash: bool, on_open: Callable[[str], None]) -> ft.Control:
    rails = chassis.rail_kit or t("no rail kit recorded")
    white = ft.Colors.WHITE
    if chassis.height_u == 1:
        lines: list[ft.Control] = [
            ft.Text(
                f"{chassis.serial} · {chassis.model} · {rails}",
                color=white,
                weight=ft.FontWeight.BOLD,
                size=13,
                max_lines=1,
                overflow=ft.TextOverflow.ELLIPSIS,
            )
        ]
    else:
        lines = [
            ft.Text(chassis.serial, color=white, weight=ft.FontWeight.BOLD, size=15),
            ft.Text(chassis.model, color=white, size=13, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
            ft.Text(
                f"{t.phrase(chassis.span)} · {rails}",
                color=white,
                size=13,
                max_lines=1,
                overflow=ft.TextOverflow.ELLIPSIS,
            ),
        ]
    block = ft.Container(
        content=ft.Column(lines, spacing=0, alignment=ft.MainAxisAlignment.CENTER),
        # Blue-grey 800 and red 900 both keep white text above WCAG AA (4.5:1).
        bgcolor=ft.Colors.RED_900 if clash else ft.Colors.BLUE_GREY_800,
        border_radius=4,
        padding=ft.Padding.symmetric(horizontal=10, vertical=2),
        expand=True,
        on_click=lambda _: on_open(chassis.asset_id),
        ink=True,
        key=f"rack-chassis-{chassis.serial}",
    )
    # Its own name only (the painted lines say the same in pieces): "NBG82600018, 4U at U35–U38, <model>, rail kit …".
    # The tap is named here too: with the lines excluded, a screen reader's (or the test's) tap reaches this node.
    return ft.Semantics(
        content=block,
        label=_chassis_text(t, chassis),
        button=True,
        container=True,
        exclude_semantics=True,
        on_tap=lambda _: on_open(chassis.asset_id),
        expand=True,
    )


def _band(t: Translator, band: Band, on_open: Callable[[str], None]) -> ft.Control:
    label = f"U{band.top_u}" if band.height_u == 1 else f"U{band.top_u}\n–U{band.bottom_u}"
    u_label = ft.Container(
        content=ft.Text(label, size=12, color=ft.Colors.BLUE_GREY_900, text_align=ft.TextAlign.RIGHT),
        width=U_LABEL_PX,
        alignment=ft.Alignment.TOP_RIGHT,
        padding=ft.Padding.only(right=6, top=4),
    )
    if not band.chassis:
        body: ft.Control = ft.Container(
            content=ft.Text(t("U{u} empty", u=band.top_u), size=12, color=ft.Colors.BLUE_GREY_700),
            border=ft.Border.all(1, ft.Colors.BLUE_GREY_100),
            padding=ft.Padding.only(left=10),
            alignment=ft.Alignment.CENTER_LEFT,
            expand=True,
            key=f"rack-empty-{band.top_u}",
        )
    else:
        body = ft.Row(
            [_chassis_block(t, c, clash=band.clash, on_open=on_open) for c in band.chassis], spacing=2, expand=True
        )
    return ft.Container(
        content=ft.Row([u_label, body], spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH),
        height=band.height_u * U_PX,
        padding=ft.Padding.symmetric(vertical=1),
    )


def elevation_drawing(t: Translator, view: RackElevation, on_open: Callable[[str], None]) -> ft.Control:
    """The rack U by U, top U first: empty Us one by one, each chassis a block as tall as its height."""
    return ft.Container(
        content=ft.Column([_band(t, b, on_open) for b in view.bands], spacing=0),
        border=ft.Border.all(2, ft.Colors.BLUE_GREY_400),
        border_radius=6,
        padding=4,
        key="rack-elevation",
    )


def _summary(state: AppState, view: RackElevation) -> list[ft.Control]:
    t = state.t
    free = max(view.height_u - view.used_u, 0)
    clashes = [b for b in view.bands if b.clash]
    out: list[ft.Control] = [
        ft.Text(view.title, size=20, weight=ft.FontWeight.BOLD, key="rack-title"),
        ft.Text(
            t(
                "{height}U, {depth} mm deep: {used}U used, {free}U free",
                height=view.height_u,
                depth=view.depth_mm,
                used=view.used_u,
                free=free,
            )
        ),
    ]
    for band in clashes:
        names = ", ".join(c.serial for c in band.chassis)
        out.append(
            ft.Text(
                t("Two chassis recorded on the same Us: {names}. Move one.", names=names),
                color=ft.Colors.RED_900,
                key=f"rack-clash-{band.top_u}",
            )
        )
    return out


def _waiting(state: AppState) -> list[ft.Control]:
    t, rack = state.t, state.rack
    rows: list[ft.Control] = [
        record_row(
            w.serial,
            f"{w.model} · {w.height_u}U",
            icon=ft.Icons.INVENTORY_2,
            on_click=partial(rack.open_chassis, w.asset_id),
            key=f"rack-waiting-{w.serial}",
        )
        for w in rack.waiting
    ]
    empty = ft.Text(t("Every chassis at this site is in a rack."), key="rack-waiting-none")
    return [heading(t("At this site, not installed yet")), *(rows or [empty])]


@ft.component
def RackLabelField(state: AppState, *, name: str) -> ft.Control:
    """Scan or type the rack's label (its id, "site / rack", or the rack's name), then Enter or Open; or read its
    barcode from the camera or a photo."""
    t = state.t
    text, set_text = ft.use_state("")
    camera_open, set_camera_open = ft.use_state(False)

    def open_rack(value: str) -> None:
        if state.rack.scan_label(value):
            set_text("")

    def submit(e: ft.Event[ft.TextField]) -> None:
        # The control's value: a scanner's Enter can overtake the last keystroke's re-render.
        open_rack(e.control.value or "")

    async def on_frame(data: bytes) -> bool:
        opened = bool(await state.rack.read_label(data, from_camera=True))
        if opened:
            set_camera_open(False)
        return opened

    async def pick_label_photo() -> None:
        images = await pick_images(many=False)
        if images:
            await state.rack.read_label(images[0], from_camera=False)

    actions = label_buttons(
        t, toggle_camera=lambda: set_camera_open(not camera_open), pick_photo=pick_label_photo, name=name
    )
    controls: list[ft.Control] = [
        ft.Row(
            [
                LiveTextField(
                    label=t("Rack label"),
                    value=text,
                    on_change=set_text,
                    name=name,
                    prefix_icon=ft.Icons.QR_CODE_SCANNER,
                    on_submit=submit,
                    expand=True,
                ),
                ft.OutlinedButton(t("Open rack"), on_click=lambda: open_rack(text), height=52, key=f"{name}-open"),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        ft.Row(actions, wrap=True, spacing=0),
    ]
    if camera_open:
        controls.append(
            CameraPanel(t, on_frame=on_frame, on_close=lambda: set_camera_open(False), status="", name=f"{name}-cam")
        )
    return ft.Column(controls, spacing=4)


@ft.component
def RackView(state: AppState) -> ft.View:
    t, rack = state.t, state.rack
    view = rack.view
    side: list[ft.Control] = [
        picker(t, t("Rack"), rack.racks, rack.rack_id, rack.pick, key="rack-pick"),
        RackLabelField(state, name="rack-label"),
    ]
    if view is None:
        side.append(ft.Text(t("Pick a rack, or scan its label, to see it U by U.")))
        return screen(state, route=routes.RACK, title=t("Rack"), controls=side)
    side += [
        *_summary(state, view),
        big_button(t("Install chassis into this rack"), rack.start_batch, key="rack-batch", icon=ft.Icons.ADD_BOX),
        *_waiting(state),
    ]
    body = ft.ResponsiveRow(
        [
            ft.Column(side, col=SIDE_BY_SIDE, spacing=12),
            ft.Column([elevation_drawing(t, view, rack.open_chassis)], col=RACK_COLUMN),
        ],
        spacing=16,
        run_spacing=16,
    )
    return screen(state, route=routes.RACK, title=t("Rack {name}", name=view.title), controls=[body])


@ft.component
def BatchInstallView(state: AppState) -> ft.View:
    t, rack = state.t, state.rack
    view = rack.view
    if view is None:
        controls: list[ft.Control] = [
            ft.Text(t("Scan the rack's label first.")),
            RackLabelField(state, name="batch-rack-label"),
            picker(t, t("Rack"), rack.racks, rack.rack_id, rack.pick, key="batch-rack-pick"),
        ]
        return screen(state, route=routes.RACK_BATCH, title=t("Batch install"), controls=controls)
    form = BatchForm(state, key=f"batch-form-{rack.form_generation}")
    done = [ft.Text(line, key=f"batch-saved-{i}") for i, line in enumerate(rack.saved)]
    side: list[ft.Control] = [
        ft.Text(view.title, size=20, weight=ft.FontWeight.BOLD, key="batch-rack"),
        form,
        *([heading(t("Saved in this batch")), *done] if done else []),
        *_waiting(state),
    ]
    body = ft.ResponsiveRow(
        [
            ft.Column(side, col=SIDE_BY_SIDE, spacing=12),
            ft.Column([elevation_drawing(t, view, rack.open_chassis)], col=RACK_COLUMN),
        ],
        spacing=16,
        run_spacing=16,
    )
    return screen(state, route=routes.RACK_BATCH, title=t("Batch install"), controls=[body])


@ft.component
def BatchForm(state: AppState, key: str | None = None) -> ft.Control:
    """One chassis of the batch: serial, U, rail kit and measured depth, with the fit and space checks live."""
    t, rack = state.t, state.rack
    view = rack.view
    serial, set_serial = ft.use_state("")
    u_text, set_u = ft.use_state("")
    depth_text, set_depth = ft.use_state(str(view.depth_mm) if view else "")
    rail, set_rail = use_value(NONE)
    # The inputs as their events arrive (a render may lag behind), for the live check.
    now = ft.use_ref({"serial": "", "u": "", "depth": depth_text, "rail": NONE})

    def check(**changed: str | None) -> None:
        values = now.current or {}
        values.update(changed)
        rack.check(
            serial=values["serial"] or "",
            u_position=parse_int(values["u"] or ""),
            depth_mm=parse_int(values["depth"] or ""),
            rail_kit_id=values["rail"],
        )

    def type_serial(text: str) -> None:
        set_serial(text)
        check(serial=text)

    def type_u(text: str) -> None:
        set_u(text)
        check(u=text)

    def type_depth(text: str) -> None:
        set_depth(text)
        check(depth=text)

    def pick_rail(kit: str | None) -> None:
        set_rail(kit)
        check(rail=kit)

    def save() -> None:
        # From the ref, like the live check: the latest inputs even if this handler belongs to an older render.
        values = now.current or {}
        rack.install(
            serial=values["serial"] or "",
            u_position=parse_int(values["u"] or ""),
            depth_mm=parse_int(values["depth"] or ""),
            rail_kit_id=values["rail"],
        )

    placement = rack.placement
    notes: list[ft.Control] = []
    if placement.problem:
        notes.append(ft.Text(t.phrase(placement.problem), color=ft.Colors.BLUE_GREY_900, key="batch-problem"))
    if placement.taken:
        notes.append(taken_banner(placement.taken, key="batch-taken"))
    notes += [
        _banner(w, ft.Icons.WARNING_AMBER, ft.Colors.BROWN_700, key=f"batch-fit-{i}")
        for i, w in enumerate(placement.fit_warnings)
    ]
    if placement.ready and not placement.fit_warnings:
        notes.append(ft.Text(t("Fits, and the Us are free"), color=ft.Colors.GREEN_900, key="batch-ok"))
    label = t("Save anyway (misfit is recorded)") if placement.fit_warnings else t("Save and next chassis")
    return ft.Column(
        [
            heading(t("Next chassis")),
            LiveTextField(
                label=t("Chassis serial"),
                value=serial,
                on_change=type_serial,
                name="batch-serial",
                prefix_icon=ft.Icons.QR_CODE_SCANNER,
            ),
            LiveTextField(
                label=t("U position (bottom)"),
                value=u_text,
                on_change=type_u,
                keyboard_type=ft.KeyboardType.NUMBER,
                name="batch-u",
            ),
            picker(t, t("Rail kit"), rack.rail_kits, rail, pick_rail, key="batch-rail"),
            LiveTextField(
                label=t("Measured rack depth (mm)"),
                value=depth_text,
                on_change=type_depth,
                keyboard_type=ft.KeyboardType.NUMBER,
                name="batch-depth",
            ),
            *notes,
            big_button(label, save, key="batch-save", icon=ft.Icons.SAVE),
        ],
        spacing=10,
    )


def _banner(text: str, icon: ft.IconData, color: str, *, key: str) -> ft.Control:
    white = ft.Colors.WHITE
    return ft.Container(
        content=ft.Row([ft.Icon(icon, color=white), ft.Text(text, color=white, expand=True)]),
        bgcolor=color,
        padding=8,
        border_radius=6,
        key=key,
    )


def rack_entry(state: AppState) -> ft.Control:
    """The home's way into the racks, for those who may install chassis."""
    if not state.rack.may_install:
        return ft.Container(height=0)
    return big_button(state.t("Racks"), state.rack.open_racks, key="go-racks", icon=ft.Icons.VIEW_AGENDA)


def taken_banner(text: str, *, key: str = "rack-taken") -> ft.Control:
    """Us another chassis takes: the save will be refused (red, unlike a fit warning, which may be overridden)."""
    return _banner(text, ft.Icons.BLOCK, ft.Colors.RED_900, key=key)
