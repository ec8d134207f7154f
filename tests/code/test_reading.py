"""Reading uploaded documents: encodings, .docx, .pdf, and every way a file can be bad."""

from __future__ import annotations

import codecs
import io
import tracemalloc
import zipfile

import pytest

from plancheck import safezip
from plancheck.errors import DocumentTooLargeError, UnreadableDocumentError
from plancheck.reading import (
    SUPPORTED_EXTENSIONS,
    NoTextError,
    UnsupportedDocumentTypeError,
    decode_text,
    read_document,
)
from tests.builders import hostile_docx, make_docx, make_pdf, visual_order_pdf

AR = "استراتيجية التواصل الاجتماعي للسنوات الثلاث القادمة، مع مراجعة كل ستة أشهر."
EN = "Our social media strategy for the next three years."


# --- plain text and encodings --------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(AR.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + AR.encode("utf-8"), id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + AR.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + AR.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(AR.encode("cp1256"), id="windows-1256"),
    ],
)
def test_arabic_text_in_each_supported_encoding(data: bytes) -> None:
    assert read_document(data, "plan.txt") == AR


def test_utf16_english_with_bom() -> None:
    assert read_document(EN.encode("utf-16"), "plan.md") == EN


def test_bom_is_not_part_of_the_text() -> None:
    assert not read_document(codecs.BOM_UTF8 + b"hello", "a.txt").startswith("\ufeff")


def test_windows_1256_mixed_with_english_terms() -> None:
    text = "نركز على الـ KPIs مثل engagement و reach لمدة 3 سنوات.\r\nالميزانية 50,000 ريال."
    assert read_document(text.encode("cp1256"), "plan.txt") == text.replace("\r\n", "\n")


def test_utf8_is_preferred_over_windows_1256() -> None:
    # Valid UTF-8 Arabic also decodes (as mojibake) in cp1256: UTF-8 must win.
    assert decode_text("مرحبا".encode()) == "مرحبا"


def test_crlf_and_cr_become_newlines() -> None:
    assert read_document(b"line one\r\nline two\rline three", "a.md") == (
        "line one\nline two\nline three"
    )


def test_markdown_is_read_as_text() -> None:
    md = "# خطة\n\n- الأهداف: زيادة المبيعات\n- **الميزانية**: 10,000"
    assert read_document(md.encode(), "PLAN.MD") == md


def test_binary_data_is_undecodable() -> None:
    data = bytes(range(256)) * 8
    with pytest.raises(UnreadableDocumentError, match="encoding"):
        read_document(data, "plan.txt")


def test_broken_utf16_after_bom_is_refused() -> None:
    with pytest.raises(UnreadableDocumentError, match="UTF-16"):
        read_document(codecs.BOM_UTF16_LE + b"\x00\xd8", "plan.txt")  # lone surrogate


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", codecs.BOM_UTF8])
def test_empty_text_file_has_no_text(data: bytes) -> None:
    with pytest.raises(NoTextError):
        read_document(data, "plan.txt")


# --- extensions ----------------------------------------------------------------------


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".docx", ".pdf"}


@pytest.mark.parametrize("name", ["plan.doc", "plan.exe", "plan", "", "plan.txt.zip", ".pdf.x"])
def test_unsupported_extension(name: str) -> None:
    with pytest.raises(UnsupportedDocumentTypeError, match="Unsupported file type") as info:
        read_document(b"hello", name)
    assert isinstance(info.value, UnreadableDocumentError)
    assert ".docx" in str(info.value)  # says what would work


def test_windows_path_and_upper_case_extension() -> None:
    assert read_document(b"hello", r"C:\Users\me\Plan.TXT") == "hello"


# --- .docx ---------------------------------------------------------------------------


def test_docx_paragraphs_and_table_cells_in_order() -> None:
    data = make_docx(
        ["خطة التواصل الاجتماعي", EN],
        table=[["الميزانية", "50,000 ريال سنوياً"], ["Owner", "Marketing team"]],
    )
    text = read_document(data, "plan.docx")
    lines = text.split("\n")
    assert lines[0] == "خطة التواصل الاجتماعي"
    assert lines[1] == EN
    assert "الميزانية | 50,000 ريال سنوياً" in lines
    assert "Owner | Marketing team" in lines


def test_docx_merged_cells_are_read_once() -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Goals for three years"
    table.cell(1, 0).text = "KPI"
    table.cell(1, 1).text = "reach"
    buf = io.BytesIO()
    document.save(buf)
    text = read_document(buf.getvalue(), "t.docx")
    assert text.count("Goals for three years") == 1
    assert "KPI | reach" in text


def test_docx_that_is_not_a_zip() -> None:
    with pytest.raises(UnreadableDocumentError, match="not a valid Word document"):
        read_document(b"this is plain text, not a zip", "plan.docx")


def test_zip_that_is_not_a_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableDocumentError, match="not a valid Word document"):
        read_document(buf.getvalue(), "plan.docx")


