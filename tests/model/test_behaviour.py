"""Behavioural tests: what a marketer would check by pasting plans in."""

import re

import numpy as np
import pytest

from plancheck import ELEMENTS, LABELS, InputError

RAMADAN_CALLED_STRATEGY_EN = (
    "Our Ramadan strategy 🌙\n"
    "From 1 to 30 Ramadan we run 25% off all family meal boxes at our three branches.\n"
    "Daily Instagram stories and two Snapchat ads a week showing the iftar boxes.\n"
    "Budget: 12,000 SAR for the month. The offer ends on the last day of Ramadan."
)
RAMADAN_CALLED_STRATEGY_AR = (
    "استراتيجيتنا لرمضان 🌙\n"
    "من ١ إلى ٣٠ رمضان خصم ٢٥٪ على كل بوكسات الإفطار العائلية في فروعنا الثلاثة.\n"
    "ستوريز يومية على انستجرام وإعلانين سناب في الأسبوع.\n"
    "الميزانية ١٢ ألف ريال للشهر، والعرض ينتهي آخر يوم في رمضان."
)
THREE_YEARS_CALLED_CAMPAIGN_EN = (
    "The 'Always Here' campaign — our social media direction for 2026–2028.\n"
    "Social media should bring 30% of new customer enquiries and make us the most trusted "
    "clinic brand in Amman.\n"
    "We speak to parents aged 28–45 and to young professionals who delay dental visits.\n"
    "The plan is reviewed every six months and adjusted as platforms change.\n"
    "Content: weekly doctor videos, patient stories and monthly live Q&A on Instagram and TikTok."
)
THREE_YEARS_CALLED_CAMPAIGN_AR = (
    "حملة «دايماً معك» — توجهنا على السوشيال ميديا للسنوات الثلاث القادمة ٢٠٢٦–٢٠٢٨.\n"
    "نبغى السوشيال تجيب ٣٠٪ من استفسارات العملاء الجدد وتخلينا أكثر عيادة موثوقة في المنطقة.\n"
    "جمهورنا الأهالي من ٢٨ إلى ٤٥ سنة والموظفين الشباب.\n"
    "نراجع الخطة كل ٦ شهور ونعدلها حسب تغير المنصات."
)
RECIPE_AR = (
    "طريقة عمل الكنافة بالقشطة: نذوب الزبدة ونفرك العجينة جيداً، نضع نصفها في الصينية ثم "
    "القشطة ثم باقي العجينة، وتدخل الفرن على حرارة ١٨٠ لمدة ٣٠ دقيقة، وبعدها نسقيها بالقطر البارد."
)
JOB_AD_EN = (
    "We're hiring a Social Media Strategist! You will write content calendars, manage our "
    "Instagram and TikTok, and report engagement to the marketing manager. 3+ years of "
    "experience, Arabic and English. Send your CV and portfolio to careers@brand.com."
)

