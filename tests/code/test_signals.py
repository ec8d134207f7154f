"""plancheck.signals: substance signals (durations, date ranges, offers, seasons, events,
ongoing and review cues) found on the original text, and their feature vector."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.signals import (
    FEATURE_NAMES,
    KINDS,
    RULES_PATH,
    extract_signals,
    fold_with_offsets,
    signal_features,
)
from plancheck.signals.rules import _Rules


def kinds(text: str) -> list[str]:
    return [s["kind"] for s in extract_signals(text)]


def only(text: str, kind: str) -> list[dict]:
    return [s for s in extract_signals(text) if s["kind"] == kind]


def assert_well_formed(text: str, signals: list[dict]) -> None:
    assert [s["start"] for s in signals] == sorted(s["start"] for s in signals)
    for s in signals:
        assert s["kind"] in KINDS
        assert 0 <= s["start"] < s["end"] <= len(text)
        assert s["text"] == text[s["start"] : s["end"]]
        if s["kind"] in ("duration", "date_range"):
            assert isinstance(s["days"], int) and s["days"] > 0
        if "every_days" in s:
            assert s["kind"] == "review" and s["every_days"] > 0
    for kind in KINDS:
        spans = sorted((s["start"], s["end"]) for s in signals if s["kind"] == kind)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), (kind, spans)


# --- durations ----------------------------------------------------------------------------

DURATIONS = [
    ("for the next two years", "for the next two years", 730),
    ("لمدة ٣ سنوات", "لمدة ٣ سنوات", 1095),
    ("حملة ٦ أسابيع", "٦ أسابيع", 42),
    ("خطة تمشي على سنتين قدام", "على سنتين قدام", 730),
    ("الحملة شهرين بس", "شهرين", 60),
    ("10 days of teasers", "10 days", 10),
    ("ثلاث شهور", "ثلاث شهور", 90),
    ("plan for Q3", "for Q3", 90),
    ("H1 2027", "H1 2027", 182),
    ("Strategy 2025–2027", "2025–2027", 1095),
    ("we want a full year of content", "a full year", 365),
    ("المحتوى الدائم طوال العام", "طوال العام", 365),
    ("خلال السنوات الثلاث القادمة", "خلال السنوات الثلاث القادمة", 1095),
    ("Over the next 18 months social has one job", "Over the next 18 months", 540),
    ("our two-year campaign", "two-year", 730),
    ("حملة مستمرة على مدى ٢٤ شهراً", "على مدى ٢٤ شهراً", 720),
    ("48 hrs only", "48 hrs", 2),
    ("a plan for my socials for the next year or two", "for the next year or two", 730),
    ("a plan for like the next year or two", "the next year or two", 730),
    ("Phase 2 is the three-season plan", "the three-season", 1095),
    ("طول ٢٠٢٥ و٢٠٢٦", "طول ٢٠٢٥ و٢٠٢٦", 730),
    ("FY2026-FY2028", "FY2026-FY2028", 1095),
]


@pytest.mark.parametrize(("text", "span", "days"), DURATIONS)
def test_durations(text, span, days):
    found = only(text, "duration")
    assert [(s["text"], s["days"]) for s in found] == [(span, days)]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("للتلات سنين الجايين", 1095),  # Egyptian تلات, سنين
        ("لمده ٣ سنين", 1095),  # ه for ة
        ("لمدة سنه كامله", 365),
        ("خطة لتلاتة شهور", 90),
        ("6 اسابيع", 42),  # no hamza
        ("اسبوعين", 14),
        ("خلال يومين", 2),
        ("لمدة ۳ سنوات", 1095),  # Eastern Arabic-Indic digits
        ("ميزانية الشهر كله", 30),
        ("ثمانية أسابيع", 56),
    ],
)
def test_dialect_spellings_and_digits(text, days):
    assert [s["days"] for s in only(text, "duration")] == [days]


# --- date ranges --------------------------------------------------------------------------

DATE_RANGES = [
    ("من ١ إلى ٣٠ نوفمبر", "من ١ إلى ٣٠ نوفمبر", 30),
    ("from 1 Nov to 30 Nov", "from 1 Nov to 30 Nov", 30),
    ("1–15 March", "1–15 March", 15),
    ("15 رمضان - 2 شوال", "15 رمضان - 2 شوال", 18),
    ("من أول رمضان لآخر العيد", "من أول رمضان لآخر العيد", 33),
    ("January to June 2026", "January to June 2026", 181),
    ("Flight: 20 November - 6 December 2026 (17 days)", "20 November - 6 December 2026", 17),
    ("من ٢٦ كانون الأول لـ ٣١ كانون التاني", "من ٢٦ كانون الأول لـ ٣١ كانون التاني", 37),
    ("العرض من ٢٠ ذي القعدة لحد ٥ ذي الحجة بس", "من ٢٠ ذي القعدة لحد ٥ ذي الحجة", 16),
    ("Adoption Weekend (Sat 12 & Sun 13 April)", "Sat 12 & Sun 13 April", 2),
    ("window: Feb 1 → end of June 2026", "Feb 1 → end of June 2026", 150),
    ("الصيف (حزيران–آب)", "حزيران–آب", 92),
    ("من 1 جوان حتى لآخر جويلية", "من 1 جوان حتى لآخر جويلية", 61),
    ("الحملة هتبدا ١٥ رمضان وتخلص تاني يوم العيد", "هتبدا ١٥ رمضان وتخلص تاني يوم العيد", 18),
    ("from 1 Ramadan until the last day of Eid", "from 1 Ramadan until the last day of Eid", 33),
    ("التقديم بيفتح ١ فبراير ويقفل ٣١ مارس", "بيفتح ١ فبراير ويقفل ٣١ مارس", 59),
    ("Sept 2025 – June 2027", "Sept 2025 – June 2027", 668),
]


@pytest.mark.parametrize(("text", "span", "days"), DATE_RANGES)
def test_date_ranges(text, span, days):
    found = only(text, "date_range")
    assert [(s["text"], s["days"]) for s in found] == [(span, days)]
    # the same words never also count as a duration
    for d in only(text, "duration"):
        assert d["end"] <= found[0]["start"] or d["start"] >= found[0]["end"]


def test_two_seasons_joined_by_and_are_not_a_range():
    assert only("Ramadan & Eid: fare bundles", "date_range") == []
    assert only("حملة رمضان والعيد", "date_range") == []


# --- offers, seasons, events, ongoing ---------------------------------------------------

OFFERS = [
    ("30% off everything", "30% off"),
    ("خصم ٢٠٪ على طقم العيد", "خصم ٢٠٪"),
    ("عرض ٪٥٠ على الإكسسوارات", "٪٥٠"),
    ("buy one get one on all coffees", "buy one get one"),
    ("اشتري ١ واحصل على الثاني مجانا", "اشتري ١ واحصل على الثاني مجانا"),
    ("use the promo code RAMADAN", "promo code"),
    ("استخدم كوبون الخصم", "كوبون"),
    ("كود خصم للمشتركين", "كود خصم"),
    ("free delivery above 200 AED", "free delivery"),
    ("توصيل مجاني لكل الطلبات", "توصيل مجاني"),
    ("باكدج بـ ١٨٠٠ ج بدل ٢٥٠٠", "١٨٠٠ ج بدل ٢٥٠٠"),
    ("خصومات تصل إلى ٥٠٪ على الأجهزة", "خصومات تصل إلى ٥٠٪"),
]


@pytest.mark.parametrize(("text", "span"), OFFERS)
def test_offers(text, span):
    assert span in [s["text"] for s in only(text, "offer")]


def test_offer_word_needs_an_offer_sense():
    assert only("ابعتلي عرض سعر قبل الخميس", "offer") == []
    assert only("المطلوب من الوكالة: عرض سعر", "offer") == []
    assert only("We offer a tax-free package", "offer") == []
    assert [s["text"] for s in only("عرض الكنافة شغال لحد العيد", "offer")] == ["عرض"]


@pytest.mark.parametrize(
    "text",
    [
        # shows and screenings (published news, 2026-12-05)
        "حضور 4 سهرات استثنائية وعروض موسيقية خلال الفترة",
        "العروض المسرحية والتفاعلية، والمسرحيات",
        "منافسات حماسية وعروض فكاهية قوبلت بهتافات",
        "مناشط السيرك وعروض أفلام سينمائية",
        "تلاها عرض أوبريت شعبي",
        "وقُدم خلال اللقاء عرض مرئي حول مشروع الأجندة",
        # showing or airing something
        "ويستمر عرض الإعلان حتى نهاية الأسبوع",
        "من خلال عرض الأنشطة ونشر أخبار العمل",
        "وتهدف هذه التعليمات إلى عرض الإنجازات الحكومية",
        "شهر موسم عرض المسلسلات الرمضانية",
        "من عدم عرض مثل تلك الإعلانات",
        "ضاربة بعرض الحائط احتياجات عملائها",
        "حلواني الشربيني - عرض خطة عيد الأضحى",
    ],
)
def test_a_show_or_showing_something_is_not_an_offer(text):
    assert only(text, "offer") == []


@pytest.mark.parametrize(
    "text",
    ["عرض رمضان ساري", "عروض الجمعة البيضاء", "العرض ساري حتى نهاية الشهر", "احصل على عرض الصيف"],
)
def test_offers_next_to_those_words_still_count(text):
    assert only(text, "offer")


def test_three_months_for_the_price_of_two_is_an_offer_not_a_duration():
    sig = extract_signals("اشتراك ٣ شهور بسعر شهرين")
    assert [(s["kind"], s["text"]) for s in sig] == [("offer", "٣ شهور بسعر شهرين")]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Our Ramadan strategy", "Ramadan"),
        ("حملة لرمضان", "رمضان"),  # clitic ل is not part of the reported span
        ("Eid gifts", "Eid"),
        ("قبل العيد", "العيد"),
        ("عروض عيد الفطر", "عيد الفطر"),
        ("حملة الأضحى", "الأضحى"),
        ("National Day sales event", "National Day"),
        ("عرض اليوم الوطني", "اليوم الوطني"),
        ("White Friday deals", "White Friday"),
        ("#WhiteFriday", "WhiteFriday"),
        ("Black Friday", "Black Friday"),
        ("استراتيجية الجمعة البيضاء", "الجمعة البيضاء"),
        ("Back to School 2026", "Back to School"),
        ("حملة العودة للمدارس", "العودة للمدارس"),
        ("عروض الدخول المدرسي", "الدخول المدرسي"),
        ("summer sale", "summer sale"),
        ("حملة الصيف", "الصيف"),
        ("Mother's Day push", "Mother's Day"),
        ("هدايا عيد الأم", "عيد الأم"),
        ("Valentine boxes", "Valentine"),
        ("New Year push", "New Year"),
        ("سهرة رأس السنة", "رأس السنة"),
        ("Christmas menu", "Christmas"),
        ("after Hajj season", "Hajj season"),
        ("DSF offers", "DSF"),
    ],
)
def test_seasons(text, span):
    assert span in [s["text"] for s in only(text, "season")]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Haraz Launch plan", "Launch"),
        ("حملة إطلاق مشروع", "إطلاق"),
        ("اللونش هيبقى من ١ مارس", "اللونش"),
        ("بوستات اللانش", "اللانش"),
        ("quote for grand opening promo", "grand opening"),
        ("قبل الافتتاح الرسمي", "الافتتاح الرسمي"),
        ("the exhibition stand", "exhibition"),
        ("نشارك في معرض الكتاب", "معرض"),
        ("GITEX is 13-17 Oct", "GITEX"),
        ("the annual conference", "conference"),
        ("مؤتمر التقنية", "مؤتمر"),
        ("Open Day on Saturday", "Open Day"),
        ("يوم مفتوح للأهالي", "يوم مفتوح"),
        ("our 10th anniversary", "anniversary"),
        ("we sponsor the Fintech Forum on 3 May", "Forum"),
    ],
)
def test_events(text, span):
    assert span in [s["text"] for s in only(text, "event")]


@pytest.mark.parametrize(
    "text",
    [
        "Consumer Complaints Forum › Retail › Bahrain",
        "Read the forum rules before you post",
        "posted on an online forum last week",
    ],
)
def test_a_website_forum_is_no_event(text):
    assert only(text, "event") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("always-on content", "always-on"),
        ("this is ongoing", "ongoing"),
        ("continuous improvement", "continuous"),
        ("a long-term partner", "long-term"),
        ("بدنا نكون موجودين على المدى الطويل", "على المدى الطويل"),
        ("ننشر بشكل مستمر", "بشكل مستمر"),
        ("حد يمسك الصفحة على طول", "على طول"),
        ("نكون موجودين دائماً", "دائماً"),
        ("year-round presence", "year-round"),
        ("محتوى طول السنة", "طول السنة"),
        ("خطة للسنوات القادمة", "للسنوات القادمة"),
        ("الحملة شغالة ومفيش تاريخ نهاية", "مفيش تاريخ نهاية"),
    ],
)
def test_ongoing(text, span):
    assert any(span in s["text"] for s in only(text, "ongoing"))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("This is ongoing, not a launch plan.", "not a launch"),
        ("عايزين خطة مش عرض وخلاص", "مش عرض"),
        ("it's not a seasonal thing", "not a seasonal"),
        ("for long time not just one month", "not just one month"),
        ("هذه الخطة مفتوحة وليست مرتبطة بموسم", "ليست مرتبطة بموسم"),
    ],
)
def test_negated_time_box_is_an_ongoing_cue(text, span):
    sig = extract_signals(text)
    assert any(span in s["text"] for s in sig if s["kind"] == "ongoing")
    assert not any(s["kind"] in ("event", "offer", "season") for s in sig)


@pytest.mark.parametrize(
    "text",
    [
        # seen on published texts: the negation is about something else, words before the cue
        "this year, it is beyond no doubt that Tecno Mobile is this campaign.",
        "لن يتم استرداد أو إعادة قيمة الخصم",
        "We have not experienced a slowdown since the third quarter",
        "No paid influencers will be used in this campaign",
    ],
)
def test_a_negation_far_from_the_time_box_word_is_not_an_ongoing_cue(text):
    assert only(text, "ongoing") == []


def test_negation_of_a_price_or_a_cap_is_not_a_cue():
    assert only("الليلة بـ ٩٠٠ بدل ١٢٠٠ لمدة اسبوعين", "ongoing") == []
    assert only("الميزانية لا تتجاوز ٢٥٠٠ ريال للأسبوعين", "ongoing") == []


# --- reviews -------------------------------------------------------------------------------

REVIEWS = [
    ("We review the plan every six months.", "review the plan every six months", 180),
    ("كل ٦ شهور نراجع الخطة", "كل ٦ شهور نراجع", 180),
    ("the team will review quarterly", "review quarterly", 90),
    ("نقترح مراجعة نصف سنوية مع الإدارة", "مراجعة نصف سنوية", 182),
    ("وكل ربع سنة نعيد النظر في الوثيقة", "كل ربع سنة نعيد النظر", 90),
    ("a full annual review", "annual review", 365),
    ("نراجع كل ٣ أشهر", "نراجع كل ٣ أشهر", 90),
    ("كل ٣ شهور كنجلسو نشوفو شنو خدام", "كل ٣ شهور كنجلسو", 90),  # Maghrebi
    ("Every Sunday we look at cost per purchase", "Every Sunday we look at", 7),
    ("نراجع الأرقام يومياً", "نراجع الأرقام يومياً", 1),
    ("The plan itself is refreshed each October.", "refreshed each October", 365),
]


@pytest.mark.parametrize(("text", "span", "every"), REVIEWS)
def test_reviews(text, span, every):
    found = only(text, "review")
    assert [(s["text"], s.get("every_days")) for s in found] == [(span, every)]
    assert only(text, "duration") == []  # "every six months" is a cadence, not a length


def test_review_without_cadence_and_cadence_without_review():
    assert [s.get("every_days") for s in only("مراجعة دورية للخطة", "review")] == [None]
    assert extract_signals("every six months") == []
    assert extract_signals("نزود الطلبات ٢٥٪ كل سنة") == []
    assert only("Compliance reviews every product post", "review") == []


def test_a_review_pairs_with_the_nearest_cadence():
    found = only("reviews تبقى كل ٦ شهور بدل مرة في السنة", "review")
    assert [s["every_days"] for s in found] == [180]


# --- negative cases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "in 2026",
        "Invoice no. INV-2026-0418, date 14 April 2026",
        "campaign",
        "حملة",
        "call 0501234567 or +971 50 123 4567",
        "ابعتوا على الواتساب ٠٣/٤٥٦٧٨٩",
        "budget of 2.5 million",
        "الميزانية ٢.٥ مليون جنيه",
        "الناس من ٢٨ ل ٤٥ سنة",
        "العائلات ٣٠–٥٥ سنة",
        "للاطفال من ٣ ل ٨ سنين",
        "خبرة لا تقل عن ٣ سنوات",
        "خبره مش اقل من سنتين",
        "4+ years in social media",
        "calls back within 2 hours",
        "replies within 48 hours",
        "احنا بقالنا ٥ سنين فاتحين",
        "مع ضمان ٨ سنوات للبطارية",
        "استراتيجية التسجيل للعام الدراسي ٢٠٢٦–٢٠٢٧",
        "حملة التقديم ٢٠٢٦/٢٠٢٧",
        "من ١٠ ل ٦، الجمعة اجازة",
        "stir for 30 minutes",
        "",
    ],
)
def test_no_time_signal(text):
    assert [s for s in extract_signals(text) if s["kind"] in ("duration", "date_range")] == []


def test_plain_text_has_no_signals():
    assert extract_signals("The quick brown fox jumps over the lazy dog.") == []
    assert extract_signals("مرحبا، كيف حالك؟") == []


# --- original spans, folding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "span", "value"),
    [
        ("خطة لِمُدَّةِ ثَلَاثِ سَنَوَاتٍ", "duration", "لِمُدَّةِ ثَلَاثِ سَنَوَاتٍ", 1095),
        ("حملة رمـــضـــان", "season", "رمـــضـــان", None),
        ("خصـــم ٢٠٪ للطلبة", "offer", "خصـــم ٢٠٪", None),
        (
            "العرض شغّال من أوّل رمضان لحدّ وقفة العيد",
            "date_range",
            "من أوّل رمضان لحدّ وقفة العيد",
            30,
        ),
        ("نراجِع الخطّة كلّ ٦ شهور", "review", "نراجِع الخطّة كلّ ٦ شهور", 180),
        ("\u200fخطة ٣ سنوات\u200f", "duration", "٣ سنوات", 1095),
    ],
)
def test_diacritics_and_tatweel_keep_original_spans(text, kind, span, value):
    found = only(text, kind)
    assert [s["text"] for s in found] == [span]
    assert_well_formed(text, extract_signals(text))
    if value is not None:
        assert found[0].get("days", found[0].get("every_days")) == value


def test_fold_offsets_point_at_the_original_characters():
    for text in ["أُسبوعين", "abc", "ﻻ بد", "x\u064e\u064ey", "٣ سنوات"]:
        folded, offsets = fold_with_offsets(text)
        if offsets is None:
            assert len(folded) == len(text)
        else:
            positions = [offsets[i] for i in range(len(folded))]
            assert positions == sorted(positions)
            assert all(0 <= p < len(text) for p in positions)
    assert fold_with_offsets("أُسبوعين ٣")[0] == "اسبوعين 3"


SAMPLE = """\
خطة السوشيال لمتجر "بيتي" ٢٠٢٥ – ٢٠٢٦ (مسودة)
ليه: عايزين ٣٠٪ من مبيعات المتجر تيجي من السوشيال، حاجة مستمرة مش عرض وخلاص.
الحملات جوه الخطة:
• رمضان: عرض ادوات المطبخ (٤ اسابيع)
• الجمعة البيضا: اكبر خصومات السنة (١٠ ايام)
• موسم الجواز (يونيو–سبتمبر): باكدجات العرايس
المراجعة: كل ٦ شهور نقعد ونعدل حسب الارقام.
Subject: White Friday – 48 hrs only, Thu 27 + Fri 28 Nov, up to 40% off.
We review the roadmap every six months; the plan runs three years (2026–2028).
"""


def test_sample_document_signals_are_well_formed_and_complete():
    sig = extract_signals(SAMPLE)
    assert_well_formed(SAMPLE, sig)
    assert set(KINDS) - {"event"} <= {s["kind"] for s in sig}
    days = sorted(s["days"] for s in sig if "days" in s)
    assert days[0] <= 10 and days[-1] >= 1095


FRAGMENTS = [t for t, *_ in DURATIONS + DATE_RANGES + OFFERS + REVIEWS] + [
    "\u064e",
    "ـ",
    " ",
    "\n",
    "، ",
    "not ",
    "مش ",
    "2026",
    "٪",
    "–",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8))
def test_invariants_on_mixed_text(parts):
    text = " ".join(parts)
    assert_well_formed(text, extract_signals(text))


# --- features -------------------------------------------------------------------------------


def test_feature_vector_shape_and_range():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES)) == 15
    for text in ["", SAMPLE, "خصم ٢٠٪ لمدة ٦ أسابيع في رمضان", "always-on for three years"]:
        x = signal_features(extract_signals(text))
        assert len(x) == len(FEATURE_NAMES)
        assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in x)
    empty = dict(zip(FEATURE_NAMES, signal_features([]), strict=True))
    assert empty.pop("no_channel") == 1.0
    assert set(empty.values()) == {0.0}


def test_channel_vocabulary_in_both_languages():
    ar = extract_signals("نبي نزيد متابعين الانستا والتيك توك على السوشيال ميديا")
    assert [s["text"] for s in ar if s["kind"] == "channel"] == [
        "متابعين",
        "الانستا",
        "التيك توك",
        "السوشيال ميديا",
    ]
    en = extract_signals("Grow engagement on Instagram and LinkedIn with weekly reels.")
    assert {s["text"] for s in en if s["kind"] == "channel"} == {
        "engagement",
        "Instagram",
        "LinkedIn",
        "reels",
    }
    feats = dict(zip(FEATURE_NAMES, signal_features(en), strict=True))
    assert feats["channel"] == 1.0 and feats["no_channel"] == 0.0
    hr = extract_signals("خطة الموارد البشرية: ٤٠ ساعة تدريب سنوياً لكل موظف.")
    assert not [s for s in hr if s["kind"] == "channel"]


def features(text: str) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, signal_features(extract_signals(text)), strict=True))


def test_features_point_the_right_way():
    f = features("خطة لمدة ٣ سنوات، محتوى always-on، ونراجع الخطة كل ٦ شهور")
    c = features(
        "Ramadan offer: 20% off from 1 Ramadan until the last day of Eid, launch on day 1"
    )
    assert f["span_log"] == 1.0 and f["has_long"] == 1.0 and f["short_only"] == 0.0
    assert f["ongoing"] > 0 and f["review_long"] == 1.0 and f["review_short"] == 0.0
    assert c["has_short"] == 1.0 and c["short_only"] == 1.0 and c["has_long"] == 0.0
    assert c["date_range"] > 0 and c["offer"] > 0 and c["season"] > 0 and c["event"] > 0
    assert 0 < c["span_log"] < f["span_log"]


def test_features_ignore_unknown_kinds_and_extra_keys():
    sig = [{"kind": "duration", "days": 730, "text": "x", "start": 0, "end": 1, "extra": 1}]
    x = dict(zip(FEATURE_NAMES, signal_features(sig + [{"kind": "other"}]), strict=True))
    assert x["has_long"] == 1.0 and x["has_short"] == 0.0


# --- rules file -----------------------------------------------------------------------------


def test_rules_file_loads_and_rejects_a_phrase_in_two_lexicons():
    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    _Rules(data)
    bad = copy.deepcopy(data)
    bad["lexicons"]["event"]["phrases"].append("Ramadan")
    with pytest.raises(ValueError, match="both"):
        _Rules(bad)


def test_signals_do_not_depend_on_the_hash_seed() -> None:
    """The compiled tables once iterated a set: another PYTHONHASHSEED moved a match."""
    import subprocess
    import sys

    code = (
        "import json, hashlib; from plancheck.corpus import load_corpus; "
        "from plancheck.signals import extract_signals; h = hashlib.sha256(); "
        "[h.update(json.dumps(extract_signals(d.text), ensure_ascii=False).encode()) "
        "for d in load_corpus()[:400]]; print(h.hexdigest())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1
