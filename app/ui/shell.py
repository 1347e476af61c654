"""Navigation and feedback shared by every feature state: the route, the one-line message, the translator, and the
error boundary every intent runs inside.

Errors in the UI (the tree):

    DomainError          a rule refused a command → "<action> was refused: <why> <what to do>" (app/refusals.py),
                         nothing changed (``attempt``)
    any other Exception  a bug or a broken device → logged with its stack, "<action> failed: …" on screen, the app
                         stays up (``intent``); no exception leaves an intent or a background task
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, overload

import flet as ft

from app.i18n import Translator
from app.refusals import explain, reason
from app.ui import routes
from app.ui.banner import is_stale
from app.ui.drafts import Drafts
from sync.domain.errors import DomainError

log = logging.getLogger("rackside.ui")
INTENT = "__intent__"  # the marker an intent carries: its action label

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """A command the device accepted, with what it returned (usually the new record's id)."""

    value: T


@dataclass
class Shell(ft.Observable):
    t: Translator = field(default_factory=Translator)
    route: str = routes.HOME
    # One line of feedback at the top of the screen (scan result, saved, why something was refused).
    flash: str = ""
    flash_is_error: bool = False
    flash_at: float = 0.0  # time.monotonic() when it was said (app/ui/banner.py lets stale news go)
    # Unsaved forms (app/ui/drafts.py); ``leaving`` is true while Back waits for "Keep editing / Discard changes".
    drafts: Drafts = field(default_factory=Drafts)
    leaving: bool = False
    # Set by the root state: reloads every read model after a change was saved.
    _changed: Callable[[], None] = field(default=lambda: None, repr=False)

    def go(self, route: str) -> None:
        self.leaving = False
        self.route = route if route in routes.PARENT else routes.HOME

    def back(self) -> None:
        """Back to the parent screen; from a form with unsaved changes, ask first (its draft stays either way)."""
        if not self.leaving and self.drafts.unsaved(self.route):
            self.leaving = True
            return
        self.leaving = False
        self.route = routes.parent(self.route)

    def keep_editing(self) -> None:
        self.leaving = False

    def discard_and_back(self) -> None:
        self.drafts.discard(self.route)
        self.leaving = False
        self.route = routes.parent(self.route)

    def on(self, ancestor: str) -> bool:
        """True while the screen at ``ancestor`` (or one above it) is shown."""
        return routes.within(self.route, ancestor)

    def say(self, text: str, *, error: bool = False) -> None:
        self.flash = text
        self.flash_is_error = error
        self.flash_at = time.monotonic()

    def expire_news(self, now: float) -> None:
        """Clear the feedback line once its news is stale (app/ui/banner.py)."""
        if self.flash and is_stale(self.flash_at, now, error=self.flash_is_error):
            self.flash, self.flash_is_error = "", False

    def when_changed(self, reload: Callable[[], None]) -> None:
        self._changed = reload

    def changed(self) -> None:
        self._changed()

    def attempt(self, action: str, run: Callable[[], T]) -> Saved[T] | None:
        """Run one command: on success every read model reloads and the line says it is saved on this device; a
        refusal by a rule says why and changes nothing. ``action`` is an English label, translated here."""
        t = self.t
        try:
            value = run()
        except DomainError as err:
            refusal = explain(t, code=err.code, message=err.message, details=err.details, action=action)
            self.say(refusal.text(t), error=True)
            return None
        self.changed()
        self.say(t("{action} saved on this device; it will sync when online", action=t(action)))
        return Saved(value)

    def reason(self, err: DomainError) -> str:
        """A refusal's own reason in the reader's language, for a line that frames it ("… is gone: {reason}")."""
        return reason(self.t, err)

    def fail(self, action: str, err: BaseException) -> None:
        """The error boundary's last word: log the stack, say what failed, keep the app running."""
        log.error("%s failed", action, exc_info=err)
        self.say(
            self.t("{action} failed: {reason}", action=self.t(action), reason=str(err) or type(err).__name__),
            error=True,
        )


class HasShell(Protocol):
    shell: Shell


S = TypeVar("S", bound=HasShell)


class intent:  # lower case: it is used as a decorator
    """Mark a feature state's method as an intent and run it inside the error boundary: an unexpected exception is
    logged and shown (see ``Shell.fail``) and the intent returns None, so nothing a tap or a background task does
    can replace the app with Flet's error page. Works for plain and async methods."""

    def __init__(self, action: str) -> None:
        self.action = action

    @overload
    def __call__(
        self, method: Callable[Concatenate[S, P], Coroutine[Any, Any, R]]
    ) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R | None]]: ...

    @overload
    def __call__(self, method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R | None]: ...

    def __call__(self, method: Callable[Concatenate[S, P], Any]) -> Callable[Concatenate[S, P], Any]:
        action = self.action
        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def guarded_async(self: S, /, *args: P.args, **kwargs: P.kwargs) -> Any:
                try:
                    return await method(self, *args, **kwargs)
                except Exception as err:  # noqa: BLE001 - the boundary: everything becomes a message
                    self.shell.fail(action, err)
                    return None

            setattr(guarded_async, INTENT, action)
            return guarded_async

        @functools.wraps(method)
        def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as err:  # noqa: BLE001 - the boundary: everything becomes a message
                self.shell.fail(action, err)
                return None

        setattr(guarded, INTENT, action)
        return guarded


def intents(owner: type) -> dict[str, str]:
    """Every intent a feature state class declares: method name → action label (for the boundary test)."""
    return {name: member.__intent__ for name, member in vars(owner).items() if hasattr(member, "__intent__")}
