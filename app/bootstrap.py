"""The client's composition root: one place that wires the local store, the transport and the sync engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from app.adapters.local_store import Identity, LocalStore, NotEnrolled
from app.services.account import AccountService
from sync.engine import SyncEngine, SyncReport
from sync.transport import HttpTransport

DB_NAME = "rackside-client.db"


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

    def enroll(self, *, server_url: str, username: str, password: str, device_name: str) -> Identity:
        return self.account(device_name).enroll(server_url=server_url, username=username, password=password)

    def sync(self) -> SyncReport:
        with self.transport() as transport:
            return SyncEngine(store=self.store, transport=transport).sync_once()
