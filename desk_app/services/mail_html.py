"""HTML from incoming mail, made safe to store and show.

:func:`desk_app.services.html_safety.sanitize_html` removes everything active or remote; this
module adds the phishing guard mail needs: a link whose visible text names one place and whose
target is another shows its real target next to it, and every link carries its target as a
tooltip.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from desk_app.services.html_safety import sanitize_html

_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL | re.IGNORECASE)
_HREF = re.compile(r'\bhref="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")
_HOSTLIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)


def _host(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    return (parts.hostname or "").lower().removeprefix("www.")


def _reveal(match: re.Match[str]) -> str:
    attrs, inner = match.group(1), match.group(2)
    href_match = _HREF.search(attrs)
    if href_match is None:
        return match.group(0)
    target = html.unescape(href_match.group(1))
    if "title=" not in attrs:
        attrs = f'{attrs} title="{html.escape(target, quote=True)}"'
    text = html.unescape(_TAGS.sub("", inner)).strip()
    claimed = _HOSTLIKE.match(text)
    real = _host(target) if target.lower().startswith(("http:", "https:")) else ""
    link = f"<a{attrs}>{inner}</a>"
    if claimed and real and claimed.group(1).lower().removeprefix("www.") != real:
        return f'{link} <span class="real-link-target">[{html.escape(real)}]</span>'
    return link


def reveal_link_targets(safe_html: str) -> str:
    """Expects sanitized HTML (every attribute double-quoted, no nested links)."""
    return _LINK.sub(_reveal, safe_html)


def safe_mail_html(raw_html: str) -> str:
    """What Desk stores and renders for an HTML mail body."""
    return reveal_link_targets(sanitize_html(raw_html))
