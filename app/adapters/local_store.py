"""The device's store: server copies, the optimistic overlay, the outbox, rejections, all in one SQLite file.

Every public method is one transaction. ``execute`` is the unit of work of the client: the command's records go into
the overlay and the command into the outbox together, or neither does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, delete, func, insert, select, update
from sqlalchemy import text as sql_text

from app.adapters.local_migrations import LATEST, migrate
from app.adapters.tables import board_index, draft_photos, meta, metadata, outbox, overlay, records, rejections
from app.ids import new_id
from sync import clock, codec
from sync.domain.commands import Command
from sync.domain.entity import Entity, keys_of
from sync.domain.errors import DomainError
from sync.domain.handlers import decide
from sync.domain.org import Actor, OrgKind, Role
from sync.outbox import OutboxEntry
from sync.pages import PulledRecord
from sync.pages import keys_of as pulled_keys
from sync.protocol import CommandResult, WireRecord
from sync.sqlite import READ_ONLY, sqlite_engine

E = TypeVar("E", bound=Entity)
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return clock.utcnow()  # the machine's clock, or the test clock (sync/clock.py)


class NotEnrolled(Exception):
    """This device has not been enrolled with a server yet."""


@dataclass(frozen=True, kw_only=True)
class Identity:
    server_url: str
    device_id: str
    token: str
    user_id: str
    org_id: str
    name: str
    role: Role

    def actor(self) -> Actor:
        return Actor(
            user_id=self.user_id, org_id=self.org_id, role=self.role, device_id=self.device_id, org_kind=OrgKind.OEM
        )


@dataclass(frozen=True, kw_only=True)
class Rejection:
    command_id: str
    type: str
    payload: dict[str, Any]
    code: str
    message: str
    details: dict[str, Any]
    server_copy: list[dict[str, Any]]
    rejected_at: datetime


class LocalContext:
    """The domain's view of this device: the overlay wins over server copies; everything here is in scope."""

    def __init__(self, conn: Connection, actor: Actor, now: datetime) -> None:
        self._conn = conn
        self._actor = actor
        self._now = now

    @property
    def actor(self) -> Actor:
        return self._actor

    @property
    def now(self) -> datetime:
        return self._now

    def get(self, kind: type[E], record_id: str) -> E | None:
        data = _read(self._conn, kind.collection, record_id)
        return codec.load(kind, data) if data is not None else None

    def find(self, kind: type[E], natural_key: str) -> E | None:
        for table in (overlay, records):
            ids = self._conn.execute(
                select(table.c.id).where(table.c.collection == kind.collection, table.c.natural_key == natural_key)
            ).scalars()
            for record_id in ids:
                found = self.get(kind, record_id)
                if found is not None and found.natural_key() == natural_key:
                    return found
        return None

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        """Oldest version first (the Reader contract): server copies by version, then rows this device wrote and
        the server has not confirmed, in the order written (overlay rows are replaced, never updated, so their
        rowid is that order), as the server will version them when it replays the outbox."""
        local = list(
            self._conn.execute(
                select(overlay.c.id)
                .where(overlay.c.collection == kind.collection, overlay.c.parent_key == parent_id)
                .order_by(sql_text("rowid"))
            ).scalars()
        )
        written_here = set(local)
        pulled = self._conn.execute(
            select(records.c.id)
            .where(records.c.collection == kind.collection, records.c.parent_key == parent_id)
            .order_by(records.c.version)
        ).scalars()
        ids = [i for i in pulled if i not in written_here] + local
        found = (self.get(kind, record_id) for record_id in ids)
        return [e for e in found if e is not None and e.parent_key() == parent_id]

    def exists(self, collection: str, record_id: str) -> bool:
        # The device knows only its own scope; the server, which knows every record, judges again on push.
        return _read(self._conn, collection, record_id) is not None

    def may_name_blob(self, sha256: str) -> bool:
        # A device cannot know who uploaded what: it names the blobs it captured or sees; the server judges.
        return True

    def issue_rma_number(self) -> str | None:
        return None


