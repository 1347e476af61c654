"""The triage evidence of an RMA, read from the records: the one computation behind the desk's approval gate
(``advance_rma``) and the engineer's checklist (app/services), so the two can never disagree.

Photos count when they hang on the RMA, on its chassis, or on any installation record of that chassis (the install
photos are usually taken when the chassis goes into the rack, long before the RMA exists).
"""

from __future__ import annotations

from sync.domain.context import Reader
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.installation import Installation
from sync.domain.rma import EvidenceItem, Rma, TriageEvidence

# The checklist items a file answers, and the kind of photo (or log) that answers each: what the gate counts below
# and what the checklist's "Add file" button attaches.
EVIDENCE_PHOTO_KIND: dict[EvidenceItem, PhotoKind] = {
    EvidenceItem.INSTALL_PHOTOS: PhotoKind.INSTALL,
    EvidenceItem.LABEL_PHOTOS: PhotoKind.LABEL,
    EvidenceItem.CONTROLLER_LOGS: PhotoKind.LOG,
}


def _photos(reader: Reader, rma: Rma) -> list[Photo]:
    photos = [*reader.children(Photo, rma.id), *reader.children(Photo, rma.asset_id)]
    for installation in reader.children(Installation, rma.asset_id):
        photos.extend(reader.children(Photo, installation.id))
    return photos


def evidence_files(reader: Reader, rma: Rma) -> dict[EvidenceItem, tuple[Photo, ...]]:
    """The files behind each file-answered checklist item, oldest first: exactly what the gate counts, so the desk
    looks at the evidence it approves on (each file once, though a chassis and its RMA can both list it)."""
    unique = {p.id: p for p in _photos(reader, rma)}.values()
    ordered = sorted(unique, key=lambda p: (p.taken_at, p.id))
    return {item: tuple(p for p in ordered if p.kind is kind) for item, kind in EVIDENCE_PHOTO_KIND.items()}


def triage_evidence(reader: Reader, rma: Rma) -> TriageEvidence:
    files = evidence_files(reader, rma)
    return rma.evidence(
        install_photos=len(files[EvidenceItem.INSTALL_PHOTOS]),
        label_photos=len(files[EvidenceItem.LABEL_PHOTOS]),
        log_attachments=len(files[EvidenceItem.CONTROLLER_LOGS]),
    )
