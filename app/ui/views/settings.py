"""Settings: server address, sign in once to enroll this device, sign out."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGUAGES
from app.ui.state import AppState
from app.ui.views.a11y import named
from app.ui.views.capture import LiveTextField
from app.ui.views.common import big_button, screen


@ft.component
def SettingsView(state: AppState, default_server: str) -> ft.View:
    t = state.t
    identity = state.services.account.store.identity()
    server, set_server = ft.use_state(identity.server_url if identity else default_server)
    username, set_username = ft.use_state("")
    password, set_password = ft.use_state("")
    confirm, set_confirm = ft.use_state(False)

    language = named(
        ft.Dropdown(
            label=t("Language"),
            value=state.t.language,
            options=[ft.DropdownOption(key=code, text=name) for code, name in LANGUAGES.items()],
            on_select=lambda e: state.set_language(e.control.value or "en"),
            key="settings-language",
        )
    )
    if identity is not None:

        def sign_out() -> None:
            if not state.sign_out(force=confirm):
                set_confirm(True)

        body: list[ft.Control] = [
            ft.Text(f"Signed in as {identity.name} ({identity.role.value.replace('_', ' ')})", size=18),
            ft.Text(f"Server: {identity.server_url}"),
            ft.Text(f"Device: {identity.device_id}", size=12, color=ft.Colors.GREY_700, selectable=True),
            language,
            big_button(
                t("Sign out anyway (lose unsynced changes)") if confirm else t("Sign out"),
                sign_out,
                key="sign-out",
                icon=ft.Icons.LOGOUT,
            ),
        ]
        return screen(state, route="/settings", title=t("Settings"), controls=body)

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
            on_submit=lambda e: state.enroll(server_url=server, username=username, password=e.control.value or ""),
            name="settings-password",
        ),
        big_button(
            t("Sign in"),
            lambda: state.enroll(server_url=server, username=username, password=password),
            key="sign-in",
            icon=ft.Icons.LOGIN,
        ),
    ]
    return screen(state, route="/settings", title=t("Sign in"), controls=body)
