import pytest

from desk_app.domain.transliteration import name_key, name_skeleton, normalize_name, transliterate


def test_transliterate_reads_like_a_passport_spelling() -> None:
    assert transliterate("Щукин Юрий") == "Shchukin Yuriy"
    assert transliterate("Ёлкина Жанна") == "Elkina Zhanna"


def test_normalize_keeps_letters_and_folds_yo_and_case() -> None:
    assert normalize_name("  Пётр   И. Семёнов-Тян ") == "петр и семенов тян"
    assert normalize_name("Андрей") == "андрей"  # й survives accent removal


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Иван Иванов", "Ivan Ivanov"),
        ("Иван Иванов", "ivanov ivan"),
        ("Юрий Гагарин", "Yuri Gagarin"),
        ("Юрий Гагарин", "Yuriy Gagarin"),
        ("Алексей Смирнов", "Alexey Smirnov"),
        ("Алексей Смирнов", "Aleksei Smirnov"),
        ("Наталья Ким", "Natalia Kim"),
        ("Евгений Цой", "Yevgeny Tsoy"),
        ("Дмитрий Хабибуллин", "Dmitry Khabibullin"),
        ("Ксения Щукина", "Xenia Shchukina"),
        ("Мария Жукова", "Maria Zhukova"),
        ("Юлия Попова", "Julia Popova"),
    ],
)
def test_russian_and_latin_spellings_share_one_key(cyrillic: str, latin: str) -> None:
    assert name_key(cyrillic) == name_key(latin)


def test_different_people_keep_different_keys() -> None:
    assert name_key("Иван Иванов") != name_key("Иван Петров")
    assert name_key("Мария Иванова") != name_key("Марина Иванова")


def test_skeleton_brings_near_spellings_into_one_block() -> None:
    assert name_skeleton(name_key("Alexander Petrov")) == name_skeleton(
        name_key("Александр Петров")
    )
    assert name_key("Alexander Petrov") != name_key("Александр Петров")  # scored, not equal
