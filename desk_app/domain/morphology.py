"""Words and stems for Russian and English text (Snowball stemmers via PyStemmer).

The knowledge base indexes stems, not word forms, so "обновление", "обновить" and "обновления"
find each other, as do "update", "updated" and "updating". Each word is stemmed by the script it
is written in, so mixed Russian/English text works without guessing the language of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")

_RU_STEMMER = Stemmer.Stemmer("russian")
_EN_STEMMER = Stemmer.Stemmer("english")

_STOPWORDS_TEXT = """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
    вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
    тебя
    их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого
    какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда
    можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая
    много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им
    более всегда конечно всю между это здравствуйте спасибо пожалуйста добрый день привет
    a an the and or but if of at by for with about to from in on is are was were be been am do does
    did have has had i you he she it we they me my your our their this that these those not no so
    can could would should will just how what when where why which who please hi hello thanks
    thank dear there here as into than then also very
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class Token:
    """A word found in text: where it is, and the stem it is indexed under."""

    start: int
    end: int
    word: str
    stem: str


def fold(word: str) -> str:
    """Case and ё folding, so "Ёлка" and "елка" are the same word."""
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of one (already folded) word, by the script it is written in."""
    if _CYRILLIC.search(word):
        return _RU_STEMMER.stemWord(word)
    if word.isascii() and word.isalpha():
        return _EN_STEMMER.stemWord(word)
    return word


def tokens(text: str) -> Iterator[Token]:
    for match in WORD.finditer(text):
        word = fold(match.group())
        yield Token(match.start(), match.end(), word, stem(word))


def stems(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """The stems of ``text`` in order (optionally without stopwords)."""
    return [t.stem for t in tokens(text) if not (drop_stopwords and t.word in STOPWORDS)]
