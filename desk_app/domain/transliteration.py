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

# Applied in order to transliterated, lower-case Latin: each folds spellings people really use
# for the same Russian sound into one.
_CANONICAL_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sch", "sh"),
        (r"kh", "h"),
        (r"zh", "z"),
        (r"tz|ts", "c"),
        (r"x", "ks"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"ck", "k"),
        (r"[yj]", "i"),
        (r"\bie", "e"),  # Yevgeny / Евгений
        (r"(.)\1+", r"\1"),  # doubled letters: Anna/Ana, Dmitrii/Dmitri
    )
)
_NON_LETTER = re.compile(r"[^a-z\s]+")
_SPACES = re.compile(r"\s+")
_VOWELS = re.compile(r"[aeiou]")


def normalize_name(name: str) -> str:
    """Lower case, ё→е, accents and punctuation removed, single spaces: "Пётр  И." → "петр и"."""
    text = unicodedata.normalize("NFKD", name.lower().replace("ё", "е").replace("й", "\0"))
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("\0", "й")
    text = re.sub(r"[^\w\s]+|_", " ", text)
    return _SPACES.sub(" ", text).strip()


def transliterate(text: str) -> str:
    """Cyrillic letters to Latin ones ("Щукин" → "Shchukin"); other characters are kept."""
    out: list[str] = []
    for char in text:
        lower = char.lower()
        latin = _CYRILLIC_TO_LATIN.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def _canonical_word(word: str) -> str:
    for pattern, replacement in _CANONICAL_RULES:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=300_000)
def name_key(name: str) -> str:
    """Canonical, script-independent, word-order-independent form of a person's name.

    ``name_key("Иван Иванов") == name_key("ivanov ivan") == "ivan ivanov"``.
    """
    latin = _NON_LETTER.sub(" ", transliterate(normalize_name(name)))
    words = sorted(_canonical_word(w) for w in latin.split())
    return " ".join(w for w in words if w)


def name_skeleton(key: str) -> str:
    """Looser blocking key: each part's first letter plus its consonants ("aleksandr" and
    "aleksander" both give "alksndr")."""
    return " ".join(w[0] + _VOWELS.sub("", w[1:]) for w in key.split())
