"""Back from a form with unsaved changes asks first (a form's fields and their draft: forms.use_form)."""

from __future__ import annotations

import flet as ft

from app.ui.state import AppState


def leave_prompt(state: AppState, route: str) -> ft.Control:
    """Shown after Back on a form with unsaved changes: stay, or throw the changes away and go back."""
    shell, t = state.shell, state.t
    if not shell.leaving or shell.route != route:
        return ft.Container(height=0)
    return ft.Container(
        content=ft.Column(
            [
                ft.Text(t("This form has changes that are not saved."), weight=ft.FontWeight.BOLD),
                ft.Row(
                    [
                        ft.FilledButton(t("Keep editing"), on_click=shell.keep_editing, key="leave-keep"),
                        ft.OutlinedButton(
                            t("Discard changes"),
                            on_click=shell.discard_and_back,
                            style=ft.ButtonStyle(color=ft.Colors.RED_800),
                            key="leave-discard",
                        ),
                    ],
                    wrap=True,
                ),
            ]
        ),
        bgcolor=ft.Colors.AMBER_50,
        padding=12,
        border_radius=6,
        key="leave-prompt",
    )


def guard_back(state: AppState, view: ft.View, route: str) -> ft.View:
    """Back (the app bar's arrow, the system's back) from a form with unsaved changes asks first (``screen`` in
    common.py passes every screen through this).

    Flutter pops a page on its own before Python hears of it, so a changed form's view asks Flutter to wait
    (``on_confirm_pop``): the first Back shows the question and keeps the page; Back again leaves, keeping the
    draft, and ``Shell.back`` follows. "Discard changes" leaves through the route (``Shell.discard_and_back``).
    """
    shell = state.shell
    if not shell.drafts.unsaved(route):
        return view

    async def confirm(e: ft.Event[ft.View]) -> None:
        leave = shell.leaving  # asked already: this Back leaves
        shell.leaving = True  # shows the question, or lets Shell.back follow the pop
        await e.control.confirm_pop(leave)

    view.can_pop = False  # Flutter's PopScope asks on_confirm_pop only for a view that cannot pop by itself
    view.on_confirm_pop = confirm
    return view