ALL_EIGHT_EN = (
    "Social media plan for Nour Pharmacies, 2026 to 2028.\n"
    "Goal: social media must grow repeat purchases by 20% and support the company's plan to "
    "become the first-choice pharmacy chain in the Eastern Province.\n"
    "Audience: mothers aged 25–45 and chronic-care patients over 50 in Dammam and Khobar.\n"
    "Roles: the marketing manager owns the plan and approves every post; the pharmacists "
    "review all health content, and we never repost unverified medical claims.\n"
    "Horizon: three years, reviewed every six months so we can adapt to new platforms.\n"
    "Execution: Instagram and TikTok videos, WhatsApp broadcasts and monthly articles, run by "
    "two content creators and one community manager.\n"
    "Budget: 450,000 SAR per year for content, ads and tools.\n"
    "Measurement: we track repeat-purchase rate, engagement rate and cost per lead monthly "
    "and use the results to change the content mix.\n"
    "Integration: customer service answers comments and DMs within two hours, and sales "
    "receives leads from social through the CRM that IT connected."
)
ALL_EIGHT_AR = (
    "خطة التواصل الاجتماعي لصيدليات نور من ٢٠٢٦ إلى ٢٠٢٨.\n"
    "الهدف: أن ترفع مواقع التواصل المشتريات المتكررة ٢٠٪ وتدعم خطة الشركة لتكون الصيدلية الأولى في المنطقة الشرقية.\n"
    "الجمهور: الأمهات من ٢٥ إلى ٤٥ سنة ومرضى الأمراض المزمنة فوق ٥٠ سنة في الدمام والخبر.\n"
    "المسؤوليات: مدير التسويق مسؤول عن الخطة ويعتمد كل منشور، والصيادلة يراجعون كل محتوى صحي، ولا ننشر أي معلومة طبية غير موثقة.\n"
    "المدة: ثلاث سنوات، مع مراجعة الخطة كل ستة أشهر لنواكب تغير المنصات.\n"
    "التنفيذ: فيديوهات على انستجرام وتيك توك ورسائل واتساب ومقالات شهرية، يديرها اثنان من صناع المحتوى ومسؤول مجتمع.\n"
    "الميزانية: ٤٥٠ ألف ريال سنوياً للمحتوى والإعلانات والأدوات.\n"
    "القياس: نتابع شهرياً نسبة الشراء المتكرر ومعدل التفاعل وتكلفة العميل المحتمل ونعدل المحتوى حسب النتائج.\n"
    "التكامل: خدمة العملاء ترد على التعليقات والرسائل خلال ساعتين، والمبيعات تستلم العملاء المحتملين من السوشيال عبر نظام CRM الذي ربطته إدارة تقنية المعلومات."
)
NONE_EN = "Can we talk tomorrow at 10? I have some thoughts about the new logo colours."
NONE_AR = "ممكن نتكلم بكرة الساعة ١٠؟ عندي كم ملاحظة على ألوان الشعار الجديد."


def label(clf, text):
    return clf.classify(text)["label"]


def test_result_shape(classifier):
    r = classifier.classify(ALL_EIGHT_EN, id="x1")
    for key in (
        "id",
        "label",
        "confidence",
        "probabilities",
        "language",
        "elements",
        "missing",
        "advice",
        "signals",
        "reasons",
        "summary",
        "model_version",
    ):
        assert key in r
    assert r["id"] == "x1"
    assert r["label"] in LABELS
    assert list(r["probabilities"]) == list(LABELS)
    assert abs(sum(r["probabilities"].values()) - 1) < 1e-3
    assert r["confidence"] == max(r["probabilities"].values())
    assert r["probabilities"][r["label"]] == r["confidence"]
    assert [e["id"] for e in r["elements"]] == list(ELEMENTS)
    assert r["missing"] == [e["id"] for e in r["elements"] if not e["present"]]
    assert [a["element"] for a in r["advice"]] == r["missing"]
    for e in r["elements"]:
        assert 0 <= e["score"] <= 1
        assert e["present"] == (e["score"] >= 0.5)
        assert len(e["evidence"]) <= 3
        assert (not e["present"]) <= (e["evidence"] == [])
        for ev, (a, b) in zip(e["evidence"], e["spans"], strict=True):
            assert ALL_EIGHT_EN[a:b] == ev
    for s in r["signals"]:
        # a cue shows the words it came from; the channels row names platforms and keeps
        # the words as written in ``words``
        words = s["words"] if s["kind"] == "channels" else [s["text"]]
        assert words and all(w in ALL_EIGHT_EN for w in words) and s["kind"]
    assert all(isinstance(x["term"], str) and x["weight"] > 0 for x in r["reasons"])
    assert r["model_version"] == classifier.version


@pytest.mark.parametrize("text", [RAMADAN_CALLED_STRATEGY_EN, RAMADAN_CALLED_STRATEGY_AR])
def test_ramadan_offer_called_strategy_is_a_campaign(classifier, text):
    assert label(classifier, text) == "campaign"


@pytest.mark.parametrize("text", [THREE_YEARS_CALLED_CAMPAIGN_EN, THREE_YEARS_CALLED_CAMPAIGN_AR])
def test_three_year_plan_called_campaign_is_a_strategy(classifier, text):
    assert label(classifier, text) == "strategy"


@pytest.mark.parametrize("text", [RECIPE_AR, JOB_AD_EN])
def test_not_a_plan(classifier, text):
    assert label(classifier, text) == "other"


