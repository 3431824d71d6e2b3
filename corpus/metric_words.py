"""The words chrF++ and TER split a text into, as sacrebleu 2.x does, without its per-call wrappers.

chrF++'s word n-grams come from the text's whitespace-separated words, each of two or more
characters with an ASCII punctuation mark at its end (else at its start) split in two. For
an untouched segment only the number of those words is needed, which needs no list.

TER with sacrebleu's defaults (not normalized, punctuation kept, case-insensitive) compares
the lowercased whitespace-separated words: its tokenizer lowercases and re-joins the words,
and its reference is tokenized twice over. Lowercasing never turns a non-space into a space
or back, and a lowercased text lowercases to itself (tests check both over every code point),
so ``text.lower().split()`` is the same list.

Each shortcut takes over only when the installed sacrebleu gives the same words on probe
strings (:func:`chrf_words`, :func:`ter_words`); otherwise sacrebleu's own functions run.
"""

from __future__ import annotations

from collections.abc import Callable

# sacrebleu's CHRF._PUNCTS: the ASCII punctuation marks a chrF++ word sheds at its edges.
PUNCTS = frozenset('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
# Edge marks, runs of them, one-character words, whitespace runs, non-ASCII spaces, CJK, casing.
PROBES = (
    "", " ", "a", ".", "(hi)", "((a", "a..", ".,", "\"Road\", 4.To e.g. -- $5 x ! ?",
    "  leading\tand\u3000trailing \u2003 ", "中文，一带一路。 (中文) 。a", "ΣΑΣ İstanbul ǅ ß ﬁ Ⅻ",
    "x\x1cy\x1dz\x1ey\x1fx\x85w\xa0v", "'quote' [brackets]{braces} a-b-c a/b @home #tag 100%",
)


def _words(text: str) -> list[str]:
    words = text.split()
    edged = [i for i, w in enumerate(words) if (w[-1] in PUNCTS or w[0] in PUNCTS) and len(w) > 1]
    if not edged:
        return words
    out: list[str] = []
    last = 0
    for i in edged:
        word = words[i]
        out += words[last:i]
        out += (word[:-1], word[-1]) if word[-1] in PUNCTS else (word[0], word[1:])
        last = i + 1
    out += words[last:]
    return out


def _count(text: str) -> int:
    words = text.split()
    return len(words) + len([w for w in words if (w[-1] in PUNCTS or w[0] in PUNCTS) and len(w) > 1])


_AGREE: dict[tuple, bool] = {}  # per metric class (and tokenizer class): whether the probes agree


def chrf_words(metric) -> tuple[Callable[[str], list[str]], Callable[[str], int]]:
    """``(words, count)`` for ``metric``'s chrF++ word n-grams: this module's when they agree with it, else its own."""
    key = ("chrF", type(metric))
    agree = _AGREE.get(key)
    if agree is None:
        agree = _AGREE[key] = all(metric._remove_punctuation(p) == _words(p) for p in PROBES)
    if agree and getattr(metric, "_PUNCTS", None) == PUNCTS:
        return _words, _count
    return metric._remove_punctuation, lambda text: len(metric._remove_punctuation(text))


def _lower_words(text: str) -> list[str]:
    return text.lower().split()


# sacrebleu's TercomTokenizer settings, all off by default (mtmend's English TER).
_TER_DEFAULTS = ("_normalized", "_no_punct", "_asian_support", "_case_sensitive")


def ter_words(metric) -> Callable[[str], list[str]] | None:
    """The words ``metric`` (TER) compares, as a function of the raw text; None unless the shortcut holds."""
    tokenizer = getattr(metric, "tokenizer", None)
    settings = getattr(tokenizer, "__dict__", {})
    if not all(settings.get(name, True) is False for name in _TER_DEFAULTS):
        return None
    key = ("TER", type(metric), type(tokenizer))
    if key not in _AGREE:
        _AGREE[key] = all(_sacrebleu_words(metric, p, 1) == _sacrebleu_words(metric, p, 2) == _lower_words(p)
                          for p in PROBES)
    return _lower_words if _AGREE[key] else None


def _sacrebleu_words(metric, text: str, times: int) -> list[str]:
    for _ in range(times):  # a reference is preprocessed twice: when cached, and when split
        text = metric._preprocess_segment(text)
    return text.split()
