"""Words on the wire (sync/domain/words.py): a phrase travels as JSON and comes back the same; anything else is not
a phrase, so a device shows the English message instead of failing on an odd or older server's details."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sync.domain.contract import ServiceModel
from sync.domain.errors import InsufficientStock
from sync.domain.rma import RmaStatus
from sync.domain.words import Coded, from_wire, listed, lowered, to_wire, words


def test_a_phrase_with_a_phrase_inside_survives_json() -> None:
    phrase = words("due in {left} ({state})", left=words("{hours} h", hours=2), state=lowered("At risk"))
    wire = json.loads(json.dumps(to_wire(phrase)))
    assert wire == {
        "template": "due in {left} ({state})",
        "values": {
            "left": {"template": "{hours} h", "values": {"hours": 2}},
            "state": {
                "template": "At risk",
                "values": {},
                "lower": True,
            },
        },
    }
    assert from_wire(wire) == phrase
    assert str(from_wire(wire)) == "due in 2 h (at risk)"


def test_a_value_that_json_cannot_carry_travels_as_its_english_text() -> None:
    wire = to_wire(words("warranty ended {date}", date=date(2025, 1, 31)))
    assert wire == {"template": "warranty ended {date}", "values": {"date": "2025-01-31"}}


@pytest.mark.parametrize(
    "odd",
    [
        None,
        "part X is gone",
        [],
        {},
        {"template": 7},
        {"template": "{serial} gone", "values": []},
        {"template": "{serial} gone", "values": {}},  # a name the values do not fill
        {"template": "{serial} gone", "values": {"serial": [1, 2]}},
        {"template": "{serial} gone", "values": {"serial": {"template": None}}},
        {"template": "{0} gone", "values": {}},
        {"template": "{serial gone", "values": {"serial": "X"}},
    ],
)
def test_anything_else_is_no_phrase(odd: object) -> None:
    assert from_wire(odd) is None


def test_an_error_given_words_keeps_its_english_message_and_carries_the_words_beside_its_details() -> None:
    error = InsufficientStock(words("only {n} left", n=1), details={"location_id": "van-1"})
    assert error.message == str(error) == "only 1 left"
    assert error.details == {
        "location_id": "van-1",
        "words": {"template": "only {n} left", "values": {"n": 1}},
    }
    plain = InsufficientStock("only 1 left", details={"location_id": "van-1"})
    assert plain.details == {"location_id": "van-1"}


def test_a_code_reads_as_itself_in_english_and_travels_with_its_enum_name() -> None:
    phrase = words("an RMA cannot go from “{current}” to “{target}”", current=RmaStatus.CLOSED, target=RmaStatus.DRAFT)
    assert str(phrase) == "an RMA cannot go from “closed” to “draft”"
    wire = json.loads(json.dumps(to_wire(phrase)))
    assert wire["values"] == {
        "current": {"kind": "RmaStatus", "code": "closed"},
        "target": {"kind": "RmaStatus", "code": "draft"},
    }
    back = from_wire(wire)
    assert back is not None and back.values == (
        ("current", Coded("RmaStatus", "closed")),
        ("target", Coded("RmaStatus", "draft")),
    )
    assert str(back) == "an RMA cannot go from “closed” to “draft”"
    labels = {"closed": "Closed", "draft": "Draft"}
    assert (
        back.render(lambda text: text, lambda code: labels.get(str(code)))
        == "an RMA cannot go from “Closed” to “Draft”"
    )
    # A code this device does not know (a newer server's enum) is shown as the code.
    unknown = from_wire({"template": "now {state}", "values": {"state": {"kind": "Future", "code": "warp"}}})
    assert unknown is not None and unknown.render(lambda text: text, lambda code: None) == "now warp"


def test_a_list_of_codes_reads_as_its_labels_and_an_empty_one_as_its_own_word() -> None:
    labels = {"standard": "Standard", "on_site": "On site"}
    offered = listed([ServiceModel.STANDARD, ServiceModel.ON_SITE], empty=words("none"))
    assert str(offered) == "standard, on_site"
    back = from_wire(json.loads(json.dumps(to_wire(offered))))
    assert back is not None and back.render(lambda text: text, lambda code: labels[str(code)]) == "Standard, On site"
    nothing = listed([], empty=words("none"))
    assert nothing == words("none") and nothing.render({"none": "keine"}.__getitem__) == "keine"
