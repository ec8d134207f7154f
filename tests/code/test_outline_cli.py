"""``plancheck outline``: a .txt in, a .docx or .md out; a missing file is a clear error."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from plancheck.cli import app
from tests.fakes import FakeClassifier

PLAN = (
    "حملة رمضان: خصم ٢٥٪ على بوكسات الإفطار لمدة ٣٠ يوماً.\n"
    "الهدف: بيع ألفي بوكس، والجمهور المستهدف الأسر في الرياض.\n"
    "الميزانية ١٢ ألف ريال لإعلانات سناب وانستجرام.\n"
)


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan on disk, and a command that classifies with the fake (no trained model)."""
    monkeypatch.setattr("plancheck.cli.outline.load_model", lambda *_a: FakeClassifier())
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


def _run(*args: str, stdin: str | None = None) -> object:
    return CliRunner().invoke(app, ["outline", *args], input=stdin)


def test_writes_a_right_to_left_docx(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "outline.docx"
    res = _run(str(plan), "-o", str(out))
    assert res.exit_code == 0, res.output
    document = docx.Document(io.BytesIO(out.read_bytes()))
    assert document.paragraphs[0].text == "مخطط استراتيجية التواصل الاجتماعي"
    assert all(p._p.pPr is not None for p in document.paragraphs)
    assert "campaign outline (docx" in res.output
    assert not list(tmp_path.glob("*.tmp")), "written atomically"


def test_writes_markdown_from_the_suffix_or_format(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "outline.md"
    assert _run(str(plan), "-o", str(out)).exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# مخطط استراتيجية التواصل الاجتماعي")
    assert md.count("\n### ") == 8
    other = tmp_path / "outline.txt"
    res = _run(str(plan), "-o", str(other), "--format", "markdown")
    assert res.exit_code == 0, res.output
    assert other.read_text(encoding="utf-8") == md


def test_reads_stdin(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.md"
    res = _run("-", "-o", str(out), stdin=PLAN)
    assert res.exit_code == 0, res.output
    assert "الميزانية" in out.read_text(encoding="utf-8")


def test_a_missing_file_is_a_clear_error(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.docx"
    res = _run(str(tmp_path / "nope.txt"), "-o", str(out))
    assert res.exit_code != 0
    assert "error: no such file:" in res.output and "nope.txt" in res.output
    assert not out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "o.pdf"], "cannot tell the format from o.pdf"),
        (["-o", "o.md", "--format", "html"], "'html' is not one of"),
    ],
)
def test_an_unknown_format_is_refused(plan: Path, args: list[str], message: str) -> None:
    res = _run(str(plan), *args)
    assert res.exit_code == 2
    assert message in res.output


def test_an_unreadable_file_is_a_clear_error(plan: Path, tmp_path: Path) -> None:
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"not a zip")
    res = _run(str(bad), "-o", str(tmp_path / "o.md"))
    assert res.exit_code == 1
    assert "error: The file is not a valid Word document" in res.output
