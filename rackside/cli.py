"""`rackside server | seed | client | demo`: run Rackside from a shell."""

from __future__ import annotations

import getpass
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sync.protocol import MAX_PULL_PAGE

if TYPE_CHECKING:
    from sync.domain.failure_analysis import RootCauseRow

# What `rackside server` gives requests in flight to finish after SIGTERM before it closes their connections.
SHUTDOWN_GRACE_SECONDS = 30

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Rackside: offline-first field service and RMA.")
client_app = typer.Typer(help="The client: with no sub-command, the app itself; sub-commands run it headless.")
app.add_typer(client_app, name="client")
user_app = typer.Typer(no_args_is_help=True, help="Manage server users (run on the server host).")
app.add_typer(user_app, name="user")

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: $RACKSIDE_DATABASE_URL or ./rackside.db)")
]


def _database_url(db: str | None) -> str:
    from server.settings import Settings

    return Settings.from_env(database_url=db).database_url


@app.command()
def server(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless behind a proxy")] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8765,
    workers: Annotated[int, typer.Option(min=1, help="Server processes on this port (PostgreSQL for more than 1)")] = 1,
    log_level: Annotated[str, typer.Option(help="debug, info (a line per request), warning or error")] = "info",
    blobs: Annotated[
        str | None,
        typer.Option(
            "--blobs",
            help="Blob store: s3://bucket/prefix (endpoint and credentials from AWS_* variables) or a folder "
            "(default: $RACKSIDE_BLOB_URL, else $RACKSIDE_BLOB_DIR, else beside an SQLite database)",
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto to trust; none by default",
        ),
    ] = None,
) -> None:
    """Run the API server (migrating the database to the newest schema first).

    Every worker builds its own app from the environment (server.app:create_app_from_env) and keeps no state of
    its own, so workers on one machine, or servers on several behind a load balancer, serve the same devices.
    SIGTERM or Ctrl+C stops taking requests, finishes those in flight (pushes included) within
    SHUTDOWN_GRACE_SECONDS, then exits.
    """
    import uvicorn

    from server.logs import log_config
    from server.migrate import upgrade

    url = _database_url(db)
    if workers > 1 and url.startswith("sqlite"):
        raise typer.BadParameter(
            "several workers need PostgreSQL: SQLite has one writer at a time", param_hint="--workers"
        )
    upgrade(url)
    # The workers read their settings from the environment: the URL chosen here must reach them.
    os.environ["RACKSIDE_DATABASE_URL"] = url
    if blobs is not None:
        os.environ["RACKSIDE_BLOB_URL"] = blobs
    from server.settings import Settings
    from server.startup import startup_line

    typer.echo(startup_line(Settings.from_env(), host=host, port=port, workers=workers))
    samples = None
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its metric samples here and /metrics adds them up (server/metrics.py).
        samples = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="rackside-metrics-")
    try:
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise; then any local client (or a proxy that
        # passes the header through) could pick the address the per-address enrollment throttle counts it as.
        uvicorn.run(
            "server.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=log_config(log_level),
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            proxy_headers=forwarded_allow_ips is not None,
            forwarded_allow_ips=forwarded_allow_ips or "",
        )
    finally:
        if samples is not None:
            shutil.rmtree(samples, ignore_errors=True)


@app.command()
def seed(
    db: DbOption = None,
    assets: Annotated[int, typer.Option(help="How many chassis to create")] = 200,
) -> None:
    """Fill an empty database with realistic demo data (users' password: rackside-demo)."""
    from server.db import make_engine
    from server.migrate import upgrade
    from server.seed import DEMO_PASSWORD
    from server.seed import seed as run_seed
    from server.store import Store

    url = _database_url(db)
    upgrade(url)
    store = Store(make_engine(url))
    if store.head_version() > 0:
        typer.echo("the database already holds data; seed only an empty one", err=True)
        raise typer.Exit(1)
    # Around the real now, so the demo's board shows what its incidents were planned to show (one breached, one at
    # risk, one on track…) and its RMAs' due dates are near today; tests seed at a fixed moment instead.
    from datetime import UTC, datetime

    counts = run_seed(store, assets=assets, now=datetime.now(UTC))
    typer.echo(json.dumps(counts, indent=1))
    typer.echo(f"users: admin, desk, depot, engineer, installer, partner, customer (password {DEMO_PASSWORD})")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="field_engineer, installer, depot, service_desk, admin or customer")],
    org_id: Annotated[str, typer.Option("--org", help="Organization id the user belongs to")],
    name: Annotated[str, typer.Option(help="Display name")] = "",
    db: DbOption = None,
    password: Annotated[str | None, typer.Option(envvar="RACKSIDE_NEW_PASSWORD", help="Prompted when omitted")] = None,
) -> None:
    """Create a user; the password is hashed with argon2 and never stored or printed."""
    import uuid

    from server.accounts import create_user, hash_password
    from server.db import make_engine
    from server.migrate import upgrade
    from sync.domain.org import Role

    try:
        parsed_role = Role(role)
    except ValueError:
        typer.echo(f"unknown role {role!r}; one of: {', '.join(r.value for r in Role)}", err=True)
        raise typer.Exit(2) from None
    secret = password if password is not None else typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(secret) < 10:
        typer.echo("use a password of at least 10 characters", err=True)
        raise typer.Exit(2)
    url = _database_url(db)
    upgrade(url)
    engine = make_engine(url)
    user_id = str(uuid.uuid4())
    create_user(
        engine,
        user_id=user_id,
        org_id=org_id,
        username=username,
        display_name=name or username,
        role=parsed_role,
        password_hash=hash_password(secret),
    )
    engine.dispose()
    typer.echo(f"created {username} ({parsed_role.value}) id {user_id}")


