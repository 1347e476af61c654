"""Unsaved forms stay on the device until they are saved or discarded, and Back from a changed form asks first.

Each form keeps what was typed under a draft key (``register:<serial>``, ``swap:<asset>:<slot>``, ``visit:<id>``) in
the device's store, at every change, so Back, a crash or a restart loses nothing; the draft goes when the form is
saved or the user discards it. The form on screen tells ``Drafts`` its key, so Back (``Shell.back``) can ask.

A form can sit in a component of its own inside its screen (the depot order's actions): its keystrokes re-render only
that component, so ``Drafts`` says when a form becomes changed or unchanged (``when_changed``), and the whole screen
renders again with Back asking first (app/ui/views/drafts.py ``guard_back``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class DraftKeeper(Protocol):
    """Where drafts live: the device's store (``LocalStore``), or memory in tests that build a bare Shell."""

    def draft(self, key: str) -> dict[str, str]: ...

    def save_draft(self, key: str, values: dict[str, str]) -> None: ...

    def drop_draft(self, key: str) -> None: ...

    def draft_photos(self, key: str) -> list[tuple[str, bytes]]: ...

    def save_draft_photos(self, key: str, photos: Sequence[tuple[str, bytes]]) -> None: ...


@dataclass
class MemoryKeeper:
    kept: dict[str, dict[str, str]] = field(default_factory=dict)
    pictures: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)

    def draft(self, key: str) -> dict[str, str]:
        return dict(self.kept.get(key, {}))

    def save_draft(self, key: str, values: dict[str, str]) -> None:
        if any(values.values()):
            self.kept[key] = dict(values)
        else:
            self.kept.pop(key, None)

    def drop_draft(self, key: str) -> None:
        self.kept.pop(key, None)
        self.pictures.pop(key, None)

    def draft_photos(self, key: str) -> list[tuple[str, bytes]]:
        return list(self.pictures.get(key, []))

    def save_draft_photos(self, key: str, photos: Sequence[tuple[str, bytes]]) -> None:
        if photos:
            self.pictures[key] = list(photos)
        else:
            self.pictures.pop(key, None)


@dataclass
class Drafts:
    keeper: DraftKeeper = field(default_factory=MemoryKeeper)
    on_screen: dict[str, str] = field(default_factory=dict)  # route -> the draft key of the form shown there
    _changed: Callable[[], None] = field(default=lambda: None, repr=False)

    def when_changed(self, hear: Callable[[], None]) -> None:
        """``hear`` is called when a form gets its first change or loses its last (not at every keystroke)."""
        self._changed = hear

    def _has(self, key: str) -> bool:
        return any(self.keeper.draft(key).values()) or bool(self.keeper.draft_photos(key))

    def load(self, key: str) -> dict[str, str]:
        return self.keeper.draft(key)

    def show(self, route: str, key: str) -> None:
        """The form at ``route`` keeps its draft under ``key`` (called as it renders)."""
        self.on_screen[route] = key

    def photos(self, key: str) -> list[tuple[str, bytes]]:
        """The pictures the form at ``key`` holds: (kind, image bytes), in the order taken."""
        return self.keeper.draft_photos(key)

    def keep_photos(self, key: str, photos: Sequence[tuple[str, bytes]]) -> None:
        """Keep the form's pictures with its draft (a form with pictures is changed: Back asks)."""
        had = self._has(key)
        self.keeper.save_draft_photos(key, photos)
        if had != self._has(key):
            self._changed()

    def keep(self, key: str, values: dict[str, str], *, blank: dict[str, str]) -> None:
        """Keep what the form holds; a form back to its blank state has no draft."""
        had = self._has(key)
        if values == blank:
            self.keeper.save_draft(key, {})
        else:
            self.keeper.save_draft(key, dict(values))
        if had != self._has(key):
            self._changed()

    def unsaved(self, route: str) -> bool:
        key = self.on_screen.get(route)
        return key is not None and self._has(key)

    def discard(self, route: str) -> None:
        key = self.on_screen.pop(route, None)
        if key is not None:
            self.saved(key)

    def saved(self, key: str) -> None:
        had = self._has(key)
        self.keeper.drop_draft(key)
        if had:
            self._changed()

    def saved_part(self, key: str, names: Collection[str]) -> None:
        """Some of the form's fields were saved (the depot's grade with its root cause): the others stay a draft."""
        rest = {name: text for name, text in self.keeper.draft(key).items() if name not in names}
        if any(rest.values()):
            self.keeper.save_draft(key, rest)
        else:
            self.saved(key)


# Keys of the forms whose intents drop their drafts on save: the form and the intent name the same draft.
def install_key(asset_id: str) -> str:
    return f"install:{asset_id}"


def depot_order_key(order_id: str, stage: str) -> str:
    """A depot order's step form: a draft per order and stage (a note typed at triage is not the repair's)."""
    return f"depot-order:{order_id}:{stage}"


# The grade's own text fields in that form (root cause, corrective action): grading saves these and keeps the rest.
DEPOT_GRADE_FIELDS = ("cause", "action")
