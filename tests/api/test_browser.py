"""The page in a real browser: Debian chromium driven by Playwright, against uvicorn.

Skipped (with the install command) when chromium or the playwright package is missing;
``playwright install`` is not needed: the system chromium is used, with the flags that keep
it from calling home (see shared/notes.md, "Browser tests").
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.main import create_app
from api.settings import Settings
from plancheck import config

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SKIP_MESSAGE = (
    "browser test needs Debian chromium and the playwright package: "
    "apt-get install -y chromium && pip install playwright"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path("/tmp")

pytestmark = pytest.mark.slow

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(classifier: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """uvicorn serving the app (with THE classifier) on a free port, in a thread."""
    import uvicorn

    settings = Settings(models_dir=tmp_path_factory.mktemp("models"), api_key=None)
    app = create_app(settings, loader=lambda _dir: classifier)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if sync_playwright is None or not Path(CHROMIUM).exists():
        pytest.skip(SKIP_MESSAGE)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    pg = context.new_page()
    problems: list[str] = []
    # API errors the page handles still log "Failed to load resource: ... 415": not a problem.
    pg.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    pg.on("pageerror", lambda e: problems.append(str(e)))
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(live_server) else outside.append(r.url))
    pg.goto(live_server + "/")
    yield pg
    context.close()
    assert not outside, f"the page reached outside the server: {outside}"
    assert not problems, f"errors in the browser console: {problems}"


def _classify(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.locator("#classify").click()
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#classify")).to_be_enabled()


def _check_result(page: Page, text: str, expected: dict, lang: str) -> None:
    names = config.display_names()
    other = "en" if lang == "ar" else "ar"
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(html).to_have_attribute("lang", lang)
    expect(page.locator("#label-text")).to_have_text(names["labels"][expected["label"]][lang])
    expect(page.locator("#label-alt")).to_have_text(names["labels"][expected["label"]][other])
    expect(page.locator("#conf-pct")).to_have_text(f"{round(expected['confidence'] * 100)}%")

    # the checklist: every element, present ones with evidence, missing ones with advice
    expect(page.locator("#elements li.el")).to_have_count(len(config.ELEMENTS))
    advice = {a["element"]: a["message"] for a in expected["advice"]}
    assert expected["missing"], "the sample plans must lack some element"
    for eid in expected["missing"]:
        item = page.locator(f'#elements li.missing[data-element="{eid}"]')
        expect(item).to_contain_text(names["elements"][eid][lang])
        expect(item.locator(".advice")).to_contain_text(advice[eid])
    present = [e for e in expected["elements"] if e["present"]]
    assert present, "the sample plans must state some element"
    for element in present:
        expect(
            page.locator(f'#elements li.present[data-element="{element["id"]}"]')
        ).to_be_visible()

    # the evidence, highlighted in the pasted text
    marks = page.locator("#doc mark.hl")
    assert marks.count() > 0
    expect(page.locator("#doc")).to_contain_text(text.split("\n")[0])
    first = marks.first.evaluate("m => m.firstChild.textContent")  # without the sr-only note
    assert any(first.strip() in ev for e in present for ev in e["evidence"])

    # signals (kind and words) and reasons
    if expected["signals"]:
        expect(page.locator("#signals li")).to_have_count(len(expected["signals"]))
        expect(page.locator("#signals")).to_contain_text(expected["signals"][0]["text"])
    if expected["reasons"]:
        expect(page.locator("#reasons")).to_contain_text(expected["reasons"][0]["term"])
        # shown as bars, never as raw weights like "+0.18"
        assert not re.search(r"[+-]\d\.\d\d", page.locator("#reasons").inner_text())

    # the summary comes first, in the text's language
    expect(page.locator("#summary")).to_have_text(expected["summary"])
    summary_box = page.locator("#summary").bounding_box()
    verdict_box = page.locator("#label-text").bounding_box()
    assert summary_box and verdict_box and summary_box["y"] < verdict_box["y"]


def test_arabic_plan(page: Page, plans, classifier) -> None:
    _classify(page, plans.ar)
    expected = classifier.classify(plans.ar)
    _check_result(page, plans.ar, expected, "ar")
    expect(page.locator("#classify")).to_have_text("صنِّف")  # the interface is in Arabic
    page.screenshot(path=str(SCREENSHOTS / "plancheck-ar.png"), full_page=True)


def test_english_plan(page: Page, plans, classifier) -> None:
    _classify(page, plans.en)
    expected = classifier.classify(plans.en)
    _check_result(page, plans.en, expected, "en")
    expect(page.locator("#classify")).to_have_text("Classify")
    page.screenshot(path=str(SCREENSHOTS / "plancheck-en.png"), full_page=True)


def test_switching_language_after_a_result(page: Page, plans) -> None:
    _classify(page, plans.ar)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _classify(page, plans.en)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_file_upload_highlights_the_file_text(page: Page, plans, tmp_path) -> None:
    path = tmp_path / "خطة.txt"
    path.write_text(plans.ar, encoding="utf-8")
    page.set_input_files("#file", str(path))
    expect(page.locator("#text")).to_be_disabled()
    page.get_by_role("button", name="Classify").click()
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#meta")).to_contain_text("خطة.txt")
    assert page.locator("#doc mark.hl").count() > 0


def test_errors_are_shown(page: Page, tmp_path) -> None:
    page.get_by_role("button", name="Classify").click()  # nothing pasted
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error")).to_contain_text("Paste a plan")
    bad = tmp_path / "plan.doc"
    bad.write_bytes(b"old word file")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Classify").click()
    expect(page.locator("#error")).to_contain_text("Unsupported file type")
    expect(page.locator("#result")).to_be_hidden()
