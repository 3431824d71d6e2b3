"""The review application's state: where the reviewer is and what the screen shows.

:class:`ReviewUI` holds the current segment, the edit under the cursor, the filter,
the mode (main view, help, a picker, a question, the editor) and the open dialog; the
screens of :mod:`mtmend.cli.review_screens` read it and the key handlers of
:mod:`mtmend.cli.review_keys` change it. Decisions go to the
:class:`~mtmend.review.session.ReviewSession`, which commits them before returning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from prompt_toolkit.application import get_app
from prompt_toolkit.layout import Window
from prompt_toolkit.widgets import TextArea

from mtmend import review
from mtmend.review import Filter, ReviewSession
from mtmend.corpus.errors import MtmendError
from mtmend.corpus.model import MQM_CATEGORIES, EditState, Severity


@dataclass
class Picker:
    """An open list to choose from: what ``choose`` gets is the index at ``pos``."""

    title: str
    options: list[str]
    pos: int
    choose: Callable[[int], None]


class ReviewUI:
    """What the screen shows and where the reviewer is; decisions go to the session."""

    def __init__(self, session: ReviewSession):
        self.session = session
        self.index = review.first_unreviewed(session.entries)
        self.flt = Filter()
        self.annotated: frozenset[int] = frozenset()
        self.cursor = 0
        self.segmented = False
        self.word = 0
        self.message = ""
        self.mode = "main"  # main | help | pick | ask | edit | empty | pending
        self.picker: Picker | None = None
        self.ask_label = ""
        self.on_answer: Callable[[str], None] | None = None
        self.last_search = ""
        self.ask_box = TextArea(multiline=False, accept_handler=self._answered)
        self.editor = TextArea(multiline=True, wrap_lines=True, scrollbar=False)
        self.main_window: Window | None = None  # set by build_body
        self.focus_targets: dict[str, object] = {}  # mode -> what takes the keys (set by build_body)
        self._cache: tuple | None = None
        self._words: dict[int, list[str]] = {}
        self.version = 0
        self.move_to(self.index)

    # ---------------------------------------------------------------- reading
    def view(self):
        """The current segment and its annotations (cached until a decision or a move)."""
        key = (self.index, self.version)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self.session.segment_at(self.index), self.session.annotations_at(self.index))
        return self._cache[1], self._cache[2]

    def selected(self):
        """The annotation under the cursor (None: the segment has none)."""
        anns = self.view()[1]
        return anns[self.cursor] if anns else None

    def words(self, seg) -> list[str]:
        """The segment's source cut into words (cached per segment)."""
        if seg.id not in self._words:
            self._words[seg.id] = segment_words(seg.source)
        return self._words[seg.id]

    def accepts(self, entry) -> bool:
        """Whether the filter keeps a navigation entry."""
        return review.matches(entry, self.flt, self.annotated)

    # ---------------------------------------------------------------- moving
    def move_to(self, index: int) -> None:
        """Show segment ``index``, cursor on its first pending suggestion."""
        self.index = index
        self.version += 1
        anns = self.view()[1] if self.session.entries else []
        self.cursor = next((i for i, a in enumerate(anns) if a.state is EditState.SUGGESTED), 0)
        self.word = 0

    def changed(self) -> None:
        """After a decision: re-read the segment, keep the cursor in range."""
        self.version += 1
        anns = self.view()[1]
        self.cursor = min(self.cursor, max(len(anns) - 1, 0))

    def attempt(self, action: Callable[[], str | None]) -> None:
        """Run a decision; a problem (conflict, busy workspace…) becomes the message line."""
        try:
            self.message = action() or ""
        except MtmendError as exc:
            self.message = f"not saved: {exc}"
        self.changed()

    # ---------------------------------------------------------------- dialogs
    def pick(self, title: str, options: list[str], choose: Callable[[int], None], pos: int = 0) -> None:
        """Open a picker; Enter calls ``choose`` with the chosen index."""
        self.picker = Picker(title, options, pos, choose)
        self.set_mode("pick")

    def ask(self, label: str, answer: Callable[[str], None], default: str = "") -> None:
        """Ask one line in the question row; Enter calls ``answer`` with it."""
        self.ask_label, self.on_answer = label, answer
        self.ask_box.text = default
        self.ask_box.buffer.cursor_position = len(default)
        self.set_mode("ask")

    def set_mode(self, mode: str) -> None:
        """Switch what the screen shows and focus the window that takes the keys."""
        self.mode = mode
        get_app().layout.focus(self.focus_targets[mode])

    def focus_main(self) -> None:
        """Back to the segment view."""
        self.set_mode("main")

    def _answered(self, buffer) -> bool:
        """The question row's Enter: close it, then pass the answer on."""
        answer, self.on_answer = self.on_answer, None
        self.focus_main()
        if answer is not None:
            answer(buffer.text)
        return self.mode == "ask"  # a follow-up question: keep the text the next ask() put there

    def edit_target(self) -> None:
        """Open the editor on the current target."""
        seg = self.view()[0]
        self.editor.text = seg.target
        self.editor.buffer.cursor_position = len(seg.target)
        self.set_mode("edit")

    def save_edit(self, allow_empty: bool = False) -> None:
        """Store the editor's text as a hand edit (an empty one only after a second yes)."""
        text = self.editor.text
        if not text.strip() and not allow_empty:
            self.set_mode("empty")
            return
        self.focus_main()
        seg = self.view()[0]
        self.attempt(lambda: "target edited" if self.session.hand_edit(seg.id, text, allow_empty=True)
                     else "target unchanged")
        if self.message == "target edited":
            self.categorise(list(self.session.last_edit))

    def categorise(self, edit_ids: list[int]) -> None:
        """The quick picker after a hand edit: what it corrected (Enter or Esc: a plain correction)."""
        plain = f"a correction ({review.HAND_EDIT_CATEGORY} · Neutral)"
        options = [plain, *MQM_CATEGORIES]
        severities = [Severity.MINOR, Severity.MAJOR, Severity.CRITICAL]

        def severity(category: str) -> None:
            self.pick(f"Severity of the {category} error", [s.value for s in severities],
                      lambda n: self.attempt(lambda: self.session.categorise(edit_ids, category, severities[n])
                                             or f"edit categorised: {category} · {severities[n].value}"))

        self.pick("What did the edit correct? (Enter or Esc: a plain correction)", options,
                  lambda n: severity(options[n]) if n else None)


def segment_words(source: str) -> list[str]:
    """The Chinese source cut into words by jieba, loaded on first use and silenced."""
    from mtmend.corpus.zhsegment import words

    return words(source)
