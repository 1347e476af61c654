"""docs/sync-protocol.md cannot drift from the code: every JSON example validates against the real wire models and
command/record codecs, and every field, error and limit table equals what the code says."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from server.errors import ApiError
from server.routes.assets import MAX_RAW_SERIAL
from server.routes.sync import MAX_PUSH_BYTES
from server.settings import Settings
from sync import codec
from sync.domain.commands import COMMAND_TYPES
from sync.domain.errors import DomainError
from sync.domain.registry import ENTITY_TYPES
from sync.protocol import (
    DEFAULT_PULL_PAGE,
    MAX_PULL_PAGE,
    MAX_PUSH_BATCH,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AssetLookup,
    ChangesResponse,
    EnrollRequest,
    EnrollResponse,
    ErrorResponse,
    PushRequest,
    PushResponse,
    UserInfo,
    WireRecord,
)
from tests.protocol import doc
from tests.protocol.reference import enum_row, field_rows, nested_types

EXAMPLES = doc.examples()
# Codes the app answers outside ApiError: the framework's 405, and the catch-all for bugs.
APP_CODES = {"method_not_allowed": 405, "http_error": 400, "internal": 500}
# A table row of another document that starts with an error code and its HTTP status.
OTHER_DOC_CODE = re.compile(r"^\| `([a-z_]+)` \| (\d{3}) \|", re.MULTILINE)


def _field_names(kind: type[Any]) -> set[str]:
    return {f.name for f in dataclasses.fields(kind)}


def _check_command(type_name: str, payload: dict[str, Any]) -> None:
    codec.load_command(type_name, payload)
    # The server ignores payload fields it does not know, so a misspelt field in the doc would pass unnoticed.
    unknown = set(payload) - _field_names(COMMAND_TYPES[type_name])
    assert not unknown, f"{type_name} has no fields {sorted(unknown)}"


def _check_record(record: WireRecord) -> None:
    if record.deleted:
        assert record.data is None, "a tombstone carries no data"
        return
    assert record.data is not None
    kind = codec.entity_type(record.collection)
    assert set(record.data) == _field_names(kind), f"a live {record.collection} record carries every field"
    loaded = codec.load_entity(record.collection, record.data)
    assert loaded.id == record.id


def _push_request(body: Any) -> None:
    request = PushRequest.model_validate(body)
    assert request.commands
    for envelope in request.commands:
        _check_command(envelope.type, envelope.payload)


def _push_response(body: Any) -> None:
    for result in PushResponse.model_validate(body).results:
        assert (result.first_status is not None) == (result.status == "duplicate")
        assert (result.error is not None) == ("rejected" in (result.status, result.first_status))
        for record in result.records:
            _check_record(record)


def _changes(body: Any) -> None:
    page = ChangesResponse.model_validate(body)
    versions = [r.version for r in page.changes]
    assert versions == sorted(set(versions)), "changes come in ascending version"
    if page.reset:
        assert page.changes == [] and page.has_more
    for record in page.changes:
        _check_record(record)


def _health(body: Any) -> None:
    assert body == {"status": "ok", "protocol": PROTOCOL_VERSION, "database": "ok", "blobs": "ok"}


def _revoke(body: Any) -> None:
    assert set(body) == {"device_id", "revoked"} and isinstance(body["revoked"], bool)


def _model(model: type[BaseModel]) -> Callable[[Any], None]:
    def validate(body: Any) -> None:
        model.model_validate(body)

    return validate


VALIDATORS: dict[str, Callable[[Any], None]] = {
    "PushRequest": _push_request,
    "PushResponse": _push_response,
    "ChangesResponse": _changes,
    "EnrollRequest": _model(EnrollRequest),
    "EnrollResponse": _model(EnrollResponse),
    "UserInfo": _model(UserInfo),
    "AssetLookup": _model(AssetLookup),
    "health": _health,
    "revoke": _revoke,
}


def _api_codes() -> dict[str, int]:
    codes = {cls.code: cls.status_code for cls in ApiError.__subclasses__()}
    return {**codes, **APP_CODES}


def _domain_codes() -> set[str]:
    found: set[str] = set()
    pending: list[type[DomainError]] = list(DomainError.__subclasses__())
    while pending:
        cls = pending.pop()
        # Only the shared rules' errors can come back from the server as rejections; the client's own refusals
        # (app.photos: a bad picture) subclass them too, and exist only once that module is imported.
        if cls.__module__.startswith("sync."):
            found.add(cls.code)
        pending.extend(cls.__subclasses__())
    return found - {codec.UnknownType.code}  # unknown_type refuses the whole batch (8.2); it is never a rejection


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_every_json_example_validates_against_the_wire_models(example: doc.Example) -> None:
    head, _, rest = example.kind.partition(" ")
    if head == "command":
        _check_command(rest, example.body)
    elif head == "ErrorResponse":
        error = ErrorResponse.model_validate(example.body).error
        assert _api_codes()[error.code] == int(rest), f"{error.code} is answered with HTTP {_api_codes()[error.code]}"
    else:
        VALIDATORS[example.kind](example.body)


def test_every_json_block_is_a_marked_example_and_every_message_has_one() -> None:
    assert len(EXAMPLES) == doc.json_block_count(), "a ```json block without <!-- example: ... --> is not checked"
    kinds = {e.kind.split(" ")[0] for e in EXAMPLES}
    assert set(VALIDATORS) | {"command", "ErrorResponse"} <= kinds
    assert {e.kind.removeprefix("command ") for e in EXAMPLES if e.kind.startswith("command ")} == set(COMMAND_TYPES)
    outcomes = {
        (r.status.value, r.first_status.value if r.first_status else None)
        for e in EXAMPLES
        if e.kind == "PushResponse"
        for r in PushResponse.model_validate(e.body).results
    }
    assert outcomes == {("applied", None), ("rejected", None), ("duplicate", "applied"), ("duplicate", "rejected")}
    pages = [ChangesResponse.model_validate(e.body) for e in EXAMPLES if e.kind == "ChangesResponse"]
    assert any(r.deleted for p in pages for r in p.changes), "a page with a tombstone is shown"
    assert any(p.reset for p in pages), "a reset page is shown"


def test_command_tables_list_every_command_with_exactly_its_fields() -> None:
    documented = doc.subsections(doc.section("10. Commands"))
    assert list(documented) == list(COMMAND_TYPES)
    for name, kind in COMMAND_TYPES.items():
        rows = doc.table_after(documented[name], "| field | type | default |")
        assert rows == [doc.cells(r) for r in field_rows(kind, with_default=True)], name


def test_collection_tables_list_every_collection_with_exactly_its_fields() -> None:
    documented = doc.subsections(doc.section("11. Collections"))
    assert list(documented) == list(ENTITY_TYPES)
    for collection, kind in ENTITY_TYPES.items():
        rows = doc.table_after(documented[collection], "| field | type |")
        assert rows == [doc.cells(r) for r in field_rows(kind, with_default=False)], collection


def test_enum_values_and_nested_objects_match_the_code() -> None:
    body = doc.section("12. Enums")
    nested = nested_types()
    enums = [k for k in nested if issubclass(k, enum.Enum)]
    assert doc.table_after(body, "| enum | values |") == [doc.cells(enum_row(k)) for k in enums]
    objects = doc.subsections(body, level="####")
    assert set(objects) == {k.__name__ for k in nested if dataclasses.is_dataclass(k)}
    for kind in nested:
        if dataclasses.is_dataclass(kind):
            rows = doc.table_after(objects[kind.__name__], "| field | type | default |")
            assert rows == [doc.cells(r) for r in field_rows(kind, with_default=True)], kind.__name__


def test_error_code_table_is_every_code_the_api_answers_with_its_status() -> None:
    rows = doc.table_after(doc.section("8. Errors"), "| code | HTTP | when | what the client does |")
    table = {row[0].strip("`"): int(row[1]) for row in rows}
    codes = _api_codes()
    assert {code: codes.get(code) for code in table} == table, "every documented code is answered with its status"
    # Endpoints with their own document (docs/blobs.md for photo bytes) list their own codes there.
    elsewhere = {code: int(status) for code, status in OTHER_DOC_CODE.findall(doc.other_docs_text())}
    undocumented = {code: status for code, status in codes.items() if table.get(code, elsewhere.get(code)) != status}
    assert not undocumented, "add these to section 8.2, or to a `| code | status |` table of their endpoints' doc"


def test_rejection_code_table_is_every_domain_error_code() -> None:
    rows = doc.table_after(doc.section("8. Errors"), "| code | meaning |")
    assert {row[0].strip("`") for row in rows} == _domain_codes()


def test_limits_and_version_in_the_doc_are_the_servers() -> None:
    rows = {row[0]: row[1] for row in doc.table_after(doc.section("2. Conventions"), "| name | value |")}
    assert rows["commands per push (`MAX_PUSH_BATCH`)"] == str(MAX_PUSH_BATCH)
    assert rows["bytes per push body"] == str(MAX_PUSH_BYTES)
    assert rows["`serial` of a lookup (5.7), as typed"] == f"1 to {MAX_RAW_SERIAL} characters"
    assert rows["changes per page, largest `limit` (`MAX_PULL_PAGE`)"] == str(MAX_PULL_PAGE)
    assert rows["changes per page when `limit` is left out (`DEFAULT_PULL_PAGE`)"] == str(DEFAULT_PULL_PAGE)
    assert rows["device clock trust (`max_clock_skew_days`)"] == f"{Settings().max_clock_skew_days} days"
    version_rule = doc.section("3. The protocol version rule")
    assert f"This is protocol version **{PROTOCOL_VERSION}**" in version_rule
    assert f"`{PROTOCOL_HEADER}`" in version_rule
