"""Sync you can see: status, progress, pending work, and every rejected command with the server's copy."""

from __future__ import annotations

import json

import flet as ft

from app.ui import routes
from app.ui.state import AppState
from app.ui.views.common import heading, screen


@ft.component
def SyncView(state: AppState) -> ft.View:
    t, sync = state.t, state.sync
    status = sync.status
    rejections = sync.rejections
    progress: list[ft.Control] = []
    if status is not None and status.push_fraction is not None:
        progress = [
            ft.Text(f"Sending {status.pushed} of {status.push_total}"),
            ft.ProgressBar(value=status.push_fraction, key="push-progress"),
        ]
    elif status is not None and status.pulled:
        progress = [ft.Text(f"Received {status.pulled} records"), ft.ProgressBar(key="pull-progress")]
    cards: list[ft.Control] = [
        ft.Card(
            content=ft.Container(
                padding=12,
                content=ft.Column(
                    [
                        ft.Text(
                            t("{type} rejected: {code}", type=r.type, code=r.code),
                            weight=ft.FontWeight.BOLD,
                            color=ft.Colors.RED_800,
                        ),
                        ft.Text(r.message),
                        ft.Text(t("Server's copy:"), size=12),
                        ft.Text(
                            "\n".join(_describe(rec) for rec in r.server_copy) or "(none)", size=12, selectable=True
                        ),
                        ft.Row(
                            [
                                ft.OutlinedButton(
                                    t("Discard"),
                                    on_click=lambda _, c=r.command_id: sync.discard_rejection(c),
                                    key=f"discard-{r.command_id}",
                                ),
                            ]
                        ),
                    ]
                ),
            )
        )
        for r in rejections
    ]
    conflicts: list[ft.Control] = [
        ft.Card(
            content=ft.Container(
                padding=12,
                content=ft.Column(
                    [
                        ft.Text(
                            t("Conflict on {field}", field=c.field),
                            weight=ft.FontWeight.BOLD,
                            color=ft.Colors.ORANGE_900,
                        ),
                        ft.Text(t("Both changed from “{base}”.", base=c.base_value)),
                        ft.Row(
                            [
                                ft.OutlinedButton(
                                    t("Keep “{value}”", value=c.kept_value),
                                    on_click=lambda _, i=c.id, v=c.kept_value: sync.resolve_conflict(i, v),
                                ),
                                ft.OutlinedButton(
                                    t("Keep “{value}”", value=c.overwritten_value),
                                    on_click=lambda _, i=c.id, v=c.overwritten_value: sync.resolve_conflict(i, v),
                                ),
                            ],
                            wrap=True,
                        ),
                    ]
                ),
            )
        )
        for c in sync.conflicts
    ]
    body: list[ft.Control] = [
        ft.Text(sync.chip().text, size=18, key="sync-status-text"),
        ft.Text(status.message if status else "", color=ft.Colors.GREY_700),
        *progress,
        ft.FilledButton(t("Sync now"), icon=ft.Icons.SYNC, on_click=sync.sync_now, key="sync-now", height=52),
        heading(t("Conflicts ({count})", count=len(conflicts))),
        *(conflicts or [ft.Text(t("No conflicts."))]),
        heading(t("Rejected changes ({count})", count=len(rejections))),
        *(cards or [ft.Text(t("Nothing was rejected."))]),
    ]
    return screen(state, route=routes.SYNC, title=t("Sync"), controls=body)


def _describe(record: dict[str, object]) -> str:
    data = record.get("data")
    if not isinstance(data, dict):
        return f"{record.get('collection')} {record.get('id')}: deleted"
    name = data.get("serial") or data.get("number") or data.get("name") or record.get("id")
    fields = {k: v for k, v in data.items() if k in ("status", "location", "location_id", "quantity", "lot", "notes")}
    return f"{record.get('collection')} {name} v{record.get('version')} {json.dumps(fields)}"
