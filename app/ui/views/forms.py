"""Form values that are current when a button is pressed.

A click can arrive before the re-render that follows the last keystroke or pick, so a button's closure may hold the
values of the previous render. Inputs write here as their events arrive (events are handled in order), and buttons
read from here; the screen state still drives what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import flet as ft

T = TypeVar("T")


class Form:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def field(self, name: str, initial: Any) -> tuple[Any, Callable[[Any], None]]:
        shown, show = ft.use_state(initial)
        self.values.setdefault(name, initial)

        def set_value(value: Any) -> None:
            self.values[name] = value
            show(value)

        return shown, set_value

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def use_form() -> Form:
    fresh: dict[str, Any] = {}  # kept by the ref on the first render only
    values = ft.use_ref(fresh).current
    assert values is not None
    return Form(values)


NONE: str | None = None  # the initial value of a choice nothing is picked in yet


def use_value(initial: T) -> tuple[T, Callable[[T], None]]:
    """``ft.use_state`` with a setter typed by the value (Flet's setter also takes an updater function)."""
    value, set_value = ft.use_state(initial)
    return value, set_value
