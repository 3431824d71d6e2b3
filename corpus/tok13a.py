"""sacrebleu's ``tok:13a`` tokenizer, with the same output in a fraction of the time.

BLEU's statistics of a workspace are mostly tokenisation: sacrebleu's 13a tokenizer
rewrites every space and symbol with ``re.sub(r"(…)", r" \\1 ", line)``, and Python
expands that template match by match. Its first rule pads single ASCII characters, which
``str.replace`` does at C speed with exactly the same result. Its next three pad a period
or comma (unless a digit is next to it) and a dash after a digit; each match holds one of
those marks, so they are found from the marks (:func:`_pad_marks`) rather than by trying a
match at every character. :func:`fast_13a` only takes over when sacrebleu's rules are the
ones this was written against (tests compare the output on hostile text).
"""

from __future__ import annotations

import re
from functools import lru_cache

# sacrebleu's first 13a rule (sacrebleu.tokenizers.tokenizer_re), and what it replaces each match with.
PAD_RULE = (r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 ")
# Its other three, in order: what :func:`_pad_marks` does.
MARK_RULES = [
    (r"([^0-9])([\.,])", r"\1 \2 "),
    (r"([\.,])([^0-9])", r" \1 \2"),
    (r"([0-9])(-)", r"\1 \2 "),
]
_DIGITS = frozenset("0123456789")  # [0-9]: ASCII digits only
_PERIOD_COMMA = re.compile(r"[.,]")
# Where the mark rules need their walk: two marks side by side, or a mark between two digits.
_TANGLED = re.compile(r"[.,](?:[.,]|(?<=[0-9][.,])[0-9])")  # starts at a mark: the search skips to marks


class Tokenizer13a:
    """Wraps sacrebleu's 13a tokenizer object; called like it, returning the same string."""

    def __init__(self, original, padded: str):
        self.original = original
        # Spaces first: the spaces the others add must not be padded again (the rule pads each match once).
        self.padded = sorted(padded, key=lambda c: c != " ")
        self.rules = original._post_tokenizer._re[1:]
        self.marks = [(p.pattern, r) for p, r in self.rules] == MARK_RULES and not any(p.flags & ~32 for p, _ in self.rules)
        self._cached = lru_cache(maxsize=2**16)(self._tokenize)  # as sacrebleu caches its own

    def signature(self) -> str:
        return self.original.signature()

    def __call__(self, line: str) -> str:
        return self._cached(line)

    def _tokenize(self, line: str) -> str:
        # Tokenizer13a.__call__, then TokenizerRegexp.__call__ with its first rule as replacements.
        line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
        if "&" in line:
            line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        line = f" {line} "
        for char in self.padded:
            if char in line:
                line = line.replace(char, f" {char} ")
        if self.marks:
            line = _pad_marks(line)
        else:
            for pattern, repl in self.rules:
                line = pattern.sub(repl, line)
        return " ".join(line.split())


def fast_13a(tokenizer):
    """A faster equal of sacrebleu's ``tokenizer`` if it is the 13a one this module knows, else ``tokenizer``."""
    post = getattr(tokenizer, "_post_tokenizer", None)
    if tokenizer.signature() != "13a" or post is None or not post._re:
        return tokenizer
    pattern, repl = post._re[0]
    if (pattern.pattern, repl) != PAD_RULE or pattern.flags & ~32:  # 32: re.UNICODE, the str default
        return tokenizer
    # The class holds ASCII ranges only; a character outside them is never matched.
    return Tokenizer13a(tokenizer, "".join(chr(c) for c in range(128) if pattern.fullmatch(chr(c))))


def _pad_marks(line: str) -> str:
    """sacrebleu's three rules after the first, applied in turn (see :data:`MARK_RULES`).

    ``re.sub`` takes the leftmost match, then searches on after it: a match consumes the
    character beside the mark, which then cannot belong to the next match. Every match
    holds a mark, so walking the marks left to right and skipping those whose neighbour
    was consumed finds the same matches.

    Without two marks side by side, no match consumes a mark another needs, and a mark is
    padded by the first rule (a non-digit before it) or the second (a non-digit after it):
    unless it stands between two digits, every mark becomes a token of its own, which
    ``str.replace`` does (the extra spaces vanish when the tokens are joined).
    """
    if ("." in line or "," in line) and _TANGLED.search(line) is None:
        line = line.replace(".", " . ").replace(",", " , ")
    elif "." in line or "," in line:
        parts, last = [], 0
        for m in _PERIOD_COMMA.finditer(line):  # ([^0-9])([.,]) -> "\1 \2 "
            j = m.start()
            if j - 1 >= last and line[j - 1] not in _DIGITS:
                parts += (line[last:j], " ", line[j], " ")
                last = j + 1
        line = "".join(parts) + line[last:]
        parts, last, end = [], 0, len(line) - 1
        for m in _PERIOD_COMMA.finditer(line):  # ([.,])([^0-9]) -> " \1 \2"
            j = m.start()
            if j >= last and j < end and line[j + 1] not in _DIGITS:
                parts += (line[last:j], " ", line[j], " ", line[j + 1])
                last = j + 2
        line = "".join(parts) + line[last:]
    if "-" in line:
        parts, last, at = [], 0, line.find("-", 1)
        while at != -1:  # ([0-9])(-) -> "\1 \2 "
            if at - 1 >= last and line[at - 1] in _DIGITS:
                parts += (line[last:at], " - ")
                last = at + 1
            at = line.find("-", at + 1)
        line = "".join(parts) + line[last:]
    return line
