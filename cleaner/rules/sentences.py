"""Broken sentences: stray punctuation, split attributions, fragments, stray capitals."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, Scope, Vocabulary, register  # Vocabulary: for the doctests
from mtmend.corpus.model import Severity

_ABBREVIATIONS = frozenset({"etc", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "St", "vs", "No", "approx", "Dept", "Univ"})
_STRAY_PERIOD = re.compile(r"(?<=\w)(\.)\s+,")


@register(
    "remove_stray_period_before_comma", category="Fluency/Punctuation", severity=Severity.MINOR, auto=True,
    gate=lambda text: ". ," in text,
)
def remove_stray_period_before_comma(text: str, ctx: Context):
    """Remove a full stop left in front of a comma.

    Fixes ``Huobi China. , Is the world's first…`` (a sentence cut before a comma-joined
    predicate) to ``Huobi China, Is …``; the capital that follows is then offered for
    lower-casing by ``suggest_lowercase_after_comma``. After an abbreviation the full stop
    stays (``etc. ,`` becomes ``etc.,``). Leaves alone an ellipsis and ``.,`` without a space.

    >>> example(remove_stray_period_before_comma, "hosted by Huobi China. , Is the first forum.")
    'hosted by Huobi China, Is the first forum.'
    >>> example(remove_stray_period_before_comma, "Huobi, Amway, etc. , and others.")
    'Huobi, Amway, etc., and others.'
    """
    out = []
    for m in _STRAY_PERIOD.finditer(text):
        w = m.start()
        while w and text[w - 1].isalpha():
            w -= 1
        keep = text[w : m.start()] in _ABBREVIATIONS or text[m.start() - 2 : m.start() - 1] == "."
        out.append((m.start(), m.end(), ".," if keep else ","))
    return out


_SPEECH_VERBS = "Said|Says|Added|Asked|Explained|Noted|Stressed|Emphasized|Emphasised|Told|Continued|Concluded|Remarked|Pointed out"
_STRANDED = re.compile(rf"(?:{_SPEECH_VERBS}) (?=[A-Z])")
_ATTRIBUTION = re.compile(rf"([.?!])([\"”]) +({_SPEECH_VERBS})(?= +(?:[A-Z]|the\b|a\b|an\b))")


@register(
    "join_attribution_to_quote", category="Fluency/Punctuation", severity=Severity.MINOR, auto=True,
    gate=lambda text: '"' in text or "”" in text or text[:1] in "SACENTRP",
)
def join_attribution_to_quote(text: str, ctx: Context):
    """Join a speech attribution back to the quotation it belongs to.

    Fixes ``grow together." Said Farah …`` (the attribution made a sentence of its own)
    to ``grow together," said Farah …``; after ``?`` or ``!`` only the verb is lower-cased.
    A segment that starts with the stranded attribution (its quotation ended the previous
    segment) is flagged. Leaves alone a capitalised speech verb that starts an ordinary sentence without a
    preceding quotation, and attributions that are already joined.

    >>> example(join_attribution_to_quote, 'grow together." Said Farah Jaffar-Kosobbi, CEO.')
    'grow together," said Farah Jaffar-Kosobbi, CEO.'
    >>> example(join_attribution_to_quote, 'Is it over?" Asked the reporter.')
    'Is it over?" asked the reporter.'
    """
    out: list[tuple] = []
    if _STRANDED.match(text):  # the quotation is in the previous segment
        out.append((0, text.index(" "), None, "attribution split from its quotation: join it to it (…,\" said …)"))
    for m in _ATTRIBUTION.finditer(text):
        mark, quote, verb = m.groups()
        out.append((m.start(), m.end(), ("," if mark == "." else mark) + quote + " " + verb[0].lower() + verb[1:]))
    return out


# One or two words split off the end of a sentence: `… field. Eyes.`, `… revitalization. Development;`
_FRAGMENT = re.compile(r"(?<=[a-z,)])\. ([A-Z][a-z]+(?: [a-z]+)?)(?=[.;](?:\s|$|[\"”]))")
# A participle clause made a sentence: `… entrepreneurs. Launched in March 2018.`
_PARTICIPLE = re.compile(
    r"(?<=[a-z])\. ((?:Launched|Founded|Established|Released|Published|Located|Held|Opened|Built|Set up)\b[^.!?\"”]{0,40})(?=\.)"
)
_STANDALONE = frozenset(
    "Yes No Thanks Okay Ok Right Exactly Really Sure Fine Good Great Well Why What How Who Where When Absolutely "
    "Indeed Correct True False Applause Laughter Again Never Nothing Everything Maybe Perhaps Seriously Amen "
    "Cheers Wow Oh Hello Hi Wrong Done Period Enough Nobody None Both Neither Anyway Certainly Definitely "
    "Silence Bingo Boom Interesting Imagine Think Look Listen Ready Thank Please Sorry Agreed Obviously".split()
)


@register(
    "suggest_joining_fragment", category="Fluency/Grammar", severity=Severity.MINOR, auto=False,
    gate=lambda text: ". " in text,
)
def suggest_joining_fragment(text: str, ctx: Context):
    """Suggest joining a one- or two-word fragment to the sentence it was split from.

    Finds ``… in the global blockchain field. Eyes.``, ``industrial revitalization.
    Development;``, ``accelerating digitalization. Transformation.`` and participle
    clauses made sentences (``… entrepreneurs. Launched in March 2018.``) and suggests
    joining them (``field eyes.``, ``entrepreneurs, launched in March 2018.``): the join is
    mechanical and usually needs rewording, so a person decides. Leaves alone standalone
    words that are sentences in English (``Yes.``, ``Exactly.``, ``(Laughter).``).

    >>> example(suggest_joining_fragment, "entrepreneurs in the global blockchain field. Eyes.")
    "'. Eyes' -> ' eyes'"
    >>> example(suggest_joining_fragment, "He agreed. Exactly.")
    '(no change)'
    """
    out = []
    for m in _FRAGMENT.finditer(text):
        frag = m.group(1)
        words = frag.split(" ")
        if words[0] in _STANDALONE or (len(words) == 2 and words[1] in _SPEECH_WORDS):
            continue
        out.append((m.start(), m.end(), " " + frag[0].lower() + frag[1:]))
    for m in _PARTICIPLE.finditer(text):
        frag = m.group(1)
        verb = frag.split(" ", 1)[0]
        out.append((m.start(), m.start(1) + len(verb), ", " + verb.lower()))
    return out


_SPEECH_WORDS = frozenset({"said", "says", "added", "asked", "noted", "explained", "replied", "wrote"})


# Words that are never proper nouns: a capitalised one inside a sentence is a stray capital.
CLOSED_CLASS = frozenset(
    "a an the this that these those it its is are was were be been being am has have had do does did will would "
    "shall should can could may might must not no and or but nor so yet for of in on at by to from with without "
    "into onto upon about above below under over between among through during before after since until while "
    "as than then there here where when which who whom whose what why how all any both each every few more most "
    "other some such only own same also very just too our your their his her my we they he she you one".split()
)
# (?<=, )[A-Z][a-z]+\b and (?<=[a-z] )[A-Z][a-z]+(?= [a-z]) with the capital first and the
# look-behind after it: the same matches, but the search skips to capitals at C speed.
_AFTER_COMMA = re.compile(r"[A-Z](?<=, [A-Z])[a-z]+\b")
_MID_SENTENCE = re.compile(r"[A-Z](?<=[a-z] [A-Z])[a-z]+(?= [a-z])")
_SAID = re.compile(r"(?<=\w )(Said|Says)(?= [A-Z])")


_title_memo: list = [None, False]


def _title_case(text: str) -> bool:
    """True for a heading in title case (most words capitalised): capitals there mean nothing."""
    if _title_memo[0] is text:
        return _title_memo[1]
    words = text.count(" ") + 1
    # Capitals that start a word (what r"(?<!\S)[A-Z]" finds), counted from the tokens: \s and
    # str.split agree on whitespace, and no look-behind is tried at every character.
    result = words >= 3 and sum(1 for token in text.split() if "A" <= token[0] <= "Z") * 10 >= words * 6
    _title_memo[0], _title_memo[1] = text, result
    return result


# Brands that are also common words: `apple` in the text is no evidence against `Apple`.
BRANDS = frozenset(
    "Apple Amazon Google Alphabet Meta Shell Target Oracle Gap Visa Subway Jaguar Mercury Puma Dove Pandora "
    "Windows Office Word Edge Chrome Safari Opera Bard Twitter Uber Tesla Huawei Xiaomi Alibaba Tencent".split()
)


def known_lowercase(word: str, ctx: Context) -> bool:
    """True when the surrounding text is evidence that ``word`` is a common word, not a name.

    Evidence is a ratio, not one occurrence: the word (or an inflection of it) appears
    in lower case at least twice, and at least twice as often as it appears capitalised
    inside a sentence (``Party`` ×5 against ``party`` ×1 is a name). Known brands that are
    also common words (``Apple``, ``Shell``) never count.
    """
    low = word.lower()
    if low in CLOSED_CLASS:
        return True
    vocab = ctx.vocabulary
    if vocab is None or word in BRANDS:
        return False
    words = vocab.words()
    stem = low[:-1] if low.endswith("e") else low
    forms = (low, low + "s", low + "d", low + "ed", stem + "ing", low + "ly", stem + "ed")
    lower = sum(words.get(form, 0) for form in forms)
    return lower >= 2 and lower >= 2 * vocab.capitalised(low)


@register(
    "suggest_lowercase_after_comma", category="Fluency/Spelling", severity=Severity.MINOR, auto=False,
    scope=Scope.DOCUMENT, gate=lambda text: ", " in text,
)
def suggest_lowercase_after_comma(text: str, ctx: Context):
    """Suggest lower-casing a capitalised common word after a comma.

    Finds ``…blockchain technology, Become an important topic``: a capital after a comma
    where the surrounding text (document, corpus or input chunk) uses the word in lower
    case often enough to be evidence (``known_lowercase``: twice, and twice as often as
    capitalised), so it is not a proper noun. Suggestion only. Leaves alone proper nouns
    (``Hainan, Haikou``), names of several words (``Department of Labor``), brands that
    are also common words (``Apple``), ``I``, and title-case lines (headings).

    >>> words = Vocabulary(["becoming a partner", "they become partners"])
    >>> example(suggest_lowercase_after_comma, "How to face the challenges, Become an important topic.", vocabulary=words)
    "'Become' -> 'become'"
    >>> example(suggest_lowercase_after_comma, "Russia, Bahrain, Kazakhstan and Indonesia took part.")
    '(no change)'
    """
    if _title_case(text):
        return ()
    return [
        (m.start(), m.end(), m.group().lower())
        for m in _AFTER_COMMA.finditer(text)
        if m.group() != "I" and not _in_name(text, m.start(), m.end()) and known_lowercase(m.group(), ctx)
    ]


_CONNECTORS = frozenset({"and", "of", "for", "the", "de", "on", "in", "with", "&"})


def _previous_word(text: str, start: int) -> str:
    """The word before position ``start`` (skipping one space)."""
    end = start - 1 if start and text[start - 1] == " " else start
    begin = end
    while begin and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end]


def _in_name(text: str, start: int, end: int) -> bool:
    """True when the capitalised word at ``start:end`` is part of a multi-word name.

    ``Blockchain Research Institute`` (a capital follows), ``Belt and Road``,
    ``Government of Gibraltar`` (a connector, then a capital), or the end of one:
    ``Department of Labor``, ``Socialism with Chinese Characteristics`` (a capital,
    a connector, then this word).
    """
    before = text[:start].split()[-2:]
    if len(before) == 2 and before[1] in _CONNECTORS and before[0][:1].isupper():
        return True
    following = text[end:].split(None, 2)
    if not following:
        return False
    if following[0][:1].isupper():
        return True
    return following[0] in _CONNECTORS and len(following) > 1 and following[1][:1].isupper()


_RESTART = frozenset("The It This These They We There He She Its Their Our".split())


@register(
    "suggest_lowercase_mid_sentence", category="Fluency/Spelling", severity=Severity.MINOR, auto=False,
    scope=Scope.DOCUMENT,
)
def suggest_lowercase_mid_sentence(text: str, ctx: Context):
    """Suggest lower-casing a capitalised common word in the middle of a sentence.

    Finds ``Gibraltar also specializes in Relevant laws`` and a speech verb stranded
    mid-sentence (``Hainan Ecology Said Yang Chunzhi``): a capital between two lower-case
    words (or ``Said`` before a name), where the surrounding text uses the word in lower
    case. Suggestion only. Leaves alone words the text only ever capitalises (names),
    words of a multi-word name (``the Belt and Road``: a capital next to a capital),
    pronouns and articles restarting a sentence (``flag_sentence_restart``), and headings.

    >>> example(suggest_lowercase_mid_sentence, "Gibraltar also specializes in Relevant laws.", vocabulary=Vocabulary(["relevant data", "the relevant laws"]))
    "'Relevant' -> 'relevant'"
    """
    if _title_case(text):
        return ()
    out = [
        (m.start(), m.end(), m.group().lower())
        for m in _MID_SENTENCE.finditer(text)
        if m.group() not in _RESTART
        and _previous_word(text, m.start())[:1].islower()
        and not _in_name(text, m.start(), m.end())
        and known_lowercase(m.group(), ctx)
    ]
    if "Said " in text or "Says " in text:  # the regex's look-behind would try every position
        out.extend((m.start(), m.end(), m.group().lower()) for m in _SAID.finditer(text))
    return out


_RESTART_AT = re.compile(r"(?:(?<=[a-z] )|(?<=[a-z][\"”] ))(The|It|This|These|They|We|There|He|She|Its|Their|Our)(?= [a-z])")


def _may_restart(text: str) -> bool:
    """A word of ``_RESTART`` after a space and before one: cheaper than the look-behinds of ``_RESTART_AT``."""
    return any(f" {word} " in text for word in _RESTART)


@register(
    "flag_sentence_restart", category="Fluency/Grammar", severity=Severity.MINOR, auto=False, gate=_may_restart,
)
def flag_sentence_restart(text: str, ctx: Context):
    """Flag a sentence that starts again in the middle of another.

    Finds ``…promoting various segments of the economy The field has undergone…`` and
    ``one of the "Six Chains" It is to strengthen…``: a capitalised article or pronoun
    right after a lower-case word, where a clause boundary was lost. A flag only: the
    repair is a rewrite. Leaves alone titles (``the film The Matrix Reloaded``: capital
    after capital) and headings.

    >>> example(flag_sentence_restart, "various segments of the economy The field has changed.")
    "flag 'The': a new sentence seems to start inside this one"
    """
    if _title_case(text):
        return ()
    return [(m.start(), m.end(), None, "a new sentence seems to start inside this one") for m in _RESTART_AT.finditer(text)]
