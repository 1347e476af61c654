"""Two desk devices act on the same RMA offline: the first to sync wins, the other is rejected with the server's copy,
and nothing either of them did is lost."""

from __future__ import annotations

from collections.abc import Callable

from app.bootstrap import Client
from app.services.rma import RmaService
from server.seed import sid
from sync.domain.rma import Rma, RmaLane, RmaStatus


def test_rejected_transition_keeps_command_visible_with_server_copy(enrolled: Callable[[str], Client]) -> None:
    rma_id = sid("rma", "exchange")
    first, second = enrolled("desk"), enrolled("desk")
    for device in (first, second):
        device.sync()
    # Both offline now: one approves, the other rejects, each sure of its own copy.
    RmaService(store=first.store).approve(rma_id, lane=RmaLane.REPLACE)
    RmaService(store=second.store).reject(rma_id, reason="looks like customer damage")
    assert second.store.get(Rma, rma_id).status is RmaStatus.REJECTED  # type: ignore[union-attr]

    assert first.sync().rejected == 0
    report = second.sync()
    assert (report.pushed, report.rejected) == (1, 1)

    (rejection,) = second.store.rejections()
    assert rejection.type == "AdvanceRma" and rejection.code == "illegal_transition"
    assert rejection.payload["to_status"] == "rejected"
    assert rejection.payload["note"] == "looks like customer damage"
    assert "from “approved” to “rejected”" in rejection.message
    (server_copy,) = rejection.server_copy
    assert (server_copy["collection"], server_copy["id"]) == ("rmas", rma_id)
    assert server_copy["data"]["status"] == "approved" and server_copy["data"]["number"] == "RMA-2026-000014"
    # The loser's device now shows what the server has; its own intent stays visible until discarded.
    shown = second.store.get(Rma, rma_id)
    assert shown is not None and (shown.status, shown.number) == (RmaStatus.APPROVED, "RMA-2026-000014")
    assert second.store.pending_count() == 0
    second.store.discard_rejection(rejection.command_id)
    assert second.store.rejections() == []
