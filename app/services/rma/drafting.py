"""The engineer's RMA: the draft form (entitlement and evidence up front), drafting, evidence, submitting and
answering the desk's question, and the triage checklist (from the domain's triage_evidence, as the gate counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import words
from app.services.aftersales_models import (
    ChecklistItem,
    DraftForm,
)
from app.services.rma.base import RmaBase
from sync.domain.asset import Asset
from sync.domain.catalog import RailKit
from sync.domain.commands import AddNote, AdvanceRma, AttachPhoto, DraftRma
from sync.domain.contract import ServiceModel
from sync.domain.coverage import entitlement_of
from sync.domain.errors import InvalidInput, NotFound
from sync.domain.evidence import PhotoKind
from sync.domain.installation import Installation
from sync.domain.returns import ReturnDraft, return_draft, returns_to_draft
from sync.domain.rma import EvidenceItem, Rma, RmaStatus
from sync.domain.service import FruSwap, Severity
from sync.domain.triage import triage_evidence


@dataclass
class RmaDrafting(RmaBase):
    def returns_owed(self, asset_id: str) -> tuple[ReturnDraft, ...]:
        """Parts swapped out of this chassis that have no RMA yet: the chassis page offers to return each."""
        return returns_to_draft(self.store.children(FruSwap, asset_id), self.store.children(Rma, asset_id))

    def draft_form(self, asset_id: str, *, swap_id: str | None = None) -> DraftForm:
        """The form; from a swap (``swap_id``), prefilled with the removed part, its error code and reason."""
        asset = self.store.get(Asset, asset_id)
        if asset is None:
            raise NotFound(words("this chassis is not on this device"))
        swap = self.store.get(FruSwap, swap_id) if swap_id else None
        if swap_id and (swap is None or swap.asset_id != asset_id):
            raise NotFound(words("this swap is not on this device"))
        prefill = return_draft(swap) if swap else None
        removed = ((f"{prefill.slot} (removed)", prefill.part_serial),) if prefill else ()
        entitled = entitlement_of(self.store, asset, self._site_today(asset.site_id))
        installs = sorted(self.store.children(Installation, asset.id), key=lambda i: i.installed_at)
        latest = installs[-1] if installs else None
        kit = self.store.get(RailKit, latest.rail_kit_id) if latest and latest.rail_kit_id else None
        return DraftForm(
            asset_id=asset.id,
            serial=asset.serial,
            entitlement=entitled,
            models=entitled.models or (ServiceModel.STANDARD,),
            parts=(*removed, *((p.slot, p.part_serial) for p in asset.installed_parts)),
            rack_depth_mm=latest.measured_depth_mm if latest else None,
            rail_kit_id=kit.id if kit else None,
            rail_kit_label=f"{kit.code} ({kit.min_depth_mm}–{kit.max_depth_mm} mm)" if kit else "",
            prefill=prefill,
        )

    def draft(
        self,
        *,
        asset_id: str,
        model: ServiceModel,
        symptom: str,
        repro_steps: str = "",
        severity: Severity = Severity.MAJOR,
        part_serial: str | None = None,
        controller_involved: bool = False,
        rack_depth_mm: int | None = None,
        rail_kit_id: str | None = None,
    ) -> str:
        if not symptom.strip():
            raise InvalidInput(words("describe the symptom"))
        rma_id = self.make_id()
        self.store.execute(
            DraftRma(
                rma_id=rma_id,
                asset_id=asset_id,
                model=model,
                symptom=symptom,
                repro_steps=repro_steps,
                severity=severity,
                part_serial=part_serial or None,
                controller_involved=controller_involved,
                rack_depth_mm=rack_depth_mm,
                rail_kit_id=rail_kit_id,
            )
        )
        return rma_id

    def attach_evidence(self, *, rma_id: str, kind: PhotoKind, sha256: str, caption: str = "") -> str:
        photo_id = self.make_id()
        self.store.execute(
            AttachPhoto(
                photo_id=photo_id,
                subject_collection=Rma.collection,
                subject_id=rma_id,
                sha256=sha256,
                thumbnail_sha256=None,
                kind=kind,
                caption=caption,
            )
        )
        return photo_id

    def submit(self, rma_id: str) -> None:
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.SUBMITTED))

    def answer(self, rma_id: str, *, answer: str) -> None:
        """Answer the desk's question: the answer is kept as a note and the RMA goes back to triage."""
        if not answer.strip():
            raise InvalidInput(words("write the answer to the desk's question"))
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.TRIAGE, note=answer))
        self.store.execute(AddNote(note_id=self.make_id(), subject_collection="rmas", subject_id=rma_id, text=answer))

    def checklist(self, rma: Rma) -> tuple[ChecklistItem, ...]:
        gaps = set(triage_evidence(self.store, rma).missing())
        return tuple(
            ChecklistItem(
                item=item,
                done=item not in gaps,
                needed=item is not EvidenceItem.CONTROLLER_LOGS or rma.controller_involved,
            )
            for item in EvidenceItem
        )
