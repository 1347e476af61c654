"""Accessible names where Flet gives none.

Flet's plain ``Dropdown`` reaches the browser's accessibility tree (and screen readers, and the e2e tests) as a
button with no name: its label is painted, not announced. Wrapping it in a Semantics container names it.

A filterable drop-down (an editable ``DropdownMenu``) is a text field, named by its label, with an arrow button beside
it that Flutter leaves unnamed (a screen reader says just "button"); an icon's semantics label names that button.

Selectable text (a serial, a device id, a symptom to copy) reaches the browser as a read-only text field with no name;
its semantics label, the text itself, names it.
"""

from __future__ import annotations

from typing import Any

import flet as ft


def named(dropdown: ft.Dropdown) -> ft.Semantics:
    """The drop-down announced as "label: chosen option" (just its label while nothing is chosen)."""
    label = str(dropdown.label or "")
    chosen = next((o.text or o.key for o in dropdown.options or [] if o.key == dropdown.value), None)
    return ft.Semantics(content=dropdown, label=f"{label}: {chosen}" if chosen else label, container=True)


def named_arrows(name: str) -> dict[str, ft.Icon]:
    """The drop-down's arrow icons (closed and open), named: Flutter merges an icon's label into its icon button."""
    return {
        "trailing_icon": ft.Icon(ft.Icons.ARROW_DROP_DOWN, semantics_label=name),
        "selected_trailing_icon": ft.Icon(ft.Icons.ARROW_DROP_UP, semantics_label=name),
    }


def copyable(text: str, **style: Any) -> ft.Text:
    """Text a person can select and copy, read out by screen readers as what it says."""
    return ft.Text(text, selectable=True, semantics_label=text, **style)
