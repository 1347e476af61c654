"""The desk's "Escalations": one line per breach notice out now, each with "Seen" to acknowledge it. Nothing is
drawn when no notice is out (the board below says how the incidents stand)."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.services.escalations import EscalationLine
from app.ui import theme
from app.ui.state import AppState
from app.ui.views.homes.parts import row, section
from sync.domain.sla import Clock


def _breached(state: AppState, line: EscalationLine) -> str:
    t = state.t
    if line.clock is Clock.RESPONSE:
        return t("Response breached at {when}", when=t.phrase(line.breached_text))
    return t("Restore breached at {when}", when=t.phrase(line.breached_text))


def escalations(state: AppState) -> list[ft.Control]:
    t, incidents = state.t, state.incidents
    if not incidents.escalations:
        return []
    out: list[ft.Control] = [section(t("Escalations"), key="home-escalations")]
    for line in incidents.escalations:
        key = f"{line.ticket_id}-{line.clock.value}"
        seen = ft.TextButton(
            t("Seen"),
            icon=ft.Icons.DONE,
            on_click=partial(incidents.acknowledge, line.ticket_id, line.clock),
            height=theme.TOUCH,
            key=f"escalation-seen-{key}",
        )
        out.append(
            row(
                line.title,
                _breached(state, line),
                icon=ft.Icons.NOTIFICATION_IMPORTANT,
                color=theme.PROBLEM,
                on_click=partial(incidents.open_incident, line.ticket_id),
                trailing=seen,
                key=f"escalation-{key}",
            )
        )
    return out
