"""Sentence splitting for Chinese sources and English machine translations.

Two pure functions, :func:`split_zh` and :func:`split_en`, each taking a text and
returning its sentences, stripped, never empty. A line break always ends a sentence
on both sides: machine-translated articles come one paragraph (or headline) per line,
and a headline has no full stop.

Everything here is regular expressions compiled once at import (cheap) and plain
string tests; nothing is loaded at import time.
"""

from __future__ import annotations

import re

__all__ = ["split_en", "split_zh"]

# --- Chinese ------------------------------------------------------------------------

# A run of sentence terminators (。！？；, half-width !?, the ellipsis …/…… and "...")
# followed by any closing quotes or brackets, which stay with the sentence.
_ZH_CLOSERS = "”’」』）》】〉\"')］]"
_ZH_END = re.compile(r"(?:[。！？；!?]|…+|\.{3,})+[" + re.escape(_ZH_CLOSERS) + r"]*")
_LINES = re.compile(r"[\r\n\u2028\u2029]+")


def split_zh(text: str) -> list[str]:
    """Split Chinese text into sentences.

    A sentence ends after 。！？；, the ellipsis (… or ……), half-width ``!``/``?``,
    or any run of these (``！？``, ``。。``), together with the closing quotes and
    brackets that follow (”’」』）》】). A line break also ends a sentence.
    Commas (，、) and colons (：) never split; a quotation that ends in 。” is its own
    sentence, as in most Chinese sentence splitters.

    >>> split_zh("他说：“你好。”然后走了！真的吗？？对……好")
    ['他说：“你好。”', '然后走了！', '真的吗？？', '对……', '好']
    """
    sentences: list[str] = []
    for line in _LINES.split(text):
        pieces: list[str] = []
        start = 0
        for match in _ZH_END.finditer(line):
            _append_stripped(pieces, line[start : match.end()])
            start = match.end()
        _append_stripped(pieces, line[start:])
        sentences.extend(_attach_stray_punctuation(pieces))
    return sentences


def _append_stripped(sentences: list[str], piece: str) -> None:
    """Append ``piece`` stripped of whitespace, unless nothing is left."""
    piece = piece.strip()
    if piece:
        sentences.append(piece)


def _attach_stray_punctuation(pieces: list[str]) -> list[str]:
    """Glue pieces without a letter or digit (a lone ``"`` or ``”``) to the one before."""
    out: list[str] = []
    for piece in pieces:
        if out and not any(ch.isalnum() for ch in piece):
            out[-1] += piece
        else:
            out.append(piece)
    return out


# --- English ------------------------------------------------------------------------

# A candidate boundary: terminators, closing quotes/brackets, whitespace, and then
# something that can start a sentence (capital, digit, opening quote or bracket).
_EN_BOUNDARY = re.compile(r"(?P<end>[.?!…]+)(?P<close>[\"'”’)\]»]*)(?P<space>\s+)(?=[A-Z0-9“‘\"'(\[«])")

# Abbreviations after which a full stop never ends a sentence (matched on the
# token before the dot, with its inner dots; case-sensitive where case matters).
_ABBREVIATIONS = frozenset(
    """
    Mr Mrs Ms Mx Dr Prof Sr Jr St Mt Ft Rev Hon Gen Gov Sen Rep Col Capt Lt Sgt Maj
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
    Inc Ltd Co Corp Bros Dept Univ Assn Ave Blvd Rd
    etc vs cf al approx est fig figs
    e.g i.e a.m p.m U.S U.K U.N E.U U.S.A P.R.C D.C
    """.split()
)
# Abbreviations that only hold before a number ("No. 5", "pp. 10").
_NUMERIC_ABBREVIATIONS = frozenset("No Nos no nos Vol vol pp p Art art Ch ch".split())
_INITIAL = re.compile(r"^[A-Z]$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, e.g, i.e, a.m, U.S.A
_LIST_NUMBER = re.compile(r"^(?:\d{1,3}|[A-Za-z]|[ivxlcdm]{1,5}|[IVXLCDM]{1,5})$")
_OPENERS = "\"'“‘([«"

# Missing space after a full stop (MT damage: "initiative.Chinese").
_GLUED = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z]+)")
_TOKEN = re.compile(r"\S+")
_URLISH = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|edu|cn|io|uk|de)\b", re.IGNORECASE)
_EXTENSIONS = frozenset(
    """
    txt pdf doc docx xls xlsx ppt pptx csv tsv json xml html htm md rtf odt
    jpg jpeg png gif svg bmp tif tiff mp3 mp4 avi mov wav zip gz tar rar exe dll
    py js ts java cpp sh bat ini cfg log dat bin iso apk
    com org net gov edu info biz cn io uk jp de fr ru hk tw
    """.split()
)