@pytest.mark.parametrize("text,lang", [(ALL_EIGHT_EN, "en"), (ALL_EIGHT_AR, "ar")])
def test_plan_with_all_eight_elements(classifier, text, lang):
    r = classifier.classify(text)
    assert r["label"] == "strategy"
    assert r["language"] == lang
    assert r["missing"] == [], r["missing"]
    assert r["advice"] == []
    assert all(e["evidence"] for e in r["elements"])


@pytest.mark.parametrize("text,lang", [(NONE_EN, "en"), (NONE_AR, "ar")])
def test_text_with_no_elements(classifier, text, lang):
    r = classifier.classify(text)
    assert r["missing"] == list(ELEMENTS)
    assert len(r["advice"]) == 8
    arabic = [any("\u0600" <= c <= "\u06ff" for c in a["message"]) for a in r["advice"]]
    assert all(arabic) if lang == "ar" else not any(arabic)


def test_advice_language_follows_text(classifier):
    r = classifier.classify(RAMADAN_CALLED_STRATEGY_EN)
    arabic = re.compile("[\u0600-\u06ff]")
    assert r["advice"] and not any(arabic.search(a["message"]) for a in r["advice"])
    mixed = "عايزين نزود الـ engagement على Instagram و TikTok في رمضان بخصم ٢٠٪ لمدة شهر"
    r = classifier.classify(mixed)
    assert r["language"] == "mixed"
    assert all(any("\u0600" <= c <= "\u06ff" for c in a["message"]) for a in r["advice"])


def test_adding_a_budget_sentence_makes_budget_present(classifier):
    base = THREE_YEARS_CALLED_CAMPAIGN_EN
    before = {e["id"]: e for e in classifier.classify(base)["elements"]}
    after = {
        e["id"]: e
        for e in classifier.classify(base + "\nBudget: 300,000 JOD a year for content and ads.")[
            "elements"
        ]
    }
    assert not before["budget"]["present"]
    assert after["budget"]["present"]
    assert "300,000 JOD" in after["budget"]["evidence"][0]


def test_spelling_variants_do_not_change_the_answer(classifier):
    plain = THREE_YEARS_CALLED_CAMPAIGN_AR
    noisy = (
        plain.replace("أ", "ا")
        .replace("إ", "ا")
        .replace("ة ", "ه ")
        .replace("السوشيال", "السـوشـيـال")
        .replace("الخطة", "الخُطَّة")
    )
    a, b = classifier.classify(plain), classifier.classify(noisy)
    assert a["label"] == b["label"]
    assert np.allclose(
        list(a["probabilities"].values()), list(b["probabilities"].values()), atol=0.03
    )
    assert a["missing"] == b["missing"]


def test_arabic_indic_and_ascii_digits_agree(classifier):
    ascii_ = RAMADAN_CALLED_STRATEGY_AR.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    a, b = classifier.classify(RAMADAN_CALLED_STRATEGY_AR), classifier.classify(ascii_)
    assert a["label"] == b["label"]
    assert np.allclose(
        list(a["probabilities"].values()), list(b["probabilities"].values()), atol=1e-3
    )


def test_signals_explain_the_verdict(classifier):
    r = classifier.classify(RAMADAN_CALLED_STRATEGY_EN)
    kinds = {s["kind"] for s in r["signals"]}
    assert {"offer", "season"} & kinds
    r = classifier.classify(THREE_YEARS_CALLED_CAMPAIGN_EN)
    assert any(s["kind"] == "review" for s in r["signals"])
    assert any(s.get("days", 0) >= 365 for s in r["signals"])


def test_classify_many_equals_classify(classifier):
    texts = [
        ALL_EIGHT_EN,
        RECIPE_AR,
        RAMADAN_CALLED_STRATEGY_AR,
        NONE_EN,
        THREE_YEARS_CALLED_CAMPAIGN_EN,
    ]
    many = classifier.classify_many(texts)
    one = [classifier.classify(t) for t in texts]
    assert many == one


@pytest.mark.parametrize("bad", ["", "   \n\t ", "x" * 100_001])
def test_bad_text_is_refused_clearly(classifier, bad):
    with pytest.raises(InputError):
        classifier.classify(bad)


def test_classify_many_names_the_bad_text(classifier):
    with pytest.raises(InputError, match="text #1"):
        classifier.classify_many(["a real plan for ramadan", " "])


