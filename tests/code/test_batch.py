"""Batch pipeline without a trained model: readers, error records, encoders, partial
output and resume, ordering — with a stand-in classifier that returns the contract's shape.

End-to-end runs of the real command (real model, worker processes, kill and resume, Dask)
are in ``tests/model/test_batch_e2e.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from plancheck import batch
from plancheck.batch import (
    FLAT_COLUMNS,
    PARQUET_SCHEMA,
    BatchOptions,
    BatchRunError,
    BatchUsageError,
    Doc,
    Tally,
    folder,
    local,
    workers,
)
from plancheck.config import ELEMENTS
from plancheck.errors import UnreadableDocumentError
from tests.code.test_reading import make_docx, make_pdf
from tests.fakes import FakeClassifier

AR = "استراتيجية حضورنا على السوشيال للسنوات الثلاث القادمة، مع مراجعة كل ستة أشهر."
EN_CAMPAIGN = "White Friday: 40% off all perfumes, 20-30 November, Instagram ads."


@pytest.fixture
def fake_model(monkeypatch):
    """Make the batch run with :class:`FakeClassifier` in-process (``--jobs 1``)."""

    def init_worker(model_folder, models_dir, in_pool=True):
        workers._STATE["classifier"] = FakeClassifier()

    monkeypatch.setattr(workers, "init_worker", init_worker)
    monkeypatch.setattr(local, "resolve_model", lambda opts: (Path("m"), Path("."), "fake-1"))
    return FakeClassifier()


def run(tmp_path: Path, inp: Path, out_name: str, **kw) -> dict:
    opts = BatchOptions(input=inp, output=tmp_path / out_name, jobs=1, quiet=True, **kw)
    return batch.classify_batch(opts)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, records: list) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- readers -------------------------------------------------------------------------


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    (root / "clients" / "b").mkdir(parents=True)
    (root / "a.txt").write_text(
        "Our plan for the next three years: goals and budget.", encoding="utf-8"
    )
    (root / "clients" / "b" / "plan.md").write_text(
        "# Plan\nRamadan offer, budget 10k.", encoding="utf-8"
    )
    (root / "clients" / "brief.docx").write_bytes(
        make_docx(["Social plan for three years.", "Audience: SMEs."])
    )
    (root / "clients" / "good.pdf").write_bytes(
        make_pdf(["Campaign for White Friday, budget 5k."])
    )
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage that is not a pdf")
    (root / "empty.txt").write_bytes(b"")
    (root / "windows.txt").write_bytes(AR.encode("cp1256"))
    (root / "notes.xlsx").write_bytes(b"not a supported type")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    return root


FOLDER_IDS = [
    "a.txt",
    "clients/b/plan.md",
    "clients/brief.docx",
    "clients/good.pdf",
    "corrupt.pdf",
    "empty.txt",
    "windows.txt",
]


def test_folder_lists_supported_files_sorted_by_relative_path(mixed_folder: Path) -> None:
    assert batch.list_documents(mixed_folder) == FOLDER_IDS
    chunks = list(batch.iter_folder(mixed_folder, 3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    assert [d.id for c in chunks for d in c] == FOLDER_IDS


def test_folder_documents_classified_in_order_with_error_records(mixed_folder: Path) -> None:
    docs = [d for c in batch.iter_folder(mixed_folder, 100) for d in c]
    results = batch.classify_docs(FakeClassifier(), docs)
    assert [r["id"] for r in results] == FOLDER_IDS
    errors = {r["id"]: r["error"]["message"] for r in results if "error" in r}
    assert set(errors) == {"corrupt.pdf", "empty.txt"}
    assert "PDF" in errors["corrupt.pdf"]
    assert "no text" in errors["empty.txt"]
    by_id = {r["id"]: r for r in results}
    assert by_id["windows.txt"]["language"] == "ar"  # the cp1256 file was decoded
    # decoded to the very text that was written: same answer as the text itself
    assert by_id["windows.txt"] == {"id": "windows.txt", **FakeClassifier().classify(AR)}
    for r in errors:
        assert set(by_id[r]) == {"id", "error"}


def test_oversized_file_is_an_error_record(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(folder, "MAX_FILE_BYTES", 10)
    (tmp_path / "big.txt").write_text("a plan longer than ten bytes", encoding="utf-8")
    (results,) = batch.classify_docs(
        FakeClassifier(), [Doc("big.txt", path=str(tmp_path / "big.txt"))]
    )
    assert results["id"] == "big.txt" and "maximum" in results["error"]["message"]
    assert results["error"]["code"] == "document_too_large"


# --- folder inputs: regular files only (issue 12) ------------------------------------


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """A FIFO, a symlink to /dev/zero, one leading out and one inside, named like documents."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("Our plan for three years.", encoding="utf-8")
    os.mkfifo(root / "fifo.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (root / "sub" / "out.md").symlink_to(tmp_path / "secret.txt")
    (root / "sub" / "in.md").symlink_to(root / "a.txt")
    return root


@pytest.mark.timeout(60)
def test_fifo_devices_and_symlinks_are_error_records(
    tmp_path: Path, hostile_folder: Path, fake_model
) -> None:
    """A FIFO used to hang the run for ever; /dev/zero was read without limit."""
    summary = run(tmp_path, hostile_folder, "out.jsonl")
    by_id = {r["id"]: r for r in read_jsonl(tmp_path / "out.jsonl")}
    assert list(by_id) == ["a.txt", "fifo.txt", "sub/in.md", "sub/out.md", "zero.txt"]
    assert "label" in by_id["a.txt"]
    assert "FIFO" in by_id["fifo.txt"]["error"]["message"]
    assert by_id["fifo.txt"]["error"]["code"] == "unreadable_document"
    for name in ("zero.txt", "sub/out.md", "sub/in.md"):  # not followed, inside or not
        assert by_id[name]["error"]["code"] == "symlink_not_followed"
    assert summary["errors"] == 4 and summary["symlinks_not_followed"] == 3


# --- symlinks are never followed (issue 12) ------------------------------------------


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    """Symlinks to a folder outside, to the folder itself (a loop), to files, and broken."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET campaign outside the input", encoding="utf-8")
    root = tmp_path / "in"
    (root / "clients").mkdir(parents=True)
    (root / "plan.txt").write_text("Our plan for three years.", encoding="utf-8")
    (root / "clients" / "brief.md").write_text("Ramadan offer, budget 10k.", encoding="utf-8")
    (root / "archive").symlink_to(outside, target_is_directory=True)  # a folder outside
    (root / "clients" / "loop").symlink_to(root, target_is_directory=True)  # back up: a loop
    (root / "copy.txt").symlink_to(root / "plan.txt")  # a file inside
    (root / "leak.txt").symlink_to(outside / "secret.txt")  # a file outside
    (root / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")  # broken
    (root / "self").symlink_to("self")  # a link to itself
    (root / ".hidden").symlink_to(outside)  # hidden: left out like any hidden entry
    return root


LINKS = ["archive", "clients/loop", "copy.txt", "gone.pdf", "leak.txt", "self"]


def test_each_symlink_is_one_record_and_none_is_followed(linked_folder: Path) -> None:
    """Symlinked folders used to vanish without a record ("2 documents, 0 errors")."""
    docs = [d for c in batch.iter_folder(linked_folder, 100) for d in c]
    assert [d.id for d in docs] == sorted(["plan.txt", "clients/brief.md", *LINKS])
    links = {d.id: d for d in docs if d.id in LINKS}
    assert all(d.code == "symlink_not_followed" and d.path is None for d in links.values())
    assert "not followed" in links["archive"].error
    assert str(linked_folder.parent / "outside") in links["archive"].error  # says where to


@pytest.mark.timeout(60)
def test_symlinks_in_a_run_are_counted_and_nothing_outside_is_read(
    tmp_path: Path, linked_folder: Path, fake_model, monkeypatch
) -> None:
    opened: list[str] = []
    real_open = folder.os.open

    def spy_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(folder.os, "open", spy_open)
    summary = run(tmp_path, linked_folder, "out.jsonl", summary=tmp_path / "s.json")
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == sorted(["plan.txt", "clients/brief.md", *LINKS])
    by_id = {r["id"]: r for r in records}
    assert "label" in by_id["plan.txt"] and "label" in by_id["clients/brief.md"]
    for link in LINKS:
        assert set(by_id[link]) == {"id", "error"}
        assert by_id[link]["error"]["code"] == "symlink_not_followed"
    assert "SECRET" not in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert sorted(Path(p).name for p in opened) == ["brief.md", "plan.txt"]
    assert summary["documents"] == 8 and summary["errors"] == 6
    assert summary["symlinks_not_followed"] == 6
    assert summary["error_codes"] == {"symlink_not_followed": 6}
    text = batch.format_summary(summary)
    assert "6 errors, 6 of them symlinks not followed" in text


def test_read_file_does_not_follow_a_symlink_swapped_in(tmp_path: Path) -> None:
    """A file replaced by a symlink between listing and reading is refused, not followed."""
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (tmp_path / "plan.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(UnreadableDocumentError, match="cannot read the file"):
        folder.read_file(tmp_path / "plan.txt")


def test_symlink_counts_survive_a_csv_resume_tally() -> None:
    """Kept CSV rows hold the error as ``code: message``; the count reads the code back."""
    tally = Tally()
    tally.add_flat({"id": "a", "error": "symlink_not_followed: a symbolic link to /x"})
    tally.add_flat({"id": "b", "error": "unreadable_document: the file is: odd"})
    tally.add_result(batch.error_record("c", "gone", code="symlink_not_followed"))
    d = tally.as_dict()
    assert d["error_codes"] == {"symlink_not_followed": 2, "unreadable_document": 1}
    assert d["symlinks_not_followed"] == 2
    assert Tally.from_dict(d).as_dict() == d


@pytest.mark.timeout(30)
def test_read_file_refuses_what_is_not_a_regular_file(hostile_folder: Path) -> None:
    """Even if a FIFO or device is swapped in after listing, the worker never reads it."""
    with pytest.raises(UnreadableDocumentError, match="FIFO"):
        folder.read_file(hostile_folder / "fifo.txt")
    with pytest.raises(UnreadableDocumentError, match="cannot read the file"):
        folder.read_file(hostile_folder / "zero.txt")  # a symlink: not followed
    with pytest.raises(UnreadableDocumentError, match="character device"):
        folder.read_file(Path("/dev/zero"))
    with pytest.raises(UnreadableDocumentError, match="maximum"):
        folder.read_file(hostile_folder / "a.txt", limit=5)
    assert folder.read_file(hostile_folder / "a.txt", limit=25) == b"Our plan for three years."


def test_unlistable_subfolder_is_an_error_record(tmp_path: Path, monkeypatch) -> None:
    """Used to be skipped silently ("1 documents, 0 errors")."""
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "x.txt").write_text("x", encoding="utf-8")
    (root / "a.txt").write_text("a", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(folder.os, "scandir", scandir)
    docs = [d for c in batch.iter_folder(root, 10) for d in c]
    assert [d.id for d in docs] == ["a.txt", "locked/"]
    assert "cannot list the folder locked/" in docs[1].error
    (record,) = batch.classify_docs(FakeClassifier(), docs[1:])
    assert record["error"]["code"] == "unreadable_document"


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a chmod 000 folder anyway")
def test_chmod_000_subfolder_is_an_error_record(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "a.txt").write_text("a", encoding="utf-8")
    (root / "locked").chmod(0)
    try:
        assert batch.list_documents(root) == ["a.txt", "locked/"]
    finally:
        (root / "locked").chmod(0o755)


def test_jsonl_broken_line_is_an_error_record_not_a_crash(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "text": EN_CAMPAIGN},
            '{"id": "b", "text": "unterminated',
            {"text": AR},
            "",
            "[1, 2]",
            {"id": "e", "body": "x"},
        ],
    )
    docs = [d for c in batch.iter_jsonl(path, "id", "text", 2) for d in c]
    assert [d.id for d in docs] == [
        "a",
        2,
        3,
        5,
        "e",
    ]  # blank line 4 skipped; missing id → line number
    assert docs[0].text == EN_CAMPAIGN and docs[0].error is None
    assert "line 2 is not valid JSON" in docs[1].error
    assert "not a JSON object" in docs[3].error
    assert "--text-col" in docs[4].error


def test_jsonl_with_bom_and_bad_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "ok text"}\n{"id": 2, "text": "\xff\xfe"}\n')
    docs = [d for c in batch.iter_jsonl(path, "id", "text", 10) for d in c]
    assert docs[0] == Doc(1, text="ok text")
    assert docs[1].error and "line 2" in docs[1].error


def test_csv_row_without_text_and_missing_ids(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        'id,text,other\nx1,"Line one\nline two, with comma",1\n,Second text,2\nx3,,3\n007,NA,4\n',
        encoding="utf-8",
    )
    docs = [d for c in batch.iter_csv(path, "id", "text", 2) for d in c]
    assert [d.id for d in docs] == [
        "x1",
        2,
        "x3",
        "007",
    ]  # ids stay text ("007"); missing → row number
    assert docs[0].text == "Line one\nline two, with comma"
    assert docs[2].error == "row 3 has no text (column 'text' is empty)"
    assert docs[3].text == "NA"  # never turned into a missing value


def test_csv_without_the_text_column_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(BatchUsageError, match="--text-col"):
        list(batch.iter_csv(path, "id", "text", 10))


# --- CSV, Parquet folders, outputs and warnings (issue 12, item 11) --------------------


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_csv_delimiter_is_found_from_the_header(tmp_path: Path, sep: str) -> None:
    """A semicolon CSV used to be refused with a hint that led nowhere."""
    path = tmp_path / "in.csv"
    rows = [["id", "text"], ["a", "Plan, with commas; and | bars"], ["b", "Second, one"]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=sep).writerows(rows)
    docs = [d for c in batch.iter_csv(path, "id", "text", 10) for d in c]
    assert [(d.id, d.text) for d in docs] == [tuple(r) for r in rows[1:]]


def test_csv_delimiter_option(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id;text\n1;one\n", encoding="utf-8")
    docs = [d for c in batch.read_chunks(path, "csv", "id", "text", 10, delimiter=";") for d in c]
    assert [(d.id, d.text) for d in docs] == [("1", "one")]
    with pytest.raises(BatchUsageError, match="one character"):
        run(tmp_path, path, "o.jsonl", delimiter=";;")


@pytest.mark.parametrize(
    "body, line",
    [
        ('id,text\n1,fine\n2,"unterminated\n3,more\n4,text\n', 5),
        ("id,text\n1,fine\n2,too,many\n3,ok\n", 3),
        ('id,text\n1,fine\n2,"stray" quote\n', 3),
    ],
    ids=["unterminated-quote", "field-count", "stray-quote"],
)
def test_malformed_csv_is_an_error_naming_the_line(tmp_path: Path, body: str, line: int) -> None:
    """An unterminated quote used to run with rc 0 and give more rows than the file has."""
    path = tmp_path / "in.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(BatchRunError, match=f"line {line}"):
        [d for c in batch.iter_csv(path, "id", "text", 10) for d in c]


def test_parquet_folder_is_read_by_the_local_engine(tmp_path: Path, fake_model) -> None:
    """A Parquet folder used to be read as a folder of documents: "0 documents", rc 0."""
    folder_in = tmp_path / "data.parquet"
    folder_in.mkdir()
    for k in range(2):
        table = pa.table({"id": [f"{k}-{i}" for i in range(3)], "text": [f"t{k}"] * 3})
        pq.write_table(table, folder_in / f"part-{k}.parquet")
    (folder_in / "_SUCCESS").write_bytes(b"")
    assert batch.input_kind(folder_in) == "parquet"
    summary = run(tmp_path, folder_in, "out.jsonl")
    assert summary["documents"] == 6
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == [
        f"{k}-{i}" for k in range(2) for i in range(3)
    ]


def test_unwritable_output_is_one_error_line(tmp_path: Path) -> None:
    """Used to be a raw traceback."""
    from plancheck.cli import app

    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "t"}])
    (tmp_path / "file").write_text("a file, not a folder")
    for out in (tmp_path / "file" / "out.jsonl", Path("/proc/plancheck-out.jsonl")):
        res = CliRunner().invoke(app, ["classify-batch", str(inp), "-o", str(out)])
        assert res.exit_code == 2, res.output
        assert res.output.startswith("error: cannot write the output")
        assert res.output.count("\n") == 1 and "Traceback" not in res.output


def test_pdf_warnings_never_reach_stderr(tmp_path: Path, capfd) -> None:
    """pypdf's "EOF marker not found" leaked onto stderr, without the file name, even with -q."""
    (tmp_path / "cut.pdf").write_bytes(make_pdf(["Campaign plan"])[:-60])
    (record,) = batch.classify_docs(
        FakeClassifier(), [Doc("cut.pdf", path=str(tmp_path / "cut.pdf"))]
    )
    assert record["id"] == "cut.pdf" and "EOF marker not found" in record["error"]["message"]
    assert capfd.readouterr().err == ""


def test_csv_output_has_a_bom_by_default(tmp_path: Path, fake_model) -> None:
    """Without it Excel garbles Arabic."""
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "ع", "text": AR}])
    run(tmp_path, inp, "with.csv")
    run(tmp_path, inp, "without.csv", bom=False)
    assert (tmp_path / "with.csv").read_bytes().startswith(b"\xef\xbb\xbfid,label")
    assert (tmp_path / "without.csv").read_bytes().startswith(b"id,label")
    frame = pd.read_csv(tmp_path / "with.csv", encoding="utf-8-sig")
    assert frame["id"].tolist() == ["ع"]


