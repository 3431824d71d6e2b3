"""The workspace store: the one place that speaks SQL.

- :mod:`.schema` — tables and migrations, the clock format;
- :mod:`.workspace` — opening a workspace, transactions;
- :mod:`.documents` — documents and segments;
- :mod:`.annotations` — edits recorded as annotations;
- :mod:`.passes` — passes and their summaries;
- :mod:`.mqm` — where MQM-imported documents came from;
- :mod:`.review` — review locks and the decision log;
- :mod:`.realign` — alignment repair: segments retired, their pieces stored;
- :mod:`.stats` — per-segment metric statistics kept between passes;
- :mod:`.writes` — a pass's writes for many segments, in batches.

Everything else imports :class:`Workspace` (and the row types) from here and calls
named methods.
"""

from mtmend.corpus.store.documents import DocStatus, NewSegment, SegmentSummary
from mtmend.corpus.store.mqm import MqmDocument, MqmFileRow
from mtmend.corpus.store.realign import NewPiece
from mtmend.corpus.store.review import ReviewLock, ReviewLogEntry
from mtmend.corpus.store.schema import MIGRATIONS, SCHEMA_VERSION, now
from mtmend.corpus.store.writes import SegmentWrites
from mtmend.corpus.store.workspace import DB_NAME, DEFAULT_TIMEOUT, Workspace, damaged_workspace, resolve_workspace

__all__ = [
    "DB_NAME",
    "DEFAULT_TIMEOUT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "DocStatus",
    "MqmDocument",
    "MqmFileRow",
    "NewPiece",
    "NewSegment",
    "ReviewLock",
    "ReviewLogEntry",
    "SegmentSummary",
    "SegmentWrites",
    "Workspace",
    "damaged_workspace",
    "now",
    "resolve_workspace",
]
