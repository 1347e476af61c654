"""Register a chassis whose serial this device does not know."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui import routes, theme
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField
from app.ui.views.common import big_button, picker, screen
from app.ui.views.drafts import use_draft
from app.ui.views.forms import NONE, use_value


def did_you_mean(state: AppState) -> list[ft.Control]:
    """A serial one or two keys away from a chassis on this device is most likely that chassis: offer it first."""
    nearest = state.field.nearest_serial
    if not nearest:
        return []
    return [
        ft.OutlinedButton(
            state.t("Open {serial} instead", serial=nearest),
            icon=ft.Icons.DNS,
            on_click=lambda: state.field.scan(nearest),
            key="register-nearest",
        )
    ]


def server_not_asked(state: AppState) -> list[ft.Control]:
    """Offline (or no answer in time), the device could not check the serial with the server: say what that risks."""
    if not state.field.server_not_asked:
        return []
    text = state.t(
        "The server could not be asked whether this chassis is already registered. Register it only if it is new: "
        "a chassis registered twice is refused when this device syncs."
    )
    return [
        ft.Container(
            content=ft.Row(
                [ft.Icon(ft.Icons.CLOUD_OFF, color=ft.Colors.WHITE), ft.Text(text, color=ft.Colors.WHITE, expand=True)]
            ),
            bgcolor=theme.WARNING,
            padding=8,
            border_radius=6,
            key="register-unasked",
        )
    ]


@ft.component
def RegisterView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    key = f"register:{field.unknown_serial}"
    draft, keep = use_draft(
        state, route=routes.REGISTER, key=key, blank={"sku": "", "owner": "", "revision": "", "lot": ""}
    )
    sku, set_sku = use_value(draft["sku"] or NONE)
    owner, set_owner = use_value(draft["owner"] or NONE)
    revision, set_revision = ft.use_state(draft["revision"])
    lot, set_lot = ft.use_state(draft["lot"])

    def kept(name: str, show: Callable[[Any], None]) -> Callable[[Any], None]:
        def change(value: Any) -> None:
            show(value)
            keep(name, value or "")

        return change

    def save() -> None:
        if not sku or not owner:
            state.shell.say(t("Pick the SKU and the customer first"), error=True)
            return
        field.register(sku_id=sku, revision=revision, owner_org_id=owner, lot=lot)
        if state.shell.route != routes.REGISTER:  # saved: the chassis opened
            state.shell.drafts.saved(key)

    body: list[ft.Control] = [
        ft.Text(t("Register chassis {serial}", serial=field.unknown_serial or ""), size=20, weight=ft.FontWeight.BOLD),
        *server_not_asked(state),
        *did_you_mean(state),
        picker(t, t("SKU"), field.skus, sku, kept("sku", set_sku), key="register-sku"),
        LiveTextField(
            label=t("Revision"), value=revision, on_change=kept("revision", set_revision), name="register-revision"
        ),
        LiveTextField(label=t("Lot"), value=lot, on_change=kept("lot", set_lot), name="register-lot"),
        picker(t, t("Customer (owner)"), field.customers, owner, kept("owner", set_owner), key="register-owner"),
        big_button(t("Register chassis"), save, key="register-save", icon=ft.Icons.ADD),
    ]
    return screen(state, route=routes.REGISTER, title=t("New chassis"), controls=body)
