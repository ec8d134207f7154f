"""How well Arabic PDFs exported by LibreOffice read: plancheck against pdftotext.

Usage:  .venv/bin/python bench/bench_pdf_arabic.py

The six documents of ``tests/code/test_pdf_libreoffice.py`` (Word-like .docx files with
right-to-left paragraphs, one with left-to-right paragraphs, two plain-text files) are
exported to PDF by ``soffice --headless`` and read by plancheck (``read_document``) and by
poppler's ``pdftotext`` (plain and ``-layout``). Each reading is scored against the text it
was made from, after dropping bidi controls, NFKC and splitting on whitespace:

- token-order agreement: the longest common subsequence of the source's tokens and the
  reading's, over the source's tokens (a reversed number, a run out of place or a misspelt
  word each costs tokens);
- whole paragraphs: source paragraphs found as a contiguous run of the reading's tokens.

Needs ``soffice`` and ``pdftotext`` on PATH. Prints a Markdown table.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from plancheck.reading import read_document  # noqa: E402
from tests.builders import libreoffice_pdfs  # noqa: E402
from tests.code.test_pdf_libreoffice import _BIDI_CONTROLS, SOURCES  # noqa: E402


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", _BIDI_CONTROLS.sub("", text)).split()


def lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1]


def pdftotext(path: Path, layout: bool) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, timeout=60).stdout.decode()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdfs = libreoffice_pdfs({name: data for name, (_, data) in SOURCES.items()}, folder)
        readers = {
            "plancheck (pypdf)": lambda data, path: read_document(data, "plan.pdf"),
            "pdftotext": lambda data, path: pdftotext(path, layout=False),
            "pdftotext -layout": lambda data, path: pdftotext(path, layout=True),
        }
        totals = {name: [0, 0, 0, 0] for name in readers}
        print("| document | reader | token order | whole paragraphs |")
        print("|---|---|---:|---:|")
        for doc, (paragraphs, _) in SOURCES.items():
            path = folder / f"{doc}.pdf"
            path.write_bytes(pdfs[doc])
            source = tokens(" ".join(paragraphs))
            for reader, read in readers.items():
                got = tokens(read(pdfs[doc], path))
                joined = f" {' '.join(got)} "
                whole = sum(f" {' '.join(tokens(p))} " in joined for p in paragraphs)
                agree = lcs(source, got)
                for k, v in enumerate((agree, len(source), whole, len(paragraphs))):
                    totals[reader][k] += v
                print(f"| {doc} | {reader} | {agree}/{len(source)} | {whole}/{len(paragraphs)} |")
        for reader, (agree, n, whole, m) in totals.items():
            print(f"| **all** | {reader} | {agree}/{n} = {agree / n:.1%} | {whole}/{m} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
