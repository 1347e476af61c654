"""RMA screens: the engineer's draft (entitlement and evidence checklist up front) and one RMA's page, whose actions
follow the status and the user's role (submit, answer, approve / send back / reject, ship, label, close)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.i18n import Translator
from app.services.aftersales_models import RmaPage
from app.services.permissions import RmaAction
from app.services.read_models import Choice
from app.ui import routes, theme
from app.ui.aftersales_state import AfterSalesState
from app.ui.files import file_picker, pick_named_files
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField
from app.ui.views.common import (
    big_button,
    check_field,
    enum_field,
    heading,
    parse_int,
    picker,
    record_row,
    screen,
    small_lines,
)
from app.ui.views.evidence_photos import evidence_photos
from app.ui.views.forms import use_form
from app.ui.views.rma_parcels import shipment_rows
from app.vocabulary import label, label_of
from sync.domain.contract import ServiceModel
from sync.domain.coverage import Entitlement
from sync.domain.credit import money
from sync.domain.evidence import GZIP_LOG_MEDIA_TYPE, Photo, PhotoKind
from sync.domain.logistics import ObligationStatus
from sync.domain.rma import RmaLane
from sync.domain.service import Severity
from sync.domain.triage import EVIDENCE_PHOTO_KIND

WHOLE_UNIT = "whole chassis"


def entitlement_box(t: Translator, entitled: Entitlement) -> ft.Control:
    if entitled.tier:
        text = f"{t('Covered')}: {entitled.tier}"
    else:
        text = t("Warranty only") if entitled.under_warranty else t("NOT COVERED")
    return ft.Container(
        content=ft.Column(
            [
                ft.Text(text, color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD, key="rma-entitlement"),
                ft.Text("; ".join(map(t.phrase, entitled.reasons)), color=ft.Colors.WHITE, size=12),
            ],
            spacing=2,
        ),
        bgcolor=theme.GOOD if entitled.covered else theme.PROBLEM,
        padding=8,
        border_radius=6,
    )


@ft.component
def RmaDraftView(state: AppState) -> ft.View:
    t, after = state.t, state.after
    form = after.draft_form
    if form is None:
        return screen(state, route=routes.RMA_DRAFT, title=t("Draft RMA"), controls=[ft.Text(t("No chassis open."))])
    prefill = form.prefill  # drafted from a swap: the removed part and why it came out
    key = f"rma-draft:{form.serial}" + (f":{prefill.part_serial}" if prefill else "")
    values = use_form((state.shell.drafts, routes.RMA_DRAFT, key))
    model, set_model = values.field("model", form.models[0].value)
    symptom, set_symptom = values.field("symptom", prefill.symptom if prefill else "")
    repro, set_repro = values.field("repro", "")
    severity, set_severity = values.field("severity", Severity.MAJOR.value)
    part, set_part = values.field("part", prefill.part_serial if prefill else WHOLE_UNIT)
    controller, set_controller = values.field("controller", False)
    depth, set_depth = values.field("depth", str(form.rack_depth_mm or ""))
    kit, set_kit = values.field("kit", form.rail_kit_id)

    def save() -> None:
        after.draft(
            model=ServiceModel(values["model"]),
            symptom=values["symptom"],
            repro_steps=values["repro"],
            severity=Severity(values["severity"]),
            part_serial=None if values["part"] == WHOLE_UNIT else values["part"],
            controller_involved=values["controller"],
            rack_depth_mm=parse_int(values["depth"]),
            rail_kit_id=values["kit"],
        )
        if state.shell.route != routes.RMA_DRAFT:  # saved: the RMA opened
            state.shell.drafts.saved(key)

    parts = [Choice(id=WHOLE_UNIT, label=t("Whole chassis {serial}", serial=form.serial))]
    parts += [Choice(id=serial, label=f"{slot}: {serial}") for slot, serial in form.parts]
    body: list[ft.Control] = [
        ft.Text(t("Draft RMA for {serial}", serial=form.serial), size=20, weight=ft.FontWeight.BOLD),
        entitlement_box(t, form.entitlement),
        enum_field(t, t("Service model"), form.models, model, set_model, key="rma-model"),
        picker(t, t("What goes back"), parts, part, lambda v: set_part(v or WHOLE_UNIT), key="rma-part"),
        LiveTextField(label=t("Symptom"), value=symptom, on_change=set_symptom, name="rma-symptom"),
        LiveTextField(label=t("Repro steps"), value=repro, multiline=True, on_change=set_repro, name="rma-repro"),
        enum_field(t, t("Severity"), list(Severity), severity, set_severity, key="rma-severity"),
        check_field(t("A controller is involved (logs needed)"), controller, set_controller, key="rma-controller"),
        ft.Text(t("Rack depth and rail kit (from the installation record, or measure now)"), size=12),
        LiveTextField(label=t("Rack depth (mm)"), value=depth, on_change=set_depth, name="rma-depth"),
        picker(t, t("Rail kit"), after.draft_rail_kits, kit, set_kit, key="rma-rail-kit"),
        big_button(t("Save draft"), save, key="rma-save", icon=ft.Icons.ASSIGNMENT_RETURN),
    ]
    return screen(state, route=routes.RMA_DRAFT, title=t("Draft RMA"), controls=body)


# Checklist items a picture (or a screenshot of the logs) satisfies, and the kind of photo it is recorded as.
def _adder(after: AfterSalesState, kind: PhotoKind) -> Callable[[], Awaitable[None]]:
    async def add() -> None:
        for name, data in await pick_named_files(many=True):
            after.attach_evidence(data, kind, name)

    return add


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MiB"


def _log_actions(
    after: AfterSalesState, photo: Photo, name: str
) -> tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]:
    """Read and download handlers for one log: the download runs in a worker thread, the screen changes on its loop.
    A log is at most a few MiB, fetched once and then kept on the device."""

    async def view() -> None:
        await after.read_log(photo)

    async def save() -> None:
        data = await after.log_file(photo)
        if data is not None:
            await file_picker().save_file(file_name=name, src_bytes=data)

    return view, save


def _logs(after: AfterSalesState, t: Translator) -> list[ft.Control]:
    """Controller logs on this RMA: name, size, and a text view or a download, for the desk and the engineer."""
    rows: list[ft.Control] = []
    for index, photo in enumerate(after.logs):
        name = photo.file_name or f"{photo.sha256[:16]}.log"
        packed = " · gzip" if photo.media_type == GZIP_LOG_MEDIA_TYPE else ""

        view, save = _log_actions(after, photo, name)
        actions = ft.Row(
            [
                # Labelled buttons: a tooltip is no accessible name, and gloves need the bigger target.
                ft.TextButton(t("Read"), icon=ft.Icons.ARTICLE, on_click=view, key=f"log-view-{index}"),
                ft.TextButton(t("Download"), icon=ft.Icons.DOWNLOAD, on_click=save, key=f"log-save-{index}"),
            ],
            tight=True,
        )
        rows.append(
            record_row(
                f"{name} · {_size(photo.size)}{packed}", icon=ft.Icons.TERMINAL, trailing=actions, key=f"log-{index}"
            )
        )
    if after.log_view is not None:
        title, text = after.log_view
        rows += [
            ft.Row(
                [
                    ft.Text(title, weight=ft.FontWeight.BOLD, expand=True, key="log-view-name"),
                    ft.TextButton(t("Close"), icon=ft.Icons.CLOSE, on_click=after.close_log, key="log-view-close"),
                ]
            ),
            # A read-only field, not selectable Text: it scrolls, can be copied from, and (unlike selectable Text)
            # screen readers get its text.
            ft.TextField(
                value=text,
                label=title,
                read_only=True,
                multiline=True,
                min_lines=4,
                max_lines=24,
                text_style=ft.TextStyle(font_family="monospace", size=12),
                filled=True,
                key="log-view-text",
            ),
        ]
    return [heading(t("Logs")), *rows] if rows else []


def _checklist(page: RmaPage, after: AfterSalesState, t: Translator) -> list[ft.Control]:
    rows: list[ft.Control] = []
    for item in page.checklist:
        if not item.needed:
            continue
        icon = ft.Icons.CHECK_CIRCLE if item.done else ft.Icons.ERROR_OUTLINE
        color = ft.Colors.GREEN_700 if item.done else ft.Colors.RED_700
        kind = EVIDENCE_PHOTO_KIND.get(item.item)
        add = None
        if kind is not None and RmaAction.ADD_EVIDENCE in after.rma_actions:
            add = ft.TextButton(
                t("Add file"),
                icon=ft.Icons.ADD_A_PHOTO,
                on_click=_adder(after, kind),
                key=f"evidence-add-{item.item.value}",
            )
        rows.append(record_row(item.text, icon=icon, color=color, trailing=add, key=f"evidence-{item.item.value}"))
    return rows


@ft.component
def ActionPanel(
    state: AppState,
    page: RmaPage,
    key: str | None = None,  # for @ft.component (a new key remounts the form); not read here
) -> ft.Control:
    t, after = state.t, state.after
    values = use_form()
    text, set_text = values.field("text", "")
    lane, set_lane = values.field("lane", RmaLane.REPAIR.value)
    # Only the models the contract allows, and the drafted one chosen when it is one of them.
    offered = [m.value for m in page.approval_models]
    model, set_model = values.field("model", page.model.value if page.model.value in offered else None)
    serial, set_serial = values.field("serial", "")
    carrier, set_carrier = values.field("carrier", "")
    tracking, set_tracking = values.field("tracking", "")
    controls: list[ft.Control] = []
    actions = after.rma_actions
    if RmaAction.SUBMIT in actions:
        controls.append(big_button(t("Submit RMA"), after.submit, key="rma-submit", icon=ft.Icons.SEND))
    if RmaAction.ANSWER in actions:
        controls += [
            LiveTextField(label=t("Answer"), value=text, on_change=set_text, name="rma-answer"),
            big_button(
                t("Send answer"), lambda: after.answer(values["text"]), key="rma-answer-send", icon=ft.Icons.REPLY
            ),
        ]
    if RmaAction.APPROVE in actions:
        controls += [
            enum_field(t, t("Lane"), list(RmaLane), lane, set_lane, key="rma-lane"),
            enum_field(t, t("Model"), page.approval_models, model, set_model, key="rma-approve-model"),
            big_button(
                t("Approve and issue number"),
                lambda: (
                    after.approve(lane=RmaLane(values["lane"]), model=ServiceModel(values["model"]))
                    if values["model"]
                    else state.shell.say(t("Choose the service model first"), error=True)
                ),
                key="rma-approve",
                icon=ft.Icons.VERIFIED,
            ),
            LiveTextField(label=t("Question or reason"), value=text, on_change=set_text, name="rma-question"),
            ft.Row(
                [
                    ft.OutlinedButton(
                        t("Send back for more information"),
                        on_click=lambda: after.send_back(values["text"]),
                        key="rma-send-back",
                    ),
                    ft.OutlinedButton(t("Reject"), on_click=lambda: after.reject(values["text"]), key="rma-reject"),
                ],
                wrap=True,
            ),
        ]
    if RmaAction.SHIP_REPLACEMENT in actions:
        spares = after.replacement_spares

        def ship() -> None:
            picked = values["serial"]
            location = next((loc for loc, s, _ in spares if s == picked), None)
            after.ship_replacement(
                serial=picked, carrier=values["carrier"], tracking=values["tracking"], location_id=location
            )

        controls += [
            LiveTextField(label=t("Replacement serial (scan)"), value=serial, on_change=set_serial, name="ship-serial"),
            *[ft.TextButton(label, on_click=lambda _, s=s: set_serial(s)) for _, s, label in spares[:5]],
            LiveTextField(label=t("Carrier"), value=carrier, on_change=set_carrier, name="ship-carrier"),
            LiveTextField(label=t("Tracking number"), value=tracking, on_change=set_tracking, name="ship-tracking"),
            big_button(
                t("Ship replacement now"),
                ship,
                key="ship-replacement",
                icon=ft.Icons.LOCAL_SHIPPING,
            ),
        ]
    if RmaAction.AWAIT_RETURN in actions:
        controls.append(big_button(t("Await the return"), after.await_return, key="rma-await", icon=ft.Icons.INVENTORY))
    if RmaAction.CLOSE in actions:
        controls.append(big_button(t("Close RMA"), after.close, key="rma-close", icon=ft.Icons.DONE_ALL))
    if RmaAction.LABEL in actions:

        async def print_label() -> None:
            data = after.label()
            if data is not None:
                await file_picker().save_file(file_name=f"{page.number}.pdf", src_bytes=data)

        controls.append(big_button(t("Return label (PDF)"), print_label, key="rma-label", icon=ft.Icons.PRINT))
    return ft.Column(controls, spacing=10)


@ft.component
def RmaView(state: AppState, route: str) -> ft.View:
    t, after = state.t, state.after
    page = after.rma
    if page is None:
        return screen(state, route=route, title="RMA", controls=[ft.Text(t("No RMA open."))])
    body: list[ft.Control] = [
        ft.Text(page.number or t("No RMA number yet"), size=24, weight=ft.FontWeight.BOLD, key="rma-number"),
        ft.Text(t(label(page.status)).upper(), size=18, key="rma-status"),
        ft.Text(
            f"{page.serial} · {page.sku} · {page.site_name}"
            + (f" · {t('part')} {page.part_serial}" if page.part_serial else "")
        ),
        ft.Text(
            f"{t('Model')}: {t(label(page.model))}"
            + (f" · {t('Lane')}: {t(label_of(RmaLane, page.lane))}" if page.lane else "")
        ),
        entitlement_box(t, page.entitlement),
        heading(f"{t(label_of(Severity, page.severity))}: {page.symptom}"),
        ft.Text(page.repro_steps, size=12),
    ]
    if page.question:
        body.append(
            ft.Container(
                content=ft.Text(t("Desk asks: {question}", question=page.question), color=ft.Colors.WHITE),
                bgcolor=theme.WARNING,
                padding=8,
                border_radius=6,
                key="rma-desk-question",
            )
        )
    body += [heading(t("Evidence checklist")), *_checklist(page, after, t)]
    body += [*evidence_photos(after, t, page.timezone), *_logs(after, t)]
    if page.replacement_serial:
        body.append(
            ft.Text(
                t(
                    "Replacement {serial} shipped; return due {due}",
                    serial=page.replacement_serial,
                    due=page.return_due or "—",
                )
            )
        )
    elif page.return_due:
        # A standard return owes its unit back too, but no replacement went out: say only the due date.
        body.append(ft.Text(t("Return due {due}", due=page.return_due)))
    body += shipment_rows(t, page)
    for row in page.ledger:
        late = t(
            "{days} days overdue, penalty {penalty}",
            days=row.days_overdue,
            penalty=money(row.penalty_due_cents, row.currency),
        )
        left = t("{days} business days left", days=row.business_days_left)
        status = t(label_of(ObligationStatus, row.status))
        body.append(
            ft.Text(
                f"{row.serial}: {status}; {t('due')} {row.due_on} · {late if row.overdue else left}",
                color=ft.Colors.RED_700 if row.overdue else None,
                key=f"ledger-{row.obligation_id}",
            )
        )
    if page.credit:
        body += small_lines(t("Credit decision (computed)"), page.credit, bullet="• ")
    body.append(ActionPanel(state, page, key=f"actions-{page.rma_id}-{page.status.value}"))
    body += small_lines(t("History"), page.history)
    return screen(state, route=route, title=page.number or "RMA", controls=body)
