"""Arabic PDFs as Word and LibreOffice users export them, read back in logical order.

The PDFs are made at test time by LibreOffice (``soffice --headless --convert-to pdf``)
from .docx files with right-to-left paragraphs and from plain text; each reading is checked
against the text it was made from and against poppler's ``pdftotext``. The tests skip, saying
why, when ``soffice`` or ``pdftotext`` is not installed (``.ci/run`` installs both).

Measured on these files (``bench/RESULTS.md``): ``pdftotext`` puts a number range in visual
order (٢٠٢٦–٢٠٢٨ → ٢٠٢٨–٢٠٢٦), glues numbers to the next word and splits ``@brand``, so
it is a reference for digit runs and Latin words only, not for the order of a line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from plancheck.pdftext import line_directions, reverse_ligatures
from plancheck.reading import read_document
from tests.builders import libreoffice_pdfs, rtl_docx

PLAN_AR = [
    "استراتيجية التواصل ٢٠٢٦–٢٠٢٨ لحساب @brand على Instagram وTikTok، مراجعة كل ٦ أشهر.",
    "الأهداف:",
    "١. زيادة المتابعين بنسبة ٣٠٪ خلال السنة الأولى.",
    "٢. رفع التفاعل على TikTok إلى 5% شهرياً.",
    "3. إطلاق حملة رمضان (2026-2027) بميزانية 50,000 ريال.",
    "الجمهور: الأمهات من ٢٥ إلى ٤٥ سنة في الرياض وجدة.",
    "نعتمد في هذه الخطة على محتوى أسبوعي ثابت يتناول قصص العملاء وتجاربهم مع المنتج، "
    "ونقيس الأداء كل شهر بمؤشرات واضحة مثل الوصول والتفاعل ونسبة النقر، ثم نراجع التقويم "
    "التحريري كل ربع سنة ونعدل الرسائل بحسب ما يظهر في التقارير، مع الحفاظ على صوت "
    "العلامة ونبرتها الودودة في كل المنصات.",
]
CAMPAIGN_AR = [
    "حملة رمضان ٢٠٢٦ على Instagram وSnapchat",
    "خصم ٤٠٪ على جميع العطور من ١ إلى ١٠ رمضان، والتوصيل مجاني للطلبات فوق 200 ريال.",
    "الوسم: #رمضان_كريم مع الحساب @brand_sa والموقع www.brand.sa",
    "الميزانية ١٥٬٠٠٠ ريال لمدة ٣٫٥ أسابيع، والإعلانات تبدأ الساعة 9:00 مساءً.",
    "للتواصل: 0551234567 أو hello@brand.sa",
]
MIXED = [
    "Social media plan 2026–2028",
    "Our goal is to grow Instagram followers by 30% a year.",
    "خطة المحتوى: ثلاثة منشورات أسبوعياً على X وLinkedIn، وتقرير شهري للإدارة.",
    "المرحلة الأولى (يناير–مارس 2026): بناء الهوية، والمرحلة الثانية (أبريل–ديسمبر): النمو.",
    "Budget: 120,000 SAR per year, reviewed every 6 months.",
]

#: Lines that end in a Western-digit range: drawn right to left as 2027-2026, read back
#: with no Arabic letter before the range in the visual line.
RANGES_AR = [
    "الميزانية الشهرية للحساب 12,000 ريال (2026-2027).",
    "خطة المحتوى للفترة 2026-2028",
]
#: Source file name → (its paragraphs, its bytes). Word-like .docx files read exactly.
DOCX_SOURCES: dict[str, tuple[list[str], bytes]] = {
    "plan_rtl.docx": (PLAN_AR, rtl_docx(PLAN_AR)),
    "campaign_rtl.docx": (CAMPAIGN_AR, rtl_docx(CAMPAIGN_AR)),
    "mixed.docx": (MIXED, rtl_docx(MIXED)),
    "plan_ltr.docx": (PLAN_AR, rtl_docx(PLAN_AR, directions="ltr")),
    "ranges_rtl.docx": (RANGES_AR, rtl_docx(RANGES_AR)),
}
#: A .txt opened in LibreOffice: left-to-right paragraphs, monospaced fonts whose Arabic
#: glyphs overlap the next line, so pypdf merges some lines; only numbers are checked.
TXT_SOURCES: dict[str, tuple[list[str], bytes]] = {
    "plan_txt.txt": (PLAN_AR, ("\n".join(PLAN_AR) + "\n").encode()),
    "mixed_txt.txt": (MIXED, ("\n".join(MIXED) + "\n").encode()),
}
SOURCES = {**DOCX_SOURCES, **TXT_SOURCES}


def make_arabic_pdfs(folder: Path, sources: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """PDFs made by LibreOffice (of :data:`SOURCES` by default), or a skip saying why not."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    try:
        if sources is None:
            sources = {name: data for name, (_, data) in SOURCES.items()}
        return libreoffice_pdfs(sources, folder)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice could not export the PDFs here: {exc}")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return make_arabic_pdfs(tmp_path_factory.mktemp("libreoffice"))


