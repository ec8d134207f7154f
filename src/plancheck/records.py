"""The one text rule (``check_text``) and the one error-record shape, shared by the API,
batch and CLI: a bad text becomes a record naming it, never a lost batch."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from . import config
from .contract import ItemError, Result
from .errors import InputError, error_item

_SURROGATE = re.compile("[\ud800-\udfff]")
# Tatweel (U+0640) is a word character but no letter: a text of tatweel and marks is empty.
_LETTER_OR_DIGIT = re.compile(r"[^\W_\u0640]")


def check_text(text: object, max_chars: int | None = None) -> str:
    """The text if it can be classified; otherwise an :class:`InputError` with a code.

    The one text rule of plancheck: the API, batch and CLI all call it (``max_chars``
    defaults to ``config.MAX_TEXT_CHARS``; the API passes its own limit).
    """
    limit = config.MAX_TEXT_CHARS if max_chars is None else max_chars
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}", "not_text")
    if _SURROGATE.search(text):
        raise InputError(
            "the text contains unpaired UTF-16 surrogates (\\ud800-\\udfff), which are not "
            "characters; send valid Unicode text",
            "invalid_text",
        )
    if not _LETTER_OR_DIGIT.search(text):
        raise InputError(
            "text is empty (no letters or digits): paste a plan (Arabic, English or both)",
            "empty_text",
        )
    if len(text) > limit:
        raise InputError(
            f"text has {len(text):,} characters; the maximum is {limit:,} "
            "(split the document or send only the plan)",
            "text_too_long",
        )
    return text


def classify_records(
    model: Any,
    texts: Sequence[object],
    ids: Sequence[object] | None = None,
    max_chars: int | None = None,
) -> list[Result | ItemError]:
    """Classify what can be classified; an error record for the rest, in input order.

    Good texts go through one vectorised ``model.classify_many`` call. A text that fails
    :func:`check_text` (or, should the model itself fail, each text tried alone) becomes
    ``{"id": …, "error": {"code": …, "message": …}}``: the one error-record shape that batch
    output and the API's batch endpoint share. Results carry ``id`` first. ``model`` is
    anything with ``classify`` and ``classify_many`` (a :class:`Classifier`, or a test fake).
    """
    id_list = list(ids) if ids is not None else [None] * len(texts)
    if len(id_list) != len(texts):
        raise InputError(f"{len(id_list)} ids for {len(texts)} texts", "invalid_input")
    out: list[Result | ItemError | None] = [None] * len(texts)
    good: list[int] = []
    for i, text in enumerate(texts):
        try:
            check_text(text, max_chars)
            good.append(i)
        except InputError as e:
            out[i] = cast(ItemError, error_item(id_list[i], e))
    good_texts = [str(texts[i]) for i in good]
    try:
        done = model.classify_many(good_texts) if good else []
    except Exception:  # isolate the text the model cannot handle: one record, not a chunk
        done = []
        for t, i in zip(good_texts, good, strict=True):
            try:
                done.append(model.classify(t))
            except Exception as e:
                done.append(error_item(id_list[i], e))
    for i, r in zip(good, done, strict=True):
        out[i] = cast(ItemError, r) if "error" in r else cast(Result, {"id": id_list[i], **r})
    return [r for r in out if r is not None]
