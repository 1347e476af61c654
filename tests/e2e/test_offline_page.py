"""Issue 11, "bundle the fonts": the web client renders fully offline. Loading it sends no request to a host but the
device's own, and every file it asks for is there. Before the fix the renderer fetched Noto fallback fonts for "→"
and "…" (404: "→" drew as a box) and Flet's Rive module fetched a script from a CDN; now the UI draws with the
bundled DejaVu Sans (app/ui/fonts.py) and the page's Content-Security-Policy (assets/index.html) stops the script
inside the browser."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Request, Response

from tests.e2e.browser import FletPage

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def test_the_client_loads_from_the_device_alone_and_finds_every_file_it_asks_for(
    field_app: Callable[..., FletPage],
) -> None:
    app = field_app("engineer", width=400, name="offline-page")
    requested: list[str] = []
    failed: list[str] = []

    def on_request(request: Request) -> None:
        requested.append(request.url)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    browser = app.page.context.browser
    assert browser is not None
    page = browser.new_page(viewport={"width": 400, "height": 860})  # a second tab, watched from its first request
    page.on("request", on_request)
    page.on("requestfailed", lambda request: failed.append(f"{request.failure} {request.url}"))
    page.on("response", on_response)
    page.goto(app.page.url)
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=60_000)
    placeholder.dispatch_event("click")
    app = FletPage(page, name="offline-page")
    app.see("Recent chassis")
    # Text the UI shows (swap history "A → B", "synced · 2 pending", "Installing…", German labels): typed into a
    # field, so the renderer must draw each glyph now, and fetch any font it lacks.
    app.field("Scan or type a chassis serial").click()
    app.page.keyboard.insert_text("NBR → · … — ä ß ° ± × ─ ├ └ “ ”")
    app.page.wait_for_timeout(3_000)
    app.shot("glyphs")
    page.close()
    foreign = {url for url in requested if (urlsplit(url).hostname or "") not in LOCAL_HOSTS | {""}}
    # "csp": refused by the page's own policy before anything left the browser.
    stopped = {entry.removeprefix("csp ") for entry in failed if entry.startswith("csp ")}
    print(f"{len(requested)} requests; stopped by the policy: {sorted(stopped)}; failed: {failed}")
    assert sorted(foreign - stopped) == []
    assert [entry for entry in failed if not entry.startswith("csp ")] == []
