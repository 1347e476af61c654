"""Refusals in plain words (app/refusals.py): what was refused, why, and what to do next, from code and details."""

from __future__ import annotations

from app.i18n import Translator
from app.refusals import explain

EN = Translator()


def test_a_duplicate_serial_the_caller_sees_names_where_it_is_and_offers_to_open_it() -> None:
    refusal = explain(
        EN,
        code="duplicate",
        message="chassis NBR22600001 is already registered",
        details={
            "serial": "NBR22600001",
            "asset_id": "a-1",
            "site_name": "Helix FRA1",
            "rack_name": "R02",
            "u_position": 12,
        },
        command="RegisterAsset",
        payload={"serial": " nbr22600001", "asset_id": "new"},
    )
    assert refusal.text(EN) == (
        "Registering chassis NBR22600001 was refused: "
        "NBR22600001 is already registered (Helix FRA1, rack R02). Open it?"
    )
    assert refusal.open_asset_id == "a-1"


def test_a_duplicate_serial_out_of_sight_names_nothing_but_the_serial() -> None:
    refusal = explain(
        EN,
        code="duplicate",
        message="assets natural key 'NBR22600001' is taken",
        details={"collection": "assets", "natural_key": "NBR22600001"},
        command="RegisterAsset",
        payload={"serial": "NBR22600001"},
    )
    assert refusal.why == "NBR22600001 is already registered, to a customer or site this account cannot see."
    assert refusal.next_step.startswith("Check the serial on the chassis label.")
    assert refusal.open_asset_id is None


def test_a_box_scanned_before_its_return_is_expected_names_the_box_and_what_it_waits_for() -> None:
    refusal = explain(
        EN,
        code="illegal_transition",
        message="an RMA cannot go from approved to received",
        details={
            "from": "approved",
            "to": "received",
            "code": "RMA-2026-000009",
            "rma_id": "r-9",
            "rma_number": "RMA-2026-000009",
            "serial": "NBR12600032",
        },
    )
    assert refusal.why == (
        "RMA-2026-000009 · NBR12600032 cannot be received yet: its RMA is “Approved”. "
        "The service desk approved it but has not yet marked the return as expected."
    )
    assert refusal.next_step == ("Set the box aside and ask the service desk to expect its return; then scan it again.")


def test_another_illegal_step_says_both_states_in_words() -> None:
    refusal = explain(
        EN,
        code="illegal_transition",
        message="an RMA cannot go from needs_info to approved",
        details={"from": "needs_info", "to": "approved"},
        command="AdvanceRma",
        payload={"to_status": "approved"},
    )
    assert refusal.what == "Moving the RMA to “Approved”"
    assert refusal.why == "It is “Needs more information” now and cannot go to “Approved”."


def test_forbidden_names_the_role_in_words_and_evidence_names_the_items() -> None:
    forbidden = explain(
        EN,
        code="forbidden",
        message="a customer may not swap a FRU",
        details={"role": "customer", "doing": "swap a FRU"},
        action="FRU swap",
    )
    assert forbidden.text(EN) == (
        "FRU swap was refused: A customer may not swap a FRU. Ask the service desk or an administrator to do it."
    )
    evidence = explain(
        EN,
        code="evidence_missing",
        message="triage evidence missing: install_photos, controller_logs",
        details={"missing": ["install_photos", "controller_logs"]},
    )
    assert evidence.why == "Evidence is missing: install photos, controller logs."
    assert evidence.next_step == "Add it on the RMA page, then submit again."


def test_already_exists_says_nothing_of_the_record_and_an_unknown_code_keeps_the_message() -> None:
    hidden = explain(EN, code="already_exists", message="x", details={"collection": "parts", "id": "p-1"})
    assert hidden.why == "A record with the same identity already exists, and this account may not see it."
    unknown = explain(EN, code="something_new", message="the moon is full", command="SomeFutureCommand")
    assert unknown.text(EN) == ("A change was refused: The moon is full. Discard this change, or ask the service desk.")


def test_refusals_translate() -> None:
    german = Translator.for_language("de")
    refusal = explain(
        german,
        code="duplicate",
        message="",
        details={"collection": "assets", "natural_key": "NBR22600001"},
        command="RegisterAsset",
        payload={"serial": "NBR22600001"},
    )
    assert refusal.headline(german) == "Das Registrieren von Gehäuse NBR22600001 wurde abgelehnt"
