"""The engine: run the rules over a text, apply the automatic edits to a fixed point.

Rules only propose; :func:`clean_text` applies. Each applied edit's span refers to the
text just before it, so ``corpus.edits.replay(original, result.applied) == result.text``.
Suggestions and flags are collected on the final text. No edit may touch a protected
span: URLs, e-mail addresses, numbers (decimals, times, versions, thousands), code in
backticks, file names, and whatever the caller marks as protected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.rule import Context, Rule, RuleFunction
from mtmend.corpus.model import Edit

DEFAULT_CONFIG = CleanConfig()

# A text needing more rounds than this has rules undoing each other; stop applying then.
MAX_ROUNDS = 6

_TLDS = frozenset(
    "com org net edu gov int cn io info biz uk fr jp hk tw sg ae ru au ca eu tv".split()  # not in, me, us…: words
)
_FILE_EXTS = frozenset(
    "png jpg jpeg gif webp bmp svg tif tiff pdf doc docx xls xlsx ppt pptx txt csv tsv json xml htm html py js "
    "zip gz exe mp3 mp4".split()
)
# Each pattern is tried only when the text holds its trigger ("://", "@", "`", a digit or a dot).
_URL = re.compile(r"""(?:(?:https?|ftp)://|www\.)[^\s<>"“”]*[^\s<>"“”.,;:!?)\]]""", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CODE = re.compile(r"`[^`\n]+`")
# Dotted tokens anchored at a word start: 3.5, 1,000, 10:30, 2.0.1, example.com/x, chart.png
_DOTTED = re.compile(r"(?<![\w@.-])[\w-]+(?:[.:,][\w-]+)+(?:/[^\s\"“”]*)?")
_GLUED = re.compile(r"[.:,][\w/-]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)+")
# Technical text a rule would damage (each tried only when its trigger is in the text):
# a call or scope chain (list.Add(item), std::vector, a->b), a path, a lone `.` argument
# of a shell command (git add . to), a ratio or verse reference (16 : 9, John 3 : 16).
_CODE_CHAIN = re.compile(r"[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+\([^()\n]{0,80}\)?|[A-Za-z_]\w*(?:(?:::|->)[A-Za-z_~]\w*)+")
_CALL = re.compile(r"\.[A-Za-z_$][\w$]*\(")  # the cheap part of a call chain, tried first
_PATH = re.compile(r"(?<![\w/])(?:~|\.{1,2})?(?:/[\w.+@%~-]*[\w+@%~-]){2,}/?|(?<![\w/])(?:\.{1,2}|~)/[\w.+@%~/-]*[\w+@%~-]|\b[A-Za-z]:\\[\w.\\ -]*[\w]")
_LONE_DOT = re.compile(r"(?<=\S) \.(?= [a-z0-9&|>;-])")
_RATIO = re.compile(r"\d+ *: *\d+")
_SPACED_ELLIPSIS = re.compile(r" ?\.(?: \.){2,}")
_GAP = re.compile(r"(?<=\S)  +(?=\S)")
_HARD_BREAK = re.compile(r"(?<=\S)  +$")


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text, the automatic edits applied (in order), and the open proposals.

    ``suggested`` holds suggestions and flags (``after is None``), with spans in ``text``.
    """

    text: str
    applied: tuple[Edit, ...]
    suggested: tuple[Edit, ...]

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def protected_spans(text: str, extra: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of ``text`` no rule may touch (see also :func:`_technical_spans`).

    >>> t = "See www.example.com or mail a@b.org at 10:30, version 2.0.1 of app.py."
    >>> [t[s:e] for s, e in protected_spans(t)]
    ['www.example.com', 'a@b.org', '10:30', '2.0.1', 'app.py']
    """
    spans: list[tuple[int, int]] = list(extra)
    if "://" in text or "www." in text:
        spans.extend(m.span() for m in _URL.finditer(text))
    if "@" in text:
        spans.extend(m.span() for m in _EMAIL.finditer(text))
    if "`" in text:
        spans.extend(m.span() for m in _CODE.finditer(text))
    spans.extend(_technical_spans(text))
    for m in _dotted_tokens(text):
        token = m.group()
        if _NUMBER.fullmatch(token) or (token[0] in "vV" and _NUMBER.fullmatch(token, 1)):
            spans.append(m.span())
            continue
        last = token.rsplit("/", 1)[0].rsplit(".", 1)[-1].lower() if "." in token else ""
        if last in _TLDS or last in _FILE_EXTS:
            spans.append(m.span())
        elif token[0].isdigit():  # a number followed by more: 2.0.1-beta, 3.5mm
            number = _NUMBER.match(token)
            if number:
                spans.append((m.start(), m.start() + number.end()))
    return sorted(set(spans))


def _technical_spans(text: str) -> Iterator[tuple[int, int]]:
    """Code, paths, shell arguments, ratios, spaced ellipses and layout spaces.

    >>> t = "Run git add . to stage, call list.Add(item), a 16 : 9 ratio, /usr/local/bin."
    >>> [t[s:e] for s, e in _technical_spans(t)]
    ['list.Add(item)', '/usr/local/bin', ' .', '16 : 9']
    """
    if "::" in text or "->" in text or ("(" in text and _CALL.search(text)):
        yield from (m.span() for m in _CODE_CHAIN.finditer(text))
    if "/" in text or ":\\" in text:
        yield from (m.span() for m in _PATH.finditer(text))
    if " ." in text:
        yield from (m.span() for m in _LONE_DOT.finditer(text))
    if " :" in text or ": " in text:  # 16:9 unspaced is a number token, protected anyway
        yield from (m.span() for m in _RATIO.finditer(text))
    if ". ." in text:
        yield from (m.span() for m in _SPACED_ELLIPSIS.finditer(text))
    if "  " in text:
        gaps = [m.span() for m in _GAP.finditer(text)]
        if len(gaps) >= 2:  # columns aligned with spaces: the layout is the content
            yield from gaps
        if text.endswith("  "):  # a Markdown hard break
            yield from (m.span() for m in _HARD_BREAK.finditer(text))


def _dotted_tokens(text: str) -> Iterator[re.Match]:
    """``_DOTTED.finditer(text)``, scanning only from the word before each glued mark.

    Every dotted token holds a glued mark (``_GLUED``) and no space, so searching from
    the last space before a mark not yet covered finds the same matches as a scan of
    the whole line, at a fraction of the cost on a long line.
    """
    pos = 0
    for glued in _GLUED.finditer(text):
        at = glued.start()
        if at < pos:
            continue
        m = _DOTTED.search(text, max(pos, text.rfind(" ", 0, at) + 1))
        if m is None:
            return
        yield m
        pos = m.end()


def clean_text(
    text: str,
    *,
    source: str | None = None,
    config: CleanConfig = DEFAULT_CONFIG,
    rules: Sequence[Rule] | None = None,
    context: Context | None = None,
    suggest: bool = True,
) -> CleanResult:
    """Clean one segment or line of English.

    With ``suggest=False`` the rules that only suggest or flag are skipped (the filter
    does that when nobody asked for annotations): the text comes out the same.

    >>> r = clean_text("Huobi China. , Is the world's first.Chinese  forum .")
    >>> r.text
    "Huobi China, Is the world's first. Chinese forum."
    >>> from mtmend.corpus.edits import replay
    >>> replay("Huobi China. , Is the world's first.Chinese  forum .", r.applied) == r.text
    True
    """
    if not text or text.isspace():
        return CleanResult(text, (), ())
    if rules is None:
        rules = config.rules()
    ctx = context if context is not None else Context(config, source, config.glossary)
    return _fixed_point(text, _plan(rules, suggest, bool(ctx.source)), ctx, suggest)


def _fixed_point(text: str, plan: tuple, ctx: Context, suggest: bool) -> CleanResult:
    """Run the planned rules round after round, applying their automatic edits, until none applies."""
    extra = list(ctx.protected)
    applied: list[Edit] = []
    # Rules are pure functions of (text, context). The rules after the last one that
    # changed the text already saw the final text, so the next round stops when it
    # reaches them with nothing changed: their suggestions (``settled``) still hold.
    settled_from = len(plan)
    settled: list[Edit] = []
    for round_no in range(MAX_ROUNDS + 1):
        may_apply = round_no < MAX_ROUNDS
        suggestions: list[Edit] = []
        changed = False
        spans: list[tuple[int, int]] | None = None
        ascii_only = text.isascii()
        last_change = -1
        tail: list[Edit] = []  # this round's suggestions since its last change
        for index, rule, function, gate, nonascii in plan:
            if index == settled_from and not changed and may_apply:
                suggestions.extend(settled)
                return CleanResult(text, tuple(applied), tuple(suggestions))
            if (ascii_only and nonascii) or (gate is not None and not gate(text)):
                continue
            proposals = function(text, ctx)
            if not proposals:
                continue
            if spans is None:
                spans = protected_spans(text, extra)
            auto, found = _triage(rule, text, proposals, spans, ctx.removable, may_apply, suggest)
            if found:
                suggestions.extend(found)
                tail.extend(found)
            if auto:
                text, done = _apply(text, auto)
                if done:
                    applied.extend(done)
                    changed = True
                    last_change = index
                    tail = []
                    extra = _shift(extra, done)
                    spans = None
                    if not text:
                        break
                    ascii_only = text.isascii()
        if not changed or not text:
            return CleanResult(text, tuple(applied), tuple(suggestions))
        settled_from, settled = last_change + 1, tail
    return CleanResult(text, tuple(applied), tuple(suggestions))  # pragma: no cover - see MAX_ROUNDS


def _triage(
    rule: Rule, text: str, proposals, spans: list[tuple[int, int]], removable: bool, may_apply: bool, suggest: bool,
) -> tuple[list[Edit], list[Edit]]:
    """One rule's proposals as edits: those to apply now, and the suggestions and flags.

    Proposals touching a protected span are dropped.
    """
    auto: list[Edit] = []
    found: list[Edit] = []
    length = len(text)
    for p in proposals:
        edit = rule.edit(text, p)
        if spans and not _allowed(edit, spans, length):
            continue
        if not removable and edit.after == "" and edit.start == 0 and edit.end == length:
            edit = _kept(edit)
        if may_apply and edit.auto and edit.after is not None:
            auto.append(edit)
        elif suggest:
            found.append(edit)
    return auto, found


def _kept(edit: Edit) -> Edit:
    """A deletion of the whole text where the text must stay (a TSV row): a suggestion."""
    note = (edit.note + "; " if edit.note else "") + "the row is kept: delete its text if it is not part of the article"
    return replace(edit, auto=False, note=note)


_PLANS: dict[tuple[int, bool, bool], tuple] = {}


def _plan(rules: Sequence[Rule], suggest: bool, has_source: bool) -> tuple:
    """The rules to try, as flat tuples (fewer attribute look-ups per line).

    Cached per rule tuple (``CleanConfig.rules()`` returns the same tuple every time).
    """
    key = (id(rules), suggest, has_source)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is rules:
        return cached[1]
    chosen = [r for r in rules if (suggest or r.auto) and (has_source or not r.needs_source)]
    plan = tuple((index, r, r.function, r.gate, r.nonascii) for index, r in enumerate(chosen))
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[key] = (rules, plan)
    return plan


def _allowed(edit: Edit, spans: list[tuple[int, int]], length: int) -> bool:
    start, end = edit.start, edit.end
    if start == 0 and end == length:
        return True  # removing or replacing the whole text corrupts no token
    for ps, pe in spans:
        if ps >= end and ps > start:
            break
        if start < pe and ps < end:
            return False
        if start == end and ps < start < pe:
            return False
    return True


def _apply(text: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """Apply one rule's edits (non-overlapping ones, first come first kept), right to left.

    Right to left keeps each edit's span valid in the text just before it is applied.
    """
    edits.sort(key=lambda e: (e.start, e.end))
    kept: list[Edit] = []
    last_end = -1
    last_start = -1
    for e in edits:
        if e.start < last_end or e.start == last_start or text[e.start : e.end] != e.before:
            continue
        kept.append(e)
        last_start, last_end = e.start, e.end
    for e in reversed(kept):
        text = text[: e.start] + e.after + text[e.end :]
    kept.reverse()
    return text, kept


def _shift(spans: list[tuple[int, int]], done: list[Edit]) -> list[tuple[int, int]]:
    """Move caller-protected spans along with the edits just applied (right to left)."""
    if not spans:
        return spans
    out = []
    for ps, pe in spans:
        for e in done:
            if e.end <= ps:
                delta = len(e.after) - len(e.before)
                ps, pe = ps + delta, pe + delta
        out.append((ps, pe))
    return out


def example(fn: RuleFunction, text: str, source: str | None = None, **context) -> str:
    """Show what one rule does to ``text`` (used by the rules' doctests).

    Auto rules give the cleaned text; suggest-only rules and flags list their proposals.
    ``context`` sets further :class:`Context` fields (``after_question=...``, ``config=...``).
    """
    rule: Rule = fn.rule  # type: ignore[attr-defined]
    config = context.pop("config", CleanConfig())
    ctx = Context(config, source, config.glossary, **context)
    result = clean_text(text, source=source, config=config, rules=(rule,), context=ctx)
    if result.applied and not result.suggested:
        return result.text
    lines = [f"{e.before!r} -> {e.after!r}" if e.after is not None else f"flag {e.before!r}: {e.note}" for e in result.suggested]
    if result.applied:
        lines.insert(0, result.text)
    return "\n".join(lines) or "(no change)"
