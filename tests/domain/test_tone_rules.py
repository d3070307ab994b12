import json

import pytest

from desk_app.domain.tone import RuleError, ToneCategory, ToneChecker, parse_rules
from desk_app.resources import resource


@pytest.fixture(scope="module")
def checker() -> ToneChecker:
    rules = []
    for language in ("ru", "en"):
        data = json.loads(resource("tone", f"{language}.json").read_text(encoding="utf-8"))
        rules += parse_rules(data)
    return ToneChecker(rules)


def categories(checker: ToneChecker, text: str) -> list[ToneCategory]:
    return [hit.category for hit in checker.check(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мы знаем об этой проблеме, скоро исправим.", [ToneCategory.PROMISE]),
        ("Фильтры появятся в следующем обновлении.", [ToneCategory.PROMISE]),
        ("В ближайшее время всё починим, не переживайте.", [ToneCategory.PROMISE]),
        ("We'll fix it in the next update.", [ToneCategory.PROMISE]),
        ("The next release will bring filters back.", [ToneCategory.PROMISE]),
        ("This should be fixed soon.", [ToneCategory.PROMISE]),
        (
            "Доводим до вашего сведения, что данная функция в настоящее время недоступна.",
            [ToneCategory.BUREAUCRATESE] * 3,
        ),
        ("Для восстановления доступа произведите повторный вход.", [ToneCategory.BUREAUCRATESE]),
        (
            "Please be advised that we apologise for any inconvenience this may have caused.",
            [ToneCategory.BUREAUCRATESE] * 2,
        ),
        ("Как я уже писал, вы неправильно указали номер!!!", [ToneCategory.AGGRESSIVE] * 3),
        ("As I already explained, read the FAQ more carefully.", [ToneCategory.AGGRESSIVE] * 2),
        ("ВЫ ЧТО НЕ ВИДИТЕ КНОПКУ", [ToneCategory.AGGRESSIVE]),
    ],
)
def test_real_sentences_are_flagged(checker: ToneChecker, text: str, expected: list) -> None:
    assert categories(checker, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Иван, спасибо за отзыв! Рады, что фильтры пригодились.",
        "Обновите, пожалуйста, приложение до версии 135: фильтры уже там.",
        "Мы передали ошибку разработчикам и напишем вам, когда её исправят.",
        "Thanks for the lovely review, Anna! Glad the new filters help.",
        "I've passed this to our developers and will let you know when it's fixed.",
        "Please update the app to 5.3 from Google Play: the filters are already there.",
    ],
)
def test_good_replies_pass(checker: ToneChecker, text: str) -> None:
    assert checker.check(text) == []


def test_hit_carries_position_reason_and_suggestion(checker: ToneChecker) -> None:
    text = "Привет! Скоро исправим."
    (hit,) = checker.check(text)
    assert text[hit.start : hit.end] == hit.fragment == "Скоро исправим"
    assert hit.reason and hit.suggestion
    assert hit.rule_id == "ru-skoro-ispravim"


def test_malformed_rule_is_reported_by_id() -> None:
    with pytest.raises(RuleError, match="broken"):
        parse_rules(
            {"language": "ru", "rules": [{"id": "broken", "category": "x", "pattern": "a"}]}
        )
