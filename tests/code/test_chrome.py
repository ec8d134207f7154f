"""Page furniture: what a scraped page adds around a text is not read as the text."""

import numpy as np
import pytest

from plancheck.features import SentenceFeaturizer, prepare
from plancheck.text import normalize
from plancheck.text.chrome import is_chrome


@pytest.mark.parametrize(
    "line",
    [
        "الرئيسية / أخبار المحافظات / الكرك",
        "اقرأ أيضاً: البنك يطلق تطبيقه الجديد",
        "آخر تحديث GMT09:53:41",
        "Home > Documents > Social Media Plan",
        "Home | About | Media Centre",
        "Page 3 of 18",
        "- ٧ -",
        "صفحة ٣ من ١٢",
        "117 views",
        "Skip to page content",
        "Like · Reply · 3h",
        "We use cookies to improve your experience.",
        "شارك",
        # document-sharing sites around a PDF
        "Download as docx, pdf, or txt",
        "You are on page 1of 18",
        "You might also like",
        "Page content transcription",
        "If your browser does not render page correctly, please read the page content below",
        "We use cookies to give you the best experience on our website. By continuing to browse "
        "the site you agree to our use of cookies.",
        # a newspaper's masthead
        "رئيس مجلس الإدارة : د. خالد بن ثاني آل ثاني",
        "رئيس التحرير: جابر سالم الحرمي",
        "Editor in Chief: Lotfi Ben Sassi (La Presse)",
    ],
)
def test_furniture_lines(line):
    assert is_chrome(normalize(line))


@pytest.mark.parametrize(
    "line",
    [
        "Share your story with us and win a trip",  # ad copy, not a share bar
        "شارك واربح مع الحملة",
        "Download our app and get 20% off",
        "Instagram | TikTok | Snapchat",
        "Goals:",
        "Social Media Plan",
        "2028",
        "Budget: 40k SAR / month",
        "تابعونا على انستغرام للعروض اليومية",
        "Home delivery across Riyadh within two hours for every order this month",
        "Download as many vouchers as you like",
        "If your order does not arrive in two hours, the delivery is free all month",
        "رئيس مجلس الإدارة يعتمد الخطة كل ستة أشهر",  # a role in a plan, not a masthead
    ],
)
def test_content_lines(line):
    assert not is_chrome(normalize(line))


PLAN = (
    "Social media plan for Nakheel Dates\n"
    "We want more families in Jeddah to follow us all year.\n"
    "Budget 4,000 SAR a month; the marketing manager approves every post."
)
SCRAPED = (
    "Home | About | Documents\nSkip to page content\n117 views\n"
    + PLAN
    + "\nPage 1 of 1\nRelated stories\nAll rights reserved."
)


def test_scraped_page_has_the_plans_document_features():
    texts = [PLAN, SCRAPED, "Our Ramadan offer runs two weeks.", "Hiring a designer in Doha."]
    prep = prepare(texts * 2)
    fz = SentenceFeaturizer(min_df=1, lead_words=50, drop_chrome=True).fit(prep)
    _, d_x = fz.transform(prepare([PLAN, SCRAPED]))
    np.testing.assert_allclose(d_x[0].toarray(), d_x[1].toarray(), atol=1e-6)
    # without the option the furniture is read (models saved before it behave as they did)
    _, d_old = (
        SentenceFeaturizer(min_df=1, lead_words=50).fit(prep).transform(prepare([PLAN, SCRAPED]))
    )
    assert np.abs(d_old[0].toarray() - d_old[1].toarray()).max() > 0.01


def test_a_text_of_furniture_only_is_still_read():
    prep = prepare(["Home | About | Contact\nPage 1 of 2", "Our plan for the year."])
    assert prep.aggregation(skip_chrome=True)[0].sum() == 2


def test_furniture_sentences_state_no_element_and_only_with_the_option():
    from plancheck.elements import without_furniture

    prep = prepare([SCRAPED, "Home | About | Contact\nPage 1 of 2"])
    n = len(prep.sentences)
    furniture = prep.chrome & (prep.doc_of_sentence == 0)
    assert furniture.any() and (~furniture & (prep.doc_of_sentence == 0)).any()
    cut = without_furniture(np.ones((n, 8), dtype=np.float32), prep.kept(True))
    assert (cut[furniture] == 0).all()
    assert (cut[~furniture] == 1).all()  # content, and a text of furniture only, keep theirs
    kept_all = without_furniture(np.ones((n, 8), dtype=np.float32), prep.kept(False))
    assert (kept_all == 1).all()
    # a model that does not skip furniture (saved before the option) reads its scores as before
    assert not SentenceFeaturizer(min_df=1).skips_chrome
    old = SentenceFeaturizer(min_df=1, drop_chrome=True)
    del old.__dict__["drop_chrome"]
    assert not old.skips_chrome


def test_furniture_lines_give_no_signals():
    from plancheck.planmodel import text_signals

    text = (
        "Home | About | Contact\nPage 2 of 7\nمشاركة: فيسبوك | لينكدإن\n"
        "خطتنا للتواصل الاجتماعي لسنتين: نراجعها كل ستة أشهر، وننشر على انستجرام وتيك توك.\n"
        "اقرأ أيضاً: حالة دراسية «رمضان بنكهة الحومة»"
    )
    prep = prepare([text, "Page 1 of 2"])
    kinds = [{(s["kind"], s["text"]) for s in found} for found in text_signals(prep, True)]
    # the plan's own line keeps its cues; the share bar, page number and "read also" link none
    assert {("duration", "لسنتين"), ("channel", "انستجرام")} <= kinds[0]
    assert not {t for _, t in kinds[0]} & {"فيسبوك", "لينكدإن", "Page", "رمضان"}
    assert kinds[1]  # a text of furniture only is read whole
    read_all = {(s["kind"], s["text"]) for s in text_signals(prep, False)[0]}
    assert {("channel", "فيسبوك"), ("season", "رمضان")} <= read_all
