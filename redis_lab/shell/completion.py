"""Completion candidates: ``analysis`` says what kind of thing goes here, this lists the names.

Names come from the engine's state read through Redis introspection commands (KEYS, TYPE,
XINFO GROUPS, XINFO CONSUMERS, XPENDING, XREVRANGE, PUBSUB CHANNELS) run with
``Session.introspect`` -- the same way the views read state, so completion keeps working
unchanged against a real server later -- plus the session's own registry of clients and the
channels typed so far. No prompt_toolkit here: ``completer.py`` adapts this to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.reply import Status
from ..protocol.tokenize import quote_arg
from . import analysis as an

_MAX_KEYS = 200


@dataclass(frozen=True)
class Candidate:
    """One completion: ``text`` replaces the word being typed; ``meta`` is shown beside it."""

    text: str
    display: str
    meta: str = ""


def _s(value: bytes) -> str:
    return value.decode("utf-8", "surrogateescape")


def _fields(item) -> dict[bytes, object]:
    """An XINFO entry (flat [name, value, ...] list or Map) as a dict."""
    if not isinstance(item, list):
        return {}
    return {item[i]: item[i + 1] for i in range(0, len(item) - 1, 2) if isinstance(item[i], bytes)}


class Catalog:
    """Lists the names that exist now, for one session (from the point of view of ``label``)."""

    def __init__(self, session) -> None:
        self.session = session

    def _run(self, label: str | None, *args: bytes):
        return self.session.introspect(list(args), label)

    def keys(self, label: str | None, stream_only: bool = False) -> list[tuple[str, str]]:
        found = self._run(label, b"KEYS", b"*")
        if not isinstance(found, list):
            return []
        out = []
        for key in sorted(found)[:_MAX_KEYS]:
            kind = self._run(label, b"TYPE", key)
            kind = str(kind) if isinstance(kind, Status) else ""
            if stream_only and kind and kind != "stream":
                continue
            out.append((_s(key), kind))
        return out

    def streams(self, label: str | None) -> list[bytes]:
        return [k.encode("utf-8", "surrogateescape") for k, _ in self.keys(label, True)]

    def groups(self, label: str | None, key: bytes | None) -> list[tuple[str, str]]:
        keys = [key] if key is not None else self.streams(label)
        return self._xinfo_names(label, [(k, (b"XINFO", b"GROUPS", k), f"group of {_s(k)}")
                                         for k in keys])

    def consumers(self, label: str | None, key: bytes | None,
                  group: bytes | None) -> list[tuple[str, str]]:
        if group is None:
            return []
        keys = [key] if key is not None else self.streams(label)
        return self._xinfo_names(label, [(k, (b"XINFO", b"CONSUMERS", k, group),
                                          f"consumer in {_s(group)}") for k in keys])

    def _xinfo_names(self, label: str | None, queries) -> list[tuple[str, str]]:
        """Names from XINFO GROUPS / CONSUMERS replies, described with their pending count."""
        out: dict[str, str] = {}
        for _, args, described in queries:
            reply = self._run(label, *args)
            if not isinstance(reply, list):
                continue
            for item in reply:
                info = _fields(item)
                name = info.get(b"name")
                if isinstance(name, bytes):
                    pending = info.get(b"pending")
                    meta = described + (f", {pending} pending" if isinstance(pending, int) else "")
                    out.setdefault(_s(name), meta)
        return sorted(out.items())

    def pending_ids(self, label: str | None, key: bytes | None,
                    group: bytes | None) -> list[tuple[str, str]]:
        if key is None or group is None:
            return []
        reply = self._run(label, b"XPENDING", key, group, b"-", b"+", b"50")
        out = []
        if isinstance(reply, list):
            for item in reply:
                if isinstance(item, list) and len(item) >= 2 and isinstance(item[0], bytes):
                    owner = _s(item[1]) if isinstance(item[1], bytes) else "?"
                    out.append((_s(item[0]), f"pending, owned by {owner}"))
        return out

    def entry_ids(self, label: str | None, key: bytes | None) -> list[tuple[str, str]]:
        if key is None:
            return []
        reply = self._run(label, b"XREVRANGE", key, b"+", b"-", b"COUNT", b"50")
        out = []
        if isinstance(reply, list):
            for item in reply:
                if isinstance(item, list) and item and isinstance(item[0], bytes):
                    out.append((_s(item[0]), "entry"))
        return out

    def channels(self, label: str | None) -> list[tuple[str, str]]:
        names: dict[bytes, str] = {}
        active = self._run(label, b"PUBSUB", b"CHANNELS")
        if isinstance(active, list):
            for name in active:
                if isinstance(name, bytes):
                    names[name] = "channel with subscribers"
        for name in self.session.known_channels:
            names.setdefault(name, "channel used before")
        return [(_s(n), m) for n, m in sorted(names.items())]

    def patterns(self, label: str | None) -> list[tuple[str, str]]:
        names: dict[bytes, str] = {}
        for client in self.session.client_states():
            for pattern in client.patterns:
                names.setdefault(pattern, "pattern")
        out = [(_s(n), m) for n, m in sorted(names.items())]
        return out + self.channels(label)

    def clients(self) -> list[tuple[str, str]]:
        from .meta import client_state

        now = self.session.clock.now_ms()
        return [(client.label, client_state(client, now))
                for client in self.session.client_states()]

    def client_ids(self) -> list[tuple[str, str]]:
        out = []
        for client in self.session.client_states():
            state = "blocked" if client.blocked is not None else "not blocked"
            out.append((str(client.id), f"{client.label} ({state})"))
        return out


def _case_like(word: str, name: str, case: str = "auto") -> str:
    """Insert keywords in the configured case: ``upper``, ``lower``, or ``auto``, the case the
    learner is typing (``xa`` -> ``xadd``)."""
    if case == "upper":
        return name.upper()
    if case == "lower":
        return name.lower()
    if word and word == word.lower() and any(ch.isalpha() for ch in word):
        return name.lower()
    return name


def _case_setting(catalog) -> str:
    settings = getattr(catalog.session, "settings", None)
    return getattr(settings, "completion_case", "auto")


def _matches(word: str, name: str) -> bool:
    return name.lower().startswith(word.lower())


def candidates(analysis: an.Analysis, catalog: Catalog,
               label: str | None = None) -> list[Candidate]:
    """Every completion for ``analysis`` (the learner's line up to the cursor)."""
    word = analysis.word
    out: list[Candidate] = []
    seen: set[str] = set()
    target = analysis.target or label
    case = _case_setting(catalog)

    def add(text: str, display: str | None = None, meta: str = "", quote: bool = True) -> None:
        if text in seen:
            return
        seen.add(text)
        out.append(Candidate(quote_arg(text.encode("utf-8", "surrogateescape")) if quote else text,
                             display or text, meta))

    for expect in analysis.expects:
        kind = expect.kind
        if kind == "command":
            table = an.load()
            for name in an.command_names() + ["HELP"]:
                if _matches(word, name):
                    entry = table.get(name.lower().encode())
                    if entry is not None and not catalog.session.server_knows(entry.since):
                        continue   # a real server older than the command: not offered
                    summary = entry.summary if entry is not None else "help on a command"
                    add(_case_like(word, name, case), name, _short(summary), quote=False)
        elif kind == "subcommand":
            subs = analysis.command.subcommands if analysis.command is not None else {}
            for name in expect.words:
                if _matches(word, name):
                    sub = subs.get(name.lower().encode())
                    add(_case_like(word, name, case), name, _short(sub.summary) if sub else "",
                        False)
        elif kind == "keyword":
            for name in expect.words:
                if _matches(word, name):
                    add(_case_like(word, name, case), name, kind, False)
        elif kind == "id":
            for name in expect.words:
                if name.startswith(word):
                    add(name, name, _ID_MEANINGS.get(name, "special ID"), quote=False)
        elif kind == "help-topic":
            for name in an.command_names():
                if _matches(word, name):
                    add(_case_like(word, name), name, quote=False)
            from .help import groups

            for group in groups():
                if _matches(word, "@" + group):
                    add("@" + group, "@" + group, "command group", quote=False)
        elif kind == "client":
            for name, meta in catalog.clients():
                if _matches(word.lstrip("@"), name):
                    add("@" + name, "@" + name, meta, quote=False)
        else:
            typed = set(analysis.args) if kind in _NO_REPEATS else set()
            for name, meta in _names(kind, expect, catalog, target):
                if _matches(word, name) and name not in typed:
                    add(name, name, meta)
    return out


#: Kinds whose names are not offered again once typed on the line (SUBSCRIBE a b, XACK ids,
#: XREAD STREAMS a b).
_NO_REPEATS = frozenset({"key", "channel", "pattern", "pending-id", "entry-id"})


_ID_MEANINGS = {
    "*": "auto-generate the ID",
    "$": "only entries added from now on",
    ">": "entries never delivered to this group",
    "-": "the smallest ID",
    "+": "the greatest ID",
    "0": "from the beginning",
}


def _names(kind: str, expect: an.Expect, catalog: Catalog, label: str | None):
    if kind == "key":
        return catalog.keys(label, expect.stream_only)
    if kind == "group":
        return catalog.groups(label, expect.key)
    if kind == "consumer":
        return catalog.consumers(label, expect.key, expect.group)
    if kind == "channel":
        return catalog.channels(label)
    if kind == "pattern":
        return catalog.patterns(label)
    if kind == "pending-id":
        return catalog.pending_ids(label, expect.key, expect.group)
    if kind == "entry-id":
        return catalog.entry_ids(label, expect.key)
    if kind == "client-id":
        return catalog.client_ids()
    return []


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def meta_candidates(analysis: an.Analysis, catalog: Catalog) -> list[Candidate]:
    """Completions after ``:`` (meta-command names and their arguments)."""
    from . import meta

    word = analysis.word
    out: list[Candidate] = []
    for expect in analysis.expects:
        if expect.kind == "meta":
            for name in meta.names():
                if name.startswith(word.lower() or ":"):
                    entry = meta.META[name[1:]]
                    out.append(Candidate(name, name, _short(entry.help)))
        elif expect.kind == "meta-arg" and expect.meta in META_ARGS:
            for name, note in META_ARGS[expect.meta](analysis.args, word, catalog):
                if _matches(word, name):
                    out.append(Candidate(quote_arg(name.encode("utf-8", "surrogateescape")),
                                         name, note))
        elif expect.kind == "meta-arg" and expect.param == "1":
            entry = meta.META.get(expect.meta)
            if entry is None or entry.completes is None:
                continue
            if entry.completes == "client":
                for name, state in catalog.clients():
                    if _matches(word, name):
                        out.append(Candidate(name, name, state))
            elif entry.completes == "command":
                for name in an.command_names():
                    if _matches(word, name):
                        out.append(Candidate(_case_like(word, name), name))
                for name in meta.names():
                    if name.startswith(word) and word.startswith(":"):
                        out.append(Candidate(name, name))
    return out


# -- meta-command arguments ------------------------------------------------------------------------
# Each function gets the words typed after the meta-command's name (before the one being
# completed), the word itself and the catalog, and lists ``(name, note)`` pairs.

def _view_args(args: list[str], word: str, catalog: Catalog, show: bool = False):
    if not args:
        kinds = [("stream", "a stream and its groups"), ("pel", "a group's pending entries"),
                 ("lag", "consumer lag per group"), ("fanout", "pub/sub fan-out")]
        return kinds + ([("flow", "the last delivery flow")] if show else [])
    kind = args[0].lower()
    label = catalog.session.current
    if len(args) == 1 and kind in ("stream", "pel", "lag"):
        return catalog.keys(label, stream_only=True)
    if len(args) == 1 and kind == "fanout":
        return catalog.channels(label)
    if len(args) == 2 and kind == "pel":
        return catalog.groups(label, args[1].encode("utf-8", "surrogateescape"))
    if len(args) >= 2 and kind in ("stream", "pel", "lag") and args[-1].upper() not in (
            "COUNT", "IDLE", "POISON"):
        return [("COUNT", "rows shown"), ("IDLE", "claimable after (e.g. 30s)"),
                ("POISON", "deliveries that flag an entry")]
    return []


def _lesson_args(args: list[str], word: str, catalog: Catalog):
    if args:
        return []
    from ..course.loader import load_all

    lessons, _ = load_all()
    out = [(str(lesson.number), lesson.title) for lesson in lessons]
    return out + [(lesson.name, lesson.title) for lesson in lessons]


def _path_args(word: str):
    """Files and directories whose path starts with ``word`` (``~`` expanded)."""
    import os

    folder, _, stem = word.rpartition("/")
    base = os.path.expanduser(folder or ".") if folder or not word.startswith("/") else "/"
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return []
    prefix = folder + "/" if folder or word.startswith("/") else ""
    out = []
    for name in names:
        if name.startswith(stem) and (stem.startswith(".") or not name.startswith(".")):
            is_dir = os.path.isdir(os.path.join(base, name))
            out.append((prefix + name + ("/" if is_dir else ""), "folder" if is_dir else "file"))
    return out


def _export_args(args: list[str], word: str, catalog: Catalog):
    if not args:
        return [("svg", "an SVG image"), ("html", "an HTML page")] + _path_args(word)
    if len(args) == 1:
        return _path_args(word)
    return []


def _unwatch_args(args: list[str], word: str, catalog: Catalog):
    if args:
        return []
    views = getattr(catalog.session, "views", None)
    watches = list(getattr(getattr(views, "watches", None), "items", []) or [])
    return [("all", "every watch")] + [(str(n), getattr(w, "spec", "")) for n, w in
                                      enumerate(watches, 1)]


def _words(*pairs: tuple[str, str]):
    return lambda args, word, catalog: [] if args else list(pairs)


META_ARGS = {
    "watch": _view_args,
    "show": lambda args, word, catalog: _view_args(args, word, catalog, show=True),
    "lesson": _lesson_args,
    "export": _export_args,
    "unwatch": _unwatch_args,
    "clock": _words(("virtual", "time moves only with :advance"), ("wall", "real time")),
    "explain": _words(("on", "narrate each command"), ("off", "stop narrating")),
    "raw": _words(("on", "as redis-cli --raw"), ("off", "as redis-cli")),
    "utf8": _words(("on", "UTF-8 strings decoded"), ("off", "\\xHH escapes, as redis-cli")),
}


def complete_line(text: str, catalog: Catalog,
                  label: str | None = None) -> tuple[int, list[Candidate]]:
    """``(start, candidates)`` for ``text`` (the line up to the cursor): each candidate replaces
    ``text[start:]``. The shell's completer and the tests call this."""
    analysis = an.analyze(text)
    if text.lstrip().startswith(":"):
        return analysis.word_start, meta_candidates(analysis, catalog)
    if analysis.invalid:
        return len(text), []
    return analysis.word_start, candidates(analysis, catalog, label)