def test_truncated_docx() -> None:
    data = make_docx([EN])
    with pytest.raises(UnreadableDocumentError):
        read_document(data[: len(data) // 2], "plan.docx")


def test_empty_docx_has_no_text() -> None:
    with pytest.raises(NoTextError):
        read_document(make_docx([]), "empty.docx")


# --- hostile .docx (issue 12): limits on what is really inflated ----------------------


def peak_mb_refused(data: bytes) -> tuple[float, DocumentTooLargeError]:
    """Read ``data`` as a .docx expecting a 413-style refusal; return the peak MB traced."""
    tracemalloc.start()
    try:
        with pytest.raises(DocumentTooLargeError) as info:
            read_document(data, "plan.docx")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return peak - len(data) / 2**20, info.value


def test_docx_declaring_small_sizes_but_inflating_large_is_refused_within_the_cap() -> None:
    """Used to inflate the whole member in memory (zipfile trusts the declared size)."""
    data = hostile_docx(64 * 2**20, declared=2000)
    peak, error = peak_mb_refused(data)
    assert error.code == "document_too_large"
    assert "declares" in str(error)
    assert peak < 4, f"{peak:.1f} MB"


def test_honest_bomb_under_the_old_guard_is_refused_at_the_xml_cap() -> None:
    """Declared honestly and under the old 200 MB guard: used to be read and parsed whole."""
    data = hostile_docx(safezip.MAX_XML_BYTES + 2**20)
    peak, error = peak_mb_refused(data)
    assert "MB of XML" in str(error)
    assert peak < safezip.MAX_XML_BYTES / 2**20 * 2.5, f"{peak:.1f} MB"


def test_docx_of_too_many_elements_is_refused_before_parsing() -> None:
    _, error = peak_mb_refused(hostile_docx(6 * (safezip.MAX_XML_TAGS + 10), tags=True))
    assert "XML elements" in str(error)


def test_docx_of_too_many_members_is_refused() -> None:
    _, error = peak_mb_refused(hostile_docx(0, members=safezip.MAX_MEMBERS + 1))
    assert "parts" in str(error)


def test_docx_reading_has_a_deadline(monkeypatch) -> None:
    monkeypatch.setattr(safezip, "MAX_SECONDS", 0.0)
    _, error = peak_mb_refused(make_docx([EN] * 50))
    assert "s to read" in str(error)


def test_docx_with_a_doctype_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx([EN]))) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                blob = blob.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1)
            out.writestr(info.filename, blob)
    with pytest.raises(UnreadableDocumentError, match="DOCTYPE"):
        read_document(buf.getvalue(), "plan.docx")


def test_docx_with_media_still_reads_its_text() -> None:
    """Media parts are not inflated (left empty in the copy python-docx reads)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx([EN]))) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info), zipfile.ZIP_DEFLATED)
        out.writestr("word/media/image1.png", b"\x89PNG" + b"0" * 100_000, zipfile.ZIP_DEFLATED)
    assert read_document(buf.getvalue(), "plan.docx") == EN


# --- .pdf ----------------------------------------------------------------------------


def test_pdf_text_is_extracted() -> None:
    text = read_document(make_pdf([EN, "Budget: 10,000 USD per year."]), "plan.pdf")
    assert EN in text
    assert "Budget: 10,000 USD per year." in text


def test_pdf_without_text_layer() -> None:
    data = make_pdf(raw_content=b"0 0 m 200 200 l S")  # a drawn line, no text
    with pytest.raises(NoTextError, match="no extractable text"):
        read_document(data, "scan.pdf")


def test_file_named_pdf_that_is_not_a_pdf() -> None:
    with pytest.raises(UnreadableDocumentError, match="not a PDF"):
        read_document(b"PK\x03\x04 definitely not a pdf", "plan.pdf")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.4\n" + b"\x00\xff garbage " * 50, id="garbage-after-header"),
        pytest.param(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", id="truncated"),
    ],
)
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises(UnreadableDocumentError):
        read_document(data, "plan.pdf")


def test_password_protected_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf([EN]))))
    try:
        writer.encrypt(user_password="secret", algorithm="RC4-128")
    except Exception as exc:  # pragma: no cover - depends on pypdf's crypto backend
        pytest.skip(f"pypdf cannot encrypt here: {exc}")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnreadableDocumentError, match="password"):
        read_document(buf.getvalue(), "locked.pdf")


def test_pdf_paragraph_lines_are_joined_before_sentence_splitting() -> None:
    """Issue 12: line breaks inside a PDF paragraph split sentences into fragments."""
    lines = [
        "Our social media strategy for the next three years will focus on",
        "growth in Riyadh and Jeddah, with a yearly budget of 450,000 SAR.",
        "Goals",
        "Grow sales by 20% every year and double the followers on Instagram",
        "- Audience: mothers aged 25 to 45.",
    ]
    text = read_document(make_pdf(lines), "plan.pdf")
    assert text.split("\n") == [
        f"{lines[0]} {lines[1]}",
        "Goals",
        lines[3],
        lines[4],
    ]


@pytest.mark.parametrize(
    "logical",
    [
        "خطة ٢٠٢٦ بنسبة ٣٠٪",
        "ميزانية ١٬٥٠٠ ريال لمدة ٣٫٥ أشهر",
        "الميزانية ٥٠٠٠",
        "نركز على Social Media Marketing في ٢٠٢٦",
        "Budget ٢٠٢٦ for growth",
    ],
)
def test_arabic_pdf_numbers_in_logical_order(logical: str) -> None:
    """Issue 12: PDFs written in visual order (Word, LibreOffice) gave ٢٠٢٦ → ٦٢٠٢."""
    assert read_document(visual_order_pdf(logical), "plan.pdf") == logical
