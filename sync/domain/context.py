"""What a command handler may know about the world: the actor, the time, and records it can see."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from sync.domain.entity import Entity
from sync.domain.org import Actor

E = TypeVar("E", bound=Entity)


class Reader(Protocol):
    """Records the caller can see. Implemented by the server's context (inside the command's transaction), the
    device's ``LocalContext`` and ``LocalStore`` (server copies under the optimistic overlay), and the tests'
    ``FakeContext``; one contract suite (tests/sync/test_reader_contract.py) holds all three to these rules.

    Lookups only return records the actor may see: a record outside the actor's scope behaves as missing.
    """

    def get(self, kind: type[E], record_id: str) -> E | None:
        """The record of ``kind`` with this id, or None."""
        ...

    def find(self, kind: type[E], natural_key: str) -> E | None:
        """The record of ``kind`` whose natural key (a serial, an RMA number) is this, or None."""
        ...

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        """Records of ``kind`` whose parent key is ``parent_id``, oldest version first.

        Every write gives a record a newer version, so a record written again moves to the end; on a device, rows
        written locally and not yet confirmed by the server come after the server's copies, in the order written
        (the order the server will give them versions when it replays the outbox). ``[0]`` is the oldest and
        ``[-1]`` the latest written.
        """
        ...


class Context(Reader, Protocol):
    """What a command handler may know: the actor, the time, and the records it can see (``Reader``)."""

    @property
    def actor(self) -> Actor: ...

    @property
    def now(self) -> datetime: ...

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
