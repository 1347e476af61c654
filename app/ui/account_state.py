"""Signing in (enrolling this device), signing out in two deliberate steps, and the language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from app.adapters.local_store import Identity
from app.bootstrap import Services
from app.i18n import Translator
from app.services.account import EnrollFailed
from app.ui import routes
from app.ui.shell import Shell, intent


@dataclass
class AccountState(ft.Observable):
    shell: Shell
    services: Services
    # The server address offered before the first sign-in.
    default_server: str = "https://"
    identity: Identity | None = None
    # Changes not yet sent, counted when sign-out was asked for: the second, deliberate step names them.
    unsynced: int = 0
    confirming_sign_out: bool = False
    # Set by the root state: forgets every screen's state once the device is wiped.
    _forget_all: Callable[[], None] = field(default=lambda: None, repr=False)

    def when_signed_out(self, forget: Callable[[], None]) -> None:
        self._forget_all = forget

    def refresh(self) -> None:
        self.identity = self.services.account.store.identity()

    def reset(self) -> None:
        self.identity = None
        self.unsynced = 0
        self.confirming_sign_out = False

    @intent("Language")
    def set_language(self, language: str) -> None:
        self.shell.t = Translator.for_language(language)
        self.services.account.store.save_setting("language", self.shell.t.language)

    @intent("Sign-in")
    def enroll(self, *, server_url: str, username: str, password: str) -> bool:
        try:
            identity = self.services.account.enroll(server_url=server_url, username=username, password=password)
        except EnrollFailed as err:
            self.shell.say(str(err), error=True)
            return False
        self.identity = identity
        self.shell.changed()
        self.shell.say(self.shell.t("Signed in as {name}; first sync starting", name=identity.name))
        self.shell.go(routes.HOME)
        return True

    @intent("Sign-out")
    def sign_out(self) -> None:
        """Sign out, or, with unsynced changes, show the separate step that loses them (never the same button)."""
        pending = self.services.account.unsynced_work()
        if pending:
            self.unsynced = pending
            self.confirming_sign_out = True
            self.shell.say(
                self.shell.t(
                    "{count} change(s) not synced yet: sync first, or sign out anyway to lose them", count=pending
                ),
                error=True,
            )
            return
        self._wipe()

    @intent("Sign-out")
    def sign_out_anyway(self) -> None:
        """The deliberate second step: lose the unsynced changes and sign out."""
        if self.confirming_sign_out:
            self._wipe()

    @intent("Sign-out")
    def keep_signed_in(self) -> None:
        self.confirming_sign_out = False
        self.unsynced = 0
        self.shell.say("")

    def _wipe(self) -> None:
        self.services.account.sign_out()
        self._forget_all()
        self.shell.go(routes.SETTINGS)
        self.shell.say(self.shell.t("Signed out; local data removed from this device"))
