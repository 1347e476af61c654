"""One file picker per browser session or window, registered before the page is first sent.

A picker created inside a click handler costs a round trip to register it before it can open. In a browser the file
dialog may only open while the click's user activation lasts (a few seconds in Chromium), so on a loaded laptop or a
slow link that extra round trip can make "Add photos" silently do nothing.
"""

from __future__ import annotations

import weakref

import flet as ft

_PICKERS: weakref.WeakKeyDictionary[ft.Page, ft.FilePicker] = weakref.WeakKeyDictionary()


def install_file_picker(page: ft.Page) -> None:
    """Call from the session's main(): the picker then goes out with the page's first render."""
    _PICKERS[page] = ft.FilePicker()


def file_picker() -> ft.FilePicker:
    page = ft.context.page
    picker = _PICKERS.get(page)
    if picker is None:
        picker = _PICKERS[page] = ft.FilePicker()
    return picker


async def _pick(file_type: ft.FilePickerFileType, *, many: bool) -> list[tuple[str, bytes]]:
    """(name, bytes) of the files the user picked; an empty list when they cancel."""
    files = await file_picker().pick_files(
        file_type=file_type,
        with_data=True,
        allow_multiple=many,
        # A big file read over a weak link can outlast the window's focus; blur is not a cancel here.
        cancel_upload_on_window_blur=False,
    )
    return [(f.name, f.bytes) for f in files or [] if f.bytes]


async def pick_images(*, many: bool) -> list[bytes]:
    return [data for _, data in await _pick(ft.FilePickerFileType.IMAGE, many=many)]


async def pick_named_files(*, many: bool) -> list[tuple[str, bytes]]:
    """Files of any type, with their names: a log's name is worth keeping with it."""
    return await _pick(ft.FilePickerFileType.ANY, many=many)
