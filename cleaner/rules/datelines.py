"""News datelines that machine translation renders word for word (本报讯, 本报记者, 新华社…电)."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.corpus.model import Severity

# 本报讯 ("this paper's news") opens a report; English news has no such phrase.
_OWN_NEWS = re.compile(
    r"""^\(?(?:
        news\ from\ (?:this|our)\ (?:newspaper|paper)
      | (?:this|our)\ (?:newspaper|paper)(?:'s)?\ (?:news|reports?|dispatch|message|learned|learnt)
      | (?:according\ to\ )?(?:this|our)\ (?:newspaper|paper)\ (?:news|information)
      | (?:this|our)\ newspaper\ news
    )\)?[\s,:.—-]*""",
    re.IGNORECASE | re.VERBOSE,
)
# 本报记者 ("this paper's reporter"): English says "our reporter" or names the byline.
_OWN_REPORTER = re.compile(
    r"\b(?:(?:the\s)?reporters?\s+of\s+(?:this|our)\s+(?:news)?paper|(?:this|our)\s+(?:news)?paper(?:'s)?\s+reporters?)\b",
    re.IGNORECASE,
)


def _may_hold_dateline(text: str) -> bool:
    return "aper" in text or "APER" in text


@register(
    "repair_dateline_rendering", category="Style/Awkward", severity=Severity.MINOR, auto=True,
    gate=_may_hold_dateline,
)
def repair_dateline_rendering(text: str, ctx: Context):
    """Drop or reword a newspaper's own dateline rendered word for word.

    Fixes ``News from this newspaper On May 8, …`` (本报讯: dropped, the next word
    capitalised) and ``reporter of this newspaper`` / ``this newspaper reporter`` (本报记者:
    ``our reporter``). Applied automatically when the Chinese source shows 本报讯 or
    本报记者; suggested otherwise (the filter's text mode has no source). Leaves alone
    ``this newspaper`` in an ordinary sentence (``this newspaper was founded in 1948``).

    >>> example(repair_dateline_rendering, "News from this newspaper On May 8, the forum opened.", source="本报讯 5月8日，论坛开幕。")
    'On May 8, the forum opened.'
    >>> example(repair_dateline_rendering, "Reporter of this newspaper Li Lin reports.")
    "'Reporter of this newspaper' -> 'Our reporter'"
    """
    source = ctx.source or ""
    out = []
    m = _OWN_NEWS.match(text)
    if m and m.end() < len(text):
        rest = text[m.end()]
        out.append((0, m.end() + 1, rest.upper(), "本报讯 (this paper's news) is not said in English", "本报讯" in source))
    for m in _OWN_REPORTER.finditer(text):
        plural = "s" if re.search(r"reporters", m.group(), re.IGNORECASE) else ""
        word = ("Our" if m.start() == 0 or text[m.start() - 2 : m.start()].strip() in (".", "(") else "our")
        out.append((m.start(), m.end(), f"{word} reporter{plural}", "本报记者: our reporter", "本报记者" in source))
    return out


# 新华社北京5月8日电 rendered "Xinhua News Agency, Beijing, May 8 (reporter …) electricity".
_XINHUA = re.compile(
    r"^Xinhua News Agency,? ([A-Z][A-Za-z]+(?: [A-Z][a-z]+)?),? ((?:[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?)|(?:\d{1,2} [A-Z][a-z]+))"
    r"(?: \([^()]{0,80}\))?(?: (?i:electricity|electric|telegraph|telegram|power|dispatch|cable))?[\s,.:—-]*"
)


@register(
    "suggest_xinhua_dateline", category="Style/Awkward", severity=Severity.MINOR, auto=False,
    needs_source=True, gate=lambda text: text.startswith("Xinhua News Agency"),
)
def suggest_xinhua_dateline(text: str, ctx: Context):
    """Suggest the English Xinhua dateline for 新华社…电 rendered word for word.

    Finds ``Xinhua News Agency, Beijing, May 8 (reporter Li Lin) electricity`` when the
    source starts with 新华社 and holds 电, and suggests ``BEIJING, May 8 (Xinhua) --``,
    the form Xinhua's English service uses (the reporters' names go to a byline).
    Suggestion only. Leaves alone Xinhua named inside a sentence.

    >>> example(suggest_xinhua_dateline, "Xinhua News Agency, Taipei, February 11 (Reporters Zhao Bo and Huang Yang) Electricity The index rose.", source="新华社台北2月11日电（记者赵博、黄扬）指数上涨。")
    "'Xinhua News Agency, Taipei, February 11 (Reporters Zhao Bo and Huang Yang) Electricity ' -> 'TAIPEI, February 11 (Xinhua) -- '"
    """
    source = ctx.source
    if not source.lstrip().startswith("新华社") or "电" not in source[:40]:
        return ()
    m = _XINHUA.match(text)
    if m is None or m.end() >= len(text):
        return ()
    city, date = m.groups()
    date = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", date)
    return ((0, m.end(), f"{city.upper()}, {date} (Xinhua) -- "),)
