"""The client's composition root: the one place that builds the local store, the transport, the sync engine and
every service the screens use. Nothing else constructs a service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from app.adapters.local_store import Identity, LocalStore, NotEnrolled
from app.photos.service import PhotoService
from app.services.account import AccountService
from app.services.depot import DepotService
from app.services.escalations import EscalationService
from app.services.failure_report import FailureReportService
from app.services.field import FieldService
from app.services.incidents import IncidentService
from app.services.label_reader import LabelReader
from app.services.permissions import Permissions
from app.services.rma import RmaService
from app.services.saved_files import SavedFiles
from app.services.serial_lookup import SerialLookupService
from app.services.sla_attainment import SlaAttainmentService
from app.services.sync_status import SyncRunner
from sync.engine import SyncEngine, SyncReport
from sync.protocol import MAX_PULL_PAGE
from sync.transport import HttpTransport

DB_NAME = "rackside-client.db"


@dataclass(frozen=True, kw_only=True)
class Services:
    """Every service of one device, built once per session by ``Client.services``."""

    field: FieldService
    sync: SyncRunner
    account: AccountService
    # Re-encodes, stores and queues photos and logs; keeps drawn signatures content-addressed.
    photos: PhotoService
    # Reads serials from label photos and camera frames (the scanning pipeline).
    labels: LabelReader
    rma: RmaService
    depot: DepotService
    reports: FailureReportService
    # SLA attainment for the desk's KPI card and its CSV (sync/domain/sla_report.py).
    attainment: SlaAttainmentService
    permissions: Permissions
    files: SavedFiles
    incidents: IncidentService
    # The desk's escalation notices of recorded breaches, and acknowledging them.
    escalations: EscalationService
    # A serial not on this device: asks the server before registration is offered, and fetches what it knows.
    lookup: SerialLookupService


@dataclass
class Client:
    store: LocalStore
    http: httpx.Client | None = None

    @classmethod
    def open(cls, data_dir: Path, *, http: httpx.Client | None = None) -> Client:
        return cls(store=LocalStore(data_dir / DB_NAME), http=http)

    def transport(self, server_url: str | None = None) -> HttpTransport:
        identity = self.store.identity()
        url = server_url or (identity.server_url if identity else None)
        if url is None:
            raise NotEnrolled("no server known yet: enroll with --server URL")
        return HttpTransport(url, token=identity.token if identity else None, client=self.http)

    def account(self, device_name: str | None = None) -> AccountService:
        service = AccountService(store=self.store, transport=self.transport)
        if device_name:
            service.device_name = device_name
        return service

    def services(self, data_dir: Path, *, pull_page: int = MAX_PULL_PAGE) -> Services:
        """The services the UI works with; photos, labels and saved files live under ``data_dir``."""
        store = self.store
        field = FieldService(store=store)
        incidents = IncidentService(store=store)
        runner = SyncRunner(store, self.transport, after_round=incidents.index_after_sync, pull_page=pull_page)
        return Services(
            field=field,
            sync=runner,
            account=self.account(),
            photos=PhotoService.open(store, data_dir),
            labels=LabelReader(field.serial_patterns),
            rma=RmaService(store=store),
            depot=DepotService(store=store),
            reports=FailureReportService(store=store),
            attainment=SlaAttainmentService(store=store),
            permissions=Permissions(store=store),
            files=SavedFiles(data_dir),
            incidents=incidents,
            escalations=EscalationService(store=store),
            lookup=SerialLookupService(store=store, transport=self.transport, runner=runner),
        )

    def enroll(self, *, server_url: str, username: str, password: str, device_name: str) -> Identity:
        return self.account(device_name).enroll(server_url=server_url, username=username, password=password)

    def sync(self) -> SyncReport:
        with self.transport() as transport:
            return SyncEngine(store=self.store, transport=transport).sync_once()
