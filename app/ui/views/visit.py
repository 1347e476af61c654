"""Visit report: notes and the customer's signature drawn on screen."""

from __future__ import annotations

import flet as ft
import flet.canvas as cv

from app.services.field import visit_draft_key
from app.services.signature import Point, pad_size, to_stored_size
from app.ui import routes
from app.ui.state import AppState
from app.ui.views.capture import LiveTextField, RecordPhotos
from app.ui.views.common import big_button, heading, screen
from sync.domain.evidence import PhotoKind


@ft.component
def VisitView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    # Opened again after Back (or a restart), the report shows what was typed: the draft is kept on the device.
    notes, show_notes = ft.use_state(field.visit_draft.notes)
    signer, show_signer = ft.use_state(field.visit_draft.signed_by)
    typed = ft.use_ref({"notes": field.visit_draft.notes, "signed_by": field.visit_draft.signed_by})

    def keep(name: str, text: str) -> None:
        values = typed.current or {}
        values[name] = text
        field.keep_visit_draft(notes=values["notes"], signed_by=values["signed_by"])

    def set_notes(text: str) -> None:
        show_notes(text)
        keep("notes", text)

    def set_signer(text: str) -> None:
        show_signer(text)
        keep("signed_by", text)

    # The pen's points as their events arrive: a drag sends them faster than the pad re-renders, and a point added
    # to the strokes of the last render dropped every point since. The state only repaints; saving reads the ref.
    drawn = ft.use_ref(list[list[Point]]())
    strokes, set_strokes = ft.use_state(list[list[Point]]())

    def draw(new: list[list[Point]]) -> None:
        drawn.current = new
        set_strokes(new)

    def start(e: ft.DragStartEvent[ft.GestureDetector]) -> None:
        p = e.local_position
        draw([*(drawn.current or []), [(p.x, p.y)]])

    def move(e: ft.DragUpdateEvent[ft.GestureDetector]) -> None:
        now = drawn.current or []
        if not now:
            return
        p = e.local_position
        draw([*now[:-1], [*now[-1], (p.x, p.y)]])

    lines: list[cv.Shape] = [
        cv.Line(a[0], a[1], b[0], b[1], paint=ft.Paint(stroke_width=3, color=ft.Colors.BLACK))
        for stroke in strokes
        for a, b in zip(stroke, stroke[1:], strict=False)
    ]
    # The pad fits the screen (3:1, at most 600 px); strokes are scaled to the stored size when saved.
    pad_width, pad_height = pad_size(state.home.width)
    pad = ft.Container(
        content=cv.Canvas(
            shapes=lines,
            content=ft.GestureDetector(on_pan_start=start, on_pan_update=move, drag_interval=10),
            width=pad_width,
            height=pad_height,
        ),
        border=ft.Border.all(1, ft.Colors.GREY_500),
        bgcolor=ft.Colors.WHITE,
        width=pad_width,
        height=pad_height,
        key="signature-pad",
    )

    visit = field.visit
    if visit is not None:
        state.shell.drafts.show(routes.VISIT, visit_draft_key(visit.id))  # so Back asks while notes are unsaved

    def finish() -> None:
        # As typed and drawn when the button was pressed, not as last rendered (the click can come first).
        values = typed.current or {}
        field.finish_visit(
            notes=values["notes"],
            signed_by=values["signed_by"].strip() or None,
            strokes=to_stored_size(drawn.current or [], pad_width),
        )

    body: list[ft.Control] = [
        LiveTextField(
            label=t("Work notes"), value=notes, multiline=True, min_lines=3, on_change=set_notes, name="visit-notes"
        ),
        LiveTextField(label=t("Signed by (customer's name)"), value=signer, on_change=set_signer, name="visit-signer"),
        heading(t("Photos")),
        RecordPhotos(
            state,
            thumbs=field.visit_photos,
            on_images=lambda kind, images: field.add_photos(
                subject_collection="visits", subject_id=visit.id, kind=kind, images=images
            ),
            kinds=(PhotoKind.INSTALL, PhotoKind.DAMAGE, PhotoKind.PART, PhotoKind.OTHER),
            name="visit-photos",
        )
        if visit
        else ft.Container(height=0),
        heading(t("Customer signature")),
        pad,
        ft.TextButton(t("Clear signature"), on_click=lambda: draw([]), key="signature-clear"),
        big_button(t("End visit and save report"), finish, key="visit-save", icon=ft.Icons.DONE),
    ]
    return screen(state, route=routes.VISIT, title=t("Visit report"), controls=body)
