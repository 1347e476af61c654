"""The triage evidence of an RMA, read from the records: the one computation behind the desk's approval gate
(``advance_rma``) and the engineer's checklist (app/services), so the two can never disagree.

Photos count when they hang on the RMA, on its chassis, or on any installation record of that chassis (the install
photos are usually taken when the chassis goes into the rack, long before the RMA exists).
"""

from __future__ import annotations

from sync.domain.context import Reader
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.installation import Installation
from sync.domain.rma import Rma, TriageEvidence


def _photos(reader: Reader, rma: Rma) -> list[Photo]:
    photos = [*reader.children(Photo, rma.id), *reader.children(Photo, rma.asset_id)]
    for installation in reader.children(Installation, rma.asset_id):
        photos.extend(reader.children(Photo, installation.id))
    return photos


def triage_evidence(reader: Reader, rma: Rma) -> TriageEvidence:
    kinds = [p.kind for p in _photos(reader, rma)]
    return rma.evidence(
        install_photos=kinds.count(PhotoKind.INSTALL),
        label_photos=kinds.count(PhotoKind.LABEL),
        log_attachments=kinds.count(PhotoKind.LOG),
    )