def pdftotext(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed: apt-get install poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def lines_of(text: str) -> list[str]:
    """Non-blank lines, bidi controls dropped, NFKC, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", _BIDI_CONTROLS.sub("", text))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def digit_runs(text: str) -> Counter[str]:
    return Counter(re.findall(r"[0-9٠-٩]+", _BIDI_CONTROLS.sub("", text)))


def latin_words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[A-Za-z][A-Za-z_.]*[A-Za-z]", _BIDI_CONTROLS.sub("", text)))


# --- LibreOffice's PDFs, read by plancheck --------------------------------------------


@pytest.mark.parametrize("name", list(DOCX_SOURCES))
def test_libreoffice_pdf_reads_as_its_source_line_for_line(
    pdfs: dict[str, bytes], name: str
) -> None:
    """Each paragraph comes back whole, words and numbers in written order.

    Before: خلال read خالل (the lam-alef ligature reversed), and in left-to-right
    paragraphs the runs came back in reverse (``مراجعة كل ٦ ،TikTokو … .أشهر``).
    """
    paragraphs, _ = DOCX_SOURCES[name]
    assert lines_of(read_document(pdfs[name], "plan.pdf")) == paragraphs


def test_numbers_ranges_and_handles_in_written_order(pdfs: dict[str, bytes]) -> None:
    text = read_document(pdfs["plan_rtl.docx"], "plan.pdf")
    for written in ("٢٠٢٦–٢٠٢٨", "٣٠٪", "(2026-2027)", "@brand", "وTikTok،", "5%", "50,000"):
        assert written in text, written
    assert "٦٢٠٢" not in text and "٠٣٪" not in text


@pytest.mark.parametrize("name", list(SOURCES))
def test_same_numbers_and_latin_words_as_the_source(pdfs: dict[str, bytes], name: str) -> None:
    """Even where pypdf merges lines (.txt exports), no digit run or Latin word is reversed."""
    paragraphs, _ = SOURCES[name]
    text = read_document(pdfs[name], "plan.pdf")
    source = "\n".join(paragraphs)
    assert digit_runs(text) == digit_runs(source)
    assert latin_words(text) == latin_words(source)


# --- against pdftotext ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SOURCES))
def test_digit_runs_and_latin_words_agree_with_pdftotext(
    pdfs: dict[str, bytes], name: str, tmp_path: Path
) -> None:
    reference = pdftotext(pdfs[name], tmp_path)
    text = read_document(pdfs[name], "plan.pdf")
    assert digit_runs(text) == digit_runs(reference)
    # pdftotext splits "@brand_sa" and "hello@brand.sa" around "@" the same way: words agree
    assert latin_words(text) == latin_words(reference)


@pytest.mark.parametrize("name", list(DOCX_SOURCES))
def test_pdftotext_lines_hold_the_same_words(
    pdfs: dict[str, bytes], name: str, tmp_path: Path
) -> None:
    """Line by line, pdftotext and plancheck have the same Arabic words (order aside).

    pdftotext keeps LibreOffice's lines (plancheck joins a wrapped paragraph), so its
    lines are compared with the source paragraph they fall in.
    """
    reference = lines_of(pdftotext(pdfs[name], tmp_path))
    ours = lines_of(read_document(pdfs[name], "plan.pdf"))
    arabic = re.compile(r"[\u0621-\u064A]+")

    def words(lines: list[str]) -> Counter[str]:
        return Counter(w for line in lines for w in arabic.findall(line))

    # The lam-alef ligature: pdftotext reverses it in right-to-left paragraphs
    # (الأهداف → األهداف); plancheck's words are the source's.
    paragraphs, _ = DOCX_SOURCES[name]
    assert words(ours) == words(paragraphs)
    assert sum((words(reference) - words(ours)).values()) <= sum(words(ours).values()) // 5


# --- the pieces, without LibreOffice ------------------------------------------------------


def test_reverse_ligatures_swaps_only_arabic_multi_letter_destinations() -> None:
    cmap = (
        b"3 beginbfchar\n<29> <06440623>\n<36> <06440627>\n<02> <0644>\n<40> <00660069>\n"
        b"endbfchar\n1 beginbfrange\n<50> <51> <06440622>\nendbfrange\n"
    )
    assert reverse_ligatures(cmap) == (
        b"3 beginbfchar\n<29> <06230644>\n<36> <06270644>\n<02> <0644>\n<40> <00660069>\n"
        b"endbfchar\n1 beginbfrange\n<50> <51> <06220644>\nendbfrange\n"
    )


def test_line_directions_from_alignment_and_punctuation() -> None:
    rtl = [
        "٦ لك ةعجارم ،TikTokو Instagram ىلع brand@ باسحل ٢٠٢٨–٢٠٢٦ لصاوتلا ةيجيتارتسا",
        " " * 60 + ".رهشأ",
        "",
        "Budget: 120,000 SAR per year, reviewed every 6 months, for three years",
    ]
    assert line_directions(rtl) == ["R", "R", "R", "R"]
    ltr = [
        "باسحل ٢٠٢٨–٢٠٢٦ لصاوتلا ةيجيتارتسا @brand ىلع Instagram وTikTok، ٦ لك ةعجارم",
        "رهشأ.",
        "ميوقتلا عجارن مث ،رقنلا ةبسنو لعافتلاو لوصولا لثم ةحضاو تارشؤمب رهش لك ءادلأا",
    ]
    assert line_directions(ltr)[:2] == ["L", "L"]
    assert line_directions(ltr[2:]) == ["R"]  # a full line alone tells nothing: R
