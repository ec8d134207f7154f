"""What a reader sees besides the verdict: advice that refers to the text, signals grouped."""

from __future__ import annotations

import re
from typing import Any

import pytest

from plancheck import config
from plancheck.advice import advice_for, advice_texts
from plancheck.render import render_result
from plancheck.signals import extract_signals
from plancheck.signals.display import platform_of, platforms, shown_signals

LANGS = ("en", "ar")
CAMPAIGN_SIGNALS: list[dict[str, Any]] = [
    {"kind": "date_range", "text": "1-27 Sept", "days": 27},
    {"kind": "season", "text": "Back to School"},
    {"kind": "channels", "text": "Instagram, TikTok", "platforms": ["instagram", "tiktok"]},
]


def test_channels_are_one_row_of_platforms_in_the_texts_language() -> None:
    text = "حملة رمضان على Instagram و انستا وتيك توك، المحتوى والريتش لمدة 3 أسابيع، ورمضان كريم"
    shown = shown_signals(extract_signals(text), "ar")
    kinds = [s["kind"] for s in shown]
    assert kinds.count("channels") == 1
    row = next(s for s in shown if s["kind"] == "channels")
    assert row["platforms"] == ["instagram", "tiktok"]  # Instagram and انستا are one platform
    assert row["text"] == "إنستغرام، تيك توك"
    assert row["words"] == ["Instagram", "تيك توك"]  # as written, each in the text
    # vocabulary (المحتوى, الريتش) counts as a feature but is not a platform to show
    assert all("المحتوى" not in s["text"] and "الريتش" not in s["text"] for s in shown)
    assert "channel" not in kinds
    english = shown_signals(extract_signals("Posts on instagram and TikTok for 3 weeks"), "en")
    assert next(s for s in english if s["kind"] == "channels")["text"] == "Instagram, TikTok"


def test_a_cue_written_twice_is_shown_once() -> None:
    shown = shown_signals(
        extract_signals("Ramadan offer, Ramadan nights, and RAMADAN again"), "en"
    )
    assert [s["text"].lower() for s in shown if s["kind"] == "season"] == ["ramadan"]


def test_the_channels_row_stands_where_the_first_platform_was_named() -> None:
    shown = shown_signals(extract_signals("20% off on Snapchat during Ramadan"), "en")
    kinds = [s["kind"] for s in shown]
    assert kinds.index("offer") < kinds.index("channels") < kinds.index("season")


def test_platforms_carry_their_arabic_clitics() -> None:
    assert platform_of("والانستا")["id"] == "instagram"
    assert platform_of("بتيك توك")["id"] == "tiktok"
    assert platform_of("المحتوى") is None
    assert platform_of("engagement") is None


def test_every_platform_is_named_in_both_languages() -> None:
    for entry in platforms().values():
        assert entry["en"] and entry["ar"]
        assert not re.search(r"[A-Za-z]", entry["ar"].replace("(", "").replace(")", ""))


@pytest.mark.parametrize("lang", LANGS)
def test_horizon_advice_in_a_campaign_names_its_length_and_season(lang: str) -> None:
    [advice] = advice_for(["horizon"], lang, "campaign", CAMPAIGN_SIGNALS)
    ctx = advice_texts()["in_context"]
    if lang == "en":
        assert advice["message"].startswith("This plan runs 27 days around “Back to School”.")
    else:
        assert advice["message"].startswith("تمتد هذه الخطة على مدى ٢٧ يوماً حول «Back to School».")
    assert advice["message"] != advice_texts()["horizon"][lang]
    assert "{" not in advice["message"] and ctx


@pytest.mark.parametrize("lang", LANGS)
def test_horizon_advice_with_a_season_but_no_length(lang: str) -> None:
    [advice] = advice_for(["horizon"], lang, "campaign", [{"kind": "season", "text": "Ramadan"}])
    expected = {
        "en": "This plan is built around “Ramadan”.",
        "ar": "تقوم هذه الخطة على «Ramadan».",
    }
    assert advice["message"].startswith(expected[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_measurement_advice_names_the_platforms(lang: str) -> None:
    [advice] = advice_for(["measurement"], lang, "campaign", CAMPAIGN_SIGNALS)
    names = ("Instagram", "TikTok") if lang == "en" else ("إنستغرام", "تيك توك")
    assert all(n in advice["message"] for n in names)


@pytest.mark.parametrize("lang", LANGS)
def test_advice_falls_back_to_the_general_text(lang: str) -> None:
    # a strategy lacking a horizon is not told about a campaign's length; no platforms, no names
    general = advice_texts()
    out = advice_for(["horizon", "measurement"], lang, "strategy", CAMPAIGN_SIGNALS[:2])
    assert [a["message"] for a in out] == [general["horizon"][lang], general["measurement"][lang]]


def test_every_in_context_sentence_is_written_in_both_languages() -> None:
    ctx = {k: v for k, v in advice_texts()["in_context"].items() if not k.startswith("_")}
    for key, texts in ctx.items():
        assert set(texts) == set(LANGS), key
        # the same placeholders in both languages
        assert set(re.findall(r"{\w+}", texts["en"])) == set(re.findall(r"{\w+}", texts["ar"]))


def _result(label: str, language: str) -> dict[str, Any]:
    elements = [
        {"id": e, "present": e == "budget", "score": 0.9 if e == "budget" else 0.1, "evidence": []}
        for e in config.ELEMENTS
    ]
    return {
        "label": label,
        "confidence": 0.93,
        "probabilities": {"strategy": 0.03, "campaign": 0.04, "other": 0.93},
        "language": language,
        "elements": elements,
        "missing": [e["id"] for e in elements if not e["present"]],
        "advice": advice_for([e["id"] for e in elements if not e["present"]], language, label),
        "signals": [{"kind": "channels", "text": "إنستغرام", "platforms": ["instagram"]}],
        "reasons": [{"term": "وظيفة", "weight": 0.4}],
        "summary": "",
        "model_version": "v1",
    }


def test_the_terminal_shows_no_checklist_for_a_text_that_is_not_a_plan() -> None:
    out = render_result(_result("other", "en"))  # a job ad's salary line is not a budget
    assert "Budget" not in out and "Strategy elements" not in out


def test_the_terminal_titles_a_campaigns_checklist_and_speaks_arabic() -> None:
    out = render_result(_result("campaign", "ar"))
    assert "ما تحتاجه لتصبح استراتيجية" in out
    assert "المنصات: إنستغرام" in out  # the kind's Arabic name, not "channels"
    assert "channels" not in out and "model" not in out
