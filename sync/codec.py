"""The one place where domain objects become JSON-ready data and back.

pydantic does the work: it knows dates, enums, nested dataclasses and tuples, and it runs each dataclass's
``__post_init__`` invariants on the way in, so a record or command that breaks a rule never becomes an object.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from sync.domain.commands import COMMAND_TYPES, Command
from sync.domain.entity import Entity
from sync.domain.errors import DomainError, InvalidInput
from sync.domain.registry import ENTITY_TYPES

T = TypeVar("T")


class UnknownType(InvalidInput):
    code = "unknown_type"


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def dump(obj: Entity | Command) -> dict[str, Any]:
    data: dict[str, Any] = _adapter(type(obj)).dump_python(obj, mode="json")
    return data


def load(kind: type[T], data: object) -> T:
    try:
        loaded: T = _adapter(kind).validate_python(data)
    except ValidationError as exc:
        cause = exc.errors(include_url=False, include_context=False, include_input=False)
        if cause and isinstance(cause[0].get("ctx", {}).get("error"), DomainError):
            raise cause[0]["ctx"]["error"] from None
        raise InvalidInput(f"{kind.__name__}: {_summary(exc)}") from None
    except DomainError:
        raise
    return loaded


def _summary(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False)[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "value"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def entity_type(collection: str) -> type[Entity]:
    try:
        return ENTITY_TYPES[collection]
    except KeyError:
        raise UnknownType(f"unknown collection {collection!r}") from None


def command_type(type_name: str) -> type[Command]:
    try:
        return COMMAND_TYPES[type_name]
    except KeyError:
        raise UnknownType(f"unknown command type {type_name!r}") from None


def load_entity(collection: str, data: object) -> Entity:
    return load(entity_type(collection), data)


def load_command(type_name: str, payload: object) -> Command:
    return load(command_type(type_name), payload)


def dumps(data: object) -> str:
    """Compact, key-sorted JSON: the stored text of a record is the same on every machine."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
