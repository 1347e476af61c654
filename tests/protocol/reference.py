"""The field tables of docs/sync-protocol.md, rendered from the code: the doc's tables must equal these.

``python -m tests.protocol.reference`` prints them, to paste into the doc after a command or collection changes.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date, datetime, time
from typing import Any

from sync.domain.commands import COMMAND_TYPES
from sync.domain.registry import ENTITY_TYPES

_SCALARS: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    date: "date",
    datetime: "datetime",
    time: "time",
}


def type_text(hint: Any) -> str:
    """A field's JSON type in the doc's words; pipes are avoided because they split markdown table cells."""
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        named = [type_text(a) for a in args if a is not type(None)]
        return " or ".join(named) + (" or null" if type(None) in args else "")
    if origin is tuple:
        return f"array of {type_text(args[0])}"
    if hint in _SCALARS:
        return _SCALARS[hint]
    if isinstance(hint, type) and (issubclass(hint, enum.Enum) or dataclasses.is_dataclass(hint)):
        return hint.__name__
    raise TypeError(f"no doc wording for {hint!r}")


def default_text(field: dataclasses.Field[Any]) -> str:
    if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
        return "required"
    value = field.default
    if isinstance(value, enum.Enum):
        return f'`"{value.value}"`'
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple) and not value:
        return "`[]`"
    if isinstance(value, time):
        return f'`"{value.isoformat()}"`'
    if dataclasses.is_dataclass(value):
        return "`{}` (every field at its default)"
    if isinstance(value, str | int):
        return f'`"{value}"`' if isinstance(value, str) else f"`{value}`"
    return "server default"


def nested_types() -> list[type[Any]]:
    """Enums and nested objects used by any command or record field, in first-use order."""
    found: list[type[Any]] = []

    def visit(hint: Any) -> None:
        for arg in typing.get_args(hint):
            visit(arg)
        if isinstance(hint, type) and (issubclass(hint, enum.Enum) or dataclasses.is_dataclass(hint)):
            if hint not in found:
                found.append(hint)
                if dataclasses.is_dataclass(hint):
                    for sub in typing.get_type_hints(hint).values():
                        visit(sub)

    for kind in [*COMMAND_TYPES.values(), *ENTITY_TYPES.values()]:
        for hint in typing.get_type_hints(kind).values():
            visit(hint)
    return found


def field_rows(kind: type[Any], *, with_default: bool) -> list[str]:
    hints = typing.get_type_hints(kind)
    rows = []
    for field in dataclasses.fields(kind):
        cells = [f"`{field.name}`", type_text(hints[field.name])]
        if with_default:
            cells.append(default_text(field))
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def enum_row(kind: type[enum.Enum]) -> str:
    return f"| `{kind.__name__}` | " + ", ".join(f"`{m.value}`" for m in kind) + " |"


def main() -> None:
    for name, command in COMMAND_TYPES.items():
        print(f"### `{name}`\n\n| field | type | default |\n|---|---|---|")
        print("\n".join(field_rows(command, with_default=True)) + "\n")
    for collection, entity in ENTITY_TYPES.items():
        print(f"### `{collection}`\n\n| field | type |\n|---|---|")
        print("\n".join(field_rows(entity, with_default=False)) + "\n")
    nested = nested_types()
    print("| enum | values |\n|---|---|")
    for kind in nested:
        if issubclass(kind, enum.Enum):
            print(enum_row(kind))
    for kind in nested:
        if dataclasses.is_dataclass(kind):
            print(f"\n#### `{kind.__name__}`\n\n| field | type | default |\n|---|---|---|")
            print("\n".join(field_rows(kind, with_default=True)))


if __name__ == "__main__":
    main()
