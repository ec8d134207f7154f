"""Builders of test documents (PDF, DOCX) shared by the reading, API and batch tests."""

from __future__ import annotations

import io
from pathlib import Path


def make_pdf(
    lines: list[str] | None = None, raw_content: bytes | None = None, font_extra: bytes = b""
) -> bytes:
    """A minimal, valid one-page PDF (Helvetica text lines, or a raw content stream).

    ``font_extra``: more entries for the font dictionary (e.g. an ``/Encoding``).
    """
    if raw_content is None:
        ops = [b"BT /F1 12 Tf 72 720 Td 16 TL"]
        for line in lines or []:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
        ops.append(b"ET")
        raw_content = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(raw_content) + raw_content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica " + font_extra + b">>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def hostile_docx(
    padding: int, *, declared: int | None = None, tags: bool = False, members: int = 0
) -> bytes:
    """A .docx whose ``word/document.xml`` inflates by ``padding`` bytes (a zip bomb).

    The padding is paragraphs of 1,000 letters (or, with ``tags``, empty paragraphs
    ``<w:p/>``: the most elements per byte), streamed into the zip so that even a 1.5 GB
    bomb is built in little memory. ``declared``: forge the member's declared size (central
    directory and local header) to this many bytes, as an attacker would to slip past a
    guard that trusts it. ``members``: add that many empty extra members.
    """
    import struct
    import zipfile

    base = zipfile.ZipFile(io.BytesIO(make_docx(["Plan"])))
    name = "word/document.xml"
    xml = base.read(name)
    cut = xml.index(b"</w:body>")
    unit = b"<w:p/>" if tags else b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    block = unit * max(1, 2**20 // len(unit))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in base.infolist():
            if info.filename != name:
                zf.writestr(info.filename, base.read(info))
                continue
            member = zipfile.ZipInfo(name)
            member.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(member, "w", force_zip64=padding > 2**31) as fh:
                fh.write(xml[:cut])
                left = padding // len(unit)
                per_block = len(block) // len(unit)
                while left > 0:
                    n = min(left, per_block)
                    fh.write(block if n == per_block else unit * n)
                    left -= n
                fh.write(xml[cut:])
        for k in range(members):
            zf.writestr(f"customXml/extra{k}.bin", b"")
    data = bytearray(out.getvalue())
    if declared is not None:
        encoded = name.encode()
        headers = ((b"PK\x01\x02", 28, 24, 46), (b"PK\x03\x04", 26, 22, 30))
        for sig, name_at, size_at, base_len in headers:
            at = data.find(sig)
            while at >= 0:
                n = struct.unpack_from("<H", data, at + name_at)[0]
                if data[at + base_len : at + base_len + n] == encoded:
                    struct.pack_into("<I", data, at + size_at, declared)
                at = data.find(sig, at + 4)
    return bytes(data)


def visual_order_pdf(logical: str) -> bytes:
    """A PDF showing an Arabic line as Word and LibreOffice write it: glyphs in visual order.

    The line is put in display order by the Unicode bidi algorithm (python-bidi), and each
    Arabic character gets a one-byte code through an ``/Encoding`` of ``uniXXXX`` glyph names.
    """
    from bidi.algorithm import get_display

    visual = get_display(logical)
    chars = sorted({c for c in visual if ord(c) > 126})
    codes = {c: 128 + k for k, c in enumerate(chars)}
    names = b" ".join(b"/uni%04X" % ord(c) for c in chars)
    encoding = b"/Encoding << /Type /Encoding /Differences [128 " + names + b"] >> "
    shown = bytes(codes.get(c, ord(c)) for c in visual)
    content = b"BT /F1 12 Tf 72 720 Td (" + shown + b") Tj ET"
    return make_pdf(raw_content=content, font_extra=encoding)


def make_result(
    label: str,
    language: str,
    evidence: dict[str, list[str]] | None = None,
    signals: list[dict] | None = None,
    confidence: float = 0.93,
) -> dict:
    """A result of the contract's shape, without a model: ``evidence`` maps the elements the
    text states to their sentences; summary and advice come from the library's own code."""
    from plancheck import config
    from plancheck.advice import advice_for
    from plancheck.summary import summarize

    evidence = evidence or {}
    signals = signals or []
    elements = [
        {
            "id": e,
            "present": e in evidence,
            "score": 0.9 if e in evidence else 0.1,
            "evidence": evidence.get(e, []),
            "spans": [],
        }
        for e in config.ELEMENTS
    ]
    missing = [e for e in config.ELEMENTS if e not in evidence]
    rest = (1 - confidence) / 2
    return {
        "label": label,
        "confidence": confidence,
        "probabilities": {k: confidence if k == label else rest for k in config.LABELS},
        "language": language,
        "elements": elements,
        "missing": missing,
        "advice": advice_for(missing, language, label, signals),
        "signals": signals,
        "reasons": [],
        "summary": summarize(label, confidence, language, elements, signals),
        "model_version": "test-1",
    }


def rtl_docx(paragraphs: list[str], directions: str = "auto") -> bytes:
    """A .docx as Word writes Arabic: paragraphs with an Arabic letter are right-to-left.

    ``directions``: ``"auto"`` (right-to-left when the paragraph has an Arabic letter, as
    Word does when typing Arabic), ``"ltr"`` (every paragraph left-to-right: Arabic typed
    into an English template).
    """
    import re

    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        if directions == "auto" and re.search(r"[\u0600-\u06FF]", text):
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            for run in paragraph.runs:
                run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def libreoffice_pdfs(sources: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """PDFs exported by LibreOffice (as Writer users do) from ``{file name: bytes}``.

    One ``soffice --headless --convert-to pdf`` for all files, with a profile of its own in
    ``folder`` (so it neither touches nor waits for the user's) and a timeout. Returns the
    PDFs by source name; raises ``FileNotFoundError`` when ``soffice`` is not installed.
    """
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    src = folder / "src"
    src.mkdir(parents=True, exist_ok=True)
    stems = {Path(name).stem for name in sources}
    assert len(stems) == len(sources), "two sources would export to the same PDF name"
    for name, data in sources.items():
        (src / name).write_bytes(data)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *(str(src / name) for name in sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {name: (folder / "pdf" / f"{Path(name).stem}.pdf").read_bytes() for name in sources}
