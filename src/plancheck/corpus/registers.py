"""Register families: the forms a text comes in, grouped for splits and evaluation.

The corpus records each document's form (``register``: press_release, whatsapp, rfp…). Forms
are grouped into a few families so that splits can be stratified and the model judged on
each kind of real traffic. Length decides first: a very short or very long text is its own
family whatever its form, because that is what makes it hard.
"""

from __future__ import annotations

from ..text import word_count

SHORT_MAX_WORDS = 40
LONG_MIN_WORDS = 600

FAMILIES: tuple[str, ...] = ("brief", "press", "award", "public", "other_forms", "short", "long")

_FAMILY_OF: dict[str, str] = {
    **dict.fromkeys(("press_release", "news_report", "news", "interview", "opinion"), "press"),
    **dict.fromkeys(("award_entry", "case_study"), "award"),
    **dict.fromkeys(
        (
            "public_strategy",
            "it_strategy",
            "hr_strategy",
            "academic_strategy",
            "national_strategy",
        ),
        "public",
    ),
    **dict.fromkeys(
        (
            "policy",
            "content_calendar",
            "performance_report",
            "dashboard",
            "how_to",
            "listicle",
            "market_news",
            "other_news",
            "field_operation",
            "forum_question",
            "question",
            "job_ad",
            "invite",
            "complaint",
            "recipe",
            "syllabus",
            "review",
            "invoice",
            "article",
            "hr_memo",
            "sales_pitch",
            "academic_abstract",
            "regulation",
        ),
        "other_forms",
    ),
}


def register_family(register: str | None, text: str) -> str:
    """The family of a document: ``short``/``long`` by length, else by its form."""
    n = word_count(text)
    if n <= SHORT_MAX_WORDS:
        return "short"
    if n >= LONG_MIN_WORDS:
        return "long"
    return form_family(register)


def form_family(register: str | None) -> str:
    """The family of a form alone, whatever the length (``brief`` for unlisted forms)."""
    return _FAMILY_OF.get(register or "", "brief")
