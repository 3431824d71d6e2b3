"""What the review application shows: one function per piece of the screen.

Each view turns the :class:`~mtmend.cli.review_ui.ReviewUI` state into prompt-toolkit
formatted text (``(style, text)`` pairs): the status line, the segment with its
context, a picker, the editor's heading, and the warning when the terminal is too
small. The target's notation comes from :mod:`mtmend.review.view`, shared with
``review --plain``; the help bar and ``?`` screen live with the key table in
:mod:`mtmend.cli.review_keys`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prompt_toolkit.application import get_app
from prompt_toolkit.styles import Style

from mtmend import review
from mtmend.corpus.model import Status

if TYPE_CHECKING:
    from mtmend.cli.review_ui import ReviewUI

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


def status_line(ui: ReviewUI):
    """Document, position, progress, quality figures and filter, on one line."""
    s = ui.session
    if not s.entries:
        return [("class:status", " no segments ")]
    entry = s.entries[ui.index]
    counts = s.counts[entry.doc]
    parts = [
        s.documents[entry.doc].name,
        f"segment {ui.session.number(ui.index)}/{counts.segments}",
        f"reviewed {counts.reviewed}/{counts.segments}",
        f"open issues {counts.open_issues}",
    ]
    quality = s.quality(entry.doc)
    if quality:
        parts.append(quality)
    parts.append(f"filter {ui.flt}")
    return [("class:status", " " + " │ ".join(parts) + " ")]


def _context_line(ui: ReviewUI, i: int):
    """A neighbouring segment on one line: number, status mark, open issues, target."""
    e = ui.session.entries[i]
    seg = ui.session.segment_at(i)
    issues = f" !{e.open_issues}" if e.open_issues else ""
    line = f" {ui.session.number(i):>5} {STATUS_MARK[e.status]}{issues} {seg.target}"
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
    out.append(("class:current", f"▶{s.number(ui.index):>5} {STATUS_MARK[entry.status]} {entry.status.value}"
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
        out.append(("class:selected" if n == selected else "", f"  {mark} #{n} {review.edit_label(ann, seg.target)}\n"))
    if not anns:
        out.append(("class:context", "    (no edits)\n"))
    for i in range(ui.index + 1, min(len(s.entries), ui.index + 1 + CONTEXT)):
        out += _context_line(ui, i)
    return out


def picker_view(ui: ReviewUI):
    """The open picker's options, scrolled so the selected one is in view."""
    p = ui.picker
    out = [("class:label", f"{p.title}  (↑/↓ or j/k, Enter chooses, Esc or Ctrl-G cancels)\n\n")]
    rows = max(get_app().output.get_size().rows - 8, 5)
    top = max(0, min(p.pos - rows // 2, len(p.options) - rows))
    for n in range(top, min(len(p.options), top + rows)):
        out.append(("class:selected" if n == p.pos else "", f" {'▶' if n == p.pos else ' '} {p.options[n]}\n"))
    return out


def too_small() -> bool:
    """Whether the terminal is below the size the layout needs."""
    size = get_app().output.get_size()
    return size.columns < MIN_COLUMNS or size.rows < MIN_ROWS


def too_small_view():
    """The warning shown instead of everything else in a terminal that is too small."""
    size = get_app().output.get_size()
    return [("class:small", f"Terminal too small ({size.columns}x{size.rows}): mtmend review needs at least "
             f"{MIN_COLUMNS}x{MIN_ROWS}.\nEnlarge the window, or quit with q and use mtmend review --plain.")]


def editor_heading(ui: ReviewUI):
    """Source and MT above the editor, and what Enter, Esc or an empty target do."""
    seg = ui.view()[0]
    note = ("EMPTY target: y stores it (the segment gets no translation), any other key goes back"
            if ui.mode == "empty" else "Edit the target: Enter saves, Alt-Enter adds a line break, Ctrl-G/Esc cancels")
    return [("class:label", "  ZH  "), ("", seg.source + "\n"), ("class:label", "  MT  "), ("", seg.mt + "\n"),
            ("class:message", note)]

