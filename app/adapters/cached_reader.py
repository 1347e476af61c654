"""The device's store as a domain Reader for one screen's refresh: each record read once.

Recomputing the clocks of every incident on a screen (the desk board, the KPI card) reads the same few sites and
contracts for each incident; through ``LocalStore`` directly that is a query (and a connection) per read, which for
10,000 incidents costs minutes on a busy machine (BENCHMARKS.md, SLA clocks). Make one per refresh: it never sees
writes made after it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.adapters.local_store import LocalStore
from sync.domain.entity import Entity

E = TypeVar("E", bound=Entity)


@dataclass
class CachedReader:
    """``get`` and ``children`` remembered; ``find`` (serial lookups) passed through."""

    store: LocalStore
    _got: dict[tuple[type[Any], str], Any] = field(default_factory=dict)
    _children: dict[tuple[type[Any], str], Any] = field(default_factory=dict)

    def get(self, kind: type[E], record_id: str) -> E | None:
        key = (kind, record_id)
        if key not in self._got:
            self._got[key] = self.store.get(kind, record_id)
        found: E | None = self._got[key]
        return found

    def find(self, kind: type[E], natural_key: str) -> E | None:
        return self.store.find(kind, natural_key)

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        key = (kind, parent_id)
        if key not in self._children:
            self._children[key] = self.store.children(kind, parent_id)
        found: list[E] = self._children[key]
        return found
