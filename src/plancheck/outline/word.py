"""An outline as a Word document (.docx), right to left when it is Arabic.

Word and LibreOffice lay out Arabic correctly only when the document says so at every level:
each paragraph is ``w:bidi`` (right-to-left, aligned to the right), each run is ``w:rtl``
with an Arabic complex-script font and size (``w:rFonts w:cs``, ``w:szCs``; bold is ``w:bCs``),
the section is right to left and the default language is Arabic. An English outline has none
of these. A quoted sentence keeps its own direction: an English sentence quoted in an Arabic
outline is a left-to-right run inside a left-to-right isolate (U+2066 … U+2069), and the
reverse in an English outline.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .build import Outline

#: The Arabic font of an Arabic outline (fonts-noto-core; Word falls back to its own).
ARABIC_FONT = "Noto Naskh Arabic"
#: The document language (``w:lang``) of each outline language.
DOC_LANG = {"ar": "ar-SA", "en": "en-US"}
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Size in points of each kind of paragraph: (Latin text, Arabic text), and bold.
_ROLES: dict[str, tuple[float, float, bool]] = {
    "title": (24, 26, True),
    "section": (15, 17, True),
    "element": (13, 15, True),
    "verdict": (12, 15, True),
    "lead": (10, 13, True),
    "body": (11, 14, False),
    "quote": (11, 14, False),
    "small": (9, 11, False),
}
_STYLES = {"title": "Title", "section": "Heading 1", "element": "Heading 2"}
#: A bullet written as text: Word's list numbering puts the bullet on the left of an
#: Arabic paragraph in LibreOffice; a leading "•" takes the paragraph's direction.
_BULLET = "•\u00a0"
_STRONG_RTL = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
_STRONG_LTR = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LRI, _RLI, _PDI = "\u2066", "\u2067", "\u2069"
#: Characters XML 1.0 cannot hold (a pasted text may carry them); dropped from the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Elements that follow w:bidi in a paragraph's pPr, and w:szCs in a run's rPr (schema order).
_AFTER_BIDI = (
    "w:adjustRightInd w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents "
    "w:suppressOverlap w:jc w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl "
    "w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
).split()
_AFTER_SZCS = (
    "w:highlight w:u w:effect w:bdr w:shd w:fitText w:vertAlign w:rtl w:cs w:em w:lang "
    "w:eastAsianLayout w:specVanish w:oMath"
).split()
_AFTER_SECT_BIDI = "w:rtlGutter w:docGrid w:printerSettings w:sectPrChange".split()


def text_is_rtl(text: str) -> bool:
    """True when the first strong letter of ``text`` is Arabic (or Hebrew): its own direction."""
    rtl, ltr = _STRONG_RTL.search(text), _STRONG_LTR.search(text)
    if rtl is None:
        return False
    return ltr is None or rtl.start() < ltr.start()


def _element(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _set_bidi(paragraph: Any) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    if p_pr.find(_qn("w:bidi")) is None:
        p_pr.insert_element_before(_element("w:bidi"), *_AFTER_BIDI)


def _qn(tag: str) -> str:
    return str(qn(tag))


def _add_item(doc: Any, text: str, rtl_doc: bool) -> None:
    """A bullet: "•" then the text, the lines after the first aligned under the text."""
    paragraph = _add(doc, _BULLET + text, "body", rtl_doc)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(0.6)  # both sides: the same in either direction
    fmt.first_line_indent = Cm(-0.6)
    fmt.space_after = Pt(4)


def _format_run(run: Any, role: str, rtl_doc: bool, rtl_run: bool) -> None:
    size, cs_size, bold = _ROLES[role]
    run.font.size = Pt(size)
    run.font.bold = bold
    if role == "small":
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    if not rtl_doc and not rtl_run:
        return
    r_pr = run._r.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(_qn("w:cs"), ARABIC_FONT)
    r_pr.insert_element_before(_element("w:szCs", val=str(int(cs_size * 2))), *_AFTER_SZCS)
    if bold:
        r_pr.get_or_add_bCs()
    if rtl_run:
        r_pr.get_or_add_rtl()


def _add(doc: Any, text: str, role: str, rtl_doc: bool, style: str | None = None) -> Any:
    """A paragraph of one run; a run against the document's direction is isolated."""
    text = _NOT_XML.sub("", text)
    paragraph = doc.add_paragraph(style=style)
    if role == "quote":
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Cm(1)
    rtl_run = text_is_rtl(text) if text.strip() else rtl_doc
    if rtl_run != rtl_doc:
        text = f"{_RLI if rtl_run else _LRI}{text}{_PDI}"
    run = paragraph.add_run(text)
    _format_run(run, role, rtl_doc, rtl_run)
    if rtl_doc:
        _set_bidi(paragraph)
    return paragraph


def _prepare(doc: Any, outline: Outline) -> None:
    """Document-wide settings: language, fonts of every style, direction of the section."""
    styles = doc.styles.element
    defaults = styles.find(_qn("w:docDefaults"))
    r_pr = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    lang = r_pr.find(_qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        r_pr.append(lang)
    lang.set(_qn("w:val"), DOC_LANG[outline.language])
    lang.set(_qn("w:bidi"), DOC_LANG["ar"])
    props = doc.core_properties
    props.title = outline.title
    props.language = DOC_LANG[outline.language]
    props.author = "plancheck"
    props.comments = f"plancheck model {outline.model_version}" if outline.model_version else ""
    if not outline.rtl:
        return
    # Every style's complex-script font is the Arabic one (not the theme's), so a heading
    # and its text share one face.
    for fonts in styles.iter(_qn("w:rFonts")):
        fonts.attrib.pop(_qn("w:cstheme"), None)
        fonts.set(_qn("w:cs"), ARABIC_FONT)
    p_pr = defaults.find(_qn("w:pPrDefault")).find(_qn("w:pPr"))
    p_pr.insert(0, _element("w:bidi"))
    sect_pr = doc.sections[0]._sectPr
    sect_pr.insert_element_before(_element("w:bidi"), *_AFTER_SECT_BIDI)


def outline_docx(outline: Outline) -> bytes:
    """The outline as a .docx file (bytes), Arabic right to left, English left to right.

    Headings use Word's own styles (Title, Heading 1, Heading 2), so the document has a
    navigable outline; questions are bullets, quoted evidence is indented.
    """
    rtl = outline.rtl
    doc = docx.Document()
    _prepare(doc, outline)
    _add(doc, outline.title, "title", rtl, _STYLES["title"])
    _add(doc, outline.verdict, "verdict", rtl)
    if outline.summary:
        _add(doc, outline.summary, "body", rtl)
    if outline.note:
        _add(doc, outline.note, "body", rtl)
    if outline.placement_title:
        _add(doc, outline.placement_title, "section", rtl, _STYLES["section"])
        for line in outline.placement:
            _add_item(doc, line, rtl)
    if outline.checklist_title:
        _add(doc, outline.checklist_title, "section", rtl, _STYLES["section"])
    for part in outline.parts:
        _add(doc, part.heading, "element", rtl, _STYLES["element"])
        _add(doc, part.lead, "lead", rtl)
        for sentence in part.evidence:
            _add(doc, sentence, "quote", rtl)
        for question in part.questions:
            _add_item(doc, question, rtl)
    _add(doc, outline.footer, "small", rtl)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
