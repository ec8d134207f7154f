"""Page furniture: the lines a web page or PDF adds around a text (navigation, share and
cookie bars, view counts, page numbers, bylines of the site rather than the writer).

Real documents reach plancheck scraped from portals and document-sharing sites. Their chrome
says where the text was found, not what it is about, yet it often sits in the lead, where
the label model looks hardest. The document features skip these lines and no element is
found in them; the text and its sentences are left as they are. Lines are matched after
:func:`plancheck.text.normalize` (lower case, folded Arabic letters, Western digits).
"""

from __future__ import annotations

import re

#: A line longer than this is prose, whatever it starts with.
MAX_WORDS = 10

# Openings of navigation and furniture lines, English, French and Arabic (normalised forms:
# ه for ة, ا for أ/إ/آ, ي for ى/ئ). A bare word ("share", «شارك») only when nothing but a
# separator, a colon or a count follows: "Share your story" and «شارك واربح» are content.
_BARE = (
    r"home|menu|search|share|print|download|upload|log ?in|sign (?:in|up)|subscribe|tags?"
    r"|categor(?:y|ies)|comments?|like|reply|follow us|contact us|privacy policy|newsletter"
    r"|trending|advertisement|sponsored|embed|views?|accueil|partager|الرييسيه|شارك|مشاركه"
    r"|طباعه|تحميل|تابعونا|تابعنا|التعليقات|اتصل بنا|من نحن|الاهداءات|اعلانات"
)
# A cookie banner's notice, on a short line or a long one.
_COOKIES = r"we use cookies|this (?:site|website) uses cookies"
_LEADING = (
    r"skip to|read more|related (?:articles|posts|stories|news)|posted (?:on|in|by)|post on"
    rf"|{_COOKIES}|accept(?: all)? cookies|accessibility"
    r"|text size|colou?r preference|back to top|all categories|transcript of"
    r"|(?:previous|next) (?:post|article)|all rights reserved|copyright|©|you may also like"
    r"|report this|you might also like|download as (?:docx|pdf|pptx?|txt)|you are on page"
    r"|page content transcription|date post|view \d+ times|lire aussi|voir aussi"
    r"|اقرا ايضا|اقرا المزيد|اقرا كذلك|اخر تحديث|اعلن معنا"
    r"|تسجيل الدخول|الاكثر قراءه|الاكثر مشاهده|(?:اخبار|مواضيع|مقالات) ذات صله"
    r"|جميع الحقوق محفوظه|حقوق النشر|سياسه الخصوصيه|اضف تعليق|ارسل لصديق|نسخ الرابط"
    # A newspaper's masthead ("رئيس التحرير: …", "Editor-in-Chief: …"): a name and a colon.
    r"|(?:رييس|مدير|نايب رييس) (?:التحرير|مجلس الاداره)\s*:|editor[- ]in[- ]chief\s*:"
    r"|managing editor\s*:"
)
_OPENING = re.compile(rf"^[\W_]*(?:(?:{_BARE})[\W_\d]*(?:$|[|›>»/·:•])|(?:{_LEADING})(?:\W|$))")
# Page numbers and counters: "page 3 of 18", "- 7 -", "12", "صفحه 4", "117 views", "1 of 16".
_COUNTER = re.compile(
    r"^[\W_]*(?:(?:page|p\.|صفحه|الصفحه)\s*\d+(?:\s*(?:of|/|من)\s*\d+)?|\d{1,3}(?:\s*(?:of|/|من)\s*\d{1,3})?"
    r"|\d+\s*(?:views|comments|likes|shares|مشاهده|تعليق))[\W_]*$"
)
# Breadcrumbs and menus: short items joined by | › > » with a navigation word among them
# ("Blog | Accueil | Services", «الرئيسيه › اخبار»); "Instagram | TikTok" is a plan's line.
_CRUMB = re.compile(r"^(?:[^|›>»\n]{1,30}[|›>»]){2,}[^|›>»\n]{0,30}$")
_NAV_WORD = re.compile(
    r"(?:^|[\s|›>»])(?:home|about|about us|contact|blog|news|services|media centre|accueil"
    r"|الرييسيه|اخبار|الاخبار|من نحن|اتصل بنا|مجتمع|اقتصاد|رياضه|محليات)(?:$|[\s|›>»])"
)


# Furniture that runs longer than a short line: cookie banners and document-sharing sites'
# notes on their own viewer ("If your browser does not render page correctly, …").
_LONG = re.compile(
    rf"^[\W_]*(?:{_COOKIES}|by (?:continuing|using) (?:to (?:browse|use) )?(?:this|our) "
    r"(?:site|website)|if your browser does not render)"
)


def is_chrome(line: str) -> bool:
    """Whether a normalised line is page furniture rather than part of the text."""
    s = line.strip()
    if not s:
        return True
    if len(s.split()) > MAX_WORDS:
        return bool(_LONG.match(s))
    return bool(
        _OPENING.match(s) or _COUNTER.match(s) or (_CRUMB.match(s) and _NAV_WORD.search(s))
    )
