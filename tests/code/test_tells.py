"""plancheck.corpus.tells and registers: each check catches the cue it is named for."""

import pytest

from plancheck.corpus import Document, register_family, tag_problems
from plancheck.corpus.tells import (
    best_word_rule,
    dialect_markers_found,
    formula_lines,
    layout_cv_macro_f1,
    one_label_forms,
    self_explanations,
    skewed_words,
    tell_report,
)


def doc(i: int, label: str, text: str, lang: str = "en", dialect=None, **kw) -> Document:
    return Document(
        id=f"d{i}",
        lang=lang,
        label=label,
        text=text,
        elements=[],
        evidence={},
        source="handwritten",
        split="train",
        difficulty="easy",
        dialect=dialect,
        **kw,
    )


@pytest.mark.parametrize(
    "text",
    [
        "This is ongoing, not a one-off campaign.",
        "We call it a campaign because the board likes the word.",
        "It's more than a campaign: it is how we run our pages.",
        "احنا مش عايزين حملة، عايزين حد يمسك الصفحة",
        "المشروع ليس مجرد حملة موسمية",
        "نطلق عليه اسم حملة لأن الإدارة تحب الاسم",
        "وهي أكثر من حملة إعلانية",
    ],
)
def test_self_explanations_are_found(text: str) -> None:
    assert self_explanations(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Ramadan campaign runs 30 days with 20% off dates.",
        "Our social media strategy for 2026-2028: grow leads, review every six months.",
        "حملة الجمعة البيضاء من ٢٠ إلى ٣٠ نوفمبر على سناب",
        "Not all posts need a photo.",
    ],
)
def test_plain_plans_are_not_self_explaining(text: str) -> None:
    assert self_explanations(text) == []


def test_dialect_markers_are_matched_on_folded_whole_words() -> None:
    assert dialect_markers_found("احنا عايزين حد يمسك الصفحه", "egyptian") == ["عايزين"]
    assert dialect_markers_found("بدنا حملة للمحل هلق", "levantine") == ["بدنا", "هلق"]
    assert dialect_markers_found("نريد حملة للمحل", "egyptian") == []
    assert dialect_markers_found("بغينا شي واحد يتكلف بالصفحات ديالنا", "maghrebi")


def test_tag_problems_names_the_document_and_the_fix() -> None:
    docs = [
        doc(1, "other", "A plain English sentence about nothing."),
        doc(2, "other", "A plain English sentence about nothing.", lang="ar", dialect="msa"),
        doc(3, "other", "نريد حملة للمحل على انستغرام", lang="ar", dialect="gulf"),
        doc(4, "other", "نبي حملة للمحل على انستغرام", lang="ar", dialect="gulf"),
    ]
    problems = tag_problems(docs)
    assert len(problems) == 2
    assert problems[0].startswith("d2, field lang") and "'en'" in problems[0]
    assert problems[1].startswith("d3, field dialect") and "msa" in problems[1]


def test_best_word_rule_finds_a_word_that_tells_the_label() -> None:
    docs = [doc(i, "strategy", f"plan number {i} with zebra words") for i in range(30)]
    docs += [doc(100 + i, "campaign", f"plan number {i} with words") for i in range(30)]
    word, label, acc = best_word_rule(docs)
    assert (word, label, acc) == ("zebra", "strategy", 1.0)
    skew = skewed_words(docs, top=3)
    assert skew["strategy"][0][0] == "zebra"


def test_layout_classifier_sees_length_and_bullets() -> None:
    short = [doc(i, "campaign", f"short note {i}") for i in range(40)]
    long_ = [
        doc(100 + i, "strategy", "\n".join(f"- item {k} of the plan {i}" for k in range(30)))
        for i in range(40)
    ]
    assert layout_cv_macro_f1(short + long_) > 0.95
    mixed = [
        doc(200 + i, lab, "\n".join(f"- item {k}" for k in range(5 + i % 7)))
        for i, lab in enumerate(["strategy", "campaign"] * 40)
    ]
    assert layout_cv_macro_f1(mixed) < 0.7


def test_formula_line_share_per_label() -> None:
    docs = [
        doc(i, "strategy", f"Plan {i}.\nWe review this plan every six months with the board.")
        for i in range(10)
    ]
    docs += [doc(100 + i, "campaign", f"Campaign {i}.") for i in range(10)]
    lines = formula_lines(docs)
    assert lines["strategy"][1] == 1.0 and "every six months" in lines["strategy"][0]
    assert lines["campaign"][1] == 0.0
    report = tell_report(docs, with_layout=False)
    assert any("line shared by 100.0% of strategy" in f for f in report.failures)


@pytest.mark.parametrize(
    ("register", "words", "family"),
    [
        ("press_release", 200, "press"),
        ("award_entry", 200, "award"),
        ("public_strategy", 200, "public"),
        ("job_ad", 200, "other_forms"),
        ("whatsapp", 200, "brief"),
        (None, 200, "brief"),
        ("press_release", 20, "short"),
        ("rfp", 800, "long"),
    ],
)
def test_register_family(register, words, family) -> None:
    assert register_family(register, " ".join(["word"] * words)) == family


def test_a_place_name_ending_in_la_is_not_a_negation() -> None:
    assert self_explanations("أطلقت جمعية في الرباط-سلا حملة توعوية للأطفال") == []


def test_forms_that_always_carry_one_label_are_listed() -> None:
    docs = [doc(i, "strategy", "board paper", register="board_paper") for i in range(19)]
    docs += [doc(100, "campaign", "board paper", register="board_paper")]
    docs += [
        doc(200 + i, "other" if i % 2 else "campaign", "mail", register="email") for i in range(30)
    ]
    assert one_label_forms(docs) == [("board_paper", 20, "strategy", 0.95)]
    assert one_label_forms(docs, share=0.96) == []
    assert one_label_forms(docs[:19]) == [], "fewer than 20 documents say nothing"
    report = tell_report(docs, with_layout=False)
    assert any("form 'board_paper': 95%" in f for f in report.failures), report.failures
    ads = [doc(300 + i, "other", "job", register="job_ad") for i in range(25)]
    assert not any("job_ad" in f for f in tell_report(ads, with_layout=False).failures)
