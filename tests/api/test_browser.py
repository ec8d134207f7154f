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
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

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
    if lang == "en":  # the Arabic name beside the English one; the Arabic page stays Arabic
        expect(page.locator("#label-alt")).to_have_text(names["labels"][expected["label"]][other])
    else:
        expect(page.locator("#label-alt")).to_be_hidden()
    pct = round(expected["confidence"] * 100)
    shown_pct = f"{pct}%" if lang == "en" else f"{str(pct).translate(ARABIC_DIGITS)}٪"
    expect(page.locator("#conf-pct")).to_have_text(shown_pct)

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
    # Both boxes read in one frame: the page scrolls smoothly to the result, so two separate
    # reads under load can straddle a scroll step.
    summary_top, verdict_top = page.evaluate(
        """() => ["#summary", "#label-text"].map(
            (sel) => document.querySelector(sel).getBoundingClientRect().top)"""
    )
    assert summary_top < verdict_top


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


AR_CAMPAIGN = (
    "حملة العودة للمدارس على انستغرام وسناب شات وتيك توك لمدة ٤ أسابيع\n"
    "خصم 20% على الحقائب والقرطاسية لأول 500 طلب، والتوصيل مجاني في الرياض وجدة."
)
MIXED_RANGE = (
    "خطة التواصل الاجتماعي للعيادة: نريد أن يعرفنا أهل جدة ويحجزوا أونلاين.\n"
    "الميزانية السنوية للفترة (2026–2027) ١٢٠ ألف ريال تشمل الإعلانات الممولة والتصوير.\n"
    "نراجع النتائج كل ستة أشهر مع الإدارة."
)
JOB_AD = (
    "We are hiring: Social Media Specialist, Dubai. Salary AED 12,000 per month plus "
    "benefits. 3+ years of experience with Instagram and TikTok. Send your CV by email."
)


def _needs_real_model(classifier: Any) -> None:
    from tests.fakes import FakeClassifier

    if isinstance(classifier, FakeClassifier):
        pytest.skip("needs the real model: the fake does not read the text")


def test_arabic_campaign_groups_channels_and_titles_the_checklist(page: Page, classifier) -> None:
    _needs_real_model(classifier)
    expected = classifier.classify(AR_CAMPAIGN)
    assert expected["label"] == "campaign"
    _classify(page, AR_CAMPAIGN)
    names = config.display_names()
    expect(page.locator("#summary")).to_have_text(expected["summary"])
    # one row for the platforms, named and labelled in Arabic
    row = page.locator('#signals li[data-kind="channels"]')
    expect(row).to_have_count(1)
    expect(row.locator(".kind")).to_have_text(names["signal_kinds"]["channels"]["ar"])
    for platform in ("إنستغرام", "سناب شات", "تيك توك"):
        expect(row).to_contain_text(platform)
    # a campaign's checklist is what it would take to become a strategy
    expect(page.locator("#elements-title")).to_have_text("ما تحتاجه لتصبح استراتيجية")
    assert not re.search(
        r"[A-Za-z]", page.locator("#result").inner_text().replace(expected["model_version"], "")
    ), "no English words on the Arabic page"
    page.screenshot(path=str(SCREENSHOTS / "plancheck-ar-campaign.png"), full_page=True)


def test_a_number_range_in_an_arabic_line_reads_in_order(page: Page, classifier) -> None:
    _needs_real_model(classifier)
    _classify(page, MIXED_RANGE)
    # where the two years are drawn: 2026 must stand left of 2027, as written
    xs = page.evaluate(
        """() => {
          const walker = document.createTreeWalker(document.getElementById("doc"), NodeFilter.SHOW_TEXT);
          const out = {};
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            for (const year of ["2026", "2027"]) {
              const i = n.data.indexOf(year);
              if (i < 0 || year in out) continue;
              const r = document.createRange();
              r.setStart(n, i);
              r.setEnd(n, i + 4);
              out[year] = r.getBoundingClientRect().left;
            }
          }
          return out;
        }"""
    )
    assert set(xs) == {"2026", "2027"}, xs
    assert xs["2026"] < xs["2027"], f"the range is drawn backwards: {xs}"


