"""Arabic PDFs made the way Python reports are made: arabic-reshaper and python-bidi turn the
text into shaped glyphs in visual order, and ReportLab draws it right-aligned.

Read back, each line must be the text it was made from: letters unshaped, words in written
order, Arabic-Indic and Western digits not reversed, a number range in the order it was
written, handles and platform names intact. Skips, saying why, when ReportLab or the DejaVu
font (Debian's fonts-dejavu-core, installed by ``.ci/run``) is missing.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from plancheck.reading import read_document

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

LINES = [
    "استراتيجية التواصل ٢٠٢٦–٢٠٢٨ لحساب @brand على Instagram وTikTok",
    "نراجع الخطة كل ٦ أشهر، والهدف زيادة المتابعين ٣٠٪ خلال سنتين.",
    "الإعلانات الممولة بميزانية 15,000 ريال للفترة 2026-2027",
    "فريق المحتوى ينشر ٣ منشورات أسبوعياً على @brand_ksa.",
]


def _reportlab_pdf(lines: list[str]) -> bytes:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas", reason="pip install reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT.exists():
        pytest.skip(f"{FONT} is missing: apt-get install fonts-dejavu-core")
    import arabic_reshaper
    from bidi.algorithm import get_display

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y = 780
    for line in lines:
        c.setFont("DejaVu", 12)
        c.drawRightString(560, y, get_display(arabic_reshaper.reshape(line)))
        y -= 40  # a paragraph per line: no wrapped lines to join
    c.save()
    return buf.getvalue()


def _norm(s: str) -> str:
    # arabic-reshaper drops diacritics (its default), so the PDF never had the tanwin of
    # أسبوعياً: compare without them.
    s = unicodedata.normalize("NFKC", s)
    s = "".join(ch for ch in s if not ("\u064b" <= ch <= "\u0652"))
    return " ".join(s.split())


def test_reportlab_arabic_lines_read_in_written_order() -> None:
    text = read_document(_reportlab_pdf(LINES), "report.pdf")
    got = [_norm(line) for line in text.splitlines() if line.strip()]
    assert got == [_norm(line) for line in LINES]


def test_a_western_digit_range_ending_an_arabic_line_keeps_its_order() -> None:
    # Drawn right to left as 2027-2026; in the visual line no Arabic letter comes before it.
    text = read_document(_reportlab_pdf([LINES[2]]), "range.pdf")
    assert "2026-2027" in text and "2027-2026" not in text
