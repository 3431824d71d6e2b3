"""Boilerplate: text scraped with the article that is not part of it."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, Scope, register
from mtmend.corpus.model import Severity

BOILERPLATE = "Design and markup/Boilerplate"

# English renderings of the furniture of Chinese news and portal pages (热门搜索, 请先登录,
# 分享到, 返回顶部, 相关阅读…), matched against a whole line, case-insensitively.
WEB_FURNITURE = frozenset(
    {
        "hot search keywords", "hot search", "hot searches", "popular searches", "search keywords",
        "please sign in first", "please log in first", "please login first", "please log in",
        "please sign in", "sign in", "log in", "login", "sign up", "register now",
        "share to", "share to:", "share this article", "share on wechat", "scan to share",
        "scan the qr code", "scan the qr code to share", "scan the qr code to follow us",
        "back to top", "return to top", "related reading", "related articles", "related news",
        "recommended reading", "previous article", "next article", "previous page", "next page",
        "click to enlarge", "click to view larger image", "click to view the original image",
        "all rights reserved", "copyright notice", "read more", "load more", "view more",
        "loading", "loading...", "open in app", "download the app", "report", "favorites",
        "add to favorites", "collect", "like", "comment", "comments", "write a comment",
    }
)
_FURNITURE_PREFIX = re.compile(r"(?i)(?:responsible editor|editor in charge|editor-in-charge|责任编辑)\s*[:：]")
_TRAILING = " \t.:：!！>»›"


@register("remove_web_furniture", category=BOILERPLATE, severity=Severity.MINOR, auto=True)
def remove_web_furniture(text: str, ctx: Context):
    """Remove a line that is web-page furniture, not article text.

    Fixes whole lines that a scraper copied from the page around the article and the
    machine translated along with it: search boxes, sign-in prompts, share buttons,
    "back to top", "related reading", editor credits. Leaves alone any line that merely
    contains such words inside a sentence, and the article's own credit lines
    (``Source: …``, ``By …``).

    >>> example(remove_web_furniture, "Hot search keywords")
    ''
    >>> example(remove_web_furniture, "Please sign in to read the full report.")
    '(no change)'
    """
    if len(text) > 60:
        return ()
    key = text.strip().rstrip(_TRAILING).lower()
    if key in WEB_FURNITURE or text.strip().lower() in WEB_FURNITURE or _FURNITURE_PREFIX.match(text.strip()):
        return ((0, len(text), ""),)
    return ()


_IMAGE_NAME = re.compile(
    r"""\s*(?:
        [A-Za-z]{0,12}[_ -]?\d{6,}[\d_ -]*(?:\s*@\s*[1-4]\s*x)?(?:\.(?:png|jpe?g|gif|webp|bmp))?   # WX20191206-193719 @ 2x
      | [\w@ ()-]{1,60}\.(?:png|jpe?g|gif|webp|bmp|tiff?)                                          # IMG_0042.JPG
    )\s*""",
    re.VERBOSE | re.IGNORECASE,
)


@register("remove_image_file_name", category=BOILERPLATE, severity=Severity.MINOR, auto=True)
def remove_image_file_name(text: str, ctx: Context):
    """Remove a line that is only an image's file name.

    Fixes screenshot and photo names left where the image was (``WX20191206-193719 @ 2x``,
    ``IMG_20190101_120000.jpg``, ``chart.png``), including the spaces machine translation
    adds around ``@``. Leaves alone file names inside a sentence and lines of numbers such
    as dates or phone numbers without an image suffix or a long digit run.

    >>> example(remove_image_file_name, "WX20191206-193719 @ 2x")
    ''
    >>> example(remove_image_file_name, "The chart is in figure2.png below.")
    '(no change)'
    """
    if len(text) <= 80 and _IMAGE_NAME.fullmatch(text):
        return ((0, len(text), ""),)
    return ()


@register(
    "remove_duplicate_paragraph", category="Accuracy/Addition", severity=Severity.MINOR, auto=True,
    scope=Scope.DOCUMENT,
)
def remove_duplicate_paragraph(text: str, ctx: Context):
    """Remove a paragraph that repeats the paragraph just before it.

    Fixes consecutive duplicated paragraphs, a common scraping accident. It needs the
    neighbouring paragraph (in the filter: the previous blank-line-separated line; in a
    workspace: the previous paragraph of the document; a removed one does not count). A
    repeat has the same English, as written or once both are cleaned, and the same Chinese
    or none. Leaves alone the same English for other Chinese (an MT error, not a copy),
    repeated lines inside one paragraph, repetitions further apart, and very short lines
    (``Yes.``).

    >>> example(remove_duplicate_paragraph, "Hot search keywords", repeats_previous=True)
    ''
    """
    if ctx.repeats_previous and len(text.strip()) >= 8:
        return ((0, len(text), ""),)
    return ()


_LINK_TEXT = re.compile(
    r"""(?:^|(?<=[.!?。])\s+)(?:
        (?:the\s+)?(?:original|full|complete)\s+(?:video|article|text|report|interview|link)s?\s+
            (?:can|could|may)\s+be\s+(?:found|seen|viewed|read|watched|accessed)\s+here[.!]?
      | click\s+here\s+(?:to|for)\s[^.!?]{1,60}[.!?]
      | (?:read|view)\s+the\s+original(?:\s+(?:text|article|post))?[.!]?
    )(?=\s|$)""",
    re.VERBOSE | re.IGNORECASE,
)


def _may_hold_link_text(text: str) -> bool:
    # Every alternative of _LINK_TEXT ends in "here" or holds "original" (any case).
    return "ere" in text or "riginal" in text or "ERE" in text or "RIGINAL" in text


@register(
    "suggest_removing_link_text", category=BOILERPLATE, severity=Severity.MINOR, auto=False, gate=_may_hold_link_text,
)
def suggest_removing_link_text(text: str, ctx: Context):
    """Suggest removing link text whose link was lost in the copy.

    Finds sentences such as ``Original video could be found here.`` or ``Click here to
    read more.``: the link they pointed to is gone, so they mean nothing in the article.
    Suggestion only — a person decides whether to delete or to restore the link. It
    leaves alone "here" used in an ordinary sentence.

    >>> example(suggest_removing_link_text, "Geeks in the field. Original video could be found here.")
    "' Original video could be found here.' -> ''"
    """
    return [(m.start(), m.end(), "") for m in _LINK_TEXT.finditer(text)]
