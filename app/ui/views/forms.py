"""Form values that are current when a button is pressed.

A click can arrive before the re-render that follows the last keystroke or pick, so a button's closure may hold the
values of the previous render. Inputs write here as their events arrive (events are handled in order), and buttons
read from here; the screen state still drives what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import flet as ft

from app.ui.drafts import Drafts
from app.ui.photo_state import PendingPhoto
from sync.domain.evidence import PhotoKind

T = TypeVar("T")


class Form:
    def __init__(self, values: dict[str, Any], draft: FormDraft | None = None) -> None:
        self.values = values
        self.draft = draft

    def field(self, name: str, initial: Any, *, kept: bool = True) -> tuple[Any, Callable[[Any], None]]:
        """A field of the form; a text field of a form with a draft starts from the draft and keeps every change.
        ``kept=False``: a choice that is not part of the draft (one another button saves, not the form's own)."""
        draft = self.draft if kept and isinstance(initial, str) else None
        if draft is not None:
            draft.blank[name] = initial
            initial = draft.kept.get(name, initial)
        shown, show = ft.use_state(initial)
        self.values.setdefault(name, initial)

        def set_value(value: Any) -> None:
            self.values[name] = value
            show(value)
            if draft is not None:
                draft.keep(name, value or "")

        return shown, set_value

    def photos(self) -> tuple[list[PendingPhoto], Callable[[list[PendingPhoto]], None]]:
        """The pictures taken in the form, kept with its draft like its text (a form without a draft: this screen
        only); read them at save as ``form["photos"]``."""
        draft = self.draft
        if "photos" not in self.values:  # the first render: the draft's pictures are what the form starts with
            kept = draft.photos() if draft is not None else []
            self.values["photos"] = [PendingPhoto(PhotoKind(kind), data) for kind, data in kept]
        shown, show = self.field("photos", self.values["photos"])

        def set_photos(photos: list[PendingPhoto]) -> None:
            show(photos)
            if draft is not None:
                draft.keep_photos([(p.kind.value, p.data) for p in photos])

        return shown, set_photos

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


class FormDraft:
    """Where a form's text fields are kept on the device until it is saved or discarded (app/ui/drafts.py)."""

    def __init__(self, drafts: Drafts, *, route: str, key: str) -> None:
        self.drafts, self.key = drafts, key
        self.kept = drafts.load(key)
        self.blank: dict[str, str] = {}
        self.typed: dict[str, str] = {}
        drafts.show(route, key)

    def keep(self, name: str, text: str) -> None:
        self.typed[name] = text
        self.drafts.keep(self.key, {**self.blank, **self.kept, **self.typed}, blank=self.blank)

    def photos(self) -> list[tuple[str, bytes]]:
        return self.drafts.photos(self.key)

    def keep_photos(self, photos: list[tuple[str, bytes]]) -> None:
        self.drafts.keep_photos(self.key, photos)


def use_form(draft: tuple[Drafts, str, str] | None = None) -> Form:
    """The form's values; with ``(drafts, route, key)`` its text fields are kept as a draft on the device."""
    fresh: dict[str, Any] = {}  # kept by the ref on the first render only
    values = ft.use_ref(fresh).current
    assert values is not None
    kept = ft.use_ref(cast(FormDraft | None, None))
    if draft is not None and kept.current is None:
        drafts, route, key = draft
        kept.current = FormDraft(drafts, route=route, key=key)
    return Form(values, kept.current)


NONE: str | None = None  # the initial value of a choice nothing is picked in yet


def use_value(initial: T) -> tuple[T, Callable[[T], None]]:
    """``ft.use_state`` with a setter typed by the value (Flet's setter also takes an updater function)."""
    value, set_value = ft.use_state(initial)
    return value, set_value
