"""Every enum value the screens show has a human label (app/vocabulary.py), and the labels are ready for translation.

The enums are listed here, not imported from the table under test: adding one to a screen means adding it here.
"""

from __future__ import annotations

import json
from enum import StrEnum

import pytest

from app.i18n import LANGUAGES, TRANSLATIONS
from app.vocabulary import LABELS, label, label_of
from sync.domain.asset import PartLocation
from sync.domain.calendar import Coverage
from sync.domain.catalog import ChassisFamily, FruType, Serviceability
from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason, CreditRule, KitItem
from sync.domain.depot import Destination
from sync.domain.evidence import PhotoKind
from sync.domain.fit import FitProblem
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.kpi import PatternKey
from sync.domain.logistics import DepotGrade, DepotStage, ObligationStatus, ShipmentDirection, ShipmentStatus
from sync.domain.org import OrgKind, Role
from sync.domain.rma import EvidenceItem, RmaLane, RmaStatus
from sync.domain.service import Severity
from sync.domain.site import SiteKind
from sync.domain.sla import Clock, ClockStatus, PauseReason
from sync.domain.stock import StockLocationKind

SHOWN: tuple[type[StrEnum], ...] = (
    RmaStatus,
    RmaLane,
    EvidenceItem,
    ServiceModel,
    Severity,
    IncidentStatus,
    Amendment,
    DepotStage,
    DepotGrade,
    Destination,
    ShipmentDirection,
    ShipmentStatus,
    ObligationStatus,
    PartLocation,
    StockLocationKind,
    PhotoKind,
    Role,
    OrgKind,
    SiteKind,
    Coverage,
    ChassisFamily,
    FruType,
    Serviceability,
    FitProblem,
    CreditReason,
    KitItem,
    CreditRule,
    Clock,
    PauseReason,
    ClockStatus,
    PatternKey,
)


@pytest.mark.parametrize("kind", SHOWN, ids=lambda k: k.__name__)
def test_every_value_of_every_shown_enum_has_its_own_human_label(kind: type[StrEnum]) -> None:
    table = LABELS.get(kind)
    assert table is not None, f"{kind.__name__} has no labels"
    for value in kind:
        assert value in table, f"{kind.__name__}.{value.name} has no label"
        text = table[value]
        assert text != value.value, f"{kind.__name__}.{value.name}: the label is the code"
        assert "_" not in text, f"{kind.__name__}.{value.name}: {text!r} has an underscore"
        assert text[0].isupper() or text[0].isdigit(), f"{kind.__name__}.{value.name}: {text!r} starts lower case"


def test_the_words_people_complained_about_read_as_words() -> None:
    assert label(RmaStatus.NEEDS_INFO) == "Needs more information"
    assert label(RmaStatus.SUBMITTED) == "Submitted"
    assert label(DepotStage.BURN_IN) == "Burn-in test"
    assert label(DepotGrade.REPAIRED_TESTED) == "Repaired and tested"
    assert label(DepotGrade.SCRAP_SUPPLIER_CLAIM) == "Scrap (claim from supplier)"
    assert label(ServiceModel.ADVANCE_EXCHANGE) == "Advance exchange"
    assert label(ServiceModel.ON_SITE) == "On-site service"
    assert label(Severity.MAJOR) == "Major (service degraded)"
    assert label(Role.FIELD_ENGINEER) == "Field engineer"
    assert label(PhotoKind.LOG) == "Log / screen"
    assert label(Coverage.ALWAYS) == "Around the clock (24×7)"
    assert label(ObligationStatus.OPEN) == "Return expected"


def test_a_code_kept_as_text_is_labelled_and_an_unknown_one_still_reads_as_words() -> None:
    assert label_of(RmaLane, "credit") == "Credit"
    assert label_of(RmaLane, None) == "—"
    assert label_of(RmaLane, "some_future_lane") == "some future lane"


def test_every_label_has_a_translation_in_every_catalog() -> None:
    texts = {text for table in LABELS.values() for text in table.values()}
    for language in LANGUAGES:
        if language == "en":
            continue
        catalog = json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))
        missing = sorted(texts - set(catalog))
        assert missing == [], f"{language}: untranslated labels {missing}"
