"""Triage evidence read from the records (sync/domain/triage.py): what the approval gate and the checklist count."""

from __future__ import annotations

from dataclasses import replace

from sync.domain.evidence import PhotoKind
from sync.domain.rma import EvidenceItem
from sync.domain.triage import evidence_files, triage_evidence
from tests.domain.world import ASSET, INSTALLATION, LOOSE_ASSET, photo, rma, world


def test_photos_on_the_rma_its_chassis_and_the_chassis_installations_all_count() -> None:
    ctx = world().put(
        photo("p1", PhotoKind.INSTALL, INSTALLATION),
        photo("p2", PhotoKind.LABEL, ASSET),
        photo("p3", PhotoKind.LOG, rma()),
        photo("p4", PhotoKind.LOG, rma()),
    )
    evidence = triage_evidence(ctx, rma(controller_involved=True))
    assert (evidence.install_photos, evidence.label_photos, evidence.log_attachments) == (1, 1, 2)
    assert evidence.missing() == ()


def test_photos_of_another_chassis_do_not_count() -> None:
    ctx = world().put(photo("p1", PhotoKind.INSTALL, LOOSE_ASSET), photo("p2", PhotoKind.LABEL, LOOSE_ASSET))
    evidence = triage_evidence(ctx, rma(controller_involved=True))
    assert evidence.missing() == (
        EvidenceItem.INSTALL_PHOTOS,
        EvidenceItem.LABEL_PHOTOS,
        EvidenceItem.CONTROLLER_LOGS,
    )


def test_the_rmas_own_fields_come_with_the_counts() -> None:
    ctx = world().put(photo("p1", PhotoKind.INSTALL, ASSET), photo("p2", PhotoKind.LABEL, ASSET))
    evidence = triage_evidence(ctx, replace(rma(), repro_steps=" ", rail_kit_id=None))
    assert evidence.missing() == (EvidenceItem.RACK_DEPTH_AND_RAIL_KIT, EvidenceItem.SYMPTOM_AND_REPRO)


def test_the_desk_sees_the_files_behind_each_checklist_item_that_the_gate_counts() -> None:
    ctx = world().put(
        photo("p-install", PhotoKind.INSTALL, INSTALLATION),
        photo("p-label", PhotoKind.LABEL, ASSET),
        photo("p-log", PhotoKind.LOG, rma()),
        photo("p-damage", PhotoKind.DAMAGE, rma()),
        photo("p-other-chassis", PhotoKind.LABEL, LOOSE_ASSET),
    )
    files = evidence_files(ctx, rma())
    assert {item: [p.id for p in found] for item, found in files.items()} == {
        EvidenceItem.INSTALL_PHOTOS: ["p-install"],
        EvidenceItem.LABEL_PHOTOS: ["p-label"],
        EvidenceItem.CONTROLLER_LOGS: ["p-log"],
    }
