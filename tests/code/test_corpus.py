"""plancheck.corpus: clear errors for broken records, frozen stratified splits."""

import json

import pytest

from plancheck.corpus import (
    CorpusError,
    add_documents,
    assign_splits,
    load_corpus,
    parse_documents,
)

GOOD = {
    "id": "doc-0001",
    "lang": "en",
    "label": "campaign",
    "text": "Ramadan offer: 20% off all dates from 1 to 30 Ramadan. Budget is 5,000 SAR for Snapchat ads.",
    "elements": ["budget"],
    "evidence": {"budget": ["Budget is 5,000 SAR for Snapchat ads."]},
    "source": "handwritten",
    "split": "train",
    "difficulty": "easy",
}


def lines(*recs):
    return [json.dumps(r, ensure_ascii=False) for r in recs]


def problems(*recs):
    with pytest.raises(CorpusError) as e:
        parse_documents(lines(*recs))
    return e.value.problems


def test_good_record_parses():
    (doc,) = parse_documents(lines(GOOD))
    assert doc.label == "campaign"


def test_missing_field_names_line_and_field():
    bad = dict(GOOD)
    del bad["label"]
    (p,) = problems(GOOD | {"id": "a"}, bad)
    assert p.startswith("line 2, field label")


def test_unknown_element_id():
    p = problems(GOOD | {"elements": ["budget", "pricing"]})
    assert any("field elements" in x and "'pricing'" in x for x in p)


def test_evidence_not_in_text():
    p = problems(GOOD | {"evidence": {"budget": ["Budget is 9,000 SAR."]}})
    assert any("not found verbatim" in x for x in p)


def test_element_without_evidence_and_evidence_without_element():
    p = problems(GOOD | {"elements": ["budget", "audience"]})
    assert any("'audience' is listed but has no evidence" in x for x in p)
    p = problems(
        GOOD | {"elements": [], "evidence": {"budget": ["Budget is 5,000 SAR for Snapchat ads."]}}
    )
    assert any("not in elements" in x for x in p)


def test_duplicate_id():
    p = problems(GOOD, GOOD)
    assert p == ["line 2, field id: duplicate id 'doc-0001' (first on line 1)"]


def test_bad_label_json_and_synthetic_in_test():
    p = problems(GOOD | {"label": "plan"})
    assert "line 1, field label: 'plan' is not one of strategy, campaign, other" in p
    with pytest.raises(CorpusError) as e:
        parse_documents(['{"id": "x",', json.dumps(GOOD)])
    assert e.value.problems[0].startswith("line 1: not valid JSON")
    p = problems(GOOD | {"source": "synthetic", "split": "test"})
    assert any("synthetic" in x for x in p)


def _rec(i, label="campaign", lang="en"):
    return {
        "lang": lang,
        "label": label,
        "text": f"Document number {i} about plan {i * 7919} with some words {i**2} to be unique here.",
        "elements": [],
        "evidence": {},
        "difficulty": "easy",
    }


def test_add_documents_freezes_old_splits_and_stratifies(tmp_path):
    path = tmp_path / "plans.jsonl"
    first = add_documents([_rec(i) for i in range(50)], path)
    before = {d.id: d.split for d in first}
    test_share = sum(s == "test" for s in before.values()) / 50
    assert 0.18 <= test_share <= 0.26
    add_documents([_rec(i) for i in range(50, 80)], path)
    after = {d.id: d.split for d in load_corpus(path)}
    assert all(after[k] == v for k, v in before.items())
    assert len(after) == 80


def test_near_duplicate_joins_existing_split(tmp_path):
    path = tmp_path / "plans.jsonl"
    docs = add_documents([_rec(i) for i in range(30)], path)
    target = next(d for d in docs if d.split == "test")
    near = _rec(0) | {"text": target.text + " ok"}
    (placed,) = assign_splits(docs, [near])
    assert placed["split"] == "test"


def test_add_documents_writes_nothing_when_invalid(tmp_path):
    path = tmp_path / "plans.jsonl"
    add_documents([_rec(i) for i in range(5)], path)
    before = path.read_bytes()
    with pytest.raises(CorpusError):
        add_documents([_rec(9) | {"label": "nope"}], path)
    assert path.read_bytes() == before


def test_add_documents_refuses_texts_already_in_the_corpus(tmp_path):
    path = tmp_path / "plans.jsonl"
    add_documents([_rec(i) for i in range(5)], path)
    with pytest.raises(CorpusError, match="already in the corpus as doc-0001"):
        add_documents([_rec(0)], path)
    with pytest.raises(
        CorpusError, match="record 2, field text: already in the corpus as record 1"
    ):
        add_documents([_rec(9), _rec(9)], path)


def test_ids_are_matched_whatever_their_case():
    """A sheet typed by hand says `Other`, `EN`, `Budget`: the corpus stores the ids."""
    doc = parse_documents(
        lines(
            GOOD | {"label": " Campaign ", "lang": "EN", "split": "Train", "elements": ["Budget"]}
        )
    )[0]
    assert (doc.label, doc.lang, doc.split, doc.elements) == (
        "campaign",
        "en",
        "train",
        ["budget"],
    )
    assert parse_documents(lines(GOOD | {"label": "Other"}))[0].label == "other"
