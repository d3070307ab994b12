import pytest

from desk_app.domain.platform_facts import PlatformFacts, parse_platform_facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Android, версия 134. У друга есть фильтры, а у меня нет",
            PlatformFacts("Android", None, "134"),
        ),
        ("Android, 134. My friend has filters, I don't.", PlatformFacts("Android", None, "134")),
        ("iOS 17, app 5.2.1 — crashes on start", PlatformFacts("iOS", "17", "5.2.1")),
        ("Андроид 12, версия 133.2", PlatformFacts("Android", "12", "133.2")),
        ("у меня айфон, версия приложения 5.3", PlatformFacts("iOS", None, "5.3")),
        ("iPhone 15, iOS 17.4, версия 5.2.1", PlatformFacts("iOS", "17.4", "5.2.1")),
        ("на андроиде 134 версия не грузит фото", PlatformFacts("Android", None, "134")),
        ("Samsung Galaxy, не работают фильтры", PlatformFacts("Android", None, None)),
        ("в браузере не открывается объявление", PlatformFacts("Web", None, None)),
        ("Всё отлично, спасибо!", PlatformFacts(None, None, None)),
    ],
)
def test_platform_and_versions_from_text(text: str, expected: PlatformFacts) -> None:
    assert parse_platform_facts(text) == expected


def test_empty_means_nothing_known() -> None:
    assert parse_platform_facts("Здравствуйте").empty
