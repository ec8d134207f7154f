"""What a reader sees: reasons are readable words of the text; terminal output keeps its order."""

from __future__ import annotations

from plancheck.explain import reasons_result, worth_showing


def test_function_words_and_numbers_are_not_reasons() -> None:
    for term in ("the", "from now", "كل", "أو", "هل", "15", "2028", "ضد"):
        assert not worth_showing(term), term
    for term in ("weeks", "for 2 weeks", "الحملة", "Instagram", "رمضان"):
        assert worth_showing(term), term


def test_dialect_particles_and_prefixed_function_words_are_not_reasons() -> None:
    # Seen as reasons on real Egyptian and Gulf texts: particles a marketer cannot act on.
    for term in (
        "ومش",
        "زى",
        "كده",
        "وما",
        "فما",
        "عشان",
        "الله",
        "وذلك",
        "باش",
        "بشكل",
        "بـ",
        "د",
        # seen on published news (set 11): the passive "تم", "في حين", "other"
        "تم",
        "وتم",
        "في حين",
        "other",
        "آل",  # of a family name (آل ثاني)
    ):
        assert not worth_showing(term), term
    # A content word that starts with و or ف stays a reason.
    for term in ("وسائل", "فيديو", "وظائف", "فعالية"):
        assert worth_showing(term), term


def test_arabizi_and_french_function_words_are_not_reasons() -> None:
    # Seen as reasons on a Lebanese Arabizi message: "bas", "fi", "mn" carry nothing to act on.
    for term in ("bas", "fi", "mn", "3al", "ya3ne", "msh", "dyal", "les", "pour", "hi", "salam"):
        assert not worth_showing(term), term
    for term in ("insta", "story", "delivery", "promo", "livraison"):
        assert worth_showing(term), term


def test_reasons_merge_punctuation_variants_and_skip_feature_names() -> None:
    text = "Run ads. Run ads on Instagram every week."
    contributions = [
        ("word", "ads", 0.5),
        ("char", " ads", 0.25),  # credited to the word "ads": one reason, not "ads" and "ads."
        ("word", "the", 0.9),
        ("word", "2028", 0.8),
        ("signal", "channel", 0.7),  # no channel signal in the result: not shown as "channel"
    ]
    reasons = reasons_result(contributions, text, {"run", "ads", "on", "instagram"}, "en", [])
    assert [r["term"] for r in reasons] == ["ads"]
    assert reasons[0]["weight"] == 0.75


def test_placeholders_of_links_emails_and_handles_are_never_reasons() -> None:
    """The normaliser writes "urltoken", "emailtoken", "handletoken" for a link, an e-mail and an
    @handle; on real pages they ranked among the top terms (3 of 837 published texts)."""
    from plancheck.text import normalize

    text = "Send your entry to awards@example.org or see https://example.org/rules, @brand_team"
    norm = normalize(text)
    assert {"urltoken", "emailtoken", "handletoken"} <= set(norm.split())
    contributions = [
        ("word", "emailtoken", 0.9),
        ("word", "to emailtoken", 0.8),
        ("word", "urltoken", 0.7),
        ("word", "handletoken", 0.6),
        ("char", "token", 0.5),  # credited only to words of the text
        ("word", "entry", 0.4),
    ]
    reasons = reasons_result(contributions, text, set(norm.split()), "en", [])
    assert [r["term"] for r in reasons] == ["entry"]


def test_a_function_word_at_the_edge_of_a_word_pair_is_dropped() -> None:
    # Seen on published texts: "and YouTube", "The Campaign", «في مصر» shown as reasons.
    text = "Ads on YouTube and the Campaign page, في مصر"
    contributions = [
        ("word", "and youtube", 0.5),
        ("word", "youtube", 0.2),
        ("word", "the campaign", 0.3),
        ("word", "في مصر", 0.1),
        ("word", "and the", 0.9),  # nothing left to show
    ]
    reasons = reasons_result(contributions, text, set(), "en", [])
    assert [(r["term"], r["weight"]) for r in reasons] == [
        ("YouTube", 0.7),
        ("Campaign", 0.3),
        ("مصر", 0.1),
    ]


def test_signal_reasons_show_the_words_that_fired() -> None:
    signals = [{"kind": "duration", "text": "for two weeks", "days": 14}]
    reasons = reasons_result([("signal", "duration", 0.4)], "x", set(), "en", signals)
    assert reasons == [{"term": "for two weeks", "weight": 0.4, "source": "signal"}]


def test_terminal_shaping_keeps_brackets_facing_the_right_way() -> None:
    from plancheck.render import shape_for_terminal

    shown = shape_for_terminal("الثقة (100%)")
    # Visual order, read left to right: the number sits inside "(…)", never ")…(".
    assert "(%100)" in shown or "(100%)" in shown, shown
