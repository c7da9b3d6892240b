"""Feedback that names entry IDs: which ones a wrong XACK, XCLAIM or XAUTOCLAIM should have
used, and whose they are.

"Not yet: expected 0 pending entries" does not tell a learner that the ID typed was a
neighbour's. So, just before a learner's ID-bearing command runs, the runner reads the group's
pending list through the session's introspection (``XPENDING key group - + N``: the same on a
real server) and, after the command, :func:`explain` compares the IDs sent with the ones the
task needs:

    XACK needs the ID that w1 read: 1700000000000-0; you sent 1700000000000-1, which w1
    does not own (w2 read it)

The IDs a task needs are those its reference answer sends with the same command to the same
group; whose they are is read from that PEL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

ID_COMMANDS = ("XACK", "XCLAIM", "XAUTOCLAIM")
_ID = re.compile(r"^\d+(-\d+)?$")
_PEL_ROWS = b"1000"
_XCLAIM_OPTIONS = {b"idle", b"time", b"retrycount", b"force", b"justid", b"lastid"}


@dataclass
class PendingBefore:
    """The group's pending list (ID -> owner) just before the learner's command ran."""

    command: str
    key: bytes
    group: bytes
    owners: dict[str, str]


class Advice(NamedTuple):
    """What to tell the learner; ``wrong``: an ID was sent in error (not merely left out), so
    the command is no step forward even when it changed a count the checks look at."""

    text: str
    wrong: bool


def pending_before(command: str, args, introspect) -> PendingBefore | None:
    """Read the PEL an ID-bearing command is about to change (None: not such a command, or no
    such group)."""
    if command not in ID_COMMANDS or len(args) < 3:
        return None
    key, group = bytes(args[1]), bytes(args[2])
    rows = introspect([b"XPENDING", key, group, b"-", b"+", _PEL_ROWS])
    if not isinstance(rows, list):
        return None
    owners = {}
    for row in rows:
        if isinstance(row, list) and len(row) >= 2:
            owners[_text(row[0])] = _text(row[1])
    return PendingBefore(command, key, group, owners)


def explain(before: PendingBefore, args, solution: list) -> Advice | None:
    """What a wrong ID-bearing command should have named, in the learner's words (None: its
    IDs were the right ones, or there is nothing to compare them with).

    ``solution``: the argument lists of the task's reference commands; the IDs the task needs
    are those its own command of the same kind names on the same group, as far as they were
    pending. A task whose answer is another command gets no ID advice: an XACK in a task that
    wants an XCLAIM is not "the wrong ID"."""
    same = [a for a in solution if len(a) > 2 and bytes(a[0]).upper() == before.command.encode()
            and (bytes(a[1]), bytes(a[2])) == (before.key, before.group)]
    if before.command == "XAUTOCLAIM":
        return _explain_autoclaim(before, args, same)
    sent = _sent_ids(before.command, args)
    wanted = [i for a in same for i in _sent_ids(before.command, a)]
    wanted = [i for i in dict.fromkeys(wanted) if i in before.owners]
    if not sent or not wanted:
        return None
    wrong = [i for i in sent if i not in wanted]
    missing = [i for i in wanted if i not in sent]
    if not wrong and not missing:
        return None
    owners = sorted({before.owners[i] for i in wanted})
    reader = " and ".join(owners)
    noun = "ID" if len(wanted) == 1 else "IDs"
    told = f"{before.command} needs the {noun} that {reader} read: {', '.join(wanted)}"
    if not wrong:
        return Advice(f"{told}; you sent {', '.join(sent)}, so {', '.join(missing)} "
                      f"{'is' if len(missing) == 1 else 'are'} still {reader}'s", False)
    return Advice(f"{told}; you sent {_describe(wrong, before, reader, len(owners) == 1)}", True)


def _describe(wrong: list[str], before: PendingBefore, reader: str, one_reader: bool) -> str:
    """``1700000000000-1, which w1 does not own (w2 read it)`` for each ID sent in error."""
    group = before.group.decode("utf-8", "replace")
    verb = "acknowledge" if before.command == "XACK" else "claim"
    parts = []
    for entry in wrong:
        owner = before.owners.get(entry)
        if owner is None:
            parts.append(f"{entry}, which is not pending in {group} (never delivered to the "
                         "group, already acknowledged, or not in the stream)")
        elif one_reader and owner != reader:
            parts.append(f"{entry}, which {reader} does not own ({owner} read it)")
        else:
            parts.append(f"{entry}, which {owner} read too, but this task does not ask to "
                         f"{verb} it")
    return "; and ".join(parts)


def _explain_autoclaim(before: PendingBefore, args, solution: list) -> Advice | None:
    """XAUTOCLAIM scans from its start ID: name the pending entries that a later start than the
    reference answer's skipped."""
    if len(args) < 6 or not solution or len(solution[0]) < 6:
        return None
    start = _text(args[5])
    origin, wanted = _start(start), _start(_text(solution[0][5]))
    if origin is None or wanted is None or origin <= wanted:
        return None
    skipped = [i for i in before.owners if wanted <= _order(i) < origin]
    if not skipped:
        return None
    owners = " and ".join(sorted({before.owners[i] for i in skipped}))
    return Advice(f"XAUTOCLAIM scans the pending list from its start ID: {start} skips "
                  f"{', '.join(skipped)}, which {owners} read; start at "
                  f"{_text(solution[0][5])} to include them", True)


def _start(text: str) -> tuple[int, int] | None:
    return (0, 0) if text == "-" else _order(text)


def _sent_ids(command: str, args) -> list[str]:
    """The entry IDs the command named: XACK key group ID...; XCLAIM key group consumer
    min-idle-time ID... [options]."""
    first = 3 if command == "XACK" else 5
    ids = []
    for arg in args[first:]:
        if command == "XCLAIM" and bytes(arg).lower() in _XCLAIM_OPTIONS:
            break
        text = _text(arg)
        if _ID.match(text):
            ids.append(text if "-" in text else f"{text}-0")
    return ids


def _order(entry: str) -> tuple[int, int] | None:
    ms, _, seq = entry.partition("-")
    if not ms.isdigit() or (seq and not seq.isdigit()):
        return None
    return int(ms), int(seq or 0)


def _text(value) -> str:
    return bytes(value).decode("utf-8", "replace") if isinstance(value, (bytes, bytearray,
                                                                         memoryview)) \
        else str(value)
