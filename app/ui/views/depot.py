"""Depot: the continuous scan session (no dialog between scans), the depot order screen, stock and the pool."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.i18n import Translator
from app.refusals import explain
from app.services.aftersales_models import OrderPage, ScanLine
from app.services.depot import DUPLICATE, RECEIVED, REFUSED
from app.timefmt import local_text
from app.ui import routes, theme
from app.ui.drafts import DEPOT_GRADE_FIELDS, depot_order_key
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField, RecordPhotos
from app.ui.views.common import (
    big_button,
    check_field,
    choice_field,
    enum_field,
    heading,
    record_row,
    screen,
    small_lines,
)
from app.ui.views.forms import use_form
from app.vocabulary import label, label_of
from sync.domain.credit import CreditReason, InspectionFindings, KitItem
from sync.domain.error_codes import DEPOT_CODES
from sync.domain.evidence import PhotoKind
from sync.domain.logistics import DepotGrade, DepotStage
from sync.domain.rma import RmaLane

OUTCOME_COLORS = {RECEIVED: theme.GOOD, DUPLICATE: theme.WARNING}


def scan_line(t: Translator, line: ScanLine, *, key: str) -> ft.Control:
    message = t.phrase(line.message)
    if line.error_code:  # a rule refused the box: which box, why, and what to do with it (app/refusals.py)
        refusal = explain(t, code=line.error_code, message=str(line.message), details=line.details)
        message = f"{refusal.why} {refusal.next_step}"
    # In capitals, to be read from across the bench: "RECEIVED: RMA-2026-000014 · NBR22600001".
    outcome = {RECEIVED: t("Received"), DUPLICATE: t("Duplicate"), REFUSED: t("Refused")}[line.outcome]
    return ft.Container(
        content=ft.Text(f"{outcome.upper()}: {message}", color=ft.Colors.WHITE, key=f"{key}-text"),
        bgcolor=OUTCOME_COLORS.get(line.outcome, theme.PROBLEM),
        padding=ft.Padding.symmetric(horizontal=10, vertical=6),
        border_radius=6,
        key=key,
    )


@ft.component
def BoxScanField(state: AppState) -> ft.Control:
    """Manual entry for a code nobody can scan; scanners need no field: the page itself listens (app/ui/run.py)."""
    after = state.after

    def submit(e: ft.Event[ft.TextField]) -> None:
        value = e.control.value or ""
        if value.strip():
            after.scan_box(value)

    return ft.TextField(
        label=state.t("Type an RMA number or serial"),
        on_submit=submit,
        on_focus=lambda: after.typing(True),
        on_blur=lambda: after.typing(False),
        prefix_icon=ft.Icons.KEYBOARD,
        # A new key after each typed code remounts the field empty.
        key=f"box-type-{after.scan_generation}",
    )


@ft.component
def DepotView(state: AppState) -> ft.View:
    t, after = state.t, state.after
    body: list[ft.Control] = [
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.QR_CODE_SCANNER, color=ft.Colors.WHITE),
                    ft.Text(t("Ready: scan box labels one after another"), color=ft.Colors.WHITE, size=16),
                ]
            ),
            bgcolor=ft.Colors.BLUE_GREY_700,
            padding=10,
            border_radius=6,
            key="scan-ready",
        ),
        BoxScanField(state),
        ft.Text(
            t(
                "This session: {received} received, {duplicates} duplicate",
                received=after.session_received,
                duplicates=after.session_duplicates,
            ),
            weight=ft.FontWeight.BOLD,
            key="session-counts",
        ),
        *[
            scan_line(t, line, key=f"scan-line-{len(after.session_lines) - i}")
            for i, line in enumerate(after.session_lines[:12])
        ],
        ft.Row(
            [
                ft.OutlinedButton(t("New session"), on_click=after.new_session, key="new-session"),
                ft.OutlinedButton(t("Stock and pool"), on_click=after.open_stock, key="go-stock"),
                ft.OutlinedButton(t("Failure analysis"), on_click=after.open_failures, key="go-failures"),
            ],
            wrap=True,
        ),
        heading(t("Open depot orders")),
    ]
    for row in after.orders:
        graded = f" · {t(label(row.grade))}" if row.grade else ""
        body.append(
            record_row(
                f"{row.rma_number or t('no RMA')} · {row.serial}",
                f"{t(label(row.stage))}{graded} · {t('received')} {local_text(row.received_at, row.zone)}",
                icon=ft.Icons.BUILD,
                on_click=partial(after.open_order, row.depot_order_id),
                key=f"order-row-{row.depot_order_id}",
            )
        )
    return screen(state, route=routes.DEPOT, title=t("Depot scan session"), controls=body)


@ft.component
def OrderActions(
    state: AppState,
    page: OrderPage,
    key: str | None = None,  # for @ft.component (a new key remounts the form); not read here
) -> ft.Control:
    t, after = state.t, state.after
    # What is typed for this order's step stays on the device until the step or the grade is saved (app/ui/drafts.py).
    values = use_form((state.shell.drafts, routes.DEPOT_ORDER, depot_order_key(page.depot_order_id, page.stage)))
    code, set_code = values.field("code", "")
    note, set_note = values.field("note", "")
    # No grade is chosen for the user: the first one offered can be "scrap / supplier claim", which ends the unit.
    grade, set_grade = values.field("grade", None)
    carrier, set_carrier = values.field("carrier", "")
    tracking, set_tracking = values.field("tracking", "")
    cause_field, action_field = DEPOT_GRADE_FIELDS
    cause, set_cause = values.field(cause_field, "")
    action, set_action = values.field(action_field, "")
    # The credit decision is saved by its own button and keeps no draft: the step's Back would ask about it.
    reason, set_reason = values.field("reason", CreditReason.NOT_NEEDED.value, kept=False)
    kit, set_kit = values.field("kit", tuple(KitItem))
    damage, set_damage = values.field("damage", False)
    fault, set_fault = values.field("fault", False)
    wrong_spec, set_wrong_spec = values.field("wrong_spec", False)
    controls: list[ft.Control] = []
    if page.steps:
        controls += [
            choice_field(
                t("Error code"), DEPOT_CODES, code or None, lambda v: set_code(v or ""), key="order-error-code"
            ),
            LiveTextField(label=t("Note"), value=note, on_change=set_note, name="order-note"),
            *(
                [
                    LiveTextField(label=t("Carrier"), value=carrier, on_change=set_carrier, name="order-carrier"),
                    LiveTextField(
                        label=t("Tracking number"), value=tracking, on_change=set_tracking, name="order-tracking"
                    ),
                ]
                if any(s.needs_parcel for s in page.steps)
                else []
            ),
            ft.Row(
                [
                    ft.FilledButton(
                        t("To {stage}", stage=t(label(s.stage))),
                        on_click=lambda _, s=s.stage: after.advance_order(
                            to_stage=DepotStage(s),
                            error_codes=(values["code"],) if values["code"] else (),
                            note=values["note"],
                            carrier=values["carrier"],
                            tracking=values["tracking"],
                        ),
                        key=f"order-to-{s.stage.value}",
                    )
                    for s in page.steps
                ],
                wrap=True,
            ),
        ]
    if page.grades:
        controls += [
            enum_field(t, t("Grade"), page.grades, grade, set_grade, key="order-grade"),
            LiveTextField(label=t("Root cause"), value=cause, on_change=set_cause, name="order-cause"),
            LiveTextField(label=t("Corrective action"), value=action, on_change=set_action, name="order-action"),
            big_button(
                t("Grade unit"),
                lambda: (
                    after.grade_order(
                        grade=DepotGrade(values["grade"]),
                        root_cause=values[cause_field],
                        corrective_action=values[action_field],
                    )
                    if values["grade"]
                    else state.shell.say(t("Choose a grade first: none is chosen for you"), error=True)
                ),
                key="order-grade-save",
                icon=ft.Icons.GRADING,
            ),
        ]
    if page.credit_decidable:

        def toggle(item: KitItem, on: bool) -> None:
            have = values["kit"]
            set_kit(tuple(k for k in KitItem if (k in have and k is not item) or (k is item and on)))

        controls += [
            heading(t("Return for credit inspection")),
            enum_field(t, t("Claim reason"), list(CreditReason), reason, set_reason, key="credit-reason"),
            *[
                check_field(
                    t("Returned: {item}", item=t(label(item))),
                    item in kit,
                    partial(toggle, item),
                    key=f"credit-kit-{item.value}",
                )
                for item in KitItem
            ],
            check_field(t("Fault confirmed"), fault, set_fault, key="credit-fault"),
            check_field(t("Wrong specification confirmed"), wrong_spec, set_wrong_spec, key="credit-wrong-spec"),
            check_field(t("Physical damage"), damage, set_damage),
            big_button(
                t("Decide credit"),
                lambda: after.decide_credit(
                    reason=CreditReason(values["reason"]),
                    kit=values["kit"],
                    findings=InspectionFindings(
                        fault_confirmed=values["fault"],
                        spec_mismatch_confirmed=values["wrong_spec"],
                        physical_damage=values["damage"],
                    ),
                ),
                key="credit-decide",
                icon=ft.Icons.CALCULATE,
            ),
        ]
    return ft.Column(controls, spacing=10)


@ft.component
def DepotOrderView(state: AppState) -> ft.View:
    t, after = state.t, state.after
    page = after.order
    if page is None:
        return screen(state, route=routes.DEPOT_ORDER, title=t("Depot order"), controls=[])
    # The step form (OrderActions) renders after this screen: name its draft now, so Back asks on the first render.
    state.shell.drafts.show(routes.DEPOT_ORDER, depot_order_key(page.depot_order_id, page.stage))
    body: list[ft.Control] = [
        ft.Text(f"{page.rma_number or t('no RMA')} · {page.serial}", size=22, weight=ft.FontWeight.BOLD),
        ft.Text(
            f"{t('Stage')}: {t(label(page.stage))}"
            + (f" · {t('Grade')}: {t(label(page.grade))}" if page.grade else ""),
            key="order-stage",
        ),
        ft.Text(
            f"RMA: {t(label(page.rma_status)) if page.rma_status else '—'}"
            f" · {t('Lane')}: {t(label_of(RmaLane, page.lane))}"
        ),
    ]
    if page.error_codes:
        body.append(ft.Text(f"{t('Error codes')}: {', '.join(page.error_codes)}"))
    if page.root_cause:
        body.append(ft.Text(f"{t('Root cause')}: {page.root_cause}; {page.corrective_action}"))
    if page.rma_id:
        rma_id = page.rma_id
        body.append(ft.TextButton(t("Open RMA"), on_click=lambda: after.open_rma(rma_id), key="order-open-rma"))
    body.append(OrderActions(state, page, key=f"order-actions-{page.depot_order_id}-{page.stage.value}-{page.grade}"))
    if page.credit:
        body += small_lines(t("Credit decision (computed)"), page.credit, bullet="• ")
    body += [
        heading(t("Photos")),
        RecordPhotos(
            state,
            thumbs=after.order_photos,
            on_images=after.add_order_photos,
            kinds=(PhotoKind.DAMAGE, PhotoKind.PART, PhotoKind.LABEL, PhotoKind.LOG, PhotoKind.OTHER),
            name="order-photos",
        ),
    ]
    body += small_lines(t("History"), page.history)
    return screen(state, route=routes.DEPOT_ORDER, title=t("Depot order"), controls=body)


@ft.component
def StockView(state: AppState) -> ft.View:
    t, after = state.t, state.after
    body: list[ft.Control] = [heading(t("Stock levels (low first)"))]
    for row in after.stock:
        body.append(
            record_row(
                f"{row.part_code} · {row.location}",
                f"{row.description} · {row.quantity} ({t('low at')} {row.low_threshold})",
                icon=ft.Icons.WARNING if row.low else ft.Icons.INVENTORY_2,
                color=ft.Colors.RED_700 if row.low else ft.Colors.BLUE_GREY_700,
                key=f"stock-{row.location_id}-{row.part_number_id}",
            )
        )
    pool = after.pool
    body += small_lines(
        t("Refurbished pool ({count})", count=len(pool)), [f"{p.part_code} · {p.serial} · {p.location}" for p in pool]
    )
    return screen(state, route=routes.DEPOT_STOCK, title=t("Stock and pool"), controls=body)
