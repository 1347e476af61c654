"""The desk board's kept places (app/services/incident_board.py): the board a restarted app shows comes from the
places kept in the device database (each with the next places it takes as its clocks run), recomputed only where
the record, its contract or site, the app's rules or the clock say they no longer hold; the sync round fills them;
signing out drops them.

Five incidents at Helix FRA1 and a far site, all under ProSupport Plus Mission Critical (24×7; critical: 30 min
response, 4 h restore), as of Monday 7 December 2026 09:00 UTC (T):
- late:  received T-45 min, response due T-15 min: breached;
- tight: received T-25 min, 25 of 30 min used (over 75 %): at risk, breaches after T+5 min;
- calm:  received T-5 min: on track, at risk after T+17.5 min;
- far:   received T-5 min at a site 200 km from its depot, beyond the tier's last zone (160 km): no committed time;
- fixed: received T-50 min, restored: not on the board.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app.adapters.board_rows import BoardRows, Placement
from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore
from app.services import incident_board
from app.services.incident_board import Stamps
from app.services.incidents import IncidentService
from sync import codec
from sync.domain.asset import Asset
from sync.domain.calendar import Coverage
from sync.domain.contract import Contract, ServiceTier
from sync.domain.entity import Entity
from sync.domain.incident import IncidentStatus
from sync.domain.org import Organization, OrgKind
from sync.domain.service import Severity
from sync.domain.site import Site, SiteKind
from sync.domain.sla import ClockStatus
from sync.domain.ticket import Ticket
from sync.protocol import WireRecord

T = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MC = "ProSupport Plus Mission Critical"
BREACHED, AT_RISK, ON_TRACK = ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK
RECEIVED = {"late": 45, "tight": 25, "calm": 5, "far": 5, "fixed": 50}  # minutes before T


def ticket(name: str, **changes: object) -> Ticket:
    received = T - timedelta(minutes=RECEIVED[name])
    fields: dict[str, object] = {
        "id": name,
        "org_id": "o",
        "site_id": "far-site" if name == "far" else "fra1",
        "asset_id": f"unit-{name}",
        "symptom": "fan wall",
        "severity": Severity.CRITICAL,
        "opened_at": received,
        "tier_name": MC,
        "contract_id": "c",
    }
    if name == "fixed":
        fields |= {
            "status": IncidentStatus.RESTORED,
            "responded_at": received,
            "restored_at": T - timedelta(minutes=10),
        }
    return Ticket(**(fields | changes))  # type: ignore[arg-type]


def site(site_id: str, distance_km: int) -> Site:
    return Site(
        id=site_id,
        org_id="o",
        name=site_id,
        kind=SiteKind.COLOCATION,
        timezone="Europe/Berlin",
        region="eu",
        distance_km=distance_km,
    )


class Device:
    """A device database on disk; each ``start`` is the app started again (new store, new services)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = 0
        self.store = LocalStore(path)
        units = [
            Asset(id=f"unit-{n}", org_id="o", serial=f"NB{i:09d}", sku_id="k", revision="A", site_id="fra1")
            for i, n in enumerate(RECEIVED)
        ]
        contract = Contract(
            id="c",
            org_id="o",
            number="C1",
            tier=ServiceTier(name="old", response_hours=4, restore_hours=8, coverage=Coverage.ALWAYS),
            models=(),
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            asset_ids=tuple(u.id for u in units),
            site_ids=("fra1", "far-site"),
            tier_template=MC,
        )
        customer = Organization(id="o", org_id="o", name="Helix", kind=OrgKind.CUSTOMER)
        self.pull([customer, site("fra1", 18), site("far-site", 200), *units, contract])
        self.pull([ticket(n) for n in RECEIVED])

    def pull(self, entities: list[Entity]) -> None:
        """A pulled page: each record a new server version, as the sync engine writes it."""
        wire = []
        for entity in entities:
            self.version += 1
            data = codec.dump(entity)
            wire.append(WireRecord(collection=entity.collection, id=entity.id, version=self.version, data=data))
        self.store.apply_page(wire, str(self.version), complete=False)

    def start(self, now: datetime) -> IncidentService:
        self.store.close()
        self.store = LocalStore(self.path)
        return self.service(now)

    def service(self, now: datetime) -> IncidentService:
        return IncidentService(store=self.store, now=lambda: now)


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[Device]:
    device = Device(tmp_path / "device.db")
    yield device
    device.store.close()


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The incidents whose place the domain was asked for, in order (the index's one call into it)."""
    asked: list[str] = []
    real = incident_board.place

    def counting(reader: CachedReader, t: Ticket, stamps: Stamps, now: datetime) -> Placement:
        asked.append(t.id)
        return real(reader, t, stamps, now)

    monkeypatch.setattr(incident_board, "place", counting)
    return asked


def board(service: IncidentService) -> list[tuple[str, ClockStatus | None]]:
    return [(r.ticket_id, r.risk) for r in service.board().rows]


def test_the_board_ranks_breached_then_at_risk_then_on_track_then_no_running_clock(dev: Device) -> None:
    service = dev.service(T)
    assert board(service) == [("late", BREACHED), ("tight", AT_RISK), ("calm", ON_TRACK), ("far", None)]
    assert (service.board().total, service.board().breached, service.board().at_risk) == (4, 1, 1)


def test_a_restarted_app_reads_the_kept_places_and_their_next_steps_instead_of_recomputing(
    dev: Device, recomputed: list[str]
) -> None:
    board(dev.service(T))
    assert sorted(recomputed) == ["calm", "far", "fixed", "late", "tight"]
    recomputed.clear()
    assert board(dev.start(T + timedelta(minutes=1))) == [
        ("late", BREACHED),
        ("tight", AT_RISK),
        ("calm", ON_TRACK),
        ("far", None),
    ]
    # Six minutes on, "tight" has breached (due T+5 min): both breached, earliest due first.
    assert board(dev.start(T + timedelta(minutes=6))) == [
        ("late", BREACHED),
        ("tight", BREACHED),
        ("calm", ON_TRACK),
        ("far", None),
    ]
    # Twenty minutes on, "calm" has used more than 75 % of its 30 minutes; at 26, it has breached too.
    assert board(dev.start(T + timedelta(minutes=20)))[2] == ("calm", AT_RISK)
    assert board(dev.start(T + timedelta(minutes=26)))[2] == ("calm", BREACHED)
    # Every step was the domain's answer worked out when the place was first computed.
    assert recomputed == []
    # A clock set back before a place was computed is not trusted with it.
    assert board(dev.start(T - timedelta(minutes=1))) == [
        ("late", BREACHED),
        ("tight", AT_RISK),
        ("calm", ON_TRACK),
        ("far", None),
    ]
    assert sorted(recomputed) == ["calm", "far", "late", "tight"]


def test_the_sync_round_fills_the_index_so_the_next_board_recomputes_nothing(
    dev: Device, recomputed: list[str]
) -> None:
    screen = dev.service(T)
    board(screen)
    # A pull restores "late"; the sync thread's own index recomputes it and keeps the place.
    dev.pull([ticket("late", status=IncidentStatus.RESTORED, responded_at=T, restored_at=T)])
    recomputed.clear()
    dev.service(T).index_after_sync()
    assert recomputed == ["late"]
    recomputed.clear()
    # The screen's index reads the place the sync kept instead of recomputing it.
    assert board(screen) == [("tight", AT_RISK), ("calm", ON_TRACK), ("far", None)]
    assert recomputed == []
    # So does the first board after a start.
    assert board(dev.start(T)) == [("tight", AT_RISK), ("calm", ON_TRACK), ("far", None)]
    assert recomputed == []


def test_a_site_moved_beyond_the_last_zone_takes_its_incidents_clocks_off(dev: Device, recomputed: list[str]) -> None:
    screen = dev.service(T)
    board(screen)
    recomputed.clear()
    dev.pull([site("fra1", 200)])
    # No running clock: in order of receipt, then id.
    assert board(screen) == [("late", None), ("tight", None), ("calm", None), ("far", None)]
    assert sorted(recomputed) == ["calm", "late", "tight"]


def test_places_kept_by_another_version_of_the_app_are_recomputed(
    dev: Device, recomputed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    board(dev.service(T))
    recomputed.clear()
    monkeypatch.setattr(incident_board, "rules", lambda: "the next version's rules")
    assert board(dev.start(T)) == [("late", BREACHED), ("tight", AT_RISK), ("calm", ON_TRACK), ("far", None)]
    assert sorted(recomputed) == ["calm", "far", "late", "tight"]


def test_signing_out_drops_the_kept_places(dev: Device) -> None:
    board(dev.service(T))

    def kept() -> int:
        with dev.store.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM board_index")).scalar_one())

    assert kept() == 5
    worked_out = BoardRows(dev.store).all().values()
    dev.store.wipe()
    assert kept() == 0
    # Places the sync's thread worked out while the user signed out are not written after the wipe.
    BoardRows(dev.store).put(worked_out)
    assert kept() == 0
    assert board(dev.service(T)) == []