def test_parquet_is_streamed_by_batches(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table({"body": [f"text {i}" if i != 3 else None for i in range(10)]})
    pq.write_table(table, path, row_group_size=4)
    chunks = list(batch.iter_parquet(path, "id", "body", 3))
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    docs = [d for c in chunks for d in c]
    assert [d.id for d in docs] == list(range(1, 11))
    assert docs[3].error and "row 4" in docs[3].error


def test_input_and_output_kinds(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    assert batch.input_kind(tmp_path) == "folder"
    with pytest.raises(BatchUsageError, match="plancheck classify"):
        batch.input_kind(tmp_path / "x.txt")
    with pytest.raises(BatchUsageError, match="does not exist"):
        batch.input_kind(tmp_path / "nope.jsonl")
    with pytest.raises(BatchUsageError, match=".jsonl"):
        batch.output_format(tmp_path / "out.xlsx")


# --- classification of a chunk -------------------------------------------------------


def test_a_failing_batch_falls_back_to_one_by_one() -> None:
    docs = [
        Doc("a", text="fine text"),
        Doc("b", text="BOOM text"),
        Doc("c", text="  "),
        Doc("d", text=5),
    ]
    results = batch.classify_docs(FakeClassifier(), docs)
    assert [r["id"] for r in results] == ["a", "b", "c", "d"]
    assert "label" in results[0]
    assert results[1]["error"] == {
        "code": "classification_failed",
        "message": "RuntimeError: cannot classify text #0",
    }
    assert (
        results[2]["error"]["code"] == "empty_text" and "empty" in results[2]["error"]["message"]
    )
    assert results[3]["error"]["code"] == "not_text"
    assert "must be a string" in results[3]["error"]["message"]


# --- encoders ------------------------------------------------------------------------


def sample_results() -> list[dict]:
    clf = FakeClassifier()
    return [
        clf.classify("goals and budget for three years", id="s1"),
        batch.error_record(7, "no text"),
    ]


NO_TEXT = {"id": 7, "error": {"code": "invalid_input", "message": "no text"}}


def test_flat_csv_columns() -> None:
    text = batch.encode_csv(sample_results(), header=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    ok, bad = rows
    assert ok["id"] == "s1" and ok["label"] == "strategy" and ok["p_strategy"] == "0.8"
    assert ok["goals"] == "1" and ok["audience"] == "0"
    assert ok["missing"].split(";") == [
        e for e in ELEMENTS if e not in ("goals", "budget", "horizon")
    ]
    assert ok["model_version"] == "fake-1" and ok["error"] == ""
    assert (
        bad["id"] == "7"
        and bad["error"] == "invalid_input: no text"
        and bad["label"] == ""
        and bad["goals"] == ""
    )


def test_parquet_table_has_flat_columns_and_result_json() -> None:
    table = batch.encode_parquet(sample_results())
    assert table.schema == PARQUET_SCHEMA
    rows = table.to_pylist()
    assert json.loads(rows[0]["result_json"]) == sample_results()[0]
    assert json.loads(rows[1]["result_json"]) == NO_TEXT
    assert rows[1]["label"] is None and rows[1]["goals"] is None
    assert batch.encode_parquet([]).num_rows == 0


def test_jsonl_error_record_has_only_id_and_error() -> None:
    lines = batch.encode_jsonl(sample_results()).splitlines()
    assert json.loads(lines[1]) == NO_TEXT


# --- whole runs with the stand-in model ----------------------------------------------


def test_run_jsonl_to_jsonl_keeps_order_and_counts(tmp_path: Path, fake_model) -> None:
    records = [{"id": f"d{i}", "text": f"plan {i} for {i % 3} years"} for i in range(25)]
    records.insert(5, '{"id": "broken"')
    inp = write_jsonl(tmp_path / "in.jsonl", records)
    summary = run(tmp_path, inp, "out.jsonl", chunk_size=4, summary=tmp_path / "s.json")
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == [f"d{i}" for i in range(5)] + [6] + [
        f"d{i}" for i in range(5, 25)
    ]
    assert out[5] == {"id": 6, "error": out[5]["error"]}
    assert summary["documents"] == 26 and summary["errors"] == 1 and summary["classified"] == 25
    assert sum(summary["labels"].values()) == 25
    assert summary["missing"] and summary["languages"] == {"en": 25}
    assert json.loads((tmp_path / "s.json").read_text()) == summary
    assert not (tmp_path / "out.jsonl.partial").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_flat_outputs_match_jsonl(
    tmp_path: Path, fake_model, mixed_folder: Path, fmt: str
) -> None:
    run(tmp_path, mixed_folder, "ref.jsonl", chunk_size=2)
    run(tmp_path, mixed_folder, f"out.{fmt}", chunk_size=2)
    ref = read_jsonl(tmp_path / "ref.jsonl")
    if fmt == "csv":
        flat = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    else:
        flat = pd.read_parquet(tmp_path / "out.parquet")
        assert [json.loads(j) for j in flat["result_json"]] == ref
        assert pq.ParquetFile(tmp_path / "out.parquet").schema_arrow == PARQUET_SCHEMA
    assert list(flat.columns[: len(FLAT_COLUMNS)]) == list(FLAT_COLUMNS)
    assert flat["id"].tolist() == FOLDER_IDS
    labels = [r.get("label", "") for r in ref]
    assert [x if isinstance(x, str) else "" for x in flat["label"]] == labels


def test_jobs_2_output_equals_jobs_1(tmp_path: Path, fake_model, monkeypatch) -> None:
    """The ordered, bounded in-flight pipeline (threads stand in for processes here)."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(
        workers,
        "ProcessPoolExecutor",
        lambda n, mp_context, initializer, initargs: ThreadPoolExecutor(n),
    )
    records = [{"id": i, "text": f"doc {i} about year {i}" if i % 7 else "  "} for i in range(200)]
    inp = write_jsonl(tmp_path / "in.jsonl", records)
    run(tmp_path, inp, "one.jsonl", chunk_size=7)
    monkeypatch.setitem(workers._STATE, "classifier", FakeClassifier())
    opts = BatchOptions(input=inp, output=tmp_path / "two.jsonl", jobs=3, chunk_size=7, quiet=True)
    batch.classify_batch(opts)
    assert (tmp_path / "one.jsonl").read_text() == (tmp_path / "two.jsonl").read_text()


def interrupted(tmp_path: Path, inp: Path, out_name: str, keep_bytes_of: int, **kw) -> Path:
    """A finished output turned back into a partial one cut mid-record (as a kill leaves it)."""
    run(tmp_path, inp, out_name, **kw)
    out = tmp_path / out_name
    partial = batch.partial_path(out)
    data = out.read_bytes()
    partial.write_bytes(data[:keep_bytes_of])
    out.unlink()
    return partial


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_keeps_complete_records_and_classifies_the_rest(
    tmp_path: Path, fake_model, fmt: str
) -> None:
    records = [{"id": f"d{i}", "text": f'plan "{i}",\nfor {i} years'} for i in range(40)]
    inp = write_jsonl(tmp_path / "in.jsonl", records)
    run(tmp_path, inp, f"ref.{fmt}", chunk_size=6)
    reference = (tmp_path / f"ref.{fmt}").read_bytes()
    interrupted(tmp_path, inp, f"out.{fmt}", len(reference) // 2 + 3, chunk_size=6)
    summary = run(tmp_path, inp, f"out.{fmt}", chunk_size=6, resume=True)
    assert (tmp_path / f"out.{fmt}").read_bytes() == reference
    assert 0 < summary["resumed"] < 40 and summary["documents"] == 40
    assert sum(summary["labels"].values()) == 40


def test_resume_parquet_parts(tmp_path: Path, fake_model) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"text {i}"} for i in range(30)])
    run(tmp_path, inp, "ref.parquet", chunk_size=4)
    out = tmp_path / "out.parquet"
    partial = batch.partial_path(out)
    sink = batch.ParquetSink(out)
    sink.start(resume=False)
    docs = [d for c in batch.iter_jsonl(inp, "id", "text", 4) for d in c][:12]
    for chunk in batch.chunked(docs, 4):
        sink.write(batch.encode_parquet(batch.classify_docs(FakeClassifier(), chunk)))
    (partial / "part-000003.parquet.tmp").write_bytes(b"PAR1 half written")  # killed mid-part
    summary = run(tmp_path, inp, "out.parquet", chunk_size=4, resume=True)
    assert summary["resumed"] == 12 and summary["documents"] == 30
    assert pd.read_parquet(out).equals(pd.read_parquet(tmp_path / "ref.parquet"))


def test_resume_refuses_a_partial_output_of_another_input(tmp_path: Path, fake_model) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"text {i}"} for i in range(10)])
    other = write_jsonl(
        tmp_path / "other.jsonl", [{"id": f"x{i}", "text": "t"} for i in range(10)]
    )
    interrupted(tmp_path, other, "out.jsonl", 5000)
    with pytest.raises(BatchRunError, match="does not match"):
        run(tmp_path, inp, "out.jsonl", resume=True)


def killed_run(
    tmp_path: Path, inp: Path, out_name: str, monkeypatch, after_chunks: int, **kw
) -> Path:
    """A run interrupted (as by Ctrl-C) after ``after_chunks`` chunks were written."""
    real = local.run_chunks

    def run_chunks(*args, **kwargs):
        for k, out in enumerate(real(*args, **kwargs)):
            if k == after_chunks:
                raise KeyboardInterrupt
            yield out

    monkeypatch.setattr(local, "run_chunks", run_chunks)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, inp, out_name, **kw)
    monkeypatch.setattr(local, "run_chunks", real)
    return batch.partial_path(tmp_path / out_name)


def test_resume_refuses_another_input_that_reuses_the_ids(
    tmp_path: Path, fake_model, monkeypatch
) -> None:
    """Issue 12: 3,015 kept results used to cite sentences that were not in the new texts."""
    from plancheck.cli import app

    old = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"old {i}"} for i in range(20)])
    killed_run(tmp_path, old, "out.jsonl", monkeypatch, after_chunks=2, chunk_size=4)
    assert batch.fingerprint_path(tmp_path / "out.jsonl").is_file()
    write_jsonl(old, [{"id": i, "text": f"new text {i}"} for i in range(20)])  # same ids
    with pytest.raises(BatchUsageError, match="not that input"):
        run(tmp_path, old, "out.jsonl", chunk_size=4, resume=True)
    monkeypatch.setattr(local, "resolve_model", lambda opts: (Path("m"), Path("."), "fake-1"))
    res = CliRunner().invoke(
        app, ["classify-batch", str(old), "-o", str(tmp_path / "out.jsonl"), "--resume", "-j", "1"]
    )
    assert res.exit_code == 2 and res.output.startswith("error: ")
    assert "Traceback" not in res.output


def test_resume_of_the_same_input_keeps_and_completes(
    tmp_path: Path, fake_model, monkeypatch
) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"doc {i}"} for i in range(20)])
    run(tmp_path, inp, "ref.jsonl", chunk_size=4)
    killed_run(tmp_path, inp, "out.jsonl", monkeypatch, after_chunks=2, chunk_size=4)
    summary = run(tmp_path, inp, "out.jsonl", chunk_size=4, resume=True)
    assert summary["resumed"] == 8
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()
    assert not batch.fingerprint_path(tmp_path / "out.jsonl").exists()


def test_a_stale_fingerprint_without_its_partial_is_ignored(tmp_path: Path, fake_model) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "t"}])
    batch.fingerprint_path(tmp_path / "out.jsonl").write_text('{"fingerprint": "file:old"}\n')
    assert run(tmp_path, inp, "out.jsonl", resume=True)["documents"] == 1
    assert not batch.fingerprint_path(tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("line", ["123", "null", "[]", '"text"', '{"no": "id"}'])
def test_partial_line_that_is_not_a_result_is_redone(
    tmp_path: Path, fake_model, line: str
) -> None:
    """A valid JSON line that is not a result object used to crash every --resume."""
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"doc {i}"} for i in range(6)])
    run(tmp_path, inp, "ref.jsonl")
    reference = (tmp_path / "ref.jsonl").read_text(encoding="utf-8")
    first_two = "".join(reference.splitlines(keepends=True)[:2])
    batch.partial_path(tmp_path / "out.jsonl").write_text(
        first_two + line + "\n", encoding="utf-8"
    )
    summary = run(tmp_path, inp, "out.jsonl", resume=True)
    assert summary["resumed"] == 2
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == reference


def test_partial_output_is_never_overwritten_without_resume(tmp_path: Path, fake_model) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "t"}])
    batch.partial_path(tmp_path / "out.jsonl").write_text("")
    with pytest.raises(BatchUsageError, match="--resume"):
        run(tmp_path, inp, "out.jsonl")


def test_resume_of_a_finished_run_does_nothing(tmp_path: Path, fake_model) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "t"}])
    run(tmp_path, inp, "out.jsonl")
    with pytest.raises(batch.AlreadyComplete):
        run(tmp_path, inp, "out.jsonl", resume=True)


def test_jsonl_repair_cuts_a_torn_last_line(tmp_path: Path) -> None:
    sink = batch.JsonlSink(tmp_path / "o.jsonl")
    sink.partial.write_text('{"id": 1}\n{"id": 2}\n{"id": 3, "lab', encoding="utf-8")
    assert sink.start(resume=True) == 2
    sink.close()
    assert [r.id for r in sink.kept()] == [1, 2]
    assert sink.partial.read_text() == '{"id": 1}\n{"id": 2}\n'


def test_csv_repair_cuts_inside_a_quoted_field(tmp_path: Path) -> None:
    sink = batch.CsvSink(tmp_path / "o.csv")
    full = batch.encode_csv(
        [batch.error_record("a", "x"), batch.error_record("b\nc", "y\nz")], header=True
    )
    cut = full.index("b\nc") + 2  # just after the newline inside the quoted id
    sink.partial.write_text(full[:cut], encoding="utf-8")
    assert sink.start(resume=True) == 1
    sink.close()
    assert [r.id for r in sink.kept()] == ["a"]


def test_skip_done_checks_ids_and_cuts_the_first_chunk() -> None:
    chunks = [[Doc(i, text="t") for i in range(k, k + 3)] for k in (0, 3, 6)]
    kept = [batch.KeptRecord(i, "other", "en", [], None) for i in range(4)]
    tally = Tally()
    rest = list(batch.skip_done(iter(chunks), kept, tally))
    assert [[d.id for d in c] for c in rest] == [[4, 5], [6, 7, 8]]
    assert tally.documents == 4 and tally.labels["other"] == 4
    with pytest.raises(BatchRunError, match="more records"):
        list(batch.skip_done(iter(chunks[:1]), kept, Tally()))


def test_tally_merges_and_round_trips() -> None:
    a, b = Tally(), Tally()
    a.add_result(FakeClassifier().classify("three years of goals", id="x"))
    b.add_result(batch.error_record("y", "bad"))
    a.merge(b)
    d = a.as_dict()
    assert d["documents"] == 2 and d["errors"] == 1 and d["labels"] == {"strategy": 1}
    assert Tally.from_dict(d).as_dict() == d
    assert "1 errors" in batch.format_summary(
        batch.make_summary(BatchOptions(Path("i"), Path("o")), a, 0, 1.0, "v", 1)
    )


# --- the command line --------------------------------------------------------------------


def test_help_documents_every_option_with_an_example() -> None:
    from plancheck.cli import app

    res = CliRunner().invoke(
        app, ["classify-batch", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}
    )
    assert res.exit_code == 0
    for opt in (
        "--output",
        "--id-col",
        "--text-col",
        "--jobs",
        "--chunk-size",
        "--resume",
        "--quiet",
        "--summary",
        "--model",
        "--models",
        "--engine",
        "--scheduler",
        "--delimiter",
        "--no-bom",
    ):
        assert opt in res.output, opt
    assert "plancheck classify-batch plans.jsonl -o results.jsonl" in res.output


def test_command_exits_non_zero_with_a_fix_when_there_is_no_model(tmp_path: Path) -> None:
    from plancheck.cli import app

    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "t"}])
    res = CliRunner().invoke(
        app,
        [
            "classify-batch",
            str(inp),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--models",
            str(tmp_path / "none"),
        ],
    )
    assert res.exit_code == 1
    assert "plancheck train" in res.output


def test_command_exits_2_on_bad_arguments(tmp_path: Path) -> None:
    from plancheck.cli import app

    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "t"}])
    res = CliRunner().invoke(app, ["classify-batch", str(inp), "-o", str(tmp_path / "o.xlsx")])
    assert res.exit_code == 2 and ".jsonl" in res.output
    res = CliRunner().invoke(
        app, ["classify-batch", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 2 and "does not exist" in res.output


def test_classify_a_missing_file_is_an_error_not_a_text(tmp_path: Path) -> None:
    """A mistyped file name used to be classified as text ("Not a plan, 100%", exit 0)."""
    from plancheck.cli import app

    for arg in ("nonexist.docx", str(tmp_path / "plans" / "brief")):
        res = CliRunner().invoke(
            app, ["classify", arg, "--models", str(tmp_path)], env={"COLUMNS": "200"}
        )
        assert res.exit_code == 2, res.output
        assert "no such file" in res.output
