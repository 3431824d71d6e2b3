"""Exceptions raised by mtmend's library code.

Library code raises these; only ``mtmend.cli`` turns them into one-line messages and
exit codes. Every message names the problem and, where there is one, what to do.
"""


class MtmendError(Exception):
    """Base class: a problem the user can fix (bad input, locked workspace, …)."""

    exit_code = 1


class InputError(MtmendError):
    """An input file or stream cannot be used (missing, empty, binary, wrong encoding…)."""

    exit_code = 2


class WorkspaceError(MtmendError):
    """The workspace cannot be opened or written."""

    exit_code = 3


class SchemaTooNewError(WorkspaceError):
    """The workspace was written by a newer mtmend."""


class WorkspaceBusyError(WorkspaceError):
    """Another process holds the workspace longer than we are willing to wait."""


class NotFoundError(MtmendError):
    """A named document, segment or annotation does not exist."""

    exit_code = 4


class ConflictError(MtmendError):
    """The operation would overwrite work (reviewed edits, a concurrent reviewer…)."""

    exit_code = 5


# Exit code of a batch command that did its work except on documents a reviewer holds
# (they are listed): not an error, but not all done either.
EXIT_PARTIAL = 6
