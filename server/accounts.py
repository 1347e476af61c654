"""Users, devices and the bearer tokens that bind them: create, enroll, authenticate, revoke.

Passwords are hashed with argon2id. Device tokens are 256 random bits shown once at enrollment and stored as their
SHA-256 only: a leaked database gives no usable token, and a lookup stays a single indexed query.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Select, func, insert, select, update

from server.errors import BadCredentials, DeviceRevoked, Unauthenticated
from server.scope import Scope, scope_for
from server.tables import assignments, devices, records, users
from sync import clock
from sync.domain.org import Actor, OrgKind, Role

_hasher = PasswordHasher()
# Verifying against this keeps an unknown username as slow as a wrong password, so timing tells nothing.
_DUMMY_HASH = _hasher.hash("rackside-dummy-password")


@dataclass(frozen=True, kw_only=True)
class Caller:
    actor: Actor
    scope: Scope
    name: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """The argon2id hash stored for a password (its own random salt each time)."""
    return _hasher.hash(password)


def create_user(
    engine: Engine,
    *,
    user_id: str,
    org_id: str,
    username: str,
    display_name: str,
    role: Role,
    password_hash: str,
    scope_keys: tuple[str, ...] = (),
) -> None:
    """A user signing in with the password whose ``hash_password`` is given."""
    with engine.begin() as conn:
        conn.execute(
            insert(users).values(
                id=user_id,
                org_id=org_id,
                username=username,
                display_name=display_name,
                role=role.value,
                password_hash=password_hash,
                active=True,
            )
        )
        if scope_keys:
            conn.execute(insert(assignments), [{"user_id": user_id, "scope_key": k} for k in scope_keys])


def enroll(engine: Engine, *, username: str, password: str, device_name: str, now: datetime) -> tuple[str, str, str]:
    """Check the password and register a device; returns (device_id, token, user_id). The token is never stored."""
    with engine.begin() as conn:
        row = conn.execute(
            select(users.c.id, users.c.password_hash, users.c.active).where(users.c.username == username)
        ).first()
        stored_hash = row.password_hash if row is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            raise BadCredentials("username or password is wrong") from None
        if row is None or not row.active:
            raise BadCredentials("username or password is wrong")
        device_id = str(uuid.uuid4())
        token = secrets.token_urlsafe(32)
        conn.execute(
            insert(devices).values(
                id=device_id, user_id=row.id, name=device_name, token_hash=hash_token(token), created_at=now
            )
        )
        return device_id, token, str(row.id)


def revoke_device(engine: Engine, *, device_id: str, now: datetime) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(devices).where(devices.c.id == device_id, devices.c.revoked_at.is_(None)).values(revoked_at=now)
        )
        return bool(result.rowcount)


def device_owner(engine: Engine, device_id: str) -> str | None:
    with engine.connect() as conn:
        owner = conn.execute(select(devices.c.user_id).where(devices.c.id == device_id)).scalar()
    return str(owner) if owner is not None else None


def _organization(data: str | None) -> tuple[OrgKind, frozenset[str]]:
    if data is None:
        return OrgKind.CUSTOMER, frozenset()
    parsed = json.loads(data)
    return OrgKind(parsed["kind"]), frozenset(parsed.get("serviced_org_ids", ()))


# Scope keys are joined with a character no id contains (ids and keys are printable), to read them in one round trip.
_KEY_SEPARATOR = "\x1f"


def _caller_query(token_hash: str) -> Select[Any]:
    """Device, user, organization record and scope keys in one statement: every request pays one round trip."""
    organization = (
        select(records.c.data)
        .where(records.c.collection == "organizations", records.c.id == users.c.org_id)
        .scalar_subquery()
    )
    keys = (
        select(func.aggregate_strings(assignments.c.scope_key, _KEY_SEPARATOR))
        .where(assignments.c.user_id == users.c.id)
        .scalar_subquery()
    )
    return (
        select(
            devices.c.id.label("device_id"),
            devices.c.revoked_at,
            users.c.id.label("user_id"),
            users.c.org_id,
            users.c.role,
            users.c.display_name,
            users.c.active,
            organization.label("organization"),
            keys.label("scope_keys"),
        )
        .join(users, users.c.id == devices.c.user_id)
        .where(devices.c.token_hash == token_hash)
    )


def authenticate(engine: Engine, token: str | None) -> Caller:
    """The caller behind a bearer token, with their scope; raises on a missing, unknown or revoked token."""
    if not token:
        raise Unauthenticated("send Authorization: Bearer <device token>")
    with engine.connect() as conn:
        row = conn.execute(_caller_query(hash_token(token))).first()
    if row is None:
        raise Unauthenticated("unknown device token: enroll this device again")
    if row.revoked_at is not None or not row.active:
        raise DeviceRevoked("this device was revoked: its local data must be wiped")
    org_kind, serviced = _organization(row.organization)
    keys = frozenset(row.scope_keys.split(_KEY_SEPARATOR)) if row.scope_keys else frozenset[str]()
    role = Role(row.role)
    actor = Actor(user_id=row.user_id, org_id=row.org_id, role=role, device_id=row.device_id, org_kind=org_kind)
    scope = scope_for(
        user_id=row.user_id,
        org_id=row.org_id,
        org_kind=org_kind,
        role=role,
        serviced_org_ids=serviced,
        assignments=keys,
    )
    return Caller(actor=actor, scope=scope, name=row.display_name)


def utcnow() -> datetime:
    return clock.utcnow()  # the machine's clock, or the test clock (sync/clock.py)
