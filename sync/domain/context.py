"""What a command handler may know about the world: the actor, the time, and records it can see."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from sync.domain.entity import Entity
from sync.domain.org import Actor

E = TypeVar("E", bound=Entity)


class Context(Protocol):
    """Implemented by the server (inside the command's transaction) and the client (over its local cache).

    Lookups only return records the actor may see: a record outside the actor's scope behaves as missing.
    """

    @property
    def actor(self) -> Actor: ...

    @property
    def now(self) -> datetime: ...

    def get(self, kind: type[E], record_id: str) -> E | None: ...

    def find(self, kind: type[E], natural_key: str) -> E | None: ...

    def children(self, kind: type[E], parent_id: str) -> list[E]: ...

    def exists(self, collection: str, record_id: str) -> bool:
        """Whether any record has this id in ``collection``: visible or not, deleted or not (ids are never reused).

        Only ``decide`` asks it, to refuse a create that names a taken id; its answer is never shown to the caller.
        """
        ...

    def may_name_blob(self, sha256: str) -> bool:
        """Whether a record the caller writes may name this blob (a photo, thumbnail or signature).

        The server says yes when the caller's organization uploaded it, or a record the caller may see names it
        already; a device, which cannot know who uploaded what, leaves that judgement to the server.
        """
        ...

    def issue_rma_number(self) -> str | None:
        """A fresh RMA number on the server; None on a device, where numbers are never made."""
        ...
