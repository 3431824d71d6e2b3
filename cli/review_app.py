"""The full-screen review application (prompt-toolkit): layout, key bindings, Application, run.

Every decision goes through :class:`mtmend.review.session.ReviewSession`, which commits it
before the handler returns, so the next key is only handled once the decision is on disk.
This module assembles the parts: the state (:mod:`mtmend.cli.review_ui`), the views
(:mod:`mtmend.cli.review_screens`) and the key table (:mod:`mtmend.cli.review_keys`),
whose public names are importable from here too.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from prompt_toolkit.application import Application
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import ConditionalContainer, DynamicContainer, HSplit, Layout, VSplit, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.output import ColorDepth

from mtmend import review
from mtmend.review import ReviewSession
from mtmend.cli.review_keys import (
    KEYS,
    Key,
    finish_confirm,
    help_bar,
    help_screen,
    key_names,
    quit_review,
    show_help,
)
from mtmend.cli.review_screens import (
    STYLE,
    editor_heading,
    picker_view,
    segment_view,
    status_line,
    too_small,
    too_small_view,
)
from mtmend.cli.review_ui import Picker, ReviewUI, segment_words

__all__ = [
    "KEYS",
    "Key",
    "Picker",
    "ReviewUI",
    "build_application",
    "build_key_bindings",
    "build_layout",
    "help_screen",
    "key_names",
    "run",
    "segment_view",
    "segment_words",
]


# ====================================================================== layout
def build_body(ui: ReviewUI):
    """The middle of the screen: one of the segment view, help, a picker, the editor, or a warning."""
    # Segment text is shown with its control characters visible (bidi overrides too, which
    # prompt-toolkit would pass to the terminal): see mtmend.cli.visible.
    main = Window(FormattedTextControl(lambda: _shown(segment_view(ui)), focusable=True), wrap_lines=True)
    heading = Window(FormattedTextControl(lambda: _shown(editor_heading(ui)), focusable=True), wrap_lines=True,
                     dont_extend_height=True)
    views = {
        "main": main,
        "ask": main,
        "help": Window(FormattedTextControl(lambda: help_screen(ui), focusable=True), wrap_lines=True),
        "pick": Window(FormattedTextControl(lambda: picker_view(ui), focusable=True)),
        "edit": HSplit([heading, ui.editor]),
    }
    views["empty"] = views["edit"]
    views["pending"] = main
    ui.main_window = main
    ui.focus_targets = {"main": main, "ask": ui.ask_box, "help": views["help"], "pick": views["pick"],
                        "edit": ui.editor, "empty": heading,
                        "pending": main}
    small = Window(FormattedTextControl(too_small_view, focusable=True), wrap_lines=True)
    return DynamicContainer(lambda: small if too_small() else views[ui.mode])


def build_layout(ui: ReviewUI) -> Layout:
    """Status line, body, question row, message line and help bar, top to bottom."""
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
def build_key_bindings(ui: ReviewUI) -> KeyBindings:
    """The key table in the main view, plus the keys of help, pickers, editor and questions."""
    kb = KeyBindings()
    for add in (_add_main_keys, _add_picker_keys, _add_editor_keys, _add_question_keys):
        add(kb, ui)
    return kb


def _add_main_keys(kb: KeyBindings, ui: ReviewUI) -> None:
    """The key table (see ``review_keys.KEYS``), quitting, and closing the help screen."""
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


def _add_picker_keys(kb: KeyBindings, ui: ReviewUI) -> None:
    """Moving in a list of choices and taking one."""
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


def _add_editor_keys(kb: KeyBindings, ui: ReviewUI) -> None:
    """Saving an edit, a new line in it, and confirming an empty one."""
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


def _add_question_keys(kb: KeyBindings, ui: ReviewUI) -> None:
    """Answering the pending-suggestions question, and cancelling any picker, question or edit."""

    @kb.add("<any>", filter=Condition(lambda: ui.mode == "pending"))
    def _pending(event) -> None:
        """Confirming with suggestions pending: a accept all, r reject all, Enter keep them, else back."""
        choice = {"a": review.Pending.ACCEPT, "r": review.Pending.REJECT, "\r": review.Pending.KEEP,
                  "\n": review.Pending.KEEP}.get(event.data)
        ui.focus_main()
        ui.message = ""
        if choice is None:
            ui.message = "not confirmed"
        else:
            finish_confirm(ui, choice)

    cancellable = Condition(lambda: ui.mode in ("pick", "ask", "edit"))

    @kb.add("escape", filter=cancellable)
    @kb.add("c-g", filter=cancellable)
    @kb.add("c-c", filter=cancellable)
    def _cancel(event) -> None:
        ui.picker, ui.on_answer = None, None
        ui.focus_main()
        ui.message = "cancelled"


def _bound(ui: ReviewUI, handler: Callable[[ReviewUI], None]):
    """A key binding running ``handler`` (with no segments, only help and quit work)."""
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


def _shown(fragments):
    """Formatted text with each fragment's text passed through :func:`~mtmend.cli.visible.visible`."""
    from mtmend.cli.visible import visible

    return [(style, visible(text), *rest) for style, text, *rest in fragments]
