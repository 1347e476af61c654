"""Failed enrollments are throttled per username and per client address (server/throttle.py): the rules with a fake
clock, then over HTTP against a real database and real password hashing; and no secret ever reaches a log line."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from server.accounts import create_user
from server.app import create_app
from server.db import make_engine
from server.migrate import upgrade
from server.settings import Settings
from server.store import Store
from server.throttle import Limit, SignInThrottle, Throttled
from sync.domain.org import Role
from tests.support.inprocess import inprocess_client

WINDOW = 300.0
PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock, *, per_username: int = 5, per_address: int = 20, max_keys: int = 10_000) -> SignInThrottle:
    return SignInThrottle(
        per_username=Limit(max_failures=per_username, window_seconds=WINDOW),
        per_address=Limit(max_failures=per_address, window_seconds=WINDOW),
        clock=clock,
        max_keys=max_keys,
    )


def fail(limiter: SignInThrottle, username: str, address: str = "10.0.0.1") -> None:
    limiter.attempt(username=username, address=address)  # allowed, and left counted as failed


def test_a_user_who_mistyped_a_few_times_signs_in_at_once_and_starts_afresh() -> None:
    clock = Clock()
    limiter = throttle(clock)
    for _ in range(4):
        fail(limiter, "eli")
    ticket = limiter.attempt(username="eli", address="10.0.0.1")  # the fifth try is the right password
    limiter.succeeded(username="eli", address="10.0.0.1", ticket=ticket)
    for _ in range(4):  # the typos before were forgotten
        fail(limiter, "eli")
    limiter.attempt(username="eli", address="10.0.0.1")


def test_a_username_is_refused_after_its_limit_until_the_oldest_failure_leaves_the_window() -> None:
    clock = Clock()
    limiter = throttle(clock)
    for step in range(5):
        clock.now = 1000.0 + 10 * step
        fail(limiter, "eli", address=f"10.0.0.{step}")  # from many addresses: the username alone counts
    clock.now = 1045.0
    with pytest.raises(Throttled) as refused:
        limiter.attempt(username="eli", address="10.9.9.9")
    assert refused.value.retry_after == 255  # the first failure (t=1000) leaves the window at t=1300
    limiter.attempt(username="ada", address="10.9.9.9")  # another user is not affected
    clock.now = 1300.0
    limiter.attempt(username="eli", address="10.9.9.9")


def test_an_address_guessing_many_usernames_is_refused_and_other_addresses_are_not() -> None:
    clock = Clock()
    limiter = throttle(clock, per_address=3)
    for n in range(3):
        fail(limiter, f"user{n}", address="203.0.113.7")
    with pytest.raises(Throttled):
        limiter.attempt(username="someone-else", address="203.0.113.7")
    limiter.attempt(username="someone-else", address="198.51.100.2")


def test_a_success_does_not_clear_its_address_for_the_other_usernames_guessed_from_it() -> None:
    clock = Clock()
    limiter = throttle(clock, per_address=3)
    fail(limiter, "victim1", address="203.0.113.7")
    fail(limiter, "victim2", address="203.0.113.7")
    ticket = limiter.attempt(username="attacker", address="203.0.113.7")
    limiter.succeeded(username="attacker", address="203.0.113.7", ticket=ticket)
    fail(limiter, "victim3", address="203.0.113.7")
    with pytest.raises(Throttled):
        limiter.attempt(username="victim4", address="203.0.113.7")


def test_a_flood_of_made_up_usernames_keeps_memory_bounded() -> None:
    limiter = throttle(Clock(), max_keys=100)
    for n in range(1000):
        fail(limiter, f"made-up-{n}", address=f"10.{n // 250}.{n % 250}.1")
    assert len(limiter._usernames.failures) == 100 and len(limiter._addresses.failures) == 100


@contextmanager
def running_server(tmp_path: Path) -> Iterator[httpx.Client]:
    """A real SQLite server with one user whose password is really hashed; three failures per username allowed."""
    url = f"sqlite:///{tmp_path / 'server.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    create_user(
        store.engine,
        user_id=str(uuid.uuid4()),
        org_id="org-a",
        username="eli",
        display_name="Eli",
        role=Role.FIELD_ENGINEER,
        password=PASSWORD,
    )
    app = create_app(Settings(database_url=url, sign_in_failures_per_username=3), store=store)
    with inprocess_client(app) as client:
        yield client
    store.engine.dispose()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[httpx.Client]:
    with running_server(tmp_path) as client:
        yield client


def enroll(client: httpx.Client, password: str, username: str = "eli") -> httpx.Response:
    body = {"username": username, "password": password, "device_name": "Eli's phone"}
    return client.post("/api/v1/auth/enroll", json=body, headers={"Rackside-Protocol": "1"})


def test_over_http_failures_answer_429_with_retry_after_and_the_error_body_even_for_the_right_password(
    server: httpx.Client,
) -> None:
    assert enroll(server, "typo one").status_code == 401
    assert enroll(server, PASSWORD).status_code == 200  # two typos, then in at once
    answers = [enroll(server, f"guess {n}") for n in range(3)]
    assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [(401, "bad_credentials")] * 3
    refused = enroll(server, PASSWORD)
    assert refused.status_code == 429
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 300
    assert refused.json() == {
        "error": {
            "code": "too_many_attempts",
            "message": f"too many failed sign-ins; try again in {retry_after} seconds",
            "details": {"retry_after": retry_after},
        }
    }


def test_no_password_or_token_reaches_a_log_line_during_failed_and_successful_enrollment(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Every logger at its most talkative, before the engine exists; SQLAlchemy sets its own to WARNING at import.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    wrong = f"wrong-{uuid.uuid4().hex}"
    with running_server(tmp_path) as server:
        assert enroll(server, wrong).status_code == 401
        enrolled = enroll(server, PASSWORD)
        assert enrolled.status_code == 200
        token = enrolled.json()["device_token"]
        me = server.get("/api/v1/me", headers={"Authorization": f"Bearer {token}", "Rackside-Protocol": "1"})
        assert me.is_success

    lines = [caplog.text] + [f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records]
    # The request log (one line per request: route template, status, duration) is checked for secrets with the rest.
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("rackside") and r.name != "rackside.requests"]
    assert ours == ["enrollment refused: wrong username or password", "device enrolled"]
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records), "the SQL log was captured too"
    for secret in (wrong, PASSWORD, token):
        assert not any(secret in line for line in lines)
    assert not any("eli" in line for line in ours), "no usernames either: they are personal data"
