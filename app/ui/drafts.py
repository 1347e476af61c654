"""Unsaved forms stay on the device until they are saved or discarded, and Back from a changed form asks first.

Each form keeps what was typed under a draft key (``register:<serial>``, ``swap:<asset>:<slot>``, ``visit:<id>``) in
the device's store, at every change, so Back, a crash or a restart loses nothing; the draft goes when the form is
saved or the user discards it. The form on screen tells ``Drafts`` its key, so Back (``Shell.back``) can ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class DraftKeeper(Protocol):
    """Where drafts live: the device's store (``LocalStore``), or memory in tests that build a bare Shell."""

    def draft(self, key: str) -> dict[str, str]: ...

    def save_draft(self, key: str, values: dict[str, str]) -> None: ...

    def drop_draft(self, key: str) -> None: ...


@dataclass
class MemoryKeeper:
    kept: dict[str, dict[str, str]] = field(default_factory=dict)

    def draft(self, key: str) -> dict[str, str]:
        return dict(self.kept.get(key, {}))

    def save_draft(self, key: str, values: dict[str, str]) -> None:
        if any(values.values()):
            self.kept[key] = dict(values)
        else:
            self.kept.pop(key, None)

    def drop_draft(self, key: str) -> None:
        self.kept.pop(key, None)


@dataclass
class Drafts:
    keeper: DraftKeeper = field(default_factory=MemoryKeeper)
    on_screen: dict[str, str] = field(default_factory=dict)  # route -> the draft key of the form shown there

    def load(self, key: str) -> dict[str, str]:
        return self.keeper.draft(key)

    def show(self, route: str, key: str) -> None:
        """The form at ``route`` keeps its draft under ``key`` (called as it renders)."""
        self.on_screen[route] = key

    def keep(self, key: str, values: dict[str, str], *, blank: dict[str, str]) -> None:
        """Keep what the form holds; a form back to its blank state has no draft."""
        if values == blank:
            self.keeper.drop_draft(key)
        else:
            self.keeper.save_draft(key, dict(values))

    def unsaved(self, route: str) -> bool:
        key = self.on_screen.get(route)
        return key is not None and any(self.keeper.draft(key).values())

    def discard(self, route: str) -> None:
        key = self.on_screen.pop(route, None)
        if key is not None:
            self.keeper.drop_draft(key)

    def saved(self, key: str) -> None:
        self.keeper.drop_draft(key)
