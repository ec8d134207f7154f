"""``/docs`` renders in a real browser with every other host unreachable."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_browser import browser, live_server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "path, rendered",
    [("/docs", "#swagger-ui .opblock"), ("/redoc", "redoc h1")],
)
def test_docs_render_offline(browser: Any, live_server: str, path: str, rendered: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []

    def only_this_server(route: Any) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(live_server + path)
        expect(page.locator(rendered).first).to_be_visible(timeout=20_000)
        assert "plancheck" in page.content()
    finally:
        context.close()
    assert not outside, f"the docs reached outside the server: {outside}"
    assert not errors, errors
