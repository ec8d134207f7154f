"""The result's summary: every sentence of summary.json, in both languages, from a result's parts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from plancheck import config
from plancheck.summary import (
    counted,
    every_words,
    span_words,
    summarize,
    summary_texts,
    template_keys,
)

LANGS = ("en", "ar")


def _elements(present: set[str]) -> list[dict[str, Any]]:
    return [{"id": e, "present": e in present} for e in config.ELEMENTS]


ALL = set(config.ELEMENTS)
SOME = {"goals", "audience", "horizon"}
NO_HORIZON = {"goals", "audience", "budget"}

SIG = {
    "long": {"kind": "duration", "text": "2026-2028", "days": 1095},
    "review": {"kind": "review", "text": "every six months", "every_days": 180},
    "box": {"kind": "date_range", "text": "1-27 Sept", "days": 27},
    "season": {"kind": "season", "text": "Back to School"},
    "offer2": {"kind": "offer", "text": "buy 2 get 1"},
    "offer1": {"kind": "offer", "text": "sale"},
    "launch": {"kind": "event", "text": "launched"},
    "opening": {"kind": "event", "text": "الافتتاح"},
}

# (label, confidence, present elements, signals) → the template keys the summary must use.
CASES = [
    (
        "strategy",
        0.99,
        SOME,
        ["long", "review"],
        ["head.strategy.sure", "strategy.span_review", "strategy.missing"],
    ),
    (
        "strategy",
        0.8,
        ALL,
        ["long"],
        ["head.strategy.likely", "strategy.span", "strategy.complete"],
    ),
    (
        "strategy",
        0.5,
        SOME,
        ["review"],
        ["head.strategy.unsure", "strategy.review", "strategy.missing"],
    ),
    ("strategy", 0.99, NO_HORIZON, ["long", "review"], ["strategy.plain", "strategy.missing"]),
    (
        "campaign",
        0.99,
        {"goals"},
        ["box", "season", "offer2"],
        [
            "head.campaign.sure",
            "campaign.sentence",
            "campaign.runs",
            "campaign.around",
            "campaign.offer_quoted",
            "campaign.missing",
        ],
    ),
    (
        "campaign",
        0.8,
        ALL,
        ["offer1"],
        ["head.campaign.likely", "campaign.push", "campaign.offer", "campaign.complete"],
    ),
    (
        "campaign",
        0.99,
        {"goals"},
        ["box", "launch"],
        ["campaign.runs", "campaign.around", "campaign.launch", "campaign.missing"],
    ),
    (
        "campaign",
        0.8,
        {"goals"},
        ["opening"],
        ["campaign.push", "campaign.around", "campaign.opening", "campaign.missing"],
    ),
    ("campaign", 0.5, set(), [], ["head.campaign.unsure", "campaign.plain", "campaign.missing"]),
    ("other", 0.99, set(), [], ["head.other.sure", "other.plain"]),
    ("other", 0.8, {"goals"}, ["box"], ["head.other.likely", "other.plain"]),
    ("other", 0.5, set(), [], ["head.other.unsure", "other.plain"]),
]


def _fixed_parts(template: str) -> list[str]:
    """The literal pieces of a template, the words a summary built from it must contain."""
    return [p.strip() for p in re.split(r"\{\w+\}", template) if len(p.strip()) > 2]


def _get(lang: str, key: str) -> str:
    node: Any = summary_texts()[lang]
    for part in key.split("."):
        node = node[part]
    return str(node)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}-{'+'.join(c[3]) or 'none'}")
def test_summary_uses_its_templates(case: tuple, lang: str) -> None:
    label, conf, present, sigs, keys = case
    language = "en" if lang == "en" else "ar"
    s = summarize(label, conf, language, _elements(present), [SIG[k] for k in sigs])
    for key in keys:
        for piece in _fixed_parts(_get(lang, key)):
            assert piece in s, (key, piece, s)
    if lang == "ar":  # Arabic summary: no English words except what is quoted from the text
        outside_quotes = re.sub(r"«[^»]*»", "", s)
        assert not re.search(r"[A-Za-z]", outside_quotes), s


def test_every_template_is_exercised() -> None:
    """A template added to summary.json without a case above fails here."""
    used = {k for case in CASES for k in case[4]}
    used |= {"quote", "list.sep", "list.last"} | {
        f"units.{u}" for u in ("day", "week", "month", "year")
    }
    assert template_keys(summary_texts()["en"]) == used


@pytest.mark.parametrize("lang", LANGS)
def test_missing_elements_are_named_and_present_ones_are_not(lang: str) -> None:
    names = config.display_names()["elements"]
    s = summarize("campaign", 0.95, lang, _elements({"goals", "budget"}), [SIG["box"]])
    for e in config.ELEMENTS:
        name = names[e][lang]
        shown = name if lang == "ar" else name[:1].lower() + name[1:]
        assert (shown in s) == (e not in {"goals", "budget"}), (e, s)


@pytest.mark.parametrize("lang", LANGS)
def test_no_horizon_claimed_without_the_element(lang: str) -> None:
    with_h = summarize("strategy", 0.99, lang, _elements(SOME), [SIG["long"]])
    without = summarize("strategy", 0.99, lang, _elements(NO_HORIZON), [SIG["long"]])
    three_years = "3 years" if lang == "en" else "٣ سنوات"
    assert three_years in with_h and three_years not in without


def test_campaign_length_is_never_a_long_span() -> None:
    s = summarize("campaign", 0.99, "en", _elements(set()), [SIG["long"], SIG["season"]])
    assert "runs" not in s and "Back to School" in s


def test_arabic_counts_take_the_right_form() -> None:
    assert counted(1, "day", "ar") == "يوم واحد"
    assert counted(2, "month", "ar") == "شهرين"
    assert counted(3, "year", "ar") == "٣ سنوات"
    assert counted(10, "day", "ar") == "١٠ أيام"
    assert counted(27, "day", "ar") == "٢٧ يوماً"
    assert every_words(7, "ar") == "أسبوع" and every_words(7, "en") == "week"
    assert every_words(180, "en") == "6 months"
    assert span_words(27, "en") == "27 days" and span_words(90, "en") == "3 months"
    assert span_words(1095, "en") == "3 years"


def test_mixed_text_gets_an_arabic_summary() -> None:
    s = summarize("campaign", 0.99, "mixed", _elements(set()), [])
    assert s.startswith("حملة")


@pytest.mark.parametrize(
    ("signals", "theme"),
    [
        ([{"kind": "event", "text": "launched"}], "a launch"),
        ([{"kind": "event", "text": "Grand Opening"}], "an opening"),
        ([{"kind": "event", "text": "launched"}, {"kind": "event", "text": "GITEX"}], "“GITEX”"),
        (
            [{"kind": "event", "text": "launch"}, {"kind": "season", "text": "Ramadan"}],
            "“Ramadan”",
        ),
    ],
)
def test_a_launch_word_is_said_in_words_and_a_named_event_is_quoted(signals, theme) -> None:
    s = summarize("campaign", 0.95, "en", _elements(set()), signals)
    assert f"around {theme}" in s, s
    assert "“launched”" not in s and "“Grand Opening”" not in s


@pytest.mark.parametrize("label", config.LABELS)
def test_an_uncertain_verdict_reads_as_one_sentence_head(label: str) -> None:
    # "Uncertain, but closest to: not a social-media plan: the text …" read as two labels.
    s = summarize(label, 0.5, "en", _elements(set()), [])
    assert s.startswith("Uncertain, but ") and s.split(".")[0].count(":") == 1, s
