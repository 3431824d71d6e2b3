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
   the answer is yes without segmenting anything. The words that could cross a term's
   ends are indexed once per term (:class:`_Crossings`), by the character on the
   other side of the boundary, so this test is a dictionary look-up or two.
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
    """A jieba tokenizer with ``terms`` in its dictionary, and the index of words crossing them."""
    cached = _TOKENIZERS.get(terms)
    if cached is None:
        from mtmend.corpus.zhsegment import new_tokenizer

        tok = new_tokenizer()
        for term in sorted(terms):
            if HAN_ONLY.fullmatch(term):
                # suggest_freq: just above the best split of the term, so a term is only
                # ever cut where a word crossing its ends makes a likelier path.
                tok.add_word(term, freq=max(1000, 100 * len(term), tok.suggest_freq(term, False)))
        cached = _TOKENIZERS[terms] = (tok, _Crossings(tok.FREQ, terms))
    return cached


class _Crossings:
    """For each term, the dictionary words that could cross its start or its end.

    A word crossing the start of an occurrence of ``term`` is ``head + tail``: ``head``
    ends just before the term, ``tail`` begins with a prefix of the term (or the whole
    term and more). One crossing the end is ``head + tail`` with ``head`` a suffix of the
    term. Both are keyed by the character beside the boundary outside the term, which
    rules most of them out at once.
    """

    __slots__ = ("terms", "_blob", "_start", "_end")

    def __init__(self, freq: dict[str, int], terms: frozenset[str]):
        self.terms = frozenset(t for t in terms if len(t) >= 2 and HAN_ONLY.fullmatch(t))  # those indexed
        # One string of all words, so a term's boundary characters are found by str.find;
        # each term is indexed the first time it is looked up.
        self._blob = "\n" + "\n".join(w for w, f in freq.items() if f and len(w) >= 2) + "\n"
        self._start: dict[str, dict[str, list[tuple[str, str]]]] = {}
        self._end: dict[str, dict[str, list[tuple[str, str]]]] = {}

    @staticmethod
    def _index(blob: str, term: str, char: str, at_start: bool) -> dict[str, list[tuple[str, str]]]:
        index: dict[str, list[tuple[str, str]]] = {}
        at = blob.find(char)
        while at >= 0:
            begin = blob.rfind("\n", 0, at) + 1
            stop = blob.find("\n", at)
            if at_start:  # the term's first character inside the word, not first in it
                head, tail = blob[begin:at], blob[at:stop]
                ok = bool(head) and (term.startswith(tail) or tail.startswith(term))
                key = head[-1:] if ok else ""
            else:  # the term's last character inside the word, not last in it
                head, tail = blob[begin : at + 1], blob[at + 1 : stop]
                ok = bool(tail) and term.endswith(head)
                key = tail[:1] if ok else ""
            if ok:
                index.setdefault(key, []).append((head, tail))
            at = blob.find(char, at + 1)
        return index

    def crossed(self, term: str, block: str, s: int, e: int) -> bool:
        """Whether a dictionary word spans either end of ``block[s:e]`` (which is ``term``)."""
        starts = self._start.get(term)
        if starts is None:
            starts = self._start[term] = self._index(self._blob, term, term[0], at_start=True)
            self._end[term] = self._index(self._blob, term, term[-1], at_start=False)
        if s > 0:
            for head, tail in starts.get(block[s - 1], ()):
                if block.startswith(tail, s) and s >= len(head) and block.startswith(head, s - len(head)):
                    return True
        if e < len(block):
            for head, tail in self._end[term].get(block[e], ()):
                if block.startswith(tail, e) and e - len(head) >= s:
                    return True  # head is a suffix of the term, which is block[s:e]
        return False


def is_word_at(terms: frozenset[str], text: str, start: int, end: int) -> bool:
    """Whether jieba (with ``terms`` added) cuts ``text[start:end]`` out as one word."""
    block = _block_at(text, start, end)
    if block is None:
        return False
    b_start, b_text = block
    s, e = start - b_start, end - b_start
    term = text[start:end]
    crossings = tokenizer(terms)[1]
    if term in crossings.terms and not crossings.crossed(term, b_text, s, e):
        return True
    return (s, e) in _word_spans(terms, b_text)


def _block_at(text: str, start: int, end: int) -> tuple[int, str] | None:
    if start == 0 or not _BLOCK.match(text, start - 1, start):  # the usual case: the block starts here
        m = _BLOCK.match(text, start)
        return (start, m.group()) if m and m.end() >= end else None
    for m in _BLOCK.finditer(text, max(0, start - 200)):
        if m.start() <= start and end <= m.end():
            return m.start(), m.group()
        if m.start() > start:
            break
    return None


@lru_cache(maxsize=4096)
def _word_spans(terms: frozenset[str], block: str) -> frozenset[tuple[int, int]]:
    spans, at = set(), 0
    for word in tokenizer(terms)[0].lcut(block):
        spans.add((at, at + len(word)))
        at += len(word)
    return frozenset(spans)
