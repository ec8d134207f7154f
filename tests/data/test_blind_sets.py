"""The blind evaluation sets and second readings (bench/blind, bench/agreement) are well-formed
and never leak into the corpus."""

import json

import pytest

from plancheck import config
from plancheck.corpus import load_corpus
from plancheck.corpus.splits import near_duplicate_pairs

BLIND = config.PROJECT_ROOT / "bench" / "blind"
FILES = ("blind1.jsonl", "blind2.jsonl")


@pytest.fixture(scope="module")
def blind() -> list[dict]:
    return [
        json.loads(line)
        for name in FILES
        for line in (BLIND / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_records_follow_the_contract(blind):
    assert len(blind) == 400
    for r in blind:
        assert r["text"].strip() and r["label"] in config.LABELS and r["lang"] in config.LANGUAGES
        assert set(r["elements"]) <= set(config.ELEMENTS)
        assert r["label"] != "other" or not r["elements"]


def test_no_corpus_document_is_a_near_duplicate_of_a_blind_text(blind):
    corpus = [d.text for d in load_corpus()]
    texts = corpus + [r["text"] for r in blind]
    leaks = [(i, j) for i, j, _ in near_duplicate_pairs(texts) if i < len(corpus) <= j]
    assert not leaks, f"corpus documents copied from bench/blind: {leaks[:5]}"


def test_second_readings_of_the_corpus_name_corpus_documents():
    # bench/bench_agreement.py matches them by id: a renamed or dropped document would
    # silently shrink the study.
    path = config.PROJECT_ROOT / "bench" / "agreement" / "corpus_second_reader.jsonl"
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    ids = {d.id for d in load_corpus()}
    assert len(rows) == len({r["id"] for r in rows}) == 499
    assert all(r["id"] in ids and r["label"] in config.LABELS for r in rows)
