"""Register a chassis whose serial this device does not know."""

from __future__ import annotations

import flet as ft

from app.ui import routes, theme
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField
from app.ui.views.common import big_button, picker, screen
from app.ui.views.forms import use_form


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
    # Read at save from the form (forms.py), not from this render: a click on "Register chassis" right after the
    # customer pick can come before that pick's render, and the save said "Pick the SKU and the customer first" with
    # both on screen. Choices are kept in the draft as their ids ("" for none).
    form = use_form((state.shell.drafts, routes.REGISTER, key))
    sku, set_sku = form.field("sku", "")
    owner, set_owner = form.field("owner", "")
    revision, set_revision = form.field("revision", "")
    lot, set_lot = form.field("lot", "")

    def save() -> None:
        if not form["sku"] or not form["owner"]:
            state.shell.say(t("Pick the SKU and the customer first"), error=True)
            return
        field.register(sku_id=form["sku"], revision=form["revision"], owner_org_id=form["owner"], lot=form["lot"])
        if state.shell.route != routes.REGISTER:  # saved: the chassis opened
            state.shell.drafts.saved(key)

    body: list[ft.Control] = [
        ft.Text(t("Register chassis {serial}", serial=field.unknown_serial or ""), size=20, weight=ft.FontWeight.BOLD),
        *server_not_asked(state),
        *did_you_mean(state),
        picker(t, t("SKU"), field.skus, sku or None, lambda v: set_sku(v or ""), key="register-sku"),
        LiveTextField(label=t("Revision"), value=revision, on_change=set_revision, name="register-revision"),
        LiveTextField(label=t("Lot"), value=lot, on_change=set_lot, name="register-lot"),
        picker(
            t, t("Customer (owner)"), field.customers, owner or None, lambda v: set_owner(v or ""), key="register-owner"
        ),
        big_button(t("Register chassis"), save, key="register-save", icon=ft.Icons.ADD),
    ]
    return screen(state, route=routes.REGISTER, title=t("New chassis"), controls=body)
