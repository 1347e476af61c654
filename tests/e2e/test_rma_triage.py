"""The engineer's side of triage in a real browser: draft an RMA on the chassis page, attach a controller log, read
it back, submit, and the desk's device can read the same log from the server."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from app.bootstrap import Client
from app.photos.service import PhotoService, blob_transport
from sync.domain.evidence import TEXT_LOG_MEDIA_TYPE, Photo, PhotoKind
from sync.domain.rma import Rma, RmaStatus
from sync.errors import SyncError
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess

SEEDED_SERIAL = "NBR22600001"
SYMPTOM = "RAID controller drops disks under load"
LOG = b"[  12.345] mpt3sas_cm0: log_info(0x31120303): originator(PL), code(0x12), sub_code(0x0303)\n" * 40


def _served_log(check: Client, photo: Photo, tmp_path: Path, *, timeout: float = 60.0) -> str:
    """The log's text as the server serves it, once the app's upload queue has sent it."""
    photos = PhotoService.open(check.store, tmp_path / "check-photos")
    deadline = time.monotonic() + timeout
    while True:
        try:
            with blob_transport(check.store) as transport:
                return photos.log_text(photo, transport)
        except SyncError:
            assert time.monotonic() < deadline, "the log never reached the server"
            time.sleep(1.0)


def test_an_engineer_drafts_an_rma_attaches_a_controller_log_and_the_desk_reads_it(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    app = field_app(name="rma-triage")
    app.wedge_scan(SEEDED_SERIAL)
    app.press("Draft RMA")
    app.fill_form_field("Symptom", SYMPTOM)
    app.page.get_by_role("checkbox", name="A controller is involved (logs needed)").click()
    app.shot("draft")
    app.press("Save draft")
    app.see("Evidence checklist")
    # The controller-logs item is the last one on the checklist, so its "Add file" is the last.
    app.choose_files("Add file", [{"name": "mpt3sas.log", "mimeType": "text/plain", "buffer": LOG}], index=-1)
    # The log's row is a group named by its title: name, size.
    expect(app.page.get_by_role("group", name=re.compile(r"^mpt3sas\.log · 3\.6 KiB"))).to_be_visible()
    app.press("Read")
    # The log view is a read-only text box labelled with the file name; focused, its value is the log's text.
    log_view = app.page.get_by_label("mpt3sas.log", exact=True)
    log_view.click()
    expect(log_view).to_have_value(re.compile(r"mpt3sas_cm0: log_info\(0x31120303\)"))
    app.shot("log")
    app.press("Submit RMA")
    app.see("SUBMITTED", timeout=30_000)

    desk = checking_device(server, tmp_path, "desk")

    def submitted_with_log(c: Client) -> bool:
        rma = next((r for r in c.store.all(Rma) if r.symptom == SYMPTOM), None)
        return (
            rma is not None
            and rma.status is RmaStatus.SUBMITTED
            and any(p.is_log for p in c.store.children(Photo, rma.id))
        )

    sync_until(desk, submitted_with_log)
    rma = next(r for r in desk.store.all(Rma) if r.symptom == SYMPTOM)
    log = next(p for p in desk.store.children(Photo, rma.id) if p.is_log)
    assert (log.kind, log.media_type, log.file_name, log.size) == (
        PhotoKind.LOG,
        TEXT_LOG_MEDIA_TYPE,
        "mpt3sas.log",
        len(LOG),
    )
    assert _served_log(desk, log, tmp_path) == LOG.decode()
