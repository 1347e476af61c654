"""Sync you can see: status, progress, pending work, and every rejected command with the server's copy."""

from __future__ import annotations

import flet as ft

from app.adapters.local_store import Rejection
from app.i18n import Translator
from app.refusals import explain_rejection, state_label
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
            ft.Text(t("Sending {done} of {total}", done=status.pushed, total=status.push_total)),
            ft.ProgressBar(value=status.push_fraction, key="push-progress"),
        ]
    elif status is not None and status.pulled:
        progress = [ft.Text(t("Received {count} records", count=status.pulled)), ft.ProgressBar(key="pull-progress")]
    cards: list[ft.Control] = [rejection_card(state, r) for r in rejections]
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
        ft.Text(t.phrase(sync.chip().words), size=18, key="sync-status-text"),
        ft.Text(t.phrase(status.message) if status else "", color=ft.Colors.GREY_700),
        *progress,
        ft.FilledButton(t("Sync now"), icon=ft.Icons.SYNC, on_click=sync.sync_now, key="sync-now", height=52),
        heading(t("Conflicts ({count})", count=len(conflicts))),
        *(conflicts or [ft.Text(t("No conflicts."))]),
        heading(t("Rejected changes ({count})", count=len(rejections))),
        *(cards or [ft.Text(t("Nothing was rejected."))]),
    ]
    return screen(state, route=routes.SYNC, title=t("Sync"), controls=body)


def rejection_card(state: AppState, rejection: Rejection) -> ft.Control:
    """A command the server refused: what, why and what to do next in plain words, then the server's copy."""
    t, sync = state.t, state.sync
    refusal = explain_rejection(t, rejection)
    actions: list[ft.Control] = []
    if refusal.open_asset_id is not None:
        asset_id = refusal.open_asset_id
        actions.append(
            ft.FilledButton(
                t("Open"),
                on_click=lambda: state.field.open_asset(asset_id),
                key=f"open-{rejection.command_id}",
            )
        )
    actions.append(
        ft.OutlinedButton(
            t("Discard"),
            on_click=lambda _, c=rejection.command_id: sync.discard_rejection(c),
            key=f"discard-{rejection.command_id}",
        )
    )
    copy = [_describe(t, rec) for rec in rejection.server_copy]
    return ft.Card(
        content=ft.Container(
            padding=12,
            content=ft.Column(
                [
                    ft.Text(refusal.headline(t), weight=ft.FontWeight.BOLD, color=ft.Colors.RED_800),
                    ft.Text(refusal.why),
                    ft.Text(refusal.next_step, weight=ft.FontWeight.BOLD),
                    *([ft.Text(t("On the server now:"), size=12), ft.Text("\n".join(copy), size=12)] if copy else []),
                    ft.Row(actions, wrap=True),
                ]
            ),
        )
    )


def _describe(t: Translator, record: dict[str, object]) -> str:
    """One record of the server's copy, as a person reads it: what it is and, where it has one, its status."""
    data = record.get("data")
    collection = str(record.get("collection") or "").replace("_", " ")
    if not isinstance(data, dict):
        return t("{what}: deleted", what=collection)
    name = data.get("serial") or data.get("number") or data.get("name") or ""
    status = data.get("status") or data.get("stage")
    said = f"{collection} {name}".strip()
    return f"{said}: {state_label(t, status)}" if status else said
