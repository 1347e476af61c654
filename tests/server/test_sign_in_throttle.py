"""Failed enrollments are throttled per (username, address), per username anywhere (a slower backstop) and per
client address, counted in the database (server/throttle.py): the rules with a fake clock on SQLite and PostgreSQL,
then over HTTP against a real database and real password hashing; and no secret ever reaches a log line."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from server.accounts import create_user, hash_password
from server.app import create_app
from server.db import make_engine
from server.migrate import upgrade
from server.settings import Settings
from server.store import Store
from server.throttle import Limit, SignInThrottle, Throttled
from sync.domain.org import Role
from tests.support.inprocess import inprocess_client

WINDOW = 300.0
BACKSTOP_WINDOW = 3600.0
PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def throttle(
    store: Store, clock: Clock, *, per_user_address: int = 5, per_username: int = 50, per_address: int = 20
) -> SignInThrottle:
    return SignInThrottle(
        store.engine,
        per_user_address=Limit(max_failures=per_user_address, window_seconds=WINDOW),
        per_username=Limit(max_failures=per_username, window_seconds=BACKSTOP_WINDOW),
        per_address=Limit(max_failures=per_address, window_seconds=WINDOW),
        clock=clock,
    )


def fail(limiter: SignInThrottle, username: str, address: str = "10.0.0.1") -> None:
    limiter.check(username=username, address=address)
    limiter.failed(username=username, address=address)


def refused(limiter: SignInThrottle, username: str, address: str) -> int:
    with pytest.raises(Throttled) as caught:
        limiter.check(username=username, address=address)
    return caught.value.retry_after


def test_a_user_who_mistyped_a_few_times_signs_in_at_once_and_starts_afresh(store: Store) -> None:
    limiter = throttle(store, Clock())
    for _ in range(4):
        fail(limiter, "eli")
    limiter.check(username="eli", address="10.0.0.1")  # the fifth try is the right password
    limiter.succeeded(username="eli", address="10.0.0.1")
    for _ in range(4):  # the typos before were forgotten
        fail(limiter, "eli")
    limiter.check(username="eli", address="10.0.0.1")


def test_successes_never_count_so_many_devices_enrolling_at_once_all_get_in(store: Store) -> None:
    limiter = throttle(store, Clock(), per_user_address=2, per_address=3)
    for _ in range(10):
        limiter.check(username="eli", address="10.0.0.1")
        limiter.succeeded(username="eli", address="10.0.0.1")


def test_a_guesser_locks_out_only_its_own_address_not_the_engineer_in_the_field(store: Store) -> None:
    clock = Clock()
    limiter = throttle(store, clock)
    for step in range(5):
        clock.now = 1_000_000.0 + 10 * step
        fail(limiter, "eli", address="203.0.113.7")
    clock.now = 1_000_045.0
    assert refused(limiter, "eli", "203.0.113.7") == 255  # the first failure leaves the window at +300 s
    limiter.check(username="eli", address="198.51.100.2")  # Eli, elsewhere, is not locked out
    limiter.check(username="ada", address="203.0.113.7")  # nor another user at the guesser's address
    clock.now = 1_000_300.0
    limiter.check(username="eli", address="203.0.113.7")


def test_one_account_guessed_from_many_addresses_meets_the_slower_backstop(store: Store) -> None:
    clock = Clock()
    limiter = throttle(store, clock, per_username=8)
    for n in range(8):
        fail(limiter, "eli", address=f"10.0.{n}.1")  # never more than one failure per address
    assert refused(limiter, "eli", "10.9.9.9") == BACKSTOP_WINDOW
    limiter.check(username="ada", address="10.9.9.9")


def test_an_address_guessing_many_usernames_is_refused_and_other_addresses_are_not(store: Store) -> None:
    limiter = throttle(store, Clock(), per_address=3)
    for n in range(3):
        fail(limiter, f"user{n}", address="203.0.113.7")
    refused(limiter, "someone-else", "203.0.113.7")
    limiter.check(username="someone-else", address="198.51.100.2")


def test_a_success_does_not_clear_its_address_for_the_other_usernames_guessed_from_it(store: Store) -> None:
    limiter = throttle(store, Clock(), per_address=3)
    fail(limiter, "victim1", address="203.0.113.7")
    fail(limiter, "victim2", address="203.0.113.7")
    limiter.check(username="attacker", address="203.0.113.7")
    limiter.succeeded(username="attacker", address="203.0.113.7")
    fail(limiter, "victim3", address="203.0.113.7")
    refused(limiter, "victim4", "203.0.113.7")


def test_server_processes_share_one_count_and_old_failures_are_deleted(store: Store) -> None:
    clock = Clock()
    first, second = throttle(store, clock, per_user_address=4), throttle(store, clock, per_user_address=4)
    fail(first, "eli")
    fail(second, "eli")
    fail(first, "eli")
    fail(second, "eli")
    refused(first, "eli", "10.0.0.1")
    refused(second, "eli", "10.0.0.1")
    assert first.count() == 12  # three windows per failure
    clock.now += BACKSTOP_WINDOW + 1
    fail(first, "made-up", address="10.1.1.1")
    assert first.count() == 3  # only the newest failure's rows are left


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
        password_hash=hash_password(PASSWORD),
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


def test_eight_devices_enrolling_at_once_with_the_right_password_all_get_in(server: httpx.Client) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: enroll(server, PASSWORD).status_code, range(8)))
    assert answers == [200] * 8