@user_app.command("assign")
def user_assign(
    username: Annotated[str, typer.Argument()],
    scope_keys: Annotated[list[str], typer.Argument(help="e.g. site:<site id> or org:<customer org id>")],
    db: DbOption = None,
) -> None:
    """Give a user more scope keys (sites, customers). Their devices re-pull their scope on the next sync."""
    from sqlalchemy import insert, select

    from server.db import make_engine
    from server.tables import assignments, users

    engine = make_engine(_database_url(db))
    with engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
        if user_id is None:
            typer.echo(f"no user {username!r}", err=True)
            raise typer.Exit(2)
        held = set(conn.execute(select(assignments.c.scope_key).where(assignments.c.user_id == user_id)).scalars())
        for key in scope_keys:
            if not key.startswith(("site:", "org:")):
                typer.echo(f"{key!r}: scope keys look like site:<id> or org:<id>", err=True)
                raise typer.Exit(2)
            if key not in held:
                conn.execute(insert(assignments).values(user_id=user_id, scope_key=key))
    engine.dispose()
    typer.echo(f"{username}: assigned {', '.join(scope_keys)}")


DataOption = Annotated[Path, typer.Option("--data", help="Folder of this device's local data")]


@client_app.callback(invoke_without_command=True)
def client(
    ctx: typer.Context,
    server: Annotated[str, typer.Option("--server", help="Server offered at sign-in")] = "http://127.0.0.1:8765",
    data: DataOption = Path("rackside-data"),
    web: Annotated[
        bool, typer.Option("--web", help="Serve to a browser even where a desktop window is possible")
    ] = False,
    host: Annotated[
        str, typer.Option(help="Interface for the browser UI; never 0.0.0.0 unless you mean it")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for the browser UI")] = 8550,
    sync_interval: Annotated[float, typer.Option(help="Seconds between background syncs")] = 30.0,
    pull_page: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_PULL_PAGE,
            help="Changes asked for per pull request: smaller pages show progress sooner and lose less on a weak link",
        ),
    ] = MAX_PULL_PAGE,
) -> None:
    """Start the Rackside app (desktop window, or in a browser at http://HOST:PORT)."""
    if ctx.invoked_subcommand is not None:
        return
    from app.ui.run import desktop_available, run_client

    if web or not desktop_available():
        typer.echo(f"Rackside client: open http://{host}:{port} in a browser (data in {data})")
    run_client(
        data_dir=data, server_url=server, web=web, host=host, port=port, interval=sync_interval, pull_page=pull_page
    )


@client_app.command("enroll")
def client_enroll(
    data: DataOption = Path("rackside-data"),
    server: Annotated[str, typer.Option("--server")] = "http://127.0.0.1:8765",
    username: Annotated[str, typer.Option("--user")] = "",
    password: Annotated[str | None, typer.Option("--password", envvar="RACKSIDE_PASSWORD")] = None,
    device_name: Annotated[str, typer.Option("--device-name")] = platform.node() or "device",
) -> None:
    """Sign in once and enroll this device with the server."""
    from app.bootstrap import Client

    user = username or typer.prompt("username")
    secret = password if password is not None else getpass.getpass("password: ")
    identity = Client.open(data).enroll(server_url=server, username=user, password=secret, device_name=device_name)
    typer.echo(f"enrolled as {identity.name} ({identity.role}); device {identity.device_id}")


