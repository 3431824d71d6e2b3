"""Words: the article a/an, and words typed twice."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.cleaner.rules.sentences import CLOSED_CLASS
from mtmend.corpus.model import Severity

# Vowel letter, consonant sound (a university, a one-off, a European) and the reverse
# (an hour, an honest). Prefixes of lower-case words.
_CONSONANT_SOUND = ("unit", "union", "uniq", "univ", "unif", "unil", "use", "usu", "uti", "ura", "ure", "uro", "eu", "ewe", "one", "once", "ubiq", "ufo", "uk")
_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir", "herb")
# Only the pairs that may be wrong: `a` before a vowel or h, `an` before a consonant.
_ARTICLE = re.compile(r"(?<![\w'’-])([Aa] (?=[aeiouh])|[Aa]n (?=[b-df-hj-np-tv-z]))([a-z][a-z-]*)\b(?![.'’]\w)")


def _wants_an(word: str) -> bool | None:
    """True/False when the word's first sound is sure to be a vowel/consonant; else ``None``."""
    if word.startswith(_VOWEL_SOUND):
        return True
    if word.startswith(_CONSONANT_SOUND):
        return False
    if word[0] in "aeio":
        return True
    if word[0] == "u":
        return None  # an umbrella, a user, a unique…: not decidable from the spelling alone
    return False if word[0] != "h" else None  # a hotel / an historic: both are written


# A candidate mismatch (most lines have none): `a` before a vowel or h, `an` before a consonant.
_CANDIDATE = re.compile(r"[Aa](?:n [b-df-hj-np-tv-z]| [aeiouh])")  # no \b: scanning is faster without


@register(
    "fix_indefinite_article", category="Fluency/Grammar", severity=Severity.MINOR, auto=True, gate=_CANDIDATE.search,
)
def fix_indefinite_article(text: str, ctx: Context):
    """Use *a* before a consonant sound and *an* before a vowel sound.

    Fixes ``a echelon`` → ``an echelon`` and ``an big step`` → ``a big step`` for
    lower-case words whose first sound the spelling settles. Leaves alone words the
    spelling does not settle (``a user`` / ``an umbrella``, ``a hotel`` / ``an historic``),
    known exceptions (``a university``, ``a one-off``, ``an hour``), capitalised words and
    abbreviations (``an FBI agent``, ``a NATO summit``: said as letters or as a word), and
    the letter *a* itself (``points a and b``: a function word follows).

    >>> example(fix_indefinite_article, "Chinese brands will form a echelon, an big step for a university.")
    'Chinese brands will form an echelon, a big step for a university.'
    """
    out = []
    for m in _ARTICLE.finditer(text):
        article, word = m.group(1)[:-1], m.group(2)
        if word in CLOSED_CLASS:
            continue
        wants = _wants_an(word)
        if wants is None or wants == (len(article) == 2):
            continue
        fixed = article[0] + ("n" if wants else "")
        out.append((m.start(1), m.start(1) + len(article), fixed))
    return out


# \b([A-Za-z]+) (\1)\b with the first letter in front of the word-start test (see sentences.py).
_DOUBLED_WORD = re.compile(r"([A-Za-z](?<!\w[A-Za-z])[A-Za-z]*) (\1)\b", re.IGNORECASE)
# Doubles English writes on purpose: "what he had had", "so that that works", "is is" in
# "what it is is"; reduplications (bye bye, so so, ha ha) and place names (Bora Bora).
_LEGITIMATE = frozenset("had that is do very bye so ha no yes go knock tut well now there".split())


@register(
    "suggest_removing_doubled_word", category="Fluency/Grammar", severity=Severity.MINOR, auto=False,
    gate=lambda text: " " in text,
)
def suggest_removing_doubled_word(text: str, ctx: Context):
    """Suggest deleting a word typed twice: ``the the``, ``of of``.

    Suggests removing the second of two identical neighbouring words. Leaves alone
    doubles English uses on purpose (``had had``, ``that that``, ``is is``, ``very
    very``, ``bye bye``), names (``Bora Bora``: the second is capitalised) and numbers.

    >>> example(suggest_removing_doubled_word, "The the index rose in the the first month that that had had.")
    "' the' -> ''\\n' the' -> ''"
    """
    out = []
    for m in _DOUBLED_WORD.finditer(text):
        first, second = m.groups()
        if first.lower() in _LEGITIMATE or second[0].isupper() or len(first) == 1 and first not in "aA":
            continue
        out.append((m.end(1), m.end(2), ""))
    return out