def _identity(text: str) -> Identity:
    """The one parser of the stored identity (written by ``save_identity``)."""
    data = json.loads(text)
    return Identity(**{**data, "role": Role(data["role"])})


def _read(conn: Connection, collection: str, record_id: str) -> dict[str, Any] | None:
    for table in (overlay, records):
        text = conn.execute(
            select(table.c.data).where(table.c.collection == collection, table.c.id == record_id)
        ).scalar()
        if text is not None:
            parsed: dict[str, Any] = json.loads(text)
            return parsed
    return None


class LocalStore:
    def __init__(self, path: Path, *, clock: Clock = utcnow) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.engine = sqlite_engine(f"sqlite:///{path}")
        self.clock = clock
        metadata.create_all(self.engine)
        with self._write() as conn:
            # A new file starts at the latest schema; an existing one moves up step by step, outbox intact.
            conn.execute(insert(meta).prefix_with("OR IGNORE").values(key="schema_version", value=str(LATEST)))
            current = int(self._meta(conn, "schema_version") or LATEST)
            if current != LATEST:
                self._set_meta(conn, "schema_version", str(migrate(conn, current)))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            yield conn

    # identity -------------------------------------------------------------------------------------------------
    def _meta(self, conn: Connection, key: str) -> str | None:
        value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
        return str(value) if value is not None else None

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        conn.execute(insert(meta).prefix_with("OR REPLACE").values(key=key, value=value))

    def setting(self, key: str) -> str | None:
        """A device preference (language, ...): kept across sign-outs, unlike everything else here."""
        with self._read() as conn:
            return self._meta(conn, f"setting:{key}")

    def save_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            self._set_meta(conn, f"setting:{key}", value)

    def draft(self, key: str) -> dict[str, str]:
        """An unsaved form's fields (empty when none): kept until saved or discarded, wiped with the user's data."""
        with self._read() as conn:
            text = self._meta(conn, f"draft:{key}")
        loaded: dict[str, str] = json.loads(text) if text else {}
        return loaded

    def save_draft(self, key: str, values: dict[str, str]) -> None:
        with self._write() as conn:
            if any(values.values()):
                self._set_meta(conn, f"draft:{key}", json.dumps(values))
            else:
                conn.execute(delete(meta).where(meta.c.key == f"draft:{key}"))

    def drop_draft(self, key: str) -> None:
        self.save_draft(key, {})
        self.save_draft_photos(key, [])

    def draft_photos(self, key: str) -> list[tuple[str, bytes]]:
        """The pictures an unsaved form holds, in the order taken: (kind, image bytes)."""
        with self._read() as conn:
            rows = conn.execute(
                select(draft_photos.c.kind, draft_photos.c.data)
                .where(draft_photos.c.draft_key == key)
                .order_by(draft_photos.c.position)
            )
            return [(kind, bytes(data)) for kind, data in rows]

    def save_draft_photos(self, key: str, photos: Sequence[tuple[str, bytes]]) -> None:
        with self._write() as conn:
            conn.execute(delete(draft_photos).where(draft_photos.c.draft_key == key))
            if photos:
                conn.execute(
                    insert(draft_photos),
                    [{"draft_key": key, "position": i, "kind": k, "data": d} for i, (k, d) in enumerate(photos)],
                )

    def save_identity(self, identity: Identity) -> None:
        with self._write() as conn:
            self._set_meta(conn, "identity", json.dumps({**identity.__dict__, "role": identity.role.value}))

    def identity(self) -> Identity | None:
        with self._read() as conn:
            text = self._meta(conn, "identity")
        if text is None:
            return None
        return _identity(text)

    def role(self) -> Role | None:
        """The signed-in user's role, None before enrolment: what services ask sync.domain.permissions about."""
        identity = self.identity()
        return identity.role if identity else None

    def _actor(self) -> Actor:
        identity = self.identity()
        if identity is None:
            raise NotEnrolled("enroll this device first: rackside client enroll")
        return identity.actor()

    # unit of work ---------------------------------------------------------------------------------------------
    def execute(self, command: Command, *, command_id: str | None = None) -> list[Entity]:
        """Apply a user's command on this device and queue it for the server, in one transaction.

        Raises the DomainError that says why it may not happen; then nothing is written.
        """
        actor = self._actor()
        now = self.clock()
        command_id = command_id or new_id()
        with self._write() as conn:
            entities = decide(command, LocalContext(conn, actor, now))
            _write_overlay(conn, entities, command_id)
            conn.execute(
                insert(outbox).values(
                    command_id=command_id,
                    type=command.type_name,
                    payload=codec.dumps(codec.dump(command)),
                    device_time=now,
                )
            )
        return entities

    # reads for screens ----------------------------------------------------------------------------------------
    def get(self, kind: type[E], record_id: str) -> E | None:
        with self._read() as conn:
            return LocalContext(conn, self._anonymous(), self.clock()).get(kind, record_id)

    def find(self, kind: type[E], natural_key: str) -> E | None:
        with self._read() as conn:
            return LocalContext(conn, self._anonymous(), self.clock()).find(kind, natural_key)

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        with self._read() as conn:
            return LocalContext(conn, self._anonymous(), self.clock()).children(kind, parent_id)

    def all(self, kind: type[E]) -> list[E]:
        """Every record of ``kind`` on this device, each as ``get`` gives it (this device's unconfirmed copy over the
        server's): two queries, not one per record, since screens list thousands (the desk board's incidents)."""
        with self._read() as conn:
            texts: dict[str, str] = {}
            for table in (records, overlay):  # overlay last: its copy replaces the server's, new ids come after
                for record_id, text in conn.execute(
                    select(table.c.id, table.c.data).where(table.c.collection == kind.collection)
                ):
                    texts[record_id] = text
        return [codec.load(kind, json.loads(text)) for text in texts.values()]

    def stamps(self, collection: str) -> dict[str, str]:
        """Every record id of a collection with a stamp that changes whenever what ``get`` returns may change (the
        server version, or the pending command whose overlay row shadows it): lets a screen keep decoded records and
        their derived figures between reloads and redo only the changed ones. Two index scans, no decoding."""
        with self._read() as conn:
            found = {
                record_id: str(version)
                for record_id, version in conn.execute(
                    select(records.c.id, records.c.version).where(records.c.collection == collection)
                )
            }
            found.update(
                (record_id, f"pending:{command_id}")
                for record_id, command_id in conn.execute(
                    select(overlay.c.id, overlay.c.command_id).where(overlay.c.collection == collection)
                )
            )
        return found

    def get_many(self, kind: type[E], record_ids: Sequence[str]) -> list[E]:
        """The records of these ids that exist, in their order: one query per 500 ids, not two per record."""
        texts: dict[str, str] = {}
        with self._read() as conn:
            # Server copies first, then the overlay over them (what pending commands did wins, as in ``get``).
            for table in (records, overlay):
                for chunk in _chunks(list(record_ids)):
                    rows = conn.execute(
                        select(table.c.id, table.c.data).where(
                            table.c.collection == kind.collection, table.c.id.in_(chunk)
                        )
                    )
                    texts.update((record_id, data) for record_id, data in rows)
        return [codec.load(kind, json.loads(texts[i])) for i in record_ids if i in texts]

    def natural_keys_with_prefix(self, collection: str, prefix: str, *, limit: int) -> list[str]:
        """Natural keys (serials) starting with ``prefix``, in order: an index range scan, fast at 100k rows."""
        upper = prefix + "\U0010ffff"
        with self._read() as conn:
            found: set[str] = set()
            for table in (overlay, records):
                found.update(
                    conn.execute(
                        select(table.c.natural_key)
                        .where(
                            table.c.collection == collection,
                            table.c.natural_key >= prefix,
                            table.c.natural_key < upper,
                        )
                        .order_by(table.c.natural_key)
                        .limit(limit)
                    ).scalars()
                )
        return sorted(found)[:limit]

    def count(self, collection: str) -> int:
        with self._read() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(records).where(records.c.collection == collection)
                ).scalar()
                or 0
            )

    def _anonymous(self) -> Actor:
        return Actor(user_id="", org_id="", role=Role.CUSTOMER, device_id="")

    # the engine's side (sync.outbox.ClientStore) ----------------------------------------------------------------
    def pending(self, *, limit: int) -> list[OutboxEntry]:
        with self._read() as conn:
            rows = conn.execute(select(outbox).order_by(outbox.c.seq).limit(limit)).all()
        return [
            OutboxEntry(
                seq=r.seq,
                command_id=r.command_id,
                type=r.type,
                payload=json.loads(r.payload),
                device_time=as_utc(r.device_time),
            )
            for r in rows
        ]

    def pending_count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(outbox)).scalar() or 0)

    def record_results(self, results: Sequence[CommandResult]) -> None:
        """Answered commands leave the outbox, and so do their optimistic records: the server's copies take their
        place. What the commands still pending made is left as it is until ``refresh_overlay``, which the engine
        calls once per push: replaying hundreds of pending commands after every batch was most of a push's time."""
        now = self.clock()
        with self._write() as conn:
            waiting: dict[str, Row[Any]] = {}
            for chunk in _chunks([r.command_id for r in results]):
                rows = conn.execute(select(outbox).where(outbox.c.command_id.in_(chunk)))
                waiting.update((row.command_id, row) for row in rows)
            # A command missing from the outbox was answered before (an answer that arrived twice): nothing to do.
            fresh = [(r, row) for r in results if (row := waiting.pop(r.command_id, None)) is not None]
            for chunk in _chunks([r.command_id for r, _ in fresh]):
                conn.execute(delete(outbox).where(outbox.c.command_id.in_(chunk)))
                conn.execute(delete(overlay).where(overlay.c.command_id.in_(chunk)))
            _upsert_base(conn, [record for r, _ in fresh for record in r.records])
            rejected = [_rejection_row(r, row, now) for r, row in fresh if r.rejected]
            if rejected:
                conn.execute(insert(rejections).prefix_with("OR REPLACE"), rejected)

    def refresh_overlay(self) -> None:
        """Replay the commands still pending over the server copies, now that answers may have changed them."""
        with self._write() as conn:
            self._rebuild_overlay(conn)

    def cursor(self) -> str:
        with self._read() as conn:
            return self._meta(conn, "cursor") or ""

    def apply_page(self, changes: Sequence[WireRecord | PulledRecord], cursor: str, *, complete: bool) -> None:
        with self._write() as conn:
            _upsert_base(conn, changes)
            self._set_meta(conn, "cursor", cursor)
            self._set_meta(conn, "last_pull_at", self.clock().isoformat())
            if complete and self._meta(conn, "resetting") == "1":
                conn.execute(delete(records).where(records.c.stale.is_(True)))
                self._set_meta(conn, "resetting", "0")
            if conn.execute(select(func.count()).select_from(outbox)).scalar():
                self._rebuild_overlay(conn)

    def begin_reset(self) -> None:
        with self._write() as conn:
            conn.execute(update(records).values(stale=True))
            self._set_meta(conn, "cursor", "")
            self._set_meta(conn, "resetting", "1")

    def last_pull_at(self) -> datetime | None:
        with self._read() as conn:
            text = self._meta(conn, "last_pull_at")
        return datetime.fromisoformat(text) if text else None

    def _rebuild_overlay(self, conn: Connection) -> None:
        """Replay every pending command over the server copies. A command that no longer applies here is left to
        the server to judge (it stays in the outbox); only its local effects are gone."""
        conn.execute(delete(overlay))
        identity_text = self._meta(conn, "identity")
        if identity_text is None:
            return
        actor = _identity(identity_text).actor()
        for row in conn.execute(select(outbox).order_by(outbox.c.seq)).all():
            try:
                command = codec.load_command(row.type, json.loads(row.payload))
                with conn.begin_nested():
                    outcome = decide(command, LocalContext(conn, actor, as_utc(row.device_time)))
                    _write_overlay(conn, outcome, row.command_id)
            except DomainError:
                continue

    # rejections -----------------------------------------------------------------------------------------------
    def rejections(self) -> list[Rejection]:
        with self._read() as conn:
            rows = conn.execute(select(rejections).order_by(rejections.c.rejected_at)).all()
        return [
            Rejection(
                command_id=r.command_id,
                type=r.type,
                payload=json.loads(r.payload),
                code=r.code,
                message=r.message,
                details=json.loads(r.details),
                server_copy=json.loads(r.server_copy),
                rejected_at=r.rejected_at,
            )
            for r in rows
        ]

    def discard_rejection(self, command_id: str) -> None:
        with self._write() as conn:
            conn.execute(delete(rejections).where(rejections.c.command_id == command_id))

    def wipe(self) -> None:
        """Forget everything this device holds (sign-out, revoked device)."""
        with self._write() as conn:
            for table in (records, overlay, outbox, rejections, board_index, draft_photos):
                conn.execute(delete(table))
            conn.execute(delete(meta).where(~meta.c.key.startswith("setting:"), meta.c.key != "schema_version"))


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _rejection_row(result: CommandResult, command: Row[Any], now: datetime) -> dict[str, Any]:
    error = result.error
    return {
        "command_id": result.command_id,
        "type": command.type,
        "payload": command.payload,
        "code": error.code if error else "rejected",
        "message": error.message if error else "rejected by the server",
        "details": json.dumps(error.details if error else {}),
        "server_copy": json.dumps([r.model_dump(mode="json") for r in result.records]),
        "rejected_at": now,
    }


