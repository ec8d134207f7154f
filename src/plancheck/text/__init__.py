"""Arabic/English text handling: folding, normalisation, language, sentence spans.

Real client text mixes hamza forms, ى/ي, ة/ه, diacritics, tatweel, Arabic-Indic digits and
English terms. Features see one canonical spelling; users always see the original text, so
sentence splitting returns spans on the original string.
"""

from .fold import FOLD_SHA256, fold, fold_token, fold_with_offsets
from .language import AR_MAX_LATIN_SHARE, EN_MAX_ARABIC_SHARE, detect_language, script_shares
from .normalize import EMAIL_TOKEN, HANDLE_TOKEN, URL_TOKEN, normalize
from .sentences import find_words, sentence_text, sentences, split_sentences, word_count

__all__ = [
    "AR_MAX_LATIN_SHARE",
    "EMAIL_TOKEN",
    "EN_MAX_ARABIC_SHARE",
    "FOLD_SHA256",
    "HANDLE_TOKEN",
    "URL_TOKEN",
    "detect_language",
    "fold",
    "fold_token",
    "fold_with_offsets",
    "normalize",
    "script_shares",
    "sentence_text",
    "sentences",
    "split_sentences",
    "word_count",
    "find_words",
]
