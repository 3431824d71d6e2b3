"""sacrebleu's ``tok:13a`` tokenizer, with the same output in a third of the time.

BLEU's statistics of a workspace are mostly tokenisation: sacrebleu's 13a tokenizer
rewrites every space and symbol with ``re.sub(r"(…)", r" \\1 ", line)``, and Python
expands that template match by match. Its first rule pads single ASCII characters, which
``str.replace`` does at C speed with exactly the same result; the rules after it stay
sacrebleu's own regular expressions. :func:`fast_13a` only takes over when sacrebleu's
rules are the ones this was written against (tests compare the output on hostile text).
"""

from __future__ import annotations

from functools import lru_cache

# sacrebleu's first 13a rule (sacrebleu.tokenizers.tokenizer_re), and what it replaces each match with.
PAD_RULE = (r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 ")


class Tokenizer13a:
    """Wraps sacrebleu's 13a tokenizer object; called like it, returning the same string."""

    def __init__(self, original, padded: str):
        self.original = original
        # Spaces first: the spaces the others add must not be padded again (the rule pads each match once).
        self.padded = sorted(padded, key=lambda c: c != " ")
        self.rules = original._post_tokenizer._re[1:]
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
