"""The root UI state of one session, composed from feature states; views read it, intents change it.

    AppState
    ├── shell      route, feedback line, translator, the error boundary (app/ui/shell.py)
    ├── field      scan, chassis page, register, install, swap, visit (app/ui/field_state.py)
    ├── after      RMAs, desk, depot (app/ui/aftersales_state.py)
    ├── sync       status chip, rejections, conflicts (app/ui/sync_state.py)
    ├── account    sign in, sign out, language (app/ui/account_state.py)
    ├── rack       rack elevation and batch install (app/ui/rack_state.py)
    ├── incidents  desk board, incident page, opening one, the engineer's list (app/ui/incident_state.py)
    └── home       the role's home: today's work, queues, cases (app/ui/home_state.py)

Each feature owns its read models and reloads them in its intents. A saved change reloads every feature's read
models (``refresh``), since one command can show on several screens. The root re-publishes every feature's
changes, so a component given the root re-renders when any of them changes. No control objects live here, and
nothing here blocks: slow work (sync, log downloads) runs in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flet as ft

from app.bootstrap import Services
from app.i18n import Translator
from app.ui import routes
from app.ui.account_state import AccountState
from app.ui.aftersales_state import AfterSalesState
from app.ui.drafts import Drafts
from app.ui.field_state import FieldState
from app.ui.home_state import HomeState
from app.ui.incident_state import IncidentState
from app.ui.photo_state import PhotoKeeper
from app.ui.rack_state import RackState
from app.ui.shell import Shell
from app.ui.sync_state import SyncState


@dataclass
class AppState(ft.Observable):
    shell: Shell
    field: FieldState
    after: AfterSalesState
    sync: SyncState
    account: AccountState
    incidents: IncidentState
    rack: RackState
    home: HomeState

    @classmethod
    def build(cls, services: Services, *, default_server: str = "https://", language: str | None = None) -> AppState:
        store = services.field.store
        shell = Shell(t=Translator.for_language(language or store.setting("language") or "en"), drafts=Drafts(store))
        keeper = PhotoKeeper(shell=shell, photos=services.photos)
        field_state = FieldState(shell=shell, services=services, keeper=keeper)
        after = AfterSalesState(shell=shell, services=services, field_state=field_state, keeper=keeper)
        state = cls(
            shell=shell,
            field=field_state,
            after=after,
            sync=SyncState(shell=shell, services=services),
            account=AccountState(shell=shell, services=services, default_server=default_server),
            incidents=IncidentState(shell=shell, services=services, field_state=field_state),
            rack=RackState(shell=shell, services=services, field_state=field_state),
            home=HomeState(shell=shell, services=services, field_state=field_state, after=after),
        )
        if store.identity() is None:
            shell.go(routes.SETTINGS)
        state.refresh()
        return state

    def __post_init__(self) -> None:
        def republish(_sender: Any, _field: str | None) -> None:
            self.notify()  # type: ignore[no-untyped-call]  # flet's Observable.notify has no return annotation

        # Observables hold their listeners weakly: keep this one alive as long as the root.
        self._republish = republish
        for part in (self.shell, self.field, self.after, self.sync, self.account, self.incidents, self.rack, self.home):
            part.subscribe(republish)
        self.shell.when_changed(self.refresh)
        self.shell.drafts.when_changed(lambda: republish(self.shell, "drafts"))  # Back asks once a form changed
        self.account.when_signed_out(self.reset)
        self.sync.when_signed_out(self.reset)

    @property
    def t(self) -> Translator:
        return self.shell.t

    def refresh(self) -> None:
        """Reload every feature's read models (after a saved change or a sync round)."""
        self.account.refresh()
        self.sync.refresh()
        self.field.refresh()
        self.after.refresh()
        self.incidents.refresh()
        self.rack.refresh()
        self.home.refresh()

    def reset(self) -> None:
        """Forget every screen's state (sign-out): the next user sees nothing of the last one."""
        self.field.reset()
        self.after.reset()
        self.incidents.reset()
        self.rack.reset()
        self.sync.reset()
        self.account.reset()
        self.home.reset()
        self.sync.refresh()
