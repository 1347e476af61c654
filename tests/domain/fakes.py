"""An in-memory Context for handler tests: a dict of records, one actor, a fixed clock and an RMA counter.

Everything in the dict is in scope: scope filtering is the server's and the client's job, not the handlers'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sync.domain.entity import Entity
from sync.domain.org import Actor
from sync.domain.rma import format_rma_number

E = TypeVar("E", bound=Entity)


@dataclass
class FakeContext:
    actor: Actor
    now: datetime
    records: dict[tuple[str, str], Entity] = field(default_factory=dict)
    # A device never makes RMA numbers; the server does, from a counter.
    issues_numbers: bool = True
    rma_sequence: int = 0
    # Ids taken by records outside the actor's scope: ``exists`` knows them, lookups do not.
    unseen: set[tuple[str, str]] = field(default_factory=set)
    # Blobs another organization uploaded, which this actor may not name.
    foreign_blobs: set[str] = field(default_factory=set)

    def get(self, kind: type[E], record_id: str) -> E | None:
        found = self.records.get((kind.collection, record_id))
        return found if isinstance(found, kind) else None

    def find(self, kind: type[E], natural_key: str) -> E | None:
        return next((e for e in self._all(kind) if e.natural_key() == natural_key), None)

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        return [e for e in self._all(kind) if e.parent_key() == parent_id]

    def exists(self, collection: str, record_id: str) -> bool:
        return (collection, record_id) in self.records or (collection, record_id) in self.unseen

    def may_name_blob(self, sha256: str) -> bool:
        return sha256 not in self.foreign_blobs

    def issue_rma_number(self) -> str | None:
        if not self.issues_numbers:
            return None
        self.rma_sequence += 1
        return format_rma_number(self.rma_sequence, year=self.now.year)

    def put(self, *entities: Entity) -> FakeContext:
        return self.apply(entities)

    def apply(self, outcome: Iterable[Entity]) -> FakeContext:
        """Store a handler's outcome, as the server would after a command is applied."""
        for entity in outcome:
            # A write makes the newest version: a record written again moves to the end of ``children``.
            self.records.pop((entity.collection, entity.id), None)
            self.records[(entity.collection, entity.id)] = entity
        return self

    def drop(self, kind: type[Entity], record_id: str) -> FakeContext:
        del self.records[(kind.collection, record_id)]
        return self

    def _all(self, kind: type[E]) -> list[E]:
        return [
            e for (collection, _), e in self.records.items() if collection == kind.collection and isinstance(e, kind)
        ]
