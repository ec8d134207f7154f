"""The strategy outline (issue 11): its content per label and language, outline.json, and the
Markdown and DOCX it is written as (an Arabic DOCX right to left, read back with python-docx
and drawn by LibreOffice)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from plancheck import build_outline, config, outline_docx, outline_markdown
from plancheck.outline import outline_texts
from plancheck.outline.word import ARABIC_FONT, text_is_rtl
from plancheck.summary import summarize
from tests.builders import libreoffice_pdfs, make_result

LATIN = re.compile(r"[A-Za-z]")
NAMES = config.display_names()

AR_STRATEGY = make_result(
    "strategy",
    "ar",
    {
        "goals": ["نريد زيادة الحجوزات عبر الإنترنت بنسبة ٣٠٪ خلال سنتين."],
        "horizon": ["تمتد الخطة من ٢٠٢٦ إلى ٢٠٢٨، ونراجعها كل ستة أشهر."],
    },
    [
        {"kind": "duration", "text": "من ٢٠٢٦ إلى ٢٠٢٨", "days": 1095},
        {"kind": "review", "text": "كل ستة أشهر", "every_days": 180},
    ],
)
AR_CAMPAIGN = make_result(
    "campaign",
    "mixed",
    {
        "budget": ["الميزانية ١٥ ألف ريال للإعلانات الممولة."],
        "goals": ["Goal: sell 2,000 school bags to parents in Riyadh."],
    },
    [
        {"kind": "season", "text": "العودة للمدارس"},
        {"kind": "duration", "text": "لمدة ٤ أسابيع", "days": 28},
        {"kind": "offer", "text": "خصم 20%"},
        {"kind": "channels", "text": "إنستغرام، تيك توك", "platforms": ["instagram", "tiktok"]},
    ],
)
EN_CAMPAIGN = make_result(
    "campaign",
    "en",
    {"budget": ["Budget: 40,000 SAR for paid ads."]},
    [
        {"kind": "season", "text": "Ramadan"},
        {"kind": "duration", "text": "30 days", "days": 30},
        {"kind": "offer", "text": "25% discount"},
        {"kind": "channels", "text": "Instagram, TikTok", "platforms": ["instagram", "tiktok"]},
    ],
)
EN_STRATEGY = make_result(
    "strategy",
    "en",
    {"goals": ["Grow qualified leads by 30% over 2026-2028."]},
    [{"kind": "duration", "text": "2026-2028", "days": 1095}],
)
AR_OTHER = make_result("other", "ar", {"budget": ["الراتب ١٢ ألف درهم شهرياً."]})
EN_OTHER = make_result("other", "en", {"budget": ["Salary AED 12,000 per month."]})


# --- outline.json -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_element_has_two_or_three_questions_in_both_languages(lang: str) -> None:
    questions = outline_texts()["questions"]
    assert set(questions) == set(config.ELEMENTS)
    for element in config.ELEMENTS:
        asked = questions[element][lang]
        assert 2 <= len(asked) <= 3, element
        assert all(q.strip().endswith("?" if lang == "en" else "؟") for q in asked), element
        assert len(set(asked)) == len(asked)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for x in node for s in _strings(x)]
    if isinstance(node, dict):
        return [s for k, v in node.items() if not k.startswith("_") for s in _strings(v)]
    return []


def test_arabic_strings_have_no_latin_letters() -> None:
    data = outline_texts()
    arabic = _strings({e: q["ar"] for e, q in data["questions"].items()})
    arabic += _strings(data["text"]["ar"])
    assert len(arabic) > 30
    for s in arabic:
        # {placeholders} are filled with the text's own words; their names are not shown
        assert not LATIN.search(re.sub(r"\{\w+\}", "", s)), s


# --- content ------------------------------------------------------------------------


def test_arabic_strategy_outline() -> None:
    o = build_outline(AR_STRATEGY)
    assert (o.language, o.label, o.rtl) == ("ar", "strategy", True)
    assert o.title == "مخطط استراتيجية التواصل الاجتماعي"
    assert o.verdict == "النتيجة: استراتيجية (درجة الثقة ٩٣٪)"
    assert o.summary == AR_STRATEGY["summary"]
    assert o.checklist_title == "عناصر الاستراتيجية الثمانية"
    assert [p.element for p in o.parts] == list(config.ELEMENTS)
    assert [p.name for p in o.parts] == [NAMES["elements"][e]["ar"] for e in config.ELEMENTS]
    assert (o.parts[0].heading, o.parts[7].heading) == (
        "١. الأهداف",
        "٨. التكامل مع باقي الإدارات",
    )
    by_id = {p.element: p for p in o.parts}
    assert by_id["goals"].evidence == tuple(AR_STRATEGY["elements"][0]["evidence"])
    assert by_id["goals"].questions == ()
    assert by_id["budget"].questions == tuple(outline_texts()["questions"]["budget"]["ar"])
    assert by_id["budget"].evidence == ()
    assert o.placement == () and o.placement_title is None and o.note is None


def test_english_strategy_outline() -> None:
    o = build_outline(EN_STRATEGY)
    assert (o.language, o.rtl, o.title) == ("en", False, "Social-media strategy outline")
    assert o.verdict == "Verdict: Strategy (confidence 93%)"
    assert [p.name for p in o.parts] == [NAMES["elements"][e]["en"] for e in config.ELEMENTS]
    assert o.parts[0].evidence == ("Grow qualified leads by 30% over 2026-2028.",)
    assert o.parts[1].questions == tuple(outline_texts()["questions"]["audience"]["en"])


def test_campaign_outline_says_where_it_sits_from_what_the_result_found() -> None:
    o = build_outline(EN_CAMPAIGN)
    assert o.placement_title == "Where this campaign sits in a strategy"
    assert o.checklist_title == "What it would take to become a strategy"
    text = " ".join(o.placement)
    assert "runs 30 days around “Ramadan”" in text
    assert "(“25% discount”)" in text
    assert "Instagram and TikTok" in text
    assert "What it already states (budget)" in text
    assert len(o.parts) == 8


def test_mixed_campaign_outline_is_arabic_and_keeps_english_evidence() -> None:
    o = build_outline(AR_CAMPAIGN)
    assert o.language == "ar"  # mixed → Arabic, as the summary and advice
    assert o.placement_title == "موقع هذه الحملة من الاستراتيجية"
    text = " ".join(o.placement)
    assert "تمتد هذه الحملة على مدى ٢٨ يوماً حول «العودة للمدارس»" in text
    assert "إنستغرام، وتيك توك" in text
    assert "(الأهداف، والميزانية)" in text
    goals = o.parts[0]
    assert goals.present and goals.evidence == (
        "Goal: sell 2,000 school bags to parents in Riyadh.",
    )


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_most_specific_offer_is_quoted_and_a_bare_word_is_not(lang: str) -> None:
    bare = "العرض" if lang == "ar" else "offer"
    full = "اشتر ٢ واحصل على الثالث مجاناً" if lang == "ar" else "buy 2 get 1 free"
    both = [{"kind": "offer", "text": bare}, {"kind": "offer", "text": full}]
    quoted = " ".join(build_outline(make_result("campaign", lang, {}, both)).placement)
    assert full in quoted and f"{bare}»" not in quoted and f"{bare}”" not in quoted
    alone = build_outline(make_result("campaign", lang, {}, both[:1])).placement
    plain = outline_texts()["text"][lang]["placement"]["offer_plain"]
    assert plain in alone
    r = make_result("campaign", lang, {}, both)
    assert full in summarize("campaign", 0.99, lang, r["elements"], both)


def test_campaign_without_signals_is_still_placed() -> None:
    o = build_outline(make_result("campaign", "en", {"budget": ["Budget: 5,000 USD."]}))
    assert o.placement[0] == "This campaign is one time-boxed push, with a start and an end."
    assert o.placement[-1].startswith("In a strategy covering one to three years")


@pytest.mark.parametrize("result, lang", [(AR_OTHER, "ar"), (EN_OTHER, "en")])
def test_a_text_that_is_not_a_plan_gets_no_checklist(result: dict, lang: str) -> None:
    o = build_outline(result)
    assert o.parts == () and o.checklist_title is None and o.placement == ()
    assert o.note == outline_texts()["text"][lang]["other"]
    assert o.verdict.endswith("٩٣٪)" if lang == "ar" else "93%)")
    md = outline_markdown(o)
    assert "###" not in md and result["summary"] in md
    budget = NAMES["elements"]["budget"][lang]
    assert budget not in md  # a salary line is not shown as a budget


# --- Markdown -----------------------------------------------------------------------


@pytest.mark.parametrize("result", [AR_STRATEGY, EN_CAMPAIGN, AR_CAMPAIGN])
def test_markdown_has_a_heading_for_each_of_the_eight_elements(result: dict) -> None:
    o = build_outline(result)
    md = outline_markdown(o)
    headings = re.findall(r"^### (.+)$", md, flags=re.M)
    assert [h.split(". ", 1)[1] for h in headings] == [p.name for p in o.parts]
    assert md.startswith(f"# {o.title}\n")
    for part in o.parts:
        for sentence in part.evidence:
            assert f"> {sentence}" in md
        for q in part.questions:
            assert f"- {q}" in md


def test_markdown_quotes_cannot_become_headings() -> None:
    result = make_result("strategy", "en", {"goals": ["# Goals: grow sales by 10% a year."]})
    md = outline_markdown(build_outline(result))
    assert "> \\# Goals: grow sales" in md


# --- DOCX ---------------------------------------------------------------------------


def _doc(result: dict) -> docx.document.Document:
    return docx.Document(io.BytesIO(outline_docx(build_outline(result))))


def _runs(document: docx.document.Document) -> list:
    return [r for p in document.paragraphs for r in p.runs]


def test_arabic_docx_is_right_to_left_throughout() -> None:
    document = _doc(AR_CAMPAIGN)
    paragraphs = document.paragraphs
    assert len(paragraphs) > 30
    for p in paragraphs:
        assert p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None, p.text
    english = "Goal: sell 2,000 school bags to parents in Riyadh."
    for run in _runs(document):
        r_pr = run._r.rPr
        fonts = r_pr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:cs")) == ARABIC_FONT, run.text
        assert r_pr.find(qn("w:szCs")) is not None, run.text
        if english in run.text:  # an English quote keeps its own direction, isolated
            assert r_pr.find(qn("w:rtl")) is None
            assert run.text == f"\u2066{english}\u2069"
        else:
            assert r_pr.find(qn("w:rtl")) is not None, run.text
    text = "\n".join(p.text for p in paragraphs)
    assert "الميزانية ١٥ ألف ريال للإعلانات الممولة." in text  # evidence
    assert outline_texts()["questions"]["integration"]["ar"][0] in text  # questions
    assert "موقع هذه الحملة من الاستراتيجية" in text
    # document level: Arabic default language, right-to-left section, Arabic font in styles
    styles = document.styles.element
    lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:val")) == "ar-SA"
    assert document.core_properties.language == "ar-SA"
    assert document.sections[0]._sectPr.find(qn("w:bidi")) is not None
    assert all(f.get(qn("w:cstheme")) is None for f in styles.iter(qn("w:rFonts")))


def test_english_docx_is_left_to_right() -> None:
    document = _doc(EN_CAMPAIGN)
    xml = document.element.xml
    assert "w:bidi" not in xml and "<w:rtl" not in xml and ARABIC_FONT not in xml
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Budget: 40,000 SAR for paid ads." in text
    assert "Where this campaign sits in a strategy" in text
    assert document.core_properties.language == "en-US"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [h.split(". ", 1)[1] for h in headings] == [
        NAMES["elements"][e]["en"] for e in config.ELEMENTS
    ]


def test_docx_drops_characters_xml_cannot_hold() -> None:
    result = make_result("strategy", "en", {"goals": ["Grow\x0b sales\x00 by 10%."]})
    document = _doc(result)
    assert "Grow sales by 10%." in "\n".join(p.text for p in document.paragraphs)


def test_text_direction_is_the_first_strong_letter() -> None:
    assert text_is_rtl("«خصم 20%» on TikTok")
    assert not text_is_rtl("2,000 bags — خصم")
    assert not text_is_rtl("2026–2028")


# --- drawn by LibreOffice -------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip(
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui "
            "fonts-noto-core; .ci/run does): the Arabic outline is not drawn"
        )
    return found


def _to_png(soffice: str, docx_path: Path, out: Path) -> Path:
    """The first page as PNG: LibreOffice's own PNG export, or its PDF (the shared
    ``libreoffice_pdfs``) through pdftoppm: libreoffice-writer-nogui has no PNG export
    filter for text documents."""
    profile = f"-env:UserInstallation={(out / 'png-profile').as_uri()}"
    png = out / f"{docx_path.stem}.png"
    # --outdir must directly follow --convert-to's format
    command = [soffice, profile, "--headless", "--norestore", "--convert-to", "png"]
    subprocess.run(
        [*command, "--outdir", str(out), str(docx_path)], capture_output=True, timeout=180
    )
    if png.is_file() and png.stat().st_size > 0:
        return png
    if not shutil.which("pdftoppm"):
        pytest.skip("this LibreOffice has no PNG export and pdftoppm (poppler-utils) is absent")
    pdf = out / f"{docx_path.stem}.pdf"
    pdf.write_bytes(
        libreoffice_pdfs({docx_path.name: docx_path.read_bytes()}, out / "lo")[docx_path.name]
    )
    page = ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run(["pdftoppm", *page, str(pdf), str(png.with_suffix(""))], check=True, timeout=60)
    return png


def _lines(gray: Any) -> list[tuple[int, int]]:
    """The left and right ink edges of each line of text drawn on the page (rules left out)."""
    width, height = gray.size
    ink = gray.point(lambda v: 255 if v < 128 else 0)
    lines, start = [], None
    for y in range(height + 1):
        row = ink.crop((0, y, width, y + 1)).getbbox() if y < height else None
        if row and start is None:
            start = y
        elif not row and start is not None:
            if y - start > 3:  # a ruled line is a pixel or two high
                box = ink.crop((0, start, width, y)).getbbox()
                lines.append((box[0], box[2]))
            start = None
    return lines


@pytest.mark.slow
def test_libreoffice_draws_the_arabic_outline(tmp_path: Path) -> None:
    soffice = _soffice()
    path = tmp_path / "outline-ar.docx"
    path.write_bytes(outline_docx(build_outline(AR_CAMPAIGN)))
    png = _to_png(soffice, path, tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000, "a blank page compresses to almost nothing"
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size
        assert width > 300 and height > 400
        gray = image.convert("L")
        dark = sum(gray.histogram()[:128])
        assert dark > 0.005 * width * height, "the page has text on it"
        # right to left: short lines (title, verdict, headings) hug the right margin
        short = [(x0, x1) for x0, x1 in _lines(gray) if x1 - x0 < width / 2]
        assert len(short) >= 3, short
        assert all(width - x1 < x0 for x0, x1 in short), short
    shutil.copy(png, Path("/tmp") / "plancheck-outline-ar.png")
