from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

from app.i18n import LANGUAGES, TRANSLATIONS, Translator, words
from app.refusals import COMMAND_WORDS, NEXT_STEPS
from app.services.incident_models import AMENDED_WORDS, AMENDMENT_WORDS, EVENT_WORDS, STATUS_WORDS, STEP_WORDS
from app.timefmt import WEEKDAYS
from sync.domain.asset import Asset
from sync.domain.coverage import entitlement
from sync.domain.sla import NOT_COMMITTED_WORDS, SEVERITY_ADJECTIVES

# Tables of words a view passes to t() by value, not as literals the scan below can see.
REFUSAL_TABLES = [
    *COMMAND_WORDS.values(),
    *NEXT_STEPS.values(),
    *STATUS_WORDS.values(),
    *STEP_WORDS.values(),
    *AMENDMENT_WORDS.values(),
    *AMENDED_WORDS.values(),
    *EVENT_WORDS.values(),
    *WEEKDAYS,
    *NOT_COMMITTED_WORDS.values(),
    *SEVERITY_ADJECTIVES.values(),
]

APP = Path(__file__).resolve().parents[2] / "app"
DOMAIN = Path(__file__).resolve().parents[2] / "sync" / "domain"
VIEWS = APP / "ui"


def _literals_passed_to(names: set[str], paths: list[Path], *, position: int = 0) -> set[str]:
    """The string literals passed as the ``position``-th argument to calls of ``names`` in ``paths``."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and len(node.args) > position:
                arg, func = node.args[position], node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in names and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def _texts_passed_to_t() -> set[str]:
    """Every literal the UI hands to its translator: t("...") in views, self.t("...") in the state, and the refusals'
    words (app/refusals.py); every phrase built for a view to translate, words("...") anywhere in the app and the
    domain; and what a role check says was refused (require(..., "swap a FRU"))."""
    return (
        _literals_passed_to({"t"}, [*VIEWS.rglob("*.py"), APP / "refusals.py"])
        | _literals_passed_to({"words"}, [*APP.rglob("*.py"), *DOMAIN.rglob("*.py")])
        # What a role check names the refused step with, translated inside "A {role} may not {doing}.":
        # require(role, action, doing) in sync/domain/permissions.py, require_role(ctx, action, doing) in handlers.
        | _literals_passed_to({"require", "require_role"}, [*DOMAIN.rglob("*.py")], position=2)
    )


def test_the_scan_finds_phrases_built_outside_the_views() -> None:
    # The sync chip's state machine and the duration words build phrases; a scan that missed them would pass empty.
    assert {"all sent at {when}", "{hours} h {mins} min", "warranty ended {date}"} <= _texts_passed_to_t()
    # A domain refusal's words, and the step a role check names (handlers' require_role calls).
    assert {"a stock move needs a reason", "swap a FRU", "grade depot orders"} <= _texts_passed_to_t()


def test_every_ui_text_has_a_translation_in_every_catalog() -> None:
    texts = _texts_passed_to_t()
    assert len(texts) > 40
    texts |= set(REFUSAL_TABLES)
    for language in LANGUAGES:
        if language == "en":
            continue
        catalog = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
        missing = sorted(texts - set(catalog))
        assert missing == [], f"{language}: untranslated {missing}"


def test_placeholders_survive_translation() -> None:
    german = Translator.for_language("de")
    assert german("Opened {serial}", serial="NB1") == "NB1 geöffnet"
    assert german("Sign in") == "Anmelden"


def test_a_phrase_is_translated_with_the_phrases_inside_it() -> None:
    german = Translator.for_language("de")
    two_h_ten = words("{hours} h {mins} min", hours=2, mins=10)
    due = words("due in {left}", left=two_h_ten)
    assert str(due) == "due in 2 h 10 min"
    assert german.phrase(due) == "fällig in 2 Std. 10 Min."
    assert german.phrase(words("saved on this device{to_send}", to_send="")) == "auf diesem Gerät gespeichert"
    assert german.phrase("NBR22600001") == "NBR22600001"  # a plain string is a name or a serial: as it is


def test_an_unknown_language_or_text_falls_back_to_english() -> None:
    assert Translator.for_language("xx")("Sign in") == "Sign in"
    assert Translator.for_language("de")("A text nobody translated") == "A text nobody translated"


def test_a_chassis_entitlement_built_by_the_domain_reads_in_german() -> None:
    expired = Asset(id="a1", org_id="acme", serial="NB1", sku_id="sku", revision="A", warranty_end=date(2025, 1, 31))
    found = entitlement(asset=expired, contracts=[], on=date(2026, 12, 7))
    german = Translator.for_language("de")
    assert [german.phrase(r) for r in found.reasons] == [
        "Garantie endete am 2025-01-31",
        "kein Servicevertrag deckt diese Seriennummer ab",
    ]