def test_a_job_ad_gets_a_verdict_and_no_checklist(page: Page, classifier) -> None:
    _needs_real_model(classifier)
    expected = classifier.classify(JOB_AD)
    assert expected["label"] == "other"
    _classify(page, JOB_AD)
    expect(page.locator("#summary")).to_have_text(expected["summary"])
    expect(page.locator("#checklist-box")).to_be_hidden()
    expect(page.locator("#outline-box")).to_be_hidden()  # no outline offered for a non-plan
    expect(page.locator("#doc mark")).to_have_count(0)  # its salary line is no budget
    expect(page.locator("#doc-title")).to_have_text("Your text")
    expect(page.locator("#label-text")).to_have_text(
        config.display_names()["labels"]["other"]["en"]
    )
    page.screenshot(path=str(SCREENSHOTS / "plancheck-en-jobad.png"), full_page=True)


# --- the outline download and file errors in the page's language (issue 11) -----------

W_BIDI = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
W_PPR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr"


def _download(page: Page, button: str, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.locator(button).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def _bidi_paragraphs(path: Path) -> tuple[int, int]:
    import docx

    paragraphs = docx.Document(str(path)).element.body.iter(W_P)
    flags = [
        p.find(W_PPR) is not None and p.find(W_PPR).find(W_BIDI) is not None for p in paragraphs
    ]
    return sum(flags), len(flags)


def test_arabic_outline_downloads_as_docx_and_markdown(page: Page, plans, tmp_path) -> None:
    _classify(page, plans.ar)
    expect(page.locator("#outline-docx")).to_have_text("تنزيل المخطط")
    expect(page.locator("#outline-md")).to_have_text("أو بصيغة ماركداون")
    path = _download(page, "#outline-docx", tmp_path)
    assert path.name == "plancheck-outline.docx"
    with_bidi, total = _bidi_paragraphs(path)
    assert total > 5 and with_bidi == total, "every paragraph of the Arabic outline is RTL"
    expect(page.locator("#outline-status")).to_have_text("تم تنزيل المخطط.")
    md = _download(page, "#outline-md", tmp_path)
    assert md.name == "plancheck-outline.md"
    assert md.read_text(encoding="utf-8").startswith("# مخطط استراتيجية التواصل الاجتماعي")
    expect(page.locator("#error")).to_be_hidden()


def test_english_outline_downloads_left_to_right(page: Page, plans, tmp_path) -> None:
    _classify(page, plans.en)
    expect(page.locator("#outline-docx")).to_have_text("Download outline")
    path = _download(page, "#outline-docx", tmp_path)
    assert path.name == "plancheck-outline.docx"
    assert _bidi_paragraphs(path)[0] == 0
    md = _download(page, "#outline-md", tmp_path).read_text(encoding="utf-8")
    assert md.startswith("# Social-media strategy outline")


def test_file_errors_come_in_the_pages_language(page: Page, tmp_path) -> None:
    page.locator("#lang-toggle").click()  # the page opened in English (locale en-US)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    arabic = page.evaluate("() => UI.ar.errors")
    cases = [
        ("plan.doc", b"old word file", "unsupported_file_type"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "unreadable_document"),
        ("scan.pdf", b"%PDF-1.4 broken", "unreadable_document"),
        ("empty.txt", b"  \n", "no_text"),
        ("huge.txt", b"a" * (10 * 1024 * 1024 + 1), "body_too_large"),
    ]
    for name, data, code in cases:
        path = tmp_path / name
        path.write_bytes(data)
        page.set_input_files("#file", str(path))
        page.locator("#classify").click()
        expect(page.locator("#error")).to_have_text(f"⚠ {arabic[code]}")
        assert not re.search(r"[A-Za-z]", page.locator("#error").inner_text()), name
        expect(page.locator("#result")).to_be_hidden()
    # switching to English words the same refusal as the server does
    page.locator("#lang-toggle").click()
    expect(page.locator("#error")).to_contain_text("larger than the limit")
