"""Enrollment and sign-out: the only moments the device's identity changes."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass

from app.adapters.local_store import Identity, LocalStore
from sync.domain.org import Role
from sync.errors import AuthError, Offline, ServerRefused
from sync.transport import HttpTransport


class EnrollFailed(Exception):
    """Enrollment did not happen; the message says why in words for the user."""


@dataclass
class AccountService:
    store: LocalStore
    transport: Callable[[str], HttpTransport]
    device_name: str = platform.node() or "Rackside device"

    def enroll(self, *, server_url: str, username: str, password: str) -> Identity:
        url = server_url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise EnrollFailed("the server address starts with https:// (or http:// on a local network)")
        try:
            with self.transport(url) as transport:
                answer = transport.enroll(username=username.strip(), password=password, device_name=self.device_name)
        except AuthError:
            raise EnrollFailed("username or password is wrong") from None
        except Offline:
            raise EnrollFailed(f"cannot reach {url}: check the address and the connection") from None
        except ServerRefused as err:
            raise EnrollFailed(f"the server refused: {err.message}") from None
        identity = Identity(
            server_url=url,
            device_id=answer.device_id,
            token=answer.device_token,
            user_id=answer.user.id,
            org_id=answer.user.org_id,
            name=answer.user.name,
            role=Role(answer.user.role),
        )
        self.store.save_identity(identity)
        return identity

    def unsynced_work(self) -> int:
        return self.store.pending_count()

    def sign_out(self) -> None:
        """Forget the identity and every record on this device (the caller warned about unsynced work)."""
        self.store.wipe()
