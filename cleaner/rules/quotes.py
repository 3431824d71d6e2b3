"""Quotation marks: garbled straight quotes, spaces inside quotes, nesting, quote style."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, QuoteStyle, register
from mtmend.corpus.model import Severity

PUNCTUATION = "Fluency/Punctuation"
_OPEN_BEFORE = " \t([{—–-/"
_OPEN_AFTER = "'‘([{$£€¥#@…"
_CLOSE_AFTER = " \t.,;:!?)]}—–-/'’"


_roles_memo: list = [None, []]


def _roles(text: str) -> list[tuple[int, str]]:
    """Each straight double quote's position and how its spacing reads it.

    ``open`` (space or bracket before, a word after), ``close`` (text before, space or
    punctuation after), or ``odd`` (spaces on both sides, a space before and punctuation
    after, or glued on both sides). Several quote rules ask in a row: the last answer is
    kept (callers do not modify the list).
    """
    if _roles_memo[0] is text:
        return _roles_memo[1]
    roles = []
    n = len(text)
    i = text.find('"')
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        opens = before in _OPEN_BEFORE and (after.isalnum() or after in _OPEN_AFTER)
        closes = not before.isspace() and (after in _CLOSE_AFTER or after == '"')
        roles.append((i, "open" if opens and not closes else "close" if closes and not opens else "odd"))
        i = text.find('"', i + 1)
    _roles_memo[0], _roles_memo[1] = text, roles
    return roles


def quotes_pair_up(text: str) -> bool:
    """True when the straight double quotes alternate open/close as their spacing says.

    A text may start inside a quotation or end inside one (a quotation spanning several
    segments), so both starting states are tried.

    >>> quotes_pair_up('He said "yes" and "no".'), quotes_pair_up('along the" Belt and Road ", in')
    (True, False)
    """
    roles = _roles(text)
    for expect in ("open", "close"):
        ok = True
        for _, role in roles:
            if role != expect:
                ok = False
                break
            expect = "close" if expect == "open" else "open"
        if ok:
            return True
    return False


# No quotation ends on one of these words: `the" Belt` is an opening quote slipped right.
_FUNCTION_WORDS = frozenset("the a an of to in on at by for from with along under and or as into than".split())


def well_formed_quotes(text: str) -> set[int]:
    """Positions of straight quotes that already form a well-spaced pair (``"X"``).

    An opening quote followed by a closing one, the closer not after a word no quotation
    ends with. Repairs never move these: another odd quote in the line is not their fault.

    >>> sorted(well_formed_quotes('the "1992 Consensus" of the original" 92'))
    [4, 19]
    """
    locked: set[int] = set()
    roles = _roles(text)
    for (i, a), (j, b) in zip(roles, roles[1:]):
        if a == "open" and b == "close" and i not in locked:
            w = j
            while w and text[w - 1].isalpha():
                w -= 1
            if text[w:j].lower() not in _FUNCTION_WORDS:
                locked.update((i, j))
    return locked
# `the" Belt and Road ", in`: the quoted name is short and holds no sentence punctuation.
_INVERTED_PAIR = re.compile(r'(?<=\w)" (?=[^"\s])((?:[^"\s.!?;:,]+ ){0,7}[^"\s.!?;:,]+) "(?=(\w)|[\s,.;:!?)\]]|$)')
_SPACED_CLOSER = re.compile(r'(?<=[^\s"]) +"(?=[.,;:!?)]*$|[.,;:!?)]+\s)')


@register("repair_straight_quote_spacing", category=PUNCTUATION, severity=Severity.MINOR, auto=True, triggers='"')
def repair_straight_quote_spacing(text: str, ctx: Context):
    """Move garbled straight quotes back onto the words they quote.

    Fixes quotes whose spaces sit on the wrong side, as machine translation leaves them:
    ``along the" Belt and Road ", in`` becomes ``along the "Belt and Road", in``,
    ``the" 21st Century Maritime Silk Road "and`` becomes ``… Road" and``, and a closing
    quote separated from its sentence (``Transformation. "``) is pulled back. Only runs
    when the quotes of the text do not already pair up, or when the slipped quote follows
    a word no quotation ends with (``the" …``); leaves alone correctly spaced
    quotes, never moves a quote of a pair that is already well formed (another odd quote
    in the line is not its fault), and a quoted single word followed by a garbled quote
    (``"The" chain six "also``), which is a lost nesting: see ``suggest_nested_quotes``.

    >>> example(repair_straight_quote_spacing, 'countries along the" Belt and Road ", in addition')
    'countries along the "Belt and Road", in addition'
    >>> example(repair_straight_quote_spacing, 'accelerating digitalization. "')
    'accelerating digitalization."'
    """
    paired = quotes_pair_up(text)
    locked: set[int] | None = None  # computed on the first candidate: most texts have none
    out = []
    for m in _INVERTED_PAIR.finditer(text):
        q = m.start()
        if locked is None:
            locked = well_formed_quotes(text)
        if q in locked or m.end(1) + 1 in locked:
            continue  # never break a pair that is already right
        w = q
        while w and (text[w - 1].isalnum() or text[w - 1] == "_"):
            w -= 1
        if w and text[w - 1] == '"':
            continue  # `"The" chain six "` : a nesting, not a spacing slip
        if paired and text[w:q].lower() not in _FUNCTION_WORDS:
            continue  # reads as a quotation closing, text, another opening: leave it
        inner = m.group(1).rstrip()
        out.append((q, m.end(), ' "' + inner + '"' + (" " if m.group(2) else "")))
    if out or paired:
        return out
    # A closing quote cut off by a space: only where a quotation is open at that point.
    # (At the very end of the text nothing follows, so the quote can only be a closer.)
    for m in _SPACED_CLOSER.finditer(text):
        q = m.end() - 1
        if locked is None:
            locked = well_formed_quotes(text)
        if q in locked:
            continue
        if not text[q + 1 :].strip(".,;:!?) ") or text.count('"', 0, q) % 2 == 1:
            out.append((m.start(), q, ""))
    return out


_TYPO_INSIDE = re.compile(r"(?<=“) +(?=\S)|(?<=\S) +(?=”)|(?<=[A-Za-z0-9])(?=“)|(?<=”)(?=[A-Za-z0-9])")


@register(
    "repair_typographic_quote_spacing", category=PUNCTUATION, severity=Severity.MINOR, auto=True, triggers="“”",
)
def repair_typographic_quote_spacing(text: str, ctx: Context):
    """Fix spaces inside curly quotes, and add the space missing outside them.

    Fixes ``“blockchain summits ”`` (space before the closing quote), ``“ Belt``, and
    ``the“Belt`` / ``”and`` glued to the neighbouring word. Leaves alone straight quotes
    and apostrophes.

    >>> example(repair_typographic_quote_spacing, "more “blockchain summits ” in the“future”soon")
    'more “blockchain summits” in the “future” soon'
    """
    return [(m.start(), m.end(), "" if m.start() != m.end() else " ") for m in _TYPO_INSIDE.finditer(text)]


# A quotation "of" an article or pronoun alone is never meant: the nesting slipped.
_NESTED = re.compile(r'(?<![\w"])"(The|A|An|This|These|That|It|Its|Our|Their|Such)" ([^"\s][^"]{0,60}?) "(?=\w)')


@register("suggest_nested_quotes", category=PUNCTUATION, severity=Severity.MINOR, auto=False, triggers='"')
def suggest_nested_quotes(text: str, ctx: Context):
    """Suggest restoring a quotation nested in another that lost its structure.

    Finds ``"The" chain six "also has``: a quotation opened before one word, with the inner
    quoted name pushed one word to the right. Suggests ``"The 'chain six' also has``
    (inner quotes as single quotes); a person confirms, because the intended nesting can
    only be guessed. Only fires when the lone quoted word is an article or pronoun
    (quoting ``"The"`` alone is never meant); leaves alone quoted words and names.

    >>> example(suggest_nested_quotes, '"The" chain six "also has measures.')
    '\\'" chain six "\\' -> " \\'chain six\\' "'
    """
    out = []
    for m in _NESTED.finditer(text):
        start = m.start(1) + len(m.group(1))
        out.append((start, m.end(), " '" + m.group(2).rstrip() + "' "))
    return out


@register("flag_unbalanced_quotes", category=PUNCTUATION, severity=Severity.MINOR, auto=False, triggers='"“”')
def flag_unbalanced_quotes(text: str, ctx: Context):
    """Flag quotation marks that do not pair up.

    Reports a text whose straight quotes cannot be read as open/close pairs, or whose
    curly opening and closing quotes disagree in number — the signature of a quotation the
    machine translation opened and never closed (``"In promoting … path. Jiang said.``).
    A flag only: where the quotation should end needs a reader. Leaves alone a text that
    merely starts or ends inside a quotation spanning several segments.

    >>> example(flag_unbalanced_quotes, '"In promoting the "Belt and Road", it helps. Jiang said.')
    'flag \\'"In promoting the "Belt and Road", it helps. Jiang said.\\': quotation marks do not pair up'
    """
    bad = '"' in text and not quotes_pair_up(text)
    opening, closing = text.count("“"), text.count("”")
    if not bad and opening and closing and abs(opening - closing) > 0:
        bad = True
    if bad:
        return ((0, len(text), None, "quotation marks do not pair up"),)
    return ()


_CURLY = re.compile("[“”„‘’]")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w|s\b)|(?<=s)'(?=\s|$)")


@register("apply_quote_style", category="Fluency/Inconsistency", severity=Severity.NEUTRAL, auto=True, triggers="\"'“”‘’")
def apply_quote_style(text: str, ctx: Context):
    """Write double quotes and apostrophes in the configured style.

    ``straight`` turns “…” into "…" and ’ into '; ``typographic`` turns paired "…" into
    “…” and apostrophes into ’. In a workspace the default (``auto``) takes each
    document's majority style, so a document stops mixing both; in the filter ``auto``
    leaves quotes as they are. Leaves alone straight quotes that do not pair up (they
    need repair first) and single quotes other than apostrophes.

    >>> from mtmend.cleaner.config import CleanConfig, QuoteStyle
    >>> example(apply_quote_style, "the “Belt and Road” isn’t new", config=CleanConfig(QuoteStyle.STRAIGHT))
    'the "Belt and Road" isn\\'t new'
    >>> example(apply_quote_style, 'the "Belt and Road" isn\\'t new', config=CleanConfig(QuoteStyle.TYPOGRAPHIC))
    'the “Belt and Road” isn’t new'
    """
    style = ctx.config.quote_style
    out = []
    if style is QuoteStyle.STRAIGHT:
        out.extend((m.start(), m.end(), '"' if m.group() in "“”„" else "'") for m in _CURLY.finditer(text))
    elif style is QuoteStyle.TYPOGRAPHIC:
        if '"' in text and quotes_pair_up(text):
            roles = _roles(text)
            # The first quote decides whether the text starts inside a quotation.
            expect = roles[0][1] if roles[0][1] != "odd" else "open"
            for pos, _ in roles:
                out.append((pos, pos + 1, "“" if expect == "open" else "”"))
                expect = "close" if expect == "open" else "open"
        if "'" in text:
            out.extend((m.start(), m.end(), "’") for m in _APOSTROPHE.finditer(text))
    return out
