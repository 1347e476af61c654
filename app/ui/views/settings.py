"""Settings: server address, sign in once to enroll this device, sign out (in two steps when work is unsynced)."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGUAGES
from app.ui import routes
from app.ui.state import AppState
from app.ui.views.a11y import copyable, named
from app.ui.views.capture import LiveTextField
from app.ui.views.common import big_button, screen
from app.ui.views.forms import use_form
from app.vocabulary import label


def sign_out_controls(state: AppState) -> list[ft.Control]:
    """ "Sign out"; with unsynced changes it turns into "Keep my changes" in the same place, and losing them is a
    separate button further down, so a double tap can never wipe work."""
    t, account = state.t, state.account
    if not account.confirming_sign_out:
        return [big_button(t("Sign out"), account.sign_out, key="sign-out", icon=ft.Icons.LOGOUT)]
    return [
        big_button(t("Keep my changes"), account.keep_signed_in, key="sign-out-keep", icon=ft.Icons.UNDO),
        ft.Text(
            t("{count} change(s) on this device are not on the server yet.", count=account.unsynced),
            color=ft.Colors.RED_800,
        ),
        ft.Container(height=48),
        ft.OutlinedButton(
            t("Sign out anyway (lose unsynced changes)"),
            icon=ft.Icons.DELETE_FOREVER,
            on_click=account.sign_out_anyway,
            style=ft.ButtonStyle(color=ft.Colors.RED_800),
            key="sign-out-anyway",
        ),
    ]


@ft.component
def SettingsView(state: AppState) -> ft.View:
    t, account = state.t, state.account
    identity = account.identity
    # Read at sign-in from the form (forms.py), not from this render: a click on "Sign in" right after the last
    # keystroke can come before its render, and the password went without its last character.
    form = use_form()
    server, set_server = form.field("server", identity.server_url if identity else account.default_server)
    username, set_username = form.field("username", "")
    password, set_password = form.field("password", "")

    def sign_in_with(password_now: str) -> None:
        account.enroll(server_url=form["server"], username=form["username"], password=password_now)

    def sign_in() -> None:  # no argument: Flet hands a click's event to a handler that takes one
        sign_in_with(form["password"])

    language = named(
        ft.Dropdown(
            label=t("Language"),
            value=t.language,
            options=[ft.DropdownOption(key=code, text=name) for code, name in LANGUAGES.items()],
            on_select=lambda e: account.set_language(e.control.value or "en"),
            key="settings-language",
        )
    )
    if identity is not None:
        body: list[ft.Control] = [
            ft.Text(t("Signed in as {name} ({role})", name=identity.name, role=t(label(identity.role))), size=18),
            ft.Text(t("Server: {url}", url=identity.server_url)),
            copyable(t("Device: {device}", device=identity.device_id), size=12, color=ft.Colors.GREY_700),
            language,
            *sign_out_controls(state),
        ]
        return screen(state, route=routes.SETTINGS, title=t("Settings"), controls=body)

    body = [
        ft.Text(t("Sign in once to enroll this device. After that it works offline."), size=16),
        language,
        LiveTextField(label=t("Server address"), value=server, on_change=set_server, name="settings-server"),
        LiveTextField(
            label=t("Username"), value=username, on_change=set_username, autofocus=True, name="settings-username"
        ),
        LiveTextField(
            label=t("Password"),
            value=password,
            password=True,
            can_reveal_password=True,
            on_change=set_password,
            on_submit=lambda e: sign_in_with(e.control.value or ""),
            name="settings-password",
        ),
        big_button(t("Sign in"), sign_in, key="sign-in", icon=ft.Icons.LOGIN),
    ]
    return screen(state, route=routes.SETTINGS, title=t("Sign in"), controls=body)