# --- texts as people write them (corpus v2, issue 9) ------------------------------------


def present(r: dict) -> set[str]:
    return {e["id"] for e in r["elements"] if e["present"]}


def test_readme_example_states_goals_audience_and_horizon_in_prose(classifier):
    r = classifier.classify(
        "Our social media plan for 2026–2028: grow qualified leads by 30%, "
        "speak to SME owners in Dubai, review the plan every six months."
    )
    assert r["label"] == "strategy"
    assert {"goals", "audience", "horizon"} <= present(r)


def test_arabic_goal_in_prose_is_found(classifier):
    r = classifier.classify(
        "على مدى ٣ سنوات، هدفنا نزيد المتابعين من العائلات في جدة ونخلي الناس تحجز من "
        "الانستقرام مباشرة، ونراجع الخطة كل ست شهور."
    )
    assert "goals" in present(r)


def test_a_bullet_inherits_its_heading(classifier):
    r = classifier.classify(
        "Al Noor Dental — social media 2026–2027\n"
        "Budget:\n"
        "- 40,000 AED for the year\n"
        "- content shoots every quarter\n"
        "Who we talk to:\n"
        "- parents in Sharjah with young children\n"
    )
    el = {e["id"]: e for e in r["elements"]}
    assert el["budget"]["present"] and "40,000 AED" in el["budget"]["evidence"][0]
    assert el["audience"]["present"]


def test_a_sentence_wrapped_by_a_pdf_reads_as_one(classifier):
    one_line = (
        "The council will measure engagement rate, reach and the number of service requests "
        "that start from social media, and report them to the committee every quarter."
    )
    wrapped = (
        "The council will measure engagement rate, reach and the number of service\n"
        "requests that start from social media, and report them to the committee every\n"
        "quarter."
    )
    a, b = classifier.classify(one_line), classifier.classify(wrapped)
    ea = {e["id"]: e for e in a["elements"]}
    eb = {e["id"]: e for e in b["elements"]}
    assert eb["measurement"]["present"] == ea["measurement"]["present"]
    assert eb["measurement"]["score"] == pytest.approx(ea["measurement"]["score"], abs=0.05)


@pytest.mark.parametrize(
    "title", ["Social Media Strategy 2026", "استراتيجية التواصل الاجتماعي", "Ramadan campaign"]
)
def test_a_one_line_title_is_never_certain(classifier, title):
    assert classifier.classify(title)["confidence"] < 0.9


@pytest.mark.parametrize(
    "text",
    [
        "IT Strategy 2025–2028: move all servers to the cloud, replace the ERP, train 200 staff "
        "on cybersecurity, and review progress every six months with the board.",
        "الخطة الاستراتيجية للموارد البشرية ٢٠٢٦–٢٠٢٨: رفع نسبة التوطين إلى ٦٠٪، وبرنامج "
        "تدريب للقيادات الشابة، ومراجعة سنوية لسلم الرواتب.",
    ],
)
def test_a_plan_of_another_domain_is_never_certain_to_be_a_strategy(classifier, text):
    """A long horizon and a review cadence are strategy cues; the domain is not marketing."""
    assert classifier.classify(text)["probabilities"]["strategy"] < 0.99


def test_a_newspaper_masthead_is_no_evidence(classifier):
    # Seen on a published news page: the masthead's "رئيس مجلس الإدارة: د." was shown as
    # evidence of roles and content governance. Page furniture states no element.
    text = (
        "رئيس مجلس الإدارة: د. خالد بن ثاني\nرئيس التحرير: جابر سالم\n"
        "أكد رئيس وحدة التواصل الاجتماعي في الجامعة أن الجامعة أصبح لديها خمس منصات أساسية هي "
        "فيسبوك وتويتر وإنستجرام ولينكد إن وسناب شات، وأن الوحدة تنشر يومياً محتوى عن الطلبة "
        "والبحث العلمي، وتعمل على زيادة المتابعين خلال السنوات القادمة."
    )
    result = classifier.classify(text)
    evidence = [s for e in result["elements"] for s in e["evidence"]]
    assert evidence, "the university's sentence still states elements"
    assert not any(s.startswith(("رئيس مجلس الإدارة", "رئيس التحرير")) for s in evidence)
