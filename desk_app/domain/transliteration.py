"""Names written in Cyrillic and Latin, brought to one comparable form.

The same person is "Иван Иванов" in Telegram, "Ivan Ivanov" in Google Play and "ivanov ivan" in
an email signature. Two steps make those equal:

1. :func:`transliterate` turns Cyrillic into Latin letters (a passport-like scheme a person can
   read);
2. :func:`name_key` folds the spelling variants both scripts produce ("Yuriy"/"Yuri"/"Юрий",
   "Aleksey"/"Alexei"/"Алексей", "Natalya"/"Natalia") into one canonical key with the name
   parts sorted, so word order does not matter.

:func:`name_skeleton` is a looser key (consonants after the first letter) used only to put
similar names into the same comparison block; the score still looks at the full key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
_LOWER_TABLE = str.maketrans(_CYRILLIC_TO_LATIN)
_TITLE_TABLE = str.maketrans(
    {c.upper(): (t[:1].upper() + t[1:]) for c, t in _CYRILLIC_TO_LATIN.items()}
)

# Applied in order to transliterated, lower-case Latin: each folds spellings people really use
# for the same Russian sound into one. Plain replacements (fast, C-level) first.
_CANONICAL_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("kh", "h"),
    ("zh", "z"),
    ("tz", "c"),
    ("ts", "c"),
    ("x", "ks"),
    ("ph", "f"),
    ("w", "v"),
    ("ck", "k"),
    ("y", "i"),
    ("j", "i"),
)
_DOUBLES = tuple(c + c for c in "abcdefghiklmnoprstuvz")
_LEADING_IE = re.compile(r"\bie")  # Yevgeny / Евгений
_PUNCTUATION = re.compile(r"[^\w\s]+|_")
_NON_LETTER = re.compile(r"[^a-z\s]+")
_NO_VOWELS = str.maketrans("", "", "aeiou")
_PLAIN = re.compile(r"[\x00-\x7fа-яё]*")  # text that needs no accent removal


def normalize_name(name: str) -> str:
    """Lower case, ё→е, accents and punctuation removed, single spaces: "Пётр  И." → "петр и"."""
    text = name.lower().replace("ё", "е")
    if not _PLAIN.fullmatch(text):
        text = unicodedata.normalize("NFKD", text.replace("й", "\0"))
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("\0", "й")
    if not text.replace(" ", "").isalpha():
        text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


def transliterate(text: str) -> str:
    """Cyrillic letters to Latin ones ("Щукин" → "Shchukin"); other characters are kept."""
    return text.translate(_TITLE_TABLE).translate(_LOWER_TABLE)


@lru_cache(maxsize=300_000)
def name_key(name: str) -> str:
    """Canonical, script-independent, word-order-independent form of a person's name.

    ``name_key("Иван Иванов") == name_key("ivanov ivan") == "ivan ivanov"``.
    """
    latin = normalize_name(name)
    if not latin.isascii():
        latin = latin.translate(_LOWER_TABLE)
    if not (latin.isascii() and latin.replace(" ", "").isalpha()):
        latin = _NON_LETTER.sub(" ", latin)
    for old, new in _CANONICAL_REPLACEMENTS:
        latin = latin.replace(old, new)
    if "ie" in latin:
        latin = _LEADING_IE.sub("e", latin)
    for pair in _DOUBLES:  # doubled letters: Anna/Ana, Dmitrii/Dmitri
        while pair in latin:
            latin = latin.replace(pair, pair[0])
    return " ".join(sorted(latin.split()))


def name_skeleton(key: str) -> str:
    """Looser blocking key: each part's first letter plus its consonants ("aleksandr" and
    "aleksander" both give "alksndr")."""
    return " ".join(w[0] + w[1:].translate(_NO_VOWELS) for w in key.split())
