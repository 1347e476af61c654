"""Back from a changed form asks first; a form's draft stays until saved or discarded (app/ui/drafts.py)."""

from __future__ import annotations

from app.ui import routes
from app.ui.drafts import Drafts, MemoryKeeper
from app.ui.shell import Shell

BLANK = {"revision": "", "lot": ""}


def _on_register_form() -> tuple[Shell, MemoryKeeper]:
    keeper = MemoryKeeper()
    shell = Shell(drafts=Drafts(keeper))
    shell.go(routes.REGISTER)
    shell.drafts.show(routes.REGISTER, "register:NBR1")
    return shell, keeper


def test_back_from_an_unchanged_form_goes_back_at_once() -> None:
    shell, _ = _on_register_form()
    shell.back()
    assert (shell.route, shell.leaving) == (routes.HOME, False)


def test_back_from_a_changed_form_asks_and_keep_editing_stays_with_the_draft() -> None:
    shell, keeper = _on_register_form()
    shell.drafts.keep("register:NBR1", {"revision": "D", "lot": ""}, blank=BLANK)
    shell.back()
    assert (shell.route, shell.leaving) == (routes.REGISTER, True)
    shell.keep_editing()
    assert (shell.route, shell.leaving) == (routes.REGISTER, False)
    assert keeper.draft("register:NBR1") == {"revision": "D", "lot": ""}


def test_back_twice_leaves_and_keeps_the_draft_for_next_time() -> None:
    shell, keeper = _on_register_form()
    shell.drafts.keep("register:NBR1", {"revision": "D", "lot": ""}, blank=BLANK)
    shell.back()
    shell.back()
    assert (shell.route, shell.leaving) == (routes.HOME, False)
    assert keeper.draft("register:NBR1") == {"revision": "D", "lot": ""}


def test_discard_changes_drops_the_draft_and_goes_back() -> None:
    shell, keeper = _on_register_form()
    shell.drafts.keep("register:NBR1", {"revision": "D", "lot": "7"}, blank=BLANK)
    shell.back()
    shell.discard_and_back()
    assert (shell.route, shell.leaving) == (routes.HOME, False)
    assert keeper.draft("register:NBR1") == {}


def test_a_form_typed_back_to_blank_has_no_draft_and_saving_drops_it() -> None:
    shell, keeper = _on_register_form()
    shell.drafts.keep("register:NBR1", {"revision": "D", "lot": ""}, blank=BLANK)
    shell.drafts.keep("register:NBR1", {"revision": "", "lot": ""}, blank=BLANK)
    assert keeper.draft("register:NBR1") == {}
    shell.drafts.keep("register:NBR1", {"revision": "E", "lot": ""}, blank=BLANK)
    shell.drafts.saved("register:NBR1")
    assert keeper.draft("register:NBR1") == {}
    shell.back()
    assert shell.route == routes.HOME


def test_going_elsewhere_forgets_a_pending_question() -> None:
    shell, _ = _on_register_form()
    shell.drafts.keep("register:NBR1", {"revision": "D", "lot": ""}, blank=BLANK)
    shell.back()
    shell.go(routes.SYNC)
    assert (shell.route, shell.leaving) == (routes.SYNC, False)


def test_the_screen_hears_when_a_form_gets_its_first_change_and_loses_its_last_not_every_keystroke() -> None:
    """A form in a component of its own (the depot order's step form) re-renders only itself as it is typed in; its
    screen hears the form become changed, so Back asks (app/ui/views/drafts.py guard_back)."""
    shell, _ = _on_register_form()
    heard: list[str] = []
    shell.drafts.when_changed(lambda: heard.append(shell.route))
    for typed in ("D", "D2", "D2x"):
        shell.drafts.keep("register:NBR1", {"revision": typed, "lot": ""}, blank=BLANK)
    assert len(heard) == 1
    shell.drafts.keep("register:NBR1", {"revision": "", "lot": ""}, blank=BLANK)
    assert len(heard) == 2
    shell.drafts.saved("register:NBR1")  # nothing kept: nothing to hear
    assert len(heard) == 2
    shell.drafts.keep("register:NBR1", {"revision": "", "lot": "7"}, blank=BLANK)
    shell.back()
    shell.discard_and_back()
    assert len(heard) == 4


def test_saving_part_of_a_form_keeps_the_rest_as_its_draft() -> None:
    shell, keeper = _on_register_form()
    shell.drafts.keep("register:NBR1", {"revision": "D", "lot": "7"}, blank=BLANK)
    shell.drafts.saved_part("register:NBR1", ("revision",))
    assert keeper.draft("register:NBR1") == {"lot": "7"}
    shell.drafts.saved_part("register:NBR1", ("lot",))
    assert keeper.draft("register:NBR1") == {}
