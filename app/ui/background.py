"""Start an intent's slow second half (a question to the server, a sync round) without blocking the tap.

Flet runs a plain (non-async) handler on its event loop, so an intent that must wait for the network hands that
wait to a task on the same loop and returns at once; the task changes the observable state when the answer comes,
and the screen follows. Outside a running loop (a script, a test driving the state directly) there is no screen to
keep responsive: the work runs to its end before the call returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

# The loop keeps only weak references to its tasks: hold each one until it is done, or it may vanish half-way.
_RUNNING: set[asyncio.Task[Any]] = set()


def in_background(work: Coroutine[Any, Any, Any]) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    task = loop.create_task(work)
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