def split_en(text: str) -> list[str]:
    """Split English text into sentences.

    A sentence ends at ``.``, ``?``, ``!`` or an ellipsis followed by whitespace and a
    capital letter, a digit or an opening quote/bracket; closing quotes and brackets
    after the terminator stay with the sentence. A line break also ends a sentence.

    A full stop does *not* end a sentence after an abbreviation (Mr., Dr., U.S.,
    e.g., etc., Inc., Jan. …), after ``No.``/``Vol.``/``pp.`` before a number, after
    a single capital initial (J. R. R. Tolkien), or after a list number or letter
    opening a line (``1. Scope``). Decimals, times, versions, e-mail and web
    addresses are safe because they have no space after the dot.

    MT damage ``initiative.Chinese`` (a lowercase word of two letters or more, a dot,
    then a capitalised word, no space) *is* split, unless the token looks like an
    address or a file name: it contains ``://``, ``www.``, ``@`` or a common top-level
    domain, or the part after the dot is a known file extension or domain
    (``file.Txt``, ``example.Com``) or is followed by another dot (``a.Example.com``).
    Years and numbers glued to a capital (``2019.The``) are left alone.

    >>> split_en("Mr. Li met Dr. J. R. Smith in the U.S. on Jan. 5. He left at 3.5 p.m.")
    ['Mr. Li met Dr. J. R. Smith in the U.S. on Jan. 5.', 'He left at 3.5 p.m.']
    >>> split_en('It opened.Chinese firms signed. "Good," he said.')
    ['It opened.', 'Chinese firms signed.', '"Good," he said.']
    """
    sentences: list[str] = []
    for line in _LINES.split(text):
        pieces: list[str] = []
        for piece in _split_en_line(line):
            for sentence in _split_glued(piece):
                _append_stripped(pieces, sentence)
        sentences.extend(_attach_stray_punctuation(pieces))
    return sentences


def _split_en_line(line: str) -> list[str]:
    """Split one line at the candidate boundaries that pass :func:`_is_boundary`."""
    pieces: list[str] = []
    start = 0
    for match in _EN_BOUNDARY.finditer(line):
        if _is_boundary(line, start, match):
            pieces.append(line[start : match.end("close")])
            start = match.end()
    pieces.append(line[start:])
    return pieces


# An inverted speech attribution after a closing quote (`… together." Said Farah …`):
# MT damage that belongs to the quoted sentence, so it stays in the quote's segment
# where the cleaner can join it (`… together," said Farah …`).
_INVERTED_ATTRIBUTION = re.compile(
    r"(?:Said|Says|Asked|Added|Explained|Noted|Replied|Stressed|Continued)\s+(?=[A-Z]|the\b|a\b|an\b)"
)


def _is_boundary(line: str, start: int, match: re.Match[str]) -> bool:
    """Decide whether a candidate boundary really ends a sentence."""
    if match.group("close") and _INVERTED_ATTRIBUTION.match(line, match.end()):
        return False
    if match.group("end") != "." or match.group("close"):
        return True
    before = line[start : match.start()].rstrip()
    token = before.rsplit(None, 1)[-1].lstrip(_OPENERS) if before else ""
    if not token:
        return True
    if token in _ABBREVIATIONS or _INITIAL.match(token) or _DOTTED.match(token):
        return False
    if token in _NUMERIC_ABBREVIATIONS and line[match.end() : match.end() + 1].isdigit():
        return False
    if token == before.strip() and _LIST_NUMBER.match(token):
        return False  # "1. Introduction" at the start of a line
    return True


def _split_glued(sentence: str) -> list[str]:
    """Split ``word.Word`` with no space, unless the token is an address or file name."""
    cuts: list[int] = []
    for token in _TOKEN.finditer(sentence):
        text = token.group()
        if "." not in text or _URLISH.search(text):
            continue
        for glued in _GLUED.finditer(text):
            after = re.match(r"[A-Za-z]+", text[glued.end() :]).group()
            rest = text[glued.end() + len(after) :]
            if after.lower() in _EXTENSIONS or rest.startswith(".") and rest[1:2].isalpha():
                continue
            if "." in text[: glued.start()]:
                continue  # a.b.Cde: dotted name, not a sentence end
            cuts.append(token.start() + glued.end())
    if not cuts:
        return [sentence]
    bounds = [0, *cuts, len(sentence)]
    return [sentence[a:b] for a, b in zip(bounds, bounds[1:])]
