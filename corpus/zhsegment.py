"""The one way mtmend loads jieba: lazily, quietly, from mtmend's private cache.

Nothing here runs at import time. The first call imports jieba (without
``pkg_resources``, which it only uses to open its own data files, and whose import costs a
tenth of a second and a deprecation warning) and gives it its prefix dictionary from
:mod:`mtmend.corpus.cache` — never from jieba's own cache, a predictable file in the
shared temporary directory that anyone could plant. The dictionary is read as a
:class:`~mtmend.corpus.wordtable.WordTable`, so a short text loads a sliver of it. jieba's
logger is silenced, so it prints nothing.

:func:`words` cuts text with the shared default tokenizer; :func:`new_tokenizer` gives a
tokenizer of one's own to add words to (the glossary does).
"""

from __future__ import annotations

import functools
import logging
import marshal
import os
import sys
import warnings

from mtmend.corpus import cache
from mtmend.corpus.wordtable import WordTable

__all__ = ["jieba_module", "new_tokenizer", "words"]

_CACHE_NAME = "jieba-prefix-dict.bin"
_FORMAT = "jieba-prefix-dict/4"  # bump when the payload layout below changes


def words(text: str) -> list[str]:
    """``text`` cut into words by jieba (with its HMM for unknown words); no empty words.

    >>> words("我来到北京清华大学")
    ['我', '来到', '北京', '清华大学']
    """
    table, tok = _shared()
    table.cover(text)  # jieba only looks up substrings of the text
    return [w for w in tok.lcut(text) if w]


@functools.cache
def jieba_module():  # noqa: ANN201 - the jieba module
    """Import jieba once, quietly and without ``pkg_resources``."""
    hidden = "pkg_resources" not in sys.modules and "jieba" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # its import now raises ImportError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


def new_tokenizer():  # noqa: ANN201 - a jieba.Tokenizer
    """A jieba tokenizer of one's own with the whole default dictionary, to add words to."""
    table, shared = _shared()
    return _tokenizer(dict(table.cover_all()), shared.total)


@functools.cache
def _shared() -> tuple[WordTable, object]:
    """The prefix dictionary (loaded as texts need it) and the tokenizer reading it.

    A tokenizer of our own, not ``jieba.dt``: its dictionary is only complete for the
    texts :func:`words` has covered.
    """
    table, total = _prefix_dictionary()
    return table, _tokenizer(table.words, total)


def _tokenizer(freq: dict[str, int], total: int):  # noqa: ANN202 - a jieba.Tokenizer
    tok = jieba_module().Tokenizer()
    tok.tmp_dir = str(cache.cache_dir() or "")  # never the shared temp directory, should jieba write one
    tok.FREQ, tok.total = freq, total
    tok.initialized = True  # jieba must not load (or cache) its dictionary itself
    return tok


def _prefix_dictionary() -> tuple[WordTable, int]:
    """jieba's prefix dictionary and its total: from the cache when intact and current, else built."""
    key = _cache_key()
    payload = cache.load(_CACHE_NAME, key)
    if payload is not None:
        try:
            total, table = marshal.loads(payload)
            return WordTable.from_bytes(table), int(total)
        except (ValueError, TypeError, EOFError):
            pass  # the checksum matched but the layout did not: rebuild
    tok = jieba_module().Tokenizer()
    freq, total = tok.gen_pfdict(tok.get_dict_file())
    table = WordTable.from_items(freq.items(), numeric=True)
    cache.store(_CACHE_NAME, key, marshal.dumps((total, table.to_bytes())))
    return table, total


def _cache_key() -> str:
    """What the prefix dictionary is built from: jieba's version and its dictionary file."""
    jieba = jieba_module()
    path = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    info = os.stat(path)
    return f"{_FORMAT}|jieba:{jieba.__version__}|dict:{info.st_size}:{info.st_mtime_ns}"
