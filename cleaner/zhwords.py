"""Is a glossary term a word of this Chinese sentence? jieba's answer, mostly without jieba.

A glossary term must match where jieba — with every glossary term in its dictionary —
segments the source so (链上海南 is 链上 + 海南 to nobody, but 上海 is not a word of it).
Running jieba over every source line was three quarters of ``clean --format tsv`` time,
so :func:`is_word_at` answers exactly but cheaply:

1. jieba segments each block of Han/alphanumeric characters on its own (its
   ``re_han_default``), so only the block holding the term matters.
2. Glossary terms enter the dictionary with a frequency that beats any split of the term
   itself (jieba's ``suggest_freq``). So when no dictionary word crosses either end of the occurrence, every
   segmentation has a boundary at both ends and jieba's best path keeps the term whole:
   the answer is yes without segmenting anything.
3. Otherwise jieba segments the block (cached), and decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# The characters jieba keeps together in one block before segmenting it (re_han_default).
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_TOKENIZERS: dict[frozenset[str], tuple] = {}


def tokenizer(terms: frozenset[str]):
    """A jieba tokenizer with ``terms`` in its dictionary, and its longest word's length."""
    cached = _TOKENIZERS.get(terms)
    if cached is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading otherwise
        tok = jieba.Tokenizer()
        for term in sorted(terms):
            if HAN_ONLY.fullmatch(term):
                # suggest_freq: just above the best split of the term, so a term is only
                # ever cut where a word crossing its ends makes a likelier path.
                tok.add_word(term, freq=max(1000, 100 * len(term), tok.suggest_freq(term, False)))
        longest = max(map(len, tok.FREQ))  # prefixes are never longer than their words
        cached = _TOKENIZERS[terms] = (tok, longest)
    return cached


def is_word_at(terms: frozenset[str], text: str, start: int, end: int) -> bool:
    """Whether jieba (with ``terms`` added) cuts ``text[start:end]`` out as one word."""
    block = _block_at(text, start, end)
    if block is None:
        return False
    b_start, b_text = block
    s, e = start - b_start, end - b_start
    tok, longest = tokenizer(terms)
    if e - s >= 2 and not _crossed(tok.FREQ, longest, b_text, s, e):
        return True
    return (s, e) in _word_spans(terms, b_text)


def _block_at(text: str, start: int, end: int) -> tuple[int, str] | None:
    for m in _BLOCK.finditer(text, max(0, start - 200)):
        if m.start() <= start and end <= m.end():
            return m.start(), m.group()
        if m.start() > start:
            break
    return None


def _crossed(freq: dict, longest: int, text: str, s: int, e: int) -> bool:
    """Whether a dictionary word spans either end of ``text[s:e]`` (p < end < q)."""
    for boundary in (s, e):
        for p in range(max(0, boundary - longest + 1), boundary):
            # jieba's FREQ holds every prefix of every word (frequency 0), so a word
            # crossing the boundary from p has text[p:boundary + 1] among them.
            q = boundary + 1
            while q <= len(text):
                fragment = text[p:q]
                if fragment not in freq:
                    break
                if freq[fragment]:
                    return True
                q += 1
    return False


@lru_cache(maxsize=4096)
def _word_spans(terms: frozenset[str], block: str) -> frozenset[tuple[int, int]]:
    spans, at = set(), 0
    for word in tokenizer(terms)[0].lcut(block):
        spans.add((at, at + len(word)))
        at += len(word)
    return frozenset(spans)
