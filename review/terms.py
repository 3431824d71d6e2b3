"""Glossary work in review: a term added by the reviewer, proposed to every segment.

Mixed into :class:`~mtmend.review.session.ReviewSession`; the entry goes to the
workspace's ``glossary.tsv`` and each proposal is an open suggestion of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mtmend.cleaner.glossary import WORKSPACE_FILE
from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Edit, EditState, Segment
from mtmend.review import undo as undo_steps

GLOSSARY_FILE = WORKSPACE_FILE


class TermDecisions:
    """The add-a-term decision of a review session."""

    def add_term(self, segment_id: int, zh: str, en: str, forbidden: Sequence[str] = (), note: str = "") -> int:
        """Add a glossary entry and propose it to every segment of the workspace; returns how many.

        The entry goes to ``glossary.tsv`` in the workspace folder; each proposal is a
        SUGGESTED annotation of its own (undo retracts the proposals; the entry stays).
        """
        zh, en = zh.strip(), en.strip()
        if not zh or not en:
            raise InputError("a glossary entry needs both the Chinese term and its English translation")
        from mtmend.cleaner import glossary as gloss

        path = self.ws.folder / GLOSSARY_FILE
        entry = gloss.Glossary.add_entry(path, zh, en, forbidden=tuple(f for f in forbidden if f.strip()), note=note)
        proposals = _term_proposals(entry)
        made: list[int] = []

        def work(seg: Segment) -> list[dict]:
            for other in self.ws.all_segments():
                if zh not in other.source:
                    continue
                pending = {(a.edit.before, a.edit.after) for a in self.ws.annotations(other.id, [EditState.SUGGESTED])}
                for edit in proposals(other.source, other.target):
                    if (edit.before, edit.after) not in pending:
                        ann = self.ws.add_annotation(other.id, edit, EditState.SUGGESTED, pass_id=self.pass_id)
                        made.append(ann.id)
                        pending.add((edit.before, edit.after))
            return [undo_steps.retract(i) for i in made]

        self._decide(segment_id, "term", work)
        return len(made)


def _term_proposals(entry) -> Callable[[str, str], list[Edit]]:
    """Proposals of the new entry only: the others are the cleaner's job (and already proposed)."""
    from mtmend.cleaner import glossary as gloss

    return gloss.Glossary((entry,), GLOSSARY_FILE).propose
