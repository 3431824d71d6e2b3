"""Interview layout: question and answer labels."""

from __future__ import annotations

import re

from mtmend.cleaner.layout import is_structure
from mtmend.cleaner.rule import Context, Scope, register
from mtmend.corpus.model import Severity

QUESTION_LABEL = re.compile(r"(Q|Question|问)\s*([:：])")
_ANY_LABEL = re.compile(r"[A-Z][A-Za-z]{0,9}\s*[:：]|[问答]\s*[:：]|\d")
ANSWER_FOR = {"Q": "A", "Question": "Answer", "问": "答"}


def question_label(text: str) -> str | None:
    """The label of a question paragraph (``Q:``, ``Question:``), or ``None``.

    >>> question_label("Q: What is blockchain?"), question_label("Quite right."), question_label("Q:")
    ('Q:', None, None)
    """
    m = QUESTION_LABEL.match(text)
    if m is None or not text[m.end() :].strip():
        return None  # a lone label: the question itself follows, not the answer
    return m.group(1) + m.group(2)


@register(
    "restore_answer_label", category="Design and markup/Markup", severity=Severity.MINOR, auto=True,
    scope=Scope.DOCUMENT,
)
def restore_answer_label(text: str, ctx: Context):
    """Restore the ``A:`` label of an answer that follows a ``Q:`` question.

    Fixes an interview where one answer lost its label: the paragraph right after a
    ``Q:`` paragraph starts without ``A:``, so ``A: `` is inserted (``Answer:`` after
    ``Question:``). Needs the previous paragraph. Leaves alone a paragraph that already
    starts with a label (``A:``, a speaker's name and colon, a list number), Markdown
    structure (a code fence, a list item, a table row, a heading), paragraphs after a lone
    ``Q:`` line, and paragraphs that do not follow a question.

    >>> example(restore_answer_label, "Blockchain is a technology.", after_question="Q:")
    'A: Blockchain is a technology.'
    >>> example(restore_answer_label, "A: Blockchain is a technology.", after_question="Q:")
    '(no change)'
    """
    label = ctx.after_question
    if not label or _ANY_LABEL.match(text) or is_structure(text):
        return ()
    answer = ANSWER_FOR.get(label[:-1], "A") + label[-1]
    return ((0, 0, answer + ("" if label[-1] == "：" else " ")),)
