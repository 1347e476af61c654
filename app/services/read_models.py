"""What screens show, computed from the local store: plain frozen data, no Flet, no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.i18n import Phrase, words
from app.timefmt import local_text
from sync.domain.coverage import Entitlement


@dataclass(frozen=True, kw_only=True)
class AssetSummary:
    id: str
    serial: str
    sku_code: str
    sku_name: str
    family: str
    site_name: Phrase | str  # the site's name, or "not installed" (the view translates it)
    rack_name: str
    u_position: int | None
    timezone: str  # the site's IANA zone, for showing its times (UTC, said so on screen, when not installed)


@dataclass(frozen=True, kw_only=True)
class SlotView:
    slot: str
    fru_type: str
    part_serial: str | None


@dataclass(frozen=True, kw_only=True)
class HistoryItem:
    at: datetime
    kind: str
    title: Phrase | str  # the view translates it and ``detail``
    detail: Phrase | str
    record_id: str = ""
    when: str = ""  # ``at`` on the site's clock with its zone, for the screen (app.timefmt)


@dataclass(frozen=True, kw_only=True)
class AssetPage:
    summary: AssetSummary
    revision: str
    lot: str
    warranty_end: date | None
    entitlement: Entitlement
    slots: tuple[SlotView, ...]
    history: tuple[HistoryItem, ...]
    pending_changes: bool

    @property
    def coverage_text(self) -> Phrase:
        if self.entitlement.tier:
            return words("Covered: {tier}", tier=self.entitlement.tier)
        if self.entitlement.under_warranty:
            return words("Covered: warranty only")
        return words("NOT COVERED")


@dataclass(frozen=True, kw_only=True)
class Choice:
    """An option in a picker: the id to send and the text to show."""

    id: str
    label: str


@dataclass(frozen=True, kw_only=True)
class FitPreview:
    fits: bool
    warnings: tuple[str, ...]
    # Whose Us the chassis would take ("U36 is taken by …"): saving it would be refused, not just warned about.
    taken: str = ""


@dataclass(frozen=True, kw_only=True)
class ScanOutcome:
    """What a scanned or typed serial led to: a known chassis, an unknown serial to register, or unusable input."""

    asset_id: str | None = None
    serial: str | None = None
    error: Phrase | str | None = None  # why the input is no serial, in the domain's words
    nearest: str | None = None  # for an unknown serial: the closest serial on this device ("did you mean …?")


@dataclass(frozen=True, kw_only=True)
class VisitDraft:
    """A visit report being written: what is typed so far, before it is signed and saved."""

    notes: str = ""
    signed_by: str = ""


@dataclass(frozen=True, kw_only=True)
class VisitReport:
    """What the customer signs for: who came, when, what was done, what was swapped and photographed."""

    visit_id: str
    serial: str
    site_name: Phrase | str  # the site's name, or "not installed" (the view translates it)
    engineer: str
    arrived_at: datetime
    left_at: datetime | None
    notes: str
    swaps: tuple[str, ...]
    photos: int
    signed_by: str | None
    signature_sha256: str | None
    timezone: str  # the visit's site zone: the customer signs for times on their own clock
    # Notes on the chassis, the visit or the day's swaps, written that site day (sync/domain/day_of_work.py).
    day_notes: tuple[str, ...] = ()

    def lines(self) -> list[Phrase]:
        """The report line by line, for the screen and the file, each in the reader's language (``t.phrase``)."""
        left = local_text(self.left_at, self.timezone) if self.left_at else words("not yet: still there")
        out = [
            words("Chassis {serial} at {site}", serial=self.serial, site=self.site_name),
            words("Engineer: {name}", name=self.engineer),
            words("Arrived {arrived}, left {left}", arrived=local_text(self.arrived_at, self.timezone), left=left),
        ]
        out += [words("Swap: {swap}", swap=s) for s in self.swaps] or [words("No parts swapped")]
        out.append(words("Photos: {count}", count=self.photos))
        if self.notes:
            out.append(words("Notes: {notes}", notes=self.notes))
        out += [words("Note: {text}", text=text) for text in self.day_notes]
        out.append(words("Signed by {name}", name=self.signed_by) if self.signed_by else words("Not signed"))
        return out