def _write_overlay(conn: Connection, entities: Sequence[Entity], command_id: str) -> None:
    for entity in entities:
        conn.execute(
            insert(overlay)
            .prefix_with("OR REPLACE")
            .values(
                collection=entity.collection,
                id=entity.id,
                natural_key=entity.natural_key(),
                parent_key=entity.parent_key(),
                data=codec.dumps(codec.dump(entity)),
                command_id=command_id,
            )
        )


# Straight to the driver: an initial sync upserts tens of thousands of rows, and building SQLAlchemy parameters for
# each one cost more than SQLite's work. Never lets an older copy (a late answer) overwrite a newer one.
_UPSERT = (
    "INSERT INTO records (collection, id, version, natural_key, parent_key, data, stale) VALUES (?, ?, ?, ?, ?, ?, 0) "
    "ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, natural_key = excluded.natural_key, "
    "parent_key = excluded.parent_key, data = excluded.data, stale = 0 WHERE excluded.version >= records.version"
)
_DELETE = "DELETE FROM records WHERE collection = ? AND id = ? AND version <= ?"


def _upsert_base(conn: Connection, changes: Sequence[WireRecord | PulledRecord]) -> None:
    live: list[tuple[str, str, int, str | None, str | None, str]] = []
    dead: list[tuple[str, str, int]] = []
    for change in changes:
        if isinstance(change, PulledRecord):
            text = None if change.deleted else change.data_text()
            if text is None:
                dead.append((change.collection, change.id, change.version))
                continue
            natural, parent = pulled_keys(change)
        else:
            if change.deleted or change.data is None:
                dead.append((change.collection, change.id, change.version))
                continue
            natural, parent = keys_of(codec.entity_type(change.collection), change.data)
            text = codec.dumps(change.data)
        live.append((change.collection, change.id, change.version, natural, parent, text))
    if live:
        conn.exec_driver_sql(_UPSERT, live)
    if dead:
        conn.exec_driver_sql(_DELETE, dead)


def as_utc(moment: datetime) -> datetime:
    """SQLite keeps no zone: times written in UTC can come back naive (outbox device times, copies made on this
    device), while copies pulled from the server carry one. Every time on the device is meant as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
