"""Sanitizing HTML that arrived from outside (email bodies) before anything renders it.

A strict allowlist: text structure and formatting only; no scripts, styles, forms, frames or
event handlers; links only to http(s)/mailto; images only from the message's own parts
(``cid:``), so opening a mail never fetches a remote tracker. The Qt view adds a second wall
(its ``loadResource`` refuses everything but ``cid:``). Plain Python so channel code can reuse it.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto", "cid"})
# Removed together with everything inside them (not just the tags).
DROP_WITH_CONTENT = frozenset({"script", "style", "head", "title", "template", "noscript"})


_IMG_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _only_embedded_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.lower().startswith("cid:"):
        return None
    if tag == "a" and attribute == "href" and value.lower().startswith("cid:"):
        return None
    return value


def sanitize_html(html: str) -> str:
    """The part of ``html`` that is safe to render: allowlisted tags and attributes only."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_only_embedded_images,
        url_schemes=set(LINK_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )
    return _IMG_WITHOUT_SOURCE.sub("", cleaned)  # a remote image whose source was removed