@client_app.command("sync")
def client_sync(data: DataOption = Path("rackside-data")) -> None:
    """Push pending commands, then pull changes until caught up."""
    from app.bootstrap import Client
    from sync.errors import DeviceRevoked, SyncError

    client = Client.open(data)
    try:
        report = client.sync()
    except DeviceRevoked:
        client.store.wipe()
        typer.echo("this device was revoked; its local data has been wiped", err=True)
        raise typer.Exit(3) from None
    except SyncError as err:
        typer.echo(f"sync failed: {err}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(report.__dict__))


@client_app.command("status")
def client_status(data: DataOption = Path("rackside-data")) -> None:
    """What this device holds and what it still has to send."""
    from app.bootstrap import Client

    store = Client.open(data).store
    identity = store.identity()
    last = store.last_pull_at()
    status = {
        "enrolled_as": identity.name if identity else None,
        "server": identity.server_url if identity else None,
        "pending": store.pending_count(),
        "rejected": len(store.rejections()),
        "assets": store.count("assets"),
        "last_sync": last.isoformat() if last else None,
    }
    typer.echo(json.dumps(status, indent=1))


@client_app.command("failures")
def client_failures(
    data: DataOption = Path("rackside-data"),
    days: Annotated[int, typer.Option(help="Units graded in the last N days; 0 for everything on the device")] = 90,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write one line per graded unit to this file")] = None,
) -> None:
    """The failure-analysis report from this device's records: root causes, NFF causes, error codes, patterns."""
    from app.bootstrap import Client
    from app.services.failure_report import FailureReportService

    reports = FailureReportService(store=Client.open(data).store)
    period = days or None
    if csv_out is not None:
        csv_out.write_bytes(reports.csv(days=period))
    page = reports.page(days=period)
    report = page.analysis

    def causes(rows: tuple[RootCauseRow, ...]) -> list[dict[str, object]]:
        return [
            {
                "cause": r.cause,
                "units": r.orders,
                "error_codes": dict(r.error_codes),
                "actions": list(r.corrective_actions),
            }
            for r in rows
        ]

    summary = {
        "days": period,
        "graded": report.graded,
        "confirmed_failures": report.confirmed,
        "no_fault_found": report.no_fault_found,
        "nff_rate": round(report.nff_rate, 3) if report.nff_rate is not None else None,
        "root_causes": causes(page.root_causes),
        "nff_causes": causes(page.nff_causes),
        "error_codes": dict(report.error_codes),
        "patterns": {key.value: {r.label: r.failures for r in rows} for key, rows in page.patterns.items()},
        "repeat_failures": {r.unit: r.failures for r in report.repeats},
    }
    typer.echo(json.dumps(summary, indent=1))


@app.command()
def scan(
    images: Annotated[list[Path], typer.Argument(help="Label photos or camera frames (JPEG, PNG, WebP …)")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per image")] = False,
    budget_ms: Annotated[float, typer.Option("--budget-ms", help="Time budget per image")] = 350.0,
    pattern: Annotated[
        list[str] | None,
        typer.Option("--pattern", help="A serial pattern NAME=REGEX, as the catalogue's SKUs give them (repeatable)"),
    ] = None,
) -> None:
    """Every barcode in each image (format, text, position), how each was read, the serial chosen and why, and the
    time taken."""
    from app.scanning import SerialPattern
    from app.scanning import scan as scan_image

    patterns = []
    for item in pattern or []:
        name, sep, regex = item.partition("=")
        if not sep or not regex:
            raise typer.BadParameter(f"{item!r}: expected NAME=REGEX", param_hint="--pattern")
        patterns.append(SerialPattern(name, regex))
    failed = False
    for path in images:
        try:
            data = path.read_bytes()
        except OSError as err:
            typer.echo(f"{path}: cannot read: {err.strerror}", err=True)
            failed = True
            continue
        result = scan_image(data, budget_ms=budget_ms, patterns=patterns)
        choice = result.choice
        barcodes: list[dict[str, Any]] = [
            {
                "format": b.format,
                "text": b.text,
                "position": [[round(x), round(y)] for x, y in b.position],
                # how each field was read: the explanation behind the choice (data identifiers, GS1, prefixes)
                "readings": [
                    {"role": r.role.name.lower(), "value": r.value, "why": r.why}
                    for r in choice.readings
                    if r.barcode.key == b.key
                ],
            }
            for b in result.barcodes
        ]
        if as_json:
            report = {
                "image": str(path),
                "ms": round(result.elapsed_ms, 1),
                "barcodes": barcodes,
                "serial": choice.serial,
                "status": choice.status.value,
                "reason": choice.reason,
                "candidates": list(choice.candidates),
                "problem": result.problem,
            }
            typer.echo(json.dumps(report, ensure_ascii=False))
            continue
        typer.echo(f"{path}  ({result.elapsed_ms:.0f} ms)")
        for b in barcodes:
            typer.echo(f"  {b['format']:<10} {b['text']!r}  at {b['position']}")
            for r in b["readings"]:
                typer.echo(f"      read as {r['role']} {r['value']!r}: {r['why']}")
        typer.echo(f"  => {result.message}")
        if len(choice.candidates) > 1:
            typer.echo(f"     choices: {', '.join(choice.candidates)}")
    if failed:
        raise typer.Exit(2)


@app.command()
def demo(
    data: Annotated[Path, typer.Option("--data", help="Folder for the demo database and client data")] = Path(".demo"),
    port: Annotated[int, typer.Option(help="Server port")] = 8765,
    ui_port: Annotated[int, typer.Option(help="Client UI port (browser mode)")] = 8550,
    assets: Annotated[int, typer.Option()] = 200,
    headless: Annotated[bool, typer.Option(help="Sync once and keep only the server running (no UI)")] = False,
) -> None:
    """Server on embedded SQLite with demo data, a client enrolled as the field engineer, and the client UI.

    The server runs in its own process group: Ctrl+C here stops the UI (and then the server); `rackside demo-server
    stop` in another terminal stops only the server, so the client works offline, and `rackside demo-server start`
    brings it back (rackside/demo_server.py)."""
    from rackside import demo_server

    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RACKSIDE_DATABASE_URL": demo_server.database_url(data)}
    me = [sys.executable, "-m", "rackside.cli"]
    if not demo_server.database_file(data).exists():
        subprocess.run([*me, "seed", "--assets", str(assets)], env=env, check=True)
    url = f"http://127.0.0.1:{port}"
    # A plain SIGTERM would end this process without the cleanup below and orphan the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server_proc = None
    try:
        server_proc = demo_server.start(data, port)
        client_dir = data / "client-engineer"
        from app.bootstrap import Client
        from server.seed import DEMO_PASSWORD

        client = Client.open(client_dir)
        if client.store.identity() is None:
            client.enroll(server_url=url, username="engineer", password=DEMO_PASSWORD, device_name="demo laptop")
        report = client.sync()
        client.store.close()
        typer.echo(f"server: {url}  (API docs: {url}/api/docs)")
        typer.echo(f"database: {demo_server.database_file(data)} (SQLite; server log: {demo_server.log_file(data)})")
        typer.echo(f"client data: {client_dir} (enrolled as engineer, {report.pulled} records pulled)")
        typer.echo("users: admin, desk, depot, engineer, installer, partner, customer; password rackside-demo")
        where = "" if data == Path(".demo") else f" --data {data}"
        typer.echo(
            f"offline: `rackside demo-server stop{where}` in another terminal stops only the server (the client keeps"
            f" running); `rackside demo-server start{where}` brings it back"
        )
        if headless:
            typer.echo("Ctrl+C stops the server")
            server_proc.wait()
            return
        from app.ui.run import desktop_available, run_client

        if not desktop_available():
            typer.echo(f"\n  ==> open http://127.0.0.1:{ui_port} in a browser  (Ctrl+C stops the UI and the server)\n")
        run_client(data_dir=client_dir, server_url=url, web=False, host="127.0.0.1", port=ui_port)
    except KeyboardInterrupt:
        pass
    finally:
        # Whichever demo server runs now (this one, or one `demo-server start` brought back) stops with the demo.
        demo_server.stop(data)
        if server_proc is not None:
            server_proc.wait(timeout=30)


demo_server_app = typer.Typer(
    no_args_is_help=True, help="The demo's server alone: stop it to work offline while the demo's client keeps running."
)
app.add_typer(demo_server_app, name="demo-server")
DemoDataOption = Annotated[Path, typer.Option("--data", help="The demo's folder (as given to `rackside demo`)")]


@demo_server_app.command("stop")
def demo_server_stop(data: DemoDataOption = Path(".demo")) -> None:
    """Stop only the demo's server; the client UI keeps running (offline)."""
    from rackside import demo_server

    if demo_server.stop(data):
        typer.echo("demo server stopped; the client keeps working offline")
    else:
        typer.echo("no demo server was running")


@demo_server_app.command("start")
def demo_server_start(
    data: DemoDataOption = Path(".demo"), port: Annotated[int, typer.Option(help="Server port")] = 8765
) -> None:
    """Start the demo's server again (in the background) on the demo database."""
    from rackside import demo_server

    if not demo_server.database_file(data).exists():
        raise typer.BadParameter(f"no demo database in {data}: run `rackside demo` first", param_hint="--data")
    try:
        demo_server.start(data, port)
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"demo server: http://127.0.0.1:{port} · database {demo_server.database_file(data)}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
