"""The client's fast page decoder (sync/pages.py): the same pages as ChangesResponse, record data kept as sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.adapters.local_store import LocalStore
from app.adapters.tables import records
from sync import codec
from sync.domain.asset import Asset
from sync.pages import PageError, decode_page
from sync.protocol import ChangesResponse, WireRecord

ASSET = codec.dumps(codec.dump(Asset(id="a1", org_id="o", serial="NB1", sku_id="s", revision="A", site_id="fra")))
PAGE = (
    '{"changes":[{"collection":"assets","id":"a1","version":7,"deleted":false,"data":' + ASSET + "},"
    '{"collection":"assets","id":"a0","version":8,"deleted":true,"data":null}],'
    '"cursor":"8.all","has_more":false,"reset":false}'
).encode()


def test_a_page_decodes_like_changes_response_with_each_records_json_text_kept() -> None:
    page, reference = decode_page(PAGE), ChangesResponse.model_validate_json(PAGE)
    assert (page.cursor, page.has_more, page.reset) == (reference.cursor, reference.has_more, reference.reset)
    assert [(c.collection, c.id, c.version, c.deleted) for c in page.changes] == [
        (c.collection, c.id, c.version, c.deleted) for c in reference.changes
    ]
    assert page.changes[0].data_text() == ASSET
    assert page.changes[1].data_text() is None


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(PAGE.replace(b'"has_more":false,', b""), id="missing-field"),
        pytest.param(PAGE.replace(b'"reset":false', b'"reset":false,"extra":1'), id="unknown-field"),
        pytest.param(PAGE.replace(b'"data":null', b'"data":[1]'), id="data-not-an-object"),
        pytest.param(PAGE.replace(b'"version":7', b'"version":"7"'), id="wrong-type"),
        pytest.param(PAGE[:-40], id="truncated"),
        pytest.param(b"<html>502 Bad Gateway</html>", id="not-json"),
    ],
)
def test_anything_but_a_page_is_refused(body: bytes) -> None:
    with pytest.raises(PageError):
        decode_page(body)


def test_a_decoded_page_is_stored_exactly_as_the_same_page_parsed_by_the_protocol_model(tmp_path: Path) -> None:
    fast, model = LocalStore(tmp_path / "fast.db"), LocalStore(tmp_path / "model.db")
    try:
        model.apply_page([WireRecord(collection="assets", id="a0", version=1, data={"x": 1})], "1.all", complete=False)
        fast.apply_page([WireRecord(collection="assets", id="a0", version=1, data={"x": 1})], "1.all", complete=False)
        page = decode_page(PAGE)
        fast.apply_page(page.changes, page.cursor, complete=True)
        reference = ChangesResponse.model_validate_json(PAGE)
        model.apply_page(reference.changes, reference.cursor, complete=True)
        rows = []
        for store in (fast, model):
            with store.engine.connect() as conn:
                rows.append(conn.execute(select(records).order_by(records.c.id)).all())
        assert rows[0] == rows[1]
        assert [(r.id, r.version, r.natural_key, r.parent_key) for r in rows[0]] == [("a1", 7, "NB1", None)]
        assert json.loads(rows[0][0].data)["serial"] == "NB1"
        found = fast.find(Asset, "NB1")
        assert found is not None and found.site_id == "fra"
    finally:
        fast.close()
        model.close()
