"""Decoding pull pages on the client without building each record's data as Python objects.

A page holds thousands of records the client only stores: parsing every record's JSON into dicts and printing it
again cost more than everything else in an initial sync. Here a page is checked against the same shape as
``sync.protocol.ChangesResponse`` (docs/sync-protocol.md), but each record's ``data`` stays the JSON text the server
sent; only the two index keys (natural key, parent key) are read out of it.
"""

from __future__ import annotations

from typing import Any

import msgspec

from sync import codec
from sync.domain.entity import Entity


class PulledRecord(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    collection: str
    id: str
    version: int
    deleted: bool = False
    # The record's JSON object exactly as sent, or the JSON ``null`` of a tombstone.
    data: msgspec.Raw = msgspec.Raw(b"null")

    def data_text(self) -> str | None:
        raw = bytes(self.data)
        return None if raw == b"null" else raw.decode()


class PulledPage(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    changes: list[PulledRecord]
    cursor: str
    has_more: bool
    reset: bool = False


class PageError(ValueError):
    """The bytes are not a page of protocol v1."""


_PAGE = msgspec.json.Decoder(PulledPage)


def decode_page(content: bytes) -> PulledPage:
    try:
        page = _PAGE.decode(content)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError too
        raise PageError(str(exc)) from exc
    for record in page.changes:
        # A Raw is valid JSON already (the decoder checked it); its first byte says which kind of value it is.
        first = memoryview(record.data)[:1].tobytes()
        if first != b"{" and bytes(record.data) != b"null":
            raise PageError(f"{record.collection}/{record.id}: data must be an object or null")
    return page


_KEY_DECODERS: dict[str, msgspec.json.Decoder[Any]] = {}


def _keys_decoder(kind: type[Entity]) -> msgspec.json.Decoder[Any]:
    decoder = _KEY_DECODERS.get(kind.collection)
    if decoder is None:
        fields = [(name, object, None) for name in (kind.natural_key_field, kind.parent_key_field) if name]
        decoder = _KEY_DECODERS[kind.collection] = msgspec.json.Decoder(
            msgspec.defstruct(f"{kind.__name__}Keys", fields)
        )
    return decoder


def keys_of(record: PulledRecord) -> tuple[str | None, str | None]:
    """(natural key, parent key) of a live record, read from its JSON without decoding the rest of it."""
    kind = codec.entity_type(record.collection)
    try:
        found = _keys_decoder(kind).decode(record.data)
    except msgspec.DecodeError as exc:
        raise PageError(f"{record.collection}/{record.id}: {exc}") from exc
    natural = getattr(found, kind.natural_key_field) if kind.natural_key_field else None
    parent = getattr(found, kind.parent_key_field) if kind.parent_key_field else None
    return _key(natural), _key(parent)


def _key(value: object) -> str | None:
    # The same rule as sync.domain.entity: only a non-empty string is a key.
    return value if isinstance(value, str) and value else None
