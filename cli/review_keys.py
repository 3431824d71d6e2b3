"""The review application's keys: one small named handler per key, and the key table.

Keys avoid what terminals cannot send or swallow (Ctrl+Enter, Ctrl+S, Ctrl+Q): plain
letters, Enter, Tab, arrows. :data:`KEYS` feeds the bindings
(:func:`mtmend.cli.review_app.build_key_bindings`), the help bar and the ``?`` screen;
each handler's docstring is its help text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prompt_toolkit.application import get_app

from mtmend import review
from mtmend.corpus import realign as realign_text
from mtmend.review import realign
from mtmend.review import Filter, FilterKind
from mtmend.corpus.errors import MtmendError
from mtmend.corpus.model import MQM_CATEGORIES, AuthorKind, Severity

if TYPE_CHECKING:
    from mtmend.cli.review_ui import ReviewUI


def confirm_segment(ui: ReviewUI) -> None:
    """Confirm the segment as reviewed and go to the next (with suggestions pending, asks first)."""
    seg = ui.view()[0]
    waiting = len(ui.session.pending(seg.id))
    if waiting:
        ui.message = (f"{waiting} suggestion{'s' * (waiting > 1)} pending — a: accept all, r: reject all, "
                      "Enter: confirm and keep them open, Esc: back")
        ui.set_mode("pending")
        return
    finish_confirm(ui, review.Pending.KEEP)


def finish_confirm(ui: ReviewUI, pending: review.Pending) -> None:
    """Confirm the current segment, doing ``pending`` with its suggestions, and go to the next."""
    seg = ui.view()[0]
    ui.attempt(lambda: ui.session.confirm(seg.id, pending))
    if ui.message:
        return  # not saved: stay
    nxt = review.step(ui.session.entries, ui.index, 1, ui.accepts)
    if nxt is None:
        ui.message = "segment confirmed; no further segment in this filter"
    else:
        ui.move_to(nxt)


def accept_edit(ui: ReviewUI) -> None:
    """Accept the edit under the cursor (apply a suggestion, confirm a flag)."""
    ann = ui.selected()
    if ann is not None:
        ui.attempt(lambda: ui.session.accept_edit(ann.id) or f"#{ui.cursor + 1} accepted")


def reject_edit(ui: ReviewUI) -> None:
    """Reject the edit under the cursor (an applied one is reverted)."""
    ann = ui.selected()
    if ann is not None:
        ui.attempt(lambda: ui.session.reject_edit(ann.id) or f"#{ui.cursor + 1} rejected")


def accept_all(ui: ReviewUI) -> None:
    """Accept every pending suggestion of the segment that still fits."""
    seg = ui.view()[0]
    ui.attempt(lambda: f"{ui.session.accept_all(seg.id)} suggestions accepted")


def next_edit(ui: ReviewUI) -> None:
    """Move the cursor to the next edit of the segment."""
    ui.cursor = min(ui.cursor + 1, max(len(ui.view()[1]) - 1, 0))


def previous_edit(ui: ReviewUI) -> None:
    """Move the cursor to the previous edit of the segment."""
    ui.cursor = max(ui.cursor - 1, 0)


def edit_target(ui: ReviewUI) -> None:
    """Edit the target in a multi-line editor pre-filled with the current text."""
    ui.edit_target()


def annotate_error(ui: ReviewUI) -> None:
    """Add an error annotation: category, severity, span (empty = whole target), comment."""
    seg, _ = ui.view()
    ann = ui.selected()
    severities = list(Severity)

    def comment(category: str, severity: Severity, span: str) -> None:
        ui.ask("comment (optional):", lambda text: ui.attempt(
            lambda: ui.session.flag(seg.id, category, severity, span=span, comment=text.strip())
            or f"error noted: {category} · {severity.value}"))

    def choose_severity(category: str) -> None:
        ui.pick("Severity", [s.value for s in severities],
                lambda n: ui.ask("erroneous text (empty = whole target):",  # starts empty, never a stale span
                                 lambda span: comment(category, severities[n], span)),
                pos=1)

    # Preset to the category of the rule edit under the cursor: the error is usually about it.
    preset = ann is not None and ann.edit.author_kind is AuthorKind.RULE and ann.edit.category in MQM_CATEGORIES
    start = MQM_CATEGORIES.index(ann.edit.category) if preset else 0
    ui.pick("MQM category", list(MQM_CATEGORIES), lambda n: choose_severity(MQM_CATEGORIES[n]), pos=start)


def split_segment(ui: ReviewUI) -> None:
    """Split the segment at a sentence boundary (either side may keep no sentence: an omission)."""
    seg, anns = ui.view()
    nz, ne = realign.sentence_counts(seg)
    zh, en = realign_text.zh_spans(seg.source), realign_text.en_spans(seg.mt)
    cuts = [(k, j) for k in range(nz + 1) for j in range(ne + 1) if (k, j) not in ((0, 0), (nz, ne))]
    if not cuts:
        ui.message = "one sentence on each side: nothing to split"
        return

    def label(k: int, j: int) -> str:
        left = seg.source[zh[k - 1][0] : zh[k - 1][1]][-12:] if k else "∅"
        right = seg.mt[en[j - 1][0] : en[j - 1][1]][-24:] if j else "∅"
        return f"{k}:{j}  zh …{left} ‖   en …{right} ‖"

    omitted = next((a for a in anns if a.edit.author == "omission-check" and a.state.value == "suggested"), None)
    preset = (1, 0) if omitted is not None and omitted.edit.start == 0 else (nz - 1, ne) if omitted else (1, 1)
    pos = cuts.index(preset) if preset in cuts else 0
    ui.pick("Split after (Chinese:English sentences kept first)", [label(k, j) for k, j in cuts],
            lambda n: ui.attempt(lambda: ui.session.split(seg.id, *cuts[n]) and f"split at {cuts[n][0]}:{cuts[n][1]}"),
            pos=pos)


def merge_segment(ui: ReviewUI) -> None:
    """Merge the segment with the next one into one bead."""
    seg = ui.view()[0]
    ui.attempt(lambda: ui.session.merge(seg.id) and "merged with the next segment")


def move_sentence(ui: ReviewUI) -> None:
    """Move a sentence across the boundary with the next segment (either side, either way)."""
    seg = ui.view()[0]
    moves = [("zh", True, "last Chinese sentence → next segment"), ("en", True, "last English sentence → next segment"),
             ("zh", False, "first Chinese sentence of the next ← here"),
             ("en", False, "first English sentence of the next ← here")]
    ui.pick("Move a sentence", [m[2] for m in moves],
            lambda n: ui.attempt(lambda: ui.session.move_sentence(seg.id, moves[n][0], moves[n][1])
                                 and f"moved: {moves[n][2]}"))


def next_segment(ui: ReviewUI) -> None:
    """Go to the next segment (within the filter)."""
    _go(ui, review.step(ui.session.entries, ui.index, 1, ui.accepts), "last segment in this filter")


def previous_segment(ui: ReviewUI) -> None:
    """Go to the previous segment (within the filter)."""
    _go(ui, review.step(ui.session.entries, ui.index, -1, ui.accepts), "first segment in this filter")


def next_issue(ui: ReviewUI) -> None:
    """Go to the next segment with open issues."""
    _go(ui, review.step(ui.session.entries, ui.index, 1, lambda e: e.open_issues > 0), "no open issues further on")


def previous_issue(ui: ReviewUI) -> None:
    """Go to the previous segment with open issues."""
    _go(ui, review.step(ui.session.entries, ui.index, -1, lambda e: e.open_issues > 0), "no open issues before")


def go_to_segment(ui: ReviewUI) -> None:
    """Go to a segment number of the current document."""
    doc = ui.session.entries[ui.index].doc
    total = ui.session.counts[doc].segments

    def go(text: str) -> None:
        if not text.strip().isdigit() or not 1 <= int(text) <= total:
            ui.message = f"give a segment number from 1 to {total}"
            return
        ui.move_to(ui.session.starts[doc] + int(text) - 1)

    ui.ask(f"go to segment (1–{total}):", go)


def choose_filter(ui: ReviewUI) -> None:
    """Filter segments: all, open issues, unreviewed, by rule (author) or by category."""
    authors, categories = ui.session.facets()
    filters = [Filter(), Filter(FilterKind.OPEN), Filter(FilterKind.UNREVIEWED)]
    filters += [Filter(FilterKind.RULE, a) for a in authors] + [Filter(FilterKind.CATEGORY, c) for c in categories]

    def choose(n: int) -> None:
        ui.flt = filters[n]
        ui.annotated = ui.session.annotated(ui.flt)
        if not ui.accepts(ui.session.entries[ui.index]):
            found = review.step(ui.session.entries, -1, 1, ui.accepts)
            if found is None:
                ui.message = f"no segment matches filter {ui.flt}"
                return
            ui.move_to(found)
        ui.message = f"filter: {ui.flt}"

    ui.pick("Filter", [str(f) for f in filters], choose, pos=filters.index(ui.flt) if ui.flt in filters else 0)


def search(ui: ReviewUI) -> None:
    """Search source, MT and target for text (Enter again on the same text finds the next)."""

    def find(text: str) -> None:
        ui.last_search = text
        found = ui.session.search(text, ui.index)
        _go(ui, found, f"{text!r} not found")

    ui.ask("search:", find, ui.last_search)


def undo_decision(ui: ReviewUI) -> None:
    """Undo the last decision (also one made before a restart)."""
    try:
        segment_id = ui.session.undo()
    except MtmendError as exc:
        ui.message = f"cannot undo: {exc}"
        return
    if segment_id is None:
        ui.message = "nothing to undo"
        return
    index = ui.session.index_of(segment_id)
    if index is not None:
        ui.move_to(index)
    else:
        ui.changed()
    ui.message = "last decision undone"


def add_term(ui: ReviewUI) -> None:
    """Add the selected source word and its translation to the glossary, proposed everywhere."""
    seg, _ = ui.view()
    zh_default = ui.words(seg)[ui.word] if ui.segmented else ""

    def ask_en(zh: str) -> None:
        ui.ask(f"translation of {zh}:", lambda en: ask_forbidden(zh, en))

    def ask_forbidden(zh: str, en: str) -> None:
        ui.ask("forbidden variants, separated by | (optional):",
               lambda text: ui.attempt(lambda: _term(ui, seg.id, zh, en, text)))

    ui.ask("glossary term (Chinese):", ask_en, zh_default)


def toggle_words(ui: ReviewUI) -> None:
    """Show the source cut into words (jieba) or as written."""
    ui.segmented = not ui.segmented
    ui.word = 0


def next_word(ui: ReviewUI) -> None:
    """Select the next source word (with word segmentation on)."""
    if ui.segmented:
        ui.word = min(ui.word + 1, len(ui.words(ui.view()[0])) - 1)


def previous_word(ui: ReviewUI) -> None:
    """Select the previous source word (with word segmentation on)."""
    ui.word = max(ui.word - 1, 0)


def show_help(ui: ReviewUI) -> None:
    """Show every key and what it does."""
    ui.set_mode("help")


def quit_review(ui: ReviewUI) -> None:
    """Quit (every decision is already saved)."""
    get_app().exit()


def _go(ui: ReviewUI, index: int | None, otherwise: str) -> None:
    """Move to ``index``, or say ``otherwise`` when there is nowhere to go."""
    if index is None:
        ui.message = otherwise
    else:
        ui.message = ""
        ui.move_to(index)


def _term(ui: ReviewUI, segment_id: int, zh: str, en: str, forbidden: str) -> str:
    """Add the glossary entry; the message says how many suggestions it made."""
    n = ui.session.add_term(segment_id, zh, en, [f.strip() for f in forbidden.split("|")])
    return f"glossary: {zh.strip()} → {en.strip()} added; {n} suggestions proposed"


@dataclass(frozen=True, slots=True)
class Key:
    """One entry of the key table: the keys, the handler they run, the help-bar label."""

    keys: tuple[str, ...]
    handler: Callable[[ReviewUI], None]
    label: str = ""  # shown in the help bar when set


# The keys, in the order the help bar and the ? screen list them.
KEYS: tuple[Key, ...] = (
    Key(("enter",), confirm_segment, "confirm"),
    Key(("a",), accept_edit, "accept"),
    Key(("r",), reject_edit, "reject"),
    Key(("A",), accept_all, "accept all"),
    Key(("tab", "right"), next_edit, "next edit"),
    Key(("s-tab", "left"), previous_edit),
    Key(("e",), edit_target, "edit"),
    Key(("S",), split_segment, "split"),
    Key(("J",), merge_segment, "join"),
    Key(("x",), move_sentence),
    Key(("m",), annotate_error, "mark error"),
    Key(("j", "down"), next_segment, "next"),
    Key(("k", "up"), previous_segment, "prev"),
    Key(("n",), next_issue, "next issue"),
    Key(("p",), previous_issue),
    Key((":",), go_to_segment, "go to"),
    Key(("f",), choose_filter, "filter"),
    Key(("/",), search, "search"),
    Key(("u",), undo_decision, "undo"),
    Key(("t",), add_term, "term"),
    Key(("w",), toggle_words, "words"),
    Key((">",), next_word),
    Key(("<",), previous_word),
    Key(("?",), show_help, "help"),
    Key(("q",), quit_review, "quit"),
)

_NAMES = {"enter": "Enter", "tab": "Tab", "s-tab": "S-Tab", "right": "→", "left": "←", "down": "↓", "up": "↑"}


def key_names(key: Key) -> str:
    """The keys as the help shows them: ``Tab/→``."""
    return "/".join(_NAMES.get(k, k) for k in key.keys)


def help_screen(ui: ReviewUI):
    """The ``?`` screen: every key with its handler's docstring, then the notation."""
    out = [("class:label", "Keys (any key closes this screen)\n\n")]
    for key in KEYS:
        out.append(("class:label", f"  {key_names(key):<14}"))
        out.append(("", f"{key.handler.__doc__}\n"))
    out.append(("", "\nEditor: Enter saves, Alt-Enter (Esc Enter) inserts a line break, Ctrl-G or Esc cancels.\n"
                "Target notation: [-deleted-] {+inserted+} (applied changes against the MT),\n"
                "{~~old~>new~~}#n pending suggestion n, {==text==}#n flagged error n.\n"
                "Status marks: · raw  ~ auto-fixed  ✓ reviewed  !n open issues.\n"))
    return out


def help_bar(ui: ReviewUI):
    """The labelled keys at the bottom, wrapped to the terminal's width."""
    if ui.mode == "pending":
        return [("class:helpbar", " a accept all + confirm · r reject all + confirm · Enter confirm, keep open · Esc back ")]
    if ui.mode != "main":
        return [("class:helpbar", " Enter confirms · Esc/Ctrl-G cancels ")]
    width = get_app().output.get_size().columns
    lines, line = [], ""
    for item in (f"{key_names(k)} {k.label}" for k in KEYS if k.label):
        if line and len(line) + len(item) + 3 > width:  # wrap between items, never inside one
            lines.append(line)
            line = ""
        line = f"{line} · {item}" if line else f" {item}"
    lines.append(line)
    return [("class:helpbar", "\n".join(lines))]

