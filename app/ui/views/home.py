"""Home: scan first. The scan field always has focus, so a wedge scanner's burst + Enter opens the chassis."""

from __future__ import annotations

import flet as ft

from app.services.permissions import Screen
from app.timefmt import clock_text
from app.ui import routes
from app.ui.state import AppState
from app.ui.views.capture import ScanInput
from app.ui.views.common import big_button, heading, screen
from app.ui.views.incidents import home_incidents, incidents_entry
from app.ui.views.rack import rack_entry


@ft.component
def ScanField(state: AppState) -> ft.Control:
    # The typed text lives in the field alone (no owner state to fall behind a scanner); a scan clears it by
    # remounting the field under a new key.
    return ScanInput(
        state,
        label=state.t("Scan or type a chassis serial"),
        value="",
        on_change=state.field.search,
        on_scan=state.field.scan,
        autofocus=True,
        text_size=20,
        name="scan-field",
        # A new component key after each scan remounts the field, so focus comes back for the next scan.
        key=f"scan-field-{state.field.scan_generation}",
    )


def after_sales_entry(state: AppState) -> ft.Control:
    """Desk users start at the RMA queue, depot users at the scan session; engineers draft RMAs from a chassis."""
    t, after = state.t, state.after
    buttons: list[ft.Control] = []
    if Screen.DESK in after.screens:
        buttons.append(big_button(t("RMA queue"), after.open_desk, key="go-desk", icon=ft.Icons.INBOX))
    if Screen.DEPOT in after.screens:
        buttons.append(
            big_button(t("Depot scan session"), after.open_depot, key="go-depot", icon=ft.Icons.MOVE_TO_INBOX)
        )
    return ft.Row(buttons, wrap=True)


@ft.component
def HomeView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    results: list[ft.Control] = [
        ft.ListTile(title=ft.Text(serial), leading=ft.Icon(ft.Icons.DNS), on_click=lambda _, s=serial: field.scan(s))
        for serial in field.search_results
    ]
    recent: list[ft.Control] = [
        ft.ListTile(
            title=ft.Text(a.serial),
            subtitle=ft.Text(f"{a.sku_code} · {a.site_name} {a.rack_name}"),
            leading=ft.Icon(ft.Icons.HISTORY),
            on_click=lambda _, i=a.id: field.open_asset(i),
        )
        for a in field.recent
    ]
    visits = [
        ft.ListTile(
            title=ft.Text(f"Visit {a.serial}"),
            subtitle=ft.Text(
                f"{clock_text(v.arrived_at, a.timezone)} · {a.site_name}"
                + (f" · {t('engineer there now')}" if v.left_at is None else "")
            ),
            leading=ft.Icon(ft.Icons.ENGINEERING),
            on_click=lambda _, i=a.id: field.open_asset(i),
        )
        for v, a in field.todays_visits
    ]
    body: list[ft.Control] = [ScanField(state), after_sales_entry(state), incidents_entry(state), rack_entry(state)]
    body += home_incidents(state)  # the incidents on this user's sites, clocks first (app/ui/views/incidents.py)
    if results:
        body += [heading(t("Matching serials")), *results]
    body += [heading(t("Recent chassis")), *(recent or [ft.Text(t("None yet: scan one."))])]
    if visits:
        body += [heading(t("Today's visits")), *visits]
    body.append(
        ft.TextButton(
            t("Settings and account"), icon=ft.Icons.SETTINGS, on_click=lambda: state.shell.go(routes.SETTINGS)
        )
    )
    view = screen(state, route=routes.HOME, title="Rackside", controls=body)
    # When the device gets a connection back, sync at once instead of waiting for the next interval.
    view.services = [ft.Connectivity(on_change=lambda: state.sync.sync_now())]
    return view
