"""Images in: a scan field that also reads labels from the camera or a picked photo, and photo capture.

Every serial field in the app is a ScanInput, so a hardware scanner (keyboard wedge), the camera (phones, browser)
and a photo of the label (every platform) work the same in every flow.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

import flet as ft
import flet_camera as fcam

from app.i18n import Translator
from app.services.label_reader import LabelRead
from app.ui.files import pick_images
from app.ui.photo_state import PendingPhoto
from app.ui.state import AppState
from app.ui.views.a11y import named
from app.ui.views.forms import use_form
from app.vocabulary import label
from sync.domain.evidence import PhotoKind

CAMERA_TRIES = 40  # about ten seconds of frames before the camera gives up and says so


def camera_available() -> bool:
    """The camera control exists on phones and in the browser; a desktop window picks photos instead."""
    page = ft.context.page
    return bool(page.web) or page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


@ft.component
def CameraPanel(
    t: Translator,
    *,
    on_frame: Callable[[bytes], Awaitable[bool]],
    on_close: Callable[[], None],
    status: str,
    name: str,
    continuous: bool = True,
) -> ft.Control:
    """A live preview. With ``continuous`` it takes frames until ``on_frame`` says it is done; else one per tap."""
    camera = ft.use_memo(lambda: fcam.Camera(height=260, preview_enabled=True, key=f"{name}-preview"), [])
    note, set_note = ft.use_state(t("Starting camera…"))
    running = ft.use_ref(True)
    torch = ft.use_ref(False)

    async def start() -> None:
        try:
            cameras = await camera.get_available_cameras()
            if not cameras:
                set_note(t("No camera found on this device: pick a photo instead"))
                return
            back = next((c for c in cameras if c.lens_direction is fcam.CameraLensDirection.BACK), cameras[0])
            await camera.initialize(back, fcam.ResolutionPreset.HIGH, enable_audio=False)
            set_note(t("Point the camera at the label"))
            if continuous:
                await frames()
        except Exception as err:  # noqa: BLE001 - any platform failure becomes a message, never a crash
            set_note(t("Camera unavailable ({error}): pick a photo instead", error=str(err)))

    async def frames() -> None:
        for _ in range(CAMERA_TRIES):
            if not running.current:
                return
            data = await camera.take_picture()
            if await on_frame(data):
                running.current = False
                return
        set_note(t("Nothing read yet: move closer, hold steady, or pick a photo"))

    async def snap() -> None:
        try:
            data = await camera.take_picture()
        except Exception as err:  # noqa: BLE001
            set_note(t("Could not take the picture ({error})", error=str(err)))
            return
        await on_frame(data)

    async def toggle_torch() -> None:
        torch.current = not torch.current
        try:
            await camera.set_flash_mode(fcam.FlashMode.TORCH if torch.current else fcam.FlashMode.OFF)
        except Exception:  # noqa: BLE001 - laptops and browsers rarely have a torch
            set_note(t("This camera has no torch"))

    def close() -> None:
        running.current = False
        on_close()

    ft.use_effect(lambda: ft.context.page.run_task(start), [], cleanup=lambda: setattr(running, "current", False))
    buttons: list[ft.Control] = [
        ft.IconButton(ft.Icons.FLASHLIGHT_ON, tooltip=t("Torch"), on_click=toggle_torch, key=f"{name}-torch"),
        ft.TextButton(t("Close camera"), icon=ft.Icons.CLOSE, on_click=close, key=f"{name}-close"),
    ]
    if not continuous:
        buttons.insert(0, ft.FilledButton(t("Take photo"), icon=ft.Icons.CAMERA, on_click=snap, key=f"{name}-snap"))
    return ft.Column(
        controls=[camera, ft.Text(status or note, size=13, key=f"{name}-note"), ft.Row(buttons, wrap=True)],
        key=name,
    )


@ft.component
def LiveTextField(*, label: str, value: str, on_change: Callable[[str], None], name: str, **options: Any) -> ft.Control:
    """A text field that never sends older text back to the screen while someone types.

    The client edits the live field (the TextField of the previous render) before our change handler runs, and a
    render triggered meanwhile (the sync chip updates on a timer) would send the owner's older text back and eat
    keystrokes. So the field shows what the live control holds, unless the owner set a new value itself.
    """
    live = ft.use_ref(cast(ft.TextField | None, None))
    given = ft.use_ref(value)
    typed = ft.use_ref(value)
    programmatic = value != given.current and value != typed.current
    shown = value if live.current is None or programmatic else (live.current.value or "")
    given.current = value

    def change(e: ft.Event[ft.TextField]) -> None:
        typed.current = e.control.value or ""
        on_change(typed.current)

    field = ft.TextField(label=label, value=shown, on_change=change, key=name, **options)
    live.current = field
    return field


def label_buttons(
    t: Translator, *, toggle_camera: Callable[[], None], pick_photo: Callable[[], Awaitable[None]], name: str
) -> list[ft.Control]:
    """ "Scan with the camera" (where there is one) and "Read a photo of the label": the two ways to read a label."""
    actions: list[ft.Control] = []
    if camera_available():
        actions.append(
            ft.TextButton(
                t("Scan with the camera"), icon=ft.Icons.PHOTO_CAMERA, on_click=toggle_camera, key=f"{name}-camera"
            )
        )
    actions.append(
        ft.TextButton(
            t("Read a photo of the label"), icon=ft.Icons.IMAGE_SEARCH, on_click=pick_photo, key=f"{name}-photo"
        )
    )
    return actions


@ft.component
def ScanInput(
    state: AppState,
    *,
    label: str,
    value: str,
    on_change: Callable[[str], None],
    name: str,
    on_scan: Callable[[str], None] | None = None,
    autofocus: bool = False,
    text_size: int | None = None,
    key: str | None = None,  # for @ft.component (a new key remounts the field); not read here
) -> ft.Control:
    """A serial field: type, wedge-scan (Enter ends a scan), or read it from the camera or a photo of the label."""
    t, say, read_label = state.t, state.shell.say, state.field.read_label
    camera_open, set_camera_open = ft.use_state(False)
    suggestions, set_suggestions = ft.use_state(tuple[str, ...]())
    deliver = on_scan or on_change

    def accept(serial: str) -> None:
        set_suggestions(())
        set_camera_open(False)
        deliver(serial)

    def show(read: LabelRead | None, *, quiet_when_empty: bool) -> bool:
        if read is None:  # the reader failed; the error boundary said so
            return False
        if read.serial:
            say(t("Read {serial} from the label", serial=read.serial))
            accept(read.serial)
            return True
        if read.suggestions:
            set_suggestions(read.suggestions)
            say(t("Is this the serial? {reason}", reason=read.message))
            return True
        if not quiet_when_empty:
            say(t("No serial read: {reason}", reason=read.message), error=True)
        return False

    async def on_frame(data: bytes) -> bool:
        return show(await read_label(data, from_camera=True), quiet_when_empty=True)

    async def pick_label_photo() -> None:
        images = await pick_images(many=False)
        if images:
            show(await read_label(images[0], from_camera=False), quiet_when_empty=False)

    def submit(e: ft.Event[ft.TextField]) -> None:
        # The control's value, not the render-time one: a scanner's Enter can overtake the last keystroke's re-render.
        text = (e.control.value or "").strip()
        if text and on_scan is not None:
            on_scan(text)

    # Labelled buttons, not bare icons: large targets for gloves, and a name screen readers (and tests) can find.
    actions = label_buttons(
        t, toggle_camera=lambda: set_camera_open(not camera_open), pick_photo=pick_label_photo, name=name
    )
    # A LiveTextField, so a background render can never send older text back and eat a scanner's keystrokes.
    field = LiveTextField(
        label=label,
        value=value,
        on_change=on_change,
        name=name,
        autofocus=autofocus,
        on_submit=submit,
        prefix_icon=ft.Icons.QR_CODE_SCANNER,
        text_size=text_size,
        expand=True,
    )
    controls: list[ft.Control] = [field, ft.Row(actions, wrap=True, spacing=0)]
    if suggestions:
        controls.append(
            ft.Row(
                [
                    ft.OutlinedButton(
                        t("Use {serial}", serial=s), on_click=lambda _, s=s: accept(s), key=f"{name}-use-{s}"
                    )
                    for s in suggestions
                ],
                wrap=True,
            )
        )
    if camera_open:
        controls.append(
            CameraPanel(
                state.t, on_frame=on_frame, on_close=lambda: set_camera_open(False), status="", name=f"{name}-cam"
            )
        )
    return ft.Column(controls, spacing=4)


@ft.component
def PhotoTaker(
    state: AppState,
    *,
    kinds: Sequence[PhotoKind],
    on_images: Callable[[PhotoKind, list[bytes]], object],
    name: str,
) -> ft.Control:
    """Choose what the photo shows, then take it with the camera or pick files (several at once)."""
    t = state.t
    # The kind as chosen when the photo arrives (forms.py), not as last rendered: "Add photos" right after choosing
    # "Damage" could file the photos under the kind before.
    form = use_form()
    kind, set_kind = form.field("kind", kinds[0])
    camera_open, set_camera_open = ft.use_state(False)

    async def pick() -> None:
        images = await pick_images(many=True)
        if images:
            on_images(form["kind"], images)

    async def on_frame(data: bytes) -> bool:
        on_images(form["kind"], [data])
        return False  # keep the camera open for the next shot

    controls: list[ft.Control] = [
        named(
            ft.Dropdown(
                label=t("Photo shows"),
                value=kind.value,
                options=[ft.DropdownOption(key=k.value, text=t(label(k))) for k in kinds],
                on_select=lambda e: set_kind(PhotoKind(e.control.value or kinds[0].value)),
                width=180,
                key=f"{name}-kind",
            )
        ),
        ft.FilledTonalButton(t("Add photos"), icon=ft.Icons.ADD_PHOTO_ALTERNATE, on_click=pick, key=f"{name}-pick"),
    ]
    if camera_available():
        controls.append(
            ft.FilledTonalButton(
                t("Camera"),
                icon=ft.Icons.PHOTO_CAMERA,
                on_click=lambda: set_camera_open(not camera_open),
                key=f"{name}-camera",
            )
        )
    column: list[ft.Control] = [ft.Row(controls, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)]
    if camera_open:
        column.append(
            CameraPanel(
                state.t,
                on_frame=on_frame,
                on_close=lambda: set_camera_open(False),
                status="",
                name=f"{name}-cam",
                continuous=False,
            )
        )
    return ft.Column(column, spacing=4)


def thumbnails(images: Sequence[bytes], *, key: str) -> ft.Control:
    if not images:
        return ft.Container(height=0)
    return ft.Row(
        [
            ft.Image(src=data, width=88, height=88, fit=ft.BoxFit.COVER, border_radius=6, key=f"{key}-{i}")
            for i, data in enumerate(images)
        ],
        wrap=True,
        key=key,
    )


@ft.component
def PendingPhotos(
    state: AppState,
    *,
    photos: Sequence[PendingPhoto],
    kinds: Sequence[PhotoKind],
    on_change: Callable[[list[PendingPhoto]], None],
    name: str,
) -> ft.Control:
    """Photos for a record the form has not saved yet (``photos``: those it holds, from its draft when it opens
    again); the form keeps them with its draft and passes them on with its save."""
    kept = ft.use_ref(list(photos))
    count, set_count = ft.use_state(len(photos))

    def add(kind: PhotoKind, images: list[bytes]) -> None:
        # A ref, not the render-time list: camera shots can arrive faster than re-renders.
        kept.current = [*(kept.current or []), *(PendingPhoto(kind=kind, data=d) for d in images)]
        set_count(len(kept.current))
        on_change(list(kept.current))

    def clear() -> None:
        kept.current = []
        set_count(0)
        on_change([])

    controls: list[ft.Control] = [
        PhotoTaker(state, kinds=kinds, on_images=add, name=name),
        thumbnails([p.data for p in kept.current or []], key=f"{name}-thumbs"),
    ]
    if count:
        controls.append(
            ft.Row(
                [
                    ft.Text(
                        state.t("{count} photo(s) will be saved with this record", count=count), key=f"{name}-count"
                    ),
                    ft.TextButton(state.t("Remove photos"), on_click=clear, key=f"{name}-clear"),
                ],
                wrap=True,
            )
        )
    return ft.Column(controls, spacing=4)


def RecordPhotos(
    state: AppState,
    *,
    thumbs: Sequence[bytes],
    on_images: Callable[[PhotoKind, list[bytes]], object],
    kinds: Sequence[PhotoKind],
    name: str,
) -> ft.Control:
    """Photos of a record that exists: its thumbnails (from the owning state), new ones attached at once."""
    return ft.Column(
        [
            PhotoTaker(state, kinds=kinds, on_images=on_images, name=name),
            thumbnails(thumbs, key=f"{name}-thumbs"),
        ],
        spacing=4,
    )
