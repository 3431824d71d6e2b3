"""The full-screen review application (prompt-toolkit): layout, key bindings, Application, run.

Every decision goes through :class:`mtmend.cleaner.review.ReviewSession`, which commits it
before the handler returns, so the next key is only handled once the decision is on disk.
Keys avoid what terminals cannot send or swallow (Ctrl+Enter, Ctrl+S, Ctrl+Q): plain
letters, Enter, Tab, arrows. The key table :data:`KEYS` feeds the bindings, the help bar
and the ``?`` screen; each handler's docstring is its help text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import ConditionalContainer, DynamicContainer, HSplit, Layout, VSplit, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style
from prompt_toolkit.widgets import TextArea

from mtmend.cleaner import review
from mtmend.cleaner.review import Filter, FilterKind, ReviewSession
from mtmend.corpus.errors import MtmendError
from mtmend.corpus.model import MQM_CATEGORIES, AuthorKind, EditState, Severity, Status

MIN_COLUMNS, MIN_ROWS = 60, 16
CONTEXT = 2  # segments shown above and below the current one
STATUS_MARK = {Status.RAW: "·", Status.AUTO_FIXED: "~", Status.REVIEWED: "✓"}

STYLE = Style.from_dict({
    "status": "reverse",
    "helpbar": "reverse",
    "context": "#888888",
    "label": "bold",
    "current": "bold",
    "del": "#cc0000 strike",
    "ins": "#00aa00 bold",
    "sug": "#0066cc underline",
    "flag": "#aa6600 underline",
    "selected": "reverse",
    "message": "bold",
    "word": "reverse",
    "small": "bold",
})


# ======================================================================= state
@dataclass
class Picker:
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
        self.mode = "main"  # main | help | pick | ask | edit | empty
        self.picker: Picker | None = None
        self.ask_label = ""
        self.on_answer: Callable[[str], None] | None = None
        self.last_search = ""
        self.doc_start = [0] * len(session.documents)
        for i in range(len(session.entries) - 1, -1, -1):
            self.doc_start[session.entries[i].doc] = i
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
            self._cache = (key, self.session.segment(self.index), self.session.annotations(self.index))
        return self._cache[1], self._cache[2]

    def selected(self):
        anns = self.view()[1]
        return anns[self.cursor] if anns else None

    def words(self, seg) -> list[str]:
        if seg.id not in self._words:
            self._words[seg.id] = segment_words(seg.source)
        return self._words[seg.id]

    def accepts(self, entry) -> bool:
        return review.matches(entry, self.flt, self.annotated)

    # ---------------------------------------------------------------- moving
    def move_to(self, index: int) -> None:
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
        self.picker = Picker(title, options, pos, choose)
        self.set_mode("pick")

    def ask(self, label: str, answer: Callable[[str], None], default: str = "") -> None:
        self.ask_label, self.on_answer = label, answer
        self.ask_box.text = default
        self.ask_box.buffer.cursor_position = len(default)
        self.set_mode("ask")

    def set_mode(self, mode: str) -> None:
        """Switch what the screen shows and focus the window that takes the keys."""
        self.mode = mode
        get_app().layout.focus(self.focus_targets[mode])

    def focus_main(self) -> None:
        self.set_mode("main")

    def _answered(self, buffer) -> bool:
        answer, self.on_answer = self.on_answer, None
        self.focus_main()
        if answer is not None:
            answer(buffer.text)
        if self.mode == "ask":
            return True  # a follow-up question: keep the text the next ask() put there
        return False

    def edit_target(self) -> None:
        seg = self.view()[0]
        self.editor.text = seg.target
        self.editor.buffer.cursor_position = len(seg.target)
        self.set_mode("edit")

    def save_edit(self, allow_empty: bool = False) -> None:
        text = self.editor.text
        if not text.strip() and not allow_empty:
            self.set_mode("empty")
            return
        self.focus_main()
        seg = self.view()[0]
        self.attempt(lambda: "target edited" if self.session.hand_edit(seg.id, text, allow_empty=True)
                     else "target unchanged")


# ====================================================================== layout
def segment_words(source: str) -> list[str]:
    """The Chinese source cut into words by jieba, loaded on first use and silenced."""
    import logging

    import jieba

    jieba.setLogLevel(logging.ERROR)
    return [w for w in jieba.lcut(source) if w]


def status_line(ui: ReviewUI):
    s = ui.session
    if not s.entries:
        return [("class:status", " no segments ")]
    entry = s.entries[ui.index]
    counts = s.counts[entry.doc]
    parts = [
        s.documents[entry.doc].name,
        f"segment {entry.position + 1}/{counts.segments}",
        f"reviewed {counts.reviewed}/{counts.segments}",
        f"open issues {counts.open_issues}",
    ]
    quality = s.quality(entry.doc)
    if quality:
        parts.append(quality)
    parts.append(f"filter {ui.flt}")
    return [("class:status", " " + " │ ".join(parts) + " ")]


def _context_line(ui: ReviewUI, i: int):
    e = ui.session.entries[i]
    seg = ui.session.segment(i)
    issues = f" !{e.open_issues}" if e.open_issues else ""
    line = f" {e.position + 1:>5} {STATUS_MARK[e.status]}{issues} {seg.target}"
    width = get_app().output.get_size().columns - 1
    if len(line) > width:  # one line per context segment: the current one gets the room
        line = line[: width - 1] + "…"
    return [("class:context", line + "\n")]


def segment_view(ui: ReviewUI):
    """Context above, the current segment (source, MT, diffed target, edits), context below."""
    s = ui.session
    if not s.entries:
        return [("", "nothing to review")]
    out = []
    for i in range(max(0, ui.index - CONTEXT), ui.index):
        out += _context_line(ui, i)
    seg, anns = ui.view()
    entry = s.entries[ui.index]
    out.append(("class:current", f"▶{entry.position + 1:>5} {STATUS_MARK[entry.status]} {entry.status.value}"
                f"  open issues: {entry.open_issues}\n"))
    out.append(("class:label", "  ZH  "))
    if ui.segmented:
        for n, w in enumerate(ui.words(seg)):
            out.append(("class:word" if n == ui.word else "", f"[{w}]" if n == ui.word else w))
            out.append(("", " "))
    else:
        out.append(("", seg.source))
    out += [("", "\n"), ("class:label", "  MT  "), ("", seg.mt + "\n"), ("class:label", "  TGT ")]
    selected = ui.cursor + 1 if anns else 0
    for kind, text in review.target_pieces(seg.mt, seg.target, review.inline_marks(seg.target, anns)):
        style = f"class:{kind}" if kind != "same" else ""
        if kind in ("sug", "flag") and text.endswith(f"#{selected}"):
            style += " class:selected"
        out.append((style, text))
    out.append(("", "\n"))
    for n, ann in enumerate(anns, 1):
        mark = "▶" if n == selected else " "
        out.append(("class:selected" if n == selected else "", f"  {mark} #{n} {review.edit_label(ann)}\n"))
    if not anns:
        out.append(("class:context", "    (no edits)\n"))
    for i in range(ui.index + 1, min(len(s.entries), ui.index + 1 + CONTEXT)):
        out += _context_line(ui, i)
    return out


def help_screen(ui: ReviewUI):
    out = [("class:label", "Keys (any key closes this screen)\n\n")]
    for key in KEYS:
        out.append(("class:label", f"  {key_names(key):<14}"))
        out.append(("", f"{key.handler.__doc__}\n"))
    out.append(("", "\nEditor: Enter saves, Alt-Enter (Esc Enter) inserts a line break, Ctrl-G or Esc cancels.\n"
                "Target notation: [-deleted-] {+inserted+} (applied changes against the MT),\n"
                "{~~old~>new~~}#n pending suggestion n, {==text==}#n flagged error n.\n"
                "Status marks: · raw  ~ auto-fixed  ✓ reviewed  !n open issues.\n"))
    return out


def picker_view(ui: ReviewUI):
    p = ui.picker
    out = [("class:label", f"{p.title}  (↑/↓ or j/k, Enter chooses, Esc or Ctrl-G cancels)\n\n")]
    rows = max(get_app().output.get_size().rows - 8, 5)
    top = max(0, min(p.pos - rows // 2, len(p.options) - rows))
    for n in range(top, min(len(p.options), top + rows)):
        out.append(("class:selected" if n == p.pos else "", f" {'▶' if n == p.pos else ' '} {p.options[n]}\n"))
    return out


def too_small() -> bool:
    size = get_app().output.get_size()
    return size.columns < MIN_COLUMNS or size.rows < MIN_ROWS


def too_small_view():
    size = get_app().output.get_size()
    return [("class:small", f"Terminal too small ({size.columns}x{size.rows}): mtmend review needs at least "
             f"{MIN_COLUMNS}x{MIN_ROWS}.\nEnlarge the window, or quit with q and use mtmend review --plain.")]


def editor_heading(ui: ReviewUI):
    seg = ui.view()[0]
    note = ("EMPTY target: y stores it (the segment gets no translation), any other key goes back"
            if ui.mode == "empty" else "Edit the target: Enter saves, Alt-Enter adds a line break, Ctrl-G/Esc cancels")
    return [("class:label", "  ZH  "), ("", seg.source + "\n"), ("class:label", "  MT  "), ("", seg.mt + "\n"),
            ("class:message", note)]


def build_body(ui: ReviewUI):
    """The middle of the screen: one of the segment view, help, a picker, the editor, or a warning."""
    main = Window(FormattedTextControl(lambda: segment_view(ui), focusable=True), wrap_lines=True)
    heading = Window(FormattedTextControl(lambda: editor_heading(ui), focusable=True), wrap_lines=True,
                     dont_extend_height=True)
    views = {
        "main": main,
        "ask": main,
        "help": Window(FormattedTextControl(lambda: help_screen(ui), focusable=True), wrap_lines=True),
        "pick": Window(FormattedTextControl(lambda: picker_view(ui), focusable=True)),
        "edit": HSplit([heading, ui.editor]),
    }
    views["empty"] = views["edit"]
    ui.main_window = main
    ui.focus_targets = {"main": main, "ask": ui.ask_box, "help": views["help"], "pick": views["pick"],
                        "edit": ui.editor, "empty": heading}
    small = Window(FormattedTextControl(too_small_view, focusable=True), wrap_lines=True)
    return DynamicContainer(lambda: small if too_small() else views[ui.mode])


def help_bar(ui: ReviewUI):
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


def build_layout(ui: ReviewUI) -> Layout:
    asking = Condition(lambda: ui.mode == "ask")
    ask_row = VSplit([Window(FormattedTextControl(lambda: [("class:label", ui.ask_label + " ")]),
                             dont_extend_width=True), ui.ask_box])
    root = HSplit([
        Window(FormattedTextControl(lambda: status_line(ui)), height=1, style="class:status"),
        build_body(ui),
        ConditionalContainer(ask_row, filter=asking),
        Window(FormattedTextControl(lambda: [("class:message", ui.message)]), height=1),
        Window(FormattedTextControl(lambda: help_bar(ui)), height=2, wrap_lines=True, style="class:helpbar"),
    ])
    return Layout(root, focused_element=ui.main_window)


# ================================================================ key bindings
def confirm_segment(ui: ReviewUI) -> None:
    """Accept the segment: confirm it as reviewed (pending suggestions are rejected) and go to the next."""
    seg = ui.view()[0]
    ui.attempt(lambda: ui.session.confirm(seg.id))
    nxt = review.step(ui.session.entries, ui.index, 1, ui.accepts)
    if nxt is None:
        ui.message = "segment confirmed; no further segment in this filter"
    else:
        ui.move_to(nxt)


def accept_edit(ui: ReviewUI) -> None:
    """Accept the edit under the cursor (apply a suggestion, confirm a flag)."""
    ann = ui.selected()
    if ann is not None:
        ui.attempt(lambda: ui.session.accept(ann.id) or f"#{ui.cursor + 1} accepted")


def reject_edit(ui: ReviewUI) -> None:
    """Reject the edit under the cursor (an applied one is reverted)."""
    ann = ui.selected()
    if ann is not None:
        ui.attempt(lambda: ui.session.reject(ann.id) or f"#{ui.cursor + 1} rejected")


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
        default = ann.edit.before if ann is not None and ann.edit.before in seg.target else ""
        ui.pick("Severity", [s.value for s in severities],
                lambda n: ui.ask("erroneous text (empty = whole target):",
                                 lambda span: comment(category, severities[n], span), default),
                pos=1)

    # Preset to the category of the rule edit under the cursor: the error is usually about it.
    preset = ann is not None and ann.edit.author_kind is AuthorKind.RULE and ann.edit.category in MQM_CATEGORIES
    start = MQM_CATEGORIES.index(ann.edit.category) if preset else 0
    ui.pick("MQM category", list(MQM_CATEGORIES), lambda n: choose_severity(MQM_CATEGORIES[n]), pos=start)


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
        ui.move_to(ui.doc_start[doc] + int(text) - 1)

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
    ui.move_to(index) if index is not None else ui.changed()
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
    if index is None:
        ui.message = otherwise
    else:
        ui.message = ""
        ui.move_to(index)


def _term(ui: ReviewUI, segment_id: int, zh: str, en: str, forbidden: str) -> str:
    n = ui.session.add_term(segment_id, zh, en, [f.strip() for f in forbidden.split("|")])
    return f"glossary: {zh.strip()} → {en.strip()} added; {n} suggestions proposed"


@dataclass(frozen=True, slots=True)
class Key:
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
    return "/".join(_NAMES.get(k, k) for k in key.keys)


def build_key_bindings(ui: ReviewUI) -> KeyBindings:
    kb = KeyBindings()
    main = Condition(lambda: ui.mode == "main" and not too_small())
    for key in KEYS:
        for k in key.keys:
            kb.add(k, filter=main)(_bound(ui, key.handler))

    @kb.add("q", filter=Condition(too_small))
    @kb.add("c-c", filter=Condition(lambda: ui.mode == "main"))
    def _quit(event) -> None:
        event.app.exit()

    @kb.add("<any>", filter=Condition(lambda: ui.mode == "help"))
    def _close_help(event) -> None:
        ui.focus_main()

    picking = Condition(lambda: ui.mode == "pick")

    @kb.add("down", filter=picking)
    @kb.add("j", filter=picking)
    def _pick_down(event) -> None:
        ui.picker.pos = min(ui.picker.pos + 1, len(ui.picker.options) - 1)

    @kb.add("up", filter=picking)
    @kb.add("k", filter=picking)
    def _pick_up(event) -> None:
        ui.picker.pos = max(ui.picker.pos - 1, 0)

    @kb.add("enter", filter=picking)
    def _pick(event) -> None:
        picker, ui.picker = ui.picker, None
        ui.focus_main()
        picker.choose(picker.pos)

    editing = Condition(lambda: ui.mode == "edit")

    @kb.add("enter", filter=editing)
    def _save(event) -> None:
        ui.save_edit()

    @kb.add("escape", "enter", filter=editing)
    def _newline(event) -> None:
        ui.editor.buffer.insert_text("\n")

    @kb.add("<any>", filter=Condition(lambda: ui.mode == "empty"))
    def _empty(event) -> None:
        if event.data == "y":
            ui.save_edit(allow_empty=True)
        else:
            ui.set_mode("edit")

    cancellable = Condition(lambda: ui.mode in ("pick", "ask", "edit"))

    @kb.add("escape", filter=cancellable)
    @kb.add("c-g", filter=cancellable)
    @kb.add("c-c", filter=cancellable)
    def _cancel(event) -> None:
        ui.picker, ui.on_answer = None, None
        ui.focus_main()
        ui.message = "cancelled"

    return kb


def _bound(ui: ReviewUI, handler: Callable[[ReviewUI], None]):
    def run(event) -> None:
        if ui.session.entries or handler in (quit_review, show_help):
            handler(ui)

    run.__doc__ = handler.__doc__
    return run


# ================================================================= application
def build_application(session: ReviewSession, *, input=None, output=None) -> Application:
    """The review application over ``session``; ``input``/``output`` are injectable for tests."""
    ui = ReviewUI(session)
    return Application(
        layout=build_layout(ui),
        key_bindings=build_key_bindings(ui),
        style=STYLE,
        full_screen=True,
        color_depth=ColorDepth.DEPTH_1_BIT if os.environ.get("NO_COLOR") else None,
        input=input,
        output=output,
    )


def run(session: ReviewSession, *, input=None, output=None) -> None:
    """Run the review application until the reviewer quits."""
    build_application(session, input=input, output=output).run()
