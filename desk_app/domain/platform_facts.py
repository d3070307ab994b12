"""Platform and app version, read from what the customer wrote.

Half the delay in support is missing information (BRIEF.md): "Android, версия 134" or
"iOS 17, app 5.2.1" in the first message should land on the customer card without anyone
asking. Store reviews carry the same facts as metadata; this parses free text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_VERSION = r"\d{1,4}(?:\.\d{1,4}){0,3}"

# (platform, words for the OS (may be followed by its version), words for its devices, highest
# plausible OS major version: a bigger number after the OS word is the app's version)
_PLATFORMS: tuple[tuple[str, str, str, int], ...] = (
    ("Android", r"android|андр[оа][иый]д\w*", r"андр[оа]ид-?смартфон\w*", 30),
    ("iOS", r"ios|ipados|ай[оа]с\w*", r"iphone|айфон\w*|ipad|айпад\w*", 40),
    ("HarmonyOS", r"harmony\s*os|harmonyos|хармони\s*ос", r"huawei|хуавей\w*", 10),
    ("Web", r"веб-?верси\w*|в браузере|на сайте|web\s*version|website|browser", r"chrome", 0),
)
# Device brands say the platform even when the customer does not.
_ANDROID_BRANDS = re.compile(
    r"\b(?:samsung|самсунг\w*|xiaomi|сяоми|ксиоми|redmi|редми|pixel|oneplus|realme|poco|honor|хонор)\b",
    re.IGNORECASE,
)
_APP_VERSION = re.compile(
    r"(?:\bверси(?:я|и|ю|ей)(?:\s+приложения)?|\bвер\.|\bversion|\bver\.?|\bapp(?:\s+version)?"
    r"|\bприложени[ея]|\bсборк[аиу]|\bbuild|\bv)\s*:?\s*(?P<v>" + _VERSION + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlatformFacts:
    platform: str | None = None
    os_version: str | None = None
    app_version: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.platform or self.os_version or self.app_version)


def _major(version: str) -> int:
    return int(version.split(".", 1)[0])


def _platform_pattern(words: str, *, with_os: bool) -> re.Pattern[str]:
    os_part = rf"(?:\s*(?P<os>{_VERSION})\b)?" if with_os else r"(?:\s+\d{1,2}\b)?"
    after = rf"(?:\s*,\s*(?P<after>{_VERSION})\b(?![.,]?\d))?"
    return re.compile(rf"\b(?:{words})\b{os_part}{after}", re.IGNORECASE)


@functools.cache
def _platform_patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str], int], ...]:
    """Compiled on first use (not at import: start-up imports this), then kept: this runs on
    every incoming message."""
    return tuple(
        (
            name,
            _platform_pattern(os_words, with_os=True),
            _platform_pattern(device_words, with_os=False),
            max_os,
        )
        for name, os_words, device_words, max_os in _PLATFORMS
    )


def parse_platform_facts(text: str) -> PlatformFacts:
    """Best reading of platform, OS version and app version in ``text`` (None where absent)."""
    platform = os_version = bare_app = None
    for name, os_pattern, device_pattern, max_os in _platform_patterns():
        match = os_pattern.search(text) or device_pattern.search(text)
        if match is None:
            continue
        platform = name
        found_os = match.groupdict().get("os")
        if found_os:
            if _major(found_os) <= max_os:
                os_version = found_os
            else:  # "Android 134": far beyond any Android release, so the app's version
                bare_app = found_os
        if match.group("after") and bare_app is None:
            bare_app = match.group("after")
        break
    if platform is None and _ANDROID_BRANDS.search(text):
        platform = "Android"
    keyword = _APP_VERSION.search(text)
    app_version = keyword.group("v") if keyword else bare_app
    if app_version is not None and app_version == os_version and keyword is None:
        app_version = None
    return PlatformFacts(platform, os_version, app_version)


def stated_facts(text: str, *, automated: bool) -> PlatformFacts:
    """What a message's own text says of the customer's platform; an automated message
    (auto-reply, bounce) says nothing about them."""
    return PlatformFacts() if automated else parse_platform_facts(text)
