"""Views only read state: no view reaches a service or the device's store (those queries belong in intents, which
reload the read models), and no view registers page-level handlers (run.py does that once per session)."""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "app" / "ui" / "views"


def _reaches(tree: ast.AST) -> list[str]:
    """``x.services.y``, ``x.store.y`` and ``page.on_…`` assignments, as "line: text"."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            if node.value.attr in ("services", "store"):
                found.append(f"{node.lineno}: .{node.value.attr}.{node.attr}")
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr.startswith("on_")
                    and "page" in ast.unparse(target)
                ):
                    found.append(f"{node.lineno}: {ast.unparse(target)} =")
    return sorted(found)


def test_no_view_calls_a_service_or_the_store_or_sets_page_handlers() -> None:
    offenders = {
        str(path.relative_to(VIEWS)): hits
        for path in sorted(VIEWS.rglob("*.py"))  # the role homes live in a sub-package (views/homes/)
        if (hits := _reaches(ast.parse(path.read_text())))
    }
    assert offenders == {}


def test_the_guard_sees_what_it_forbids() -> None:
    sample = "def v(state):\n    state.after.services.rma.page(1)\n    ft.context.page.on_keyboard_event = f\n"
    assert _reaches(ast.parse(sample)) == ["2: .services.rma", "3: ft.context.page.on_keyboard_event ="]
