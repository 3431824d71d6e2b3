"""Lines that carry layout rather than prose: Markdown structures and code.

A batch filter meets Markdown and code all the time. These tests tell it which lines it
must pass through untouched (code: fenced or indented) and which it may repair but never
remove or relabel (headings, list items, table rows, block quotes, fences).
"""

from __future__ import annotations

import re

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_STRUCTURE = re.compile(r" {0,3}(?:#{1,6}(?:\s|$)|[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|\||>|`{3,}|~{3,})")


# Every fence and structure line starts with one of these (after at most three spaces).
LAYOUT_START = frozenset(" #-*+|>`~0123456789")


def fence_marker(line: str) -> str | None:
    """The fence (```` ``` ```` or ``~~~``) a line opens or closes, or ``None``.

    >>> fence_marker("```python"), fence_marker("~~~~"), fence_marker("a ``` b")
    ('```', '~~~~', None)
    """
    if line[:1] not in LAYOUT_START:
        return None
    m = _FENCE.match(line)
    return m.group(1) if m else None


def closes_fence(line: str, fence: str) -> bool:
    """True when ``line`` closes the block opened by ``fence`` (same character, at least as long).

    >>> closes_fence("```", "```"), closes_fence("~~~", "```"), closes_fence("```js", "```")
    (True, False, False)
    """
    marker = fence_marker(line)
    return marker is not None and marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip().strip(fence[0])


def is_indented_code(line: str) -> bool:
    """True for a line indented by a tab or four spaces: code or preformatted layout.

    >>> is_indented_code("    make test"), is_indented_code("  two spaces")
    (True, False)
    """
    return line.startswith(("\t", "    ")) and not line.isspace()


def is_structure(line: str) -> bool:
    """True for a Markdown heading, list item, table row, block quote or fence line.

    Such a line may be repaired, but never removed (removing it breaks the structure) and
    never given a label in front.

    >>> [is_structure(x) for x in ("# Title", "- item", "2. step", "| a | b |", "> quoted", "Q: why?")]
    [True, True, True, True, True, False]
    """
    return line[:1] in LAYOUT_START and _STRUCTURE.match(line) is not None
