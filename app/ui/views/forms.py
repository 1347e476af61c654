"""Form values that are current when a button is pressed.

A click can arrive before the re-render that follows the last keystroke or pick, so a button's closure may hold the
values of the previous render. Inputs write here as their events arrive (events are handled in order), and buttons
read from here; the screen state still drives what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft


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
    return Form(ft.use_ref(dict).current)
