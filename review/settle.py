"""What a reviewer's decision settled, with the undo steps that put it back.

Open suggestions the decision made (the same change typed by hand) and flags whose text is
gone are resolved; a flag about the whole segment stays open, following the edited target,
until its rule no longer raises it (:func:`mtmend.cleaner.recheck.still_holds`, with the
workspace's ``glossary.tsv`` for the glossary's flags).
"""

from __future__ import annotations

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.recheck import still_holds
from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Edit, Segment
from mtmend.corpus.store import Workspace
from mtmend.review import undo as undo_steps
from mtmend.review.terms import GLOSSARY_FILE


def after_decision(ws: Workspace, before: Segment) -> list[dict]:
    """Settle segment ``before.id`` after a decision changed it from ``before``; the undo steps."""
    target = ws.segment(before.id).target
    config: list[CleanConfig] = []  # loaded on first need: most segments have no whole-segment flag

    def holds(edit: Edit) -> bool | None:
        if not config:
            config.append(CleanConfig(glossary=_glossary(ws)))
        return still_holds(edit, before.source, target, config[0])

    return [undo_steps.restore(ann) for ann in ws.settle(before.id, previous=before.target, holds=holds)]


def _glossary(ws: Workspace):
    from mtmend.cleaner.glossary import Glossary

    path = ws.folder / GLOSSARY_FILE
    try:
        return Glossary.load(path) if path.is_file() else None
    except InputError:
        return None  # a glossary being edited by hand: its flags wait for the next clean
