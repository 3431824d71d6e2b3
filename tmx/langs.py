"""Language codes in TMX files: normalising them, and mapping them onto a workspace.

TMX files in the wild write the same language as ``zh-CN``, ``ZH-CN``, ``zh_CN``,
``zh-Hans`` or plain ``zh``. mtmend writes BCP 47 in its canonical case (``zh-CN``,
``en-US``) and reads all of these.

The mapping rule (used by the importer and documented in ``mtmend import --help``):

1. A code that equals the workspace language after normalisation (``zh_cn`` → ``zh-CN``)
   is an *exact* match.
2. Otherwise a code with the same primary language subtag (``zh``, ``zh-Hans``,
   ``zh-Hans-CN``, ``zh-TW`` for a ``zh-CN`` workspace) is a *family* match.
3. Anything else does not belong to that side.

When a unit has several variants for one side, the exact match wins, then the first
family match in document order.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtmend.tmx.model import Variant

# language[-script][-region][-variant…] — enough of BCP 47 to judge hygiene.
_BCP47 = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3}|[xX]|[iI])"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?P<rest>(?:-[A-Za-z0-9]{1,8})*)$"
)


class LangMatch(enum.IntEnum):
    """How well a variant's language fits a wanted language (higher is better)."""

    NONE = 0
    FAMILY = 1
    EXACT = 2


@functools.lru_cache(maxsize=1024)  # a file uses a handful of codes, millions of times
def normalize(code: str) -> str:
    """The canonical BCP 47 spelling of ``code``: ``_`` becomes ``-``, cases fixed.

    Language lower case, script title case, region upper case; other subtags lower
    case. Codes that do not look like BCP 47 are returned stripped, with ``_`` → ``-``.

    >>> normalize("ZH_cn"), normalize("zh-hans-cn"), normalize("EN-us")
    ('zh-CN', 'zh-Hans-CN', 'en-US')
    """
    text = code.strip().replace("_", "-")
    m = _BCP47.match(text)
    if m is None:
        return text
    parts = [m["lang"].lower()]
    if m["script"]:
        parts.append(m["script"].title())
    if m["region"]:
        parts.append(m["region"].upper())
    rest = m["rest"]
    return "-".join(parts) + rest.lower()


def primary(code: str) -> str:
    """The primary language subtag, lower case: ``zh-Hans-CN`` → ``zh``."""
    return code.strip().replace("_", "-").split("-", 1)[0].lower()


@functools.lru_cache(maxsize=1024)
def match(code: str, wanted: str) -> LangMatch:
    """How ``code`` (as written in a TMX) fits the workspace language ``wanted``.

    >>> match("ZH_cn", "zh-CN").name, match("zh-Hans", "zh-CN").name, match("ja", "zh-CN").name
    ('EXACT', 'FAMILY', 'NONE')
    """
    if normalize(code).lower() == normalize(wanted).lower():
        return LangMatch.EXACT
    if primary(code) and primary(code) == primary(wanted):
        return LangMatch.FAMILY
    return LangMatch.NONE


def pick(variants: Iterable[Variant], wanted: str) -> tuple[Variant | None, LangMatch]:
    """The variant for language ``wanted``: exact code first, then the first of the family."""
    best, quality = None, LangMatch.NONE
    for variant in variants:
        if variant.lang == wanted:  # the usual case, decided without normalising
            return variant, LangMatch.EXACT
        q = match(variant.lang, wanted)
        if q > quality:
            best, quality = variant, q
            if q is LangMatch.EXACT:
                break
    return best, quality


def hygiene(code: str) -> str | None:
    """What is wrong with ``code`` as a BCP 47 tag, or ``None`` when nothing is.

    Flags the underscore (``zh_CN``, which OmegaT ignores), codes that are not BCP 47
    at all, and non-canonical case (valid, since BCP 47 ignores case, but worth fixing).

    >>> hygiene("zh_CN")
    "uses '_' instead of '-' (write 'zh-CN')"
    >>> hygiene("en-US") is None
    True
    """
    if not code.strip():
        return "is empty"
    if "_" in code:
        return f"uses '_' instead of '-' (write {normalize(code)!r})"
    if code != code.strip():
        return "has surrounding spaces"
    if _BCP47.match(code) is None:
        return "is not a BCP 47 language tag (e.g. 'zh-CN', 'en-US')"
    if normalize(code) != code:
        return f"is not in canonical case (write {normalize(code)!r})"
    return None


def is_case_only(problem: str) -> bool:
    """Whether a :func:`hygiene` finding is only about letter case (a warning, not an error)."""
    return problem.startswith("is not in canonical case")
