"""What kind of thing goes at the cursor: the pure core of completion, hints and highlighting.

``analyze(text_before_cursor)`` reads a partly typed line -- ``@alice XREADGROUP GROUP g`` --
and says what may be typed next (``Expect`` items: a command name, a subcommand, keywords, a
stream key, the groups of a stream, the consumers of a group, a channel, special IDs ...) and
which argument synopsis is still to come (the hint). ``classify(line)`` gives each word its
role for highlighting. Neither touches prompt_toolkit or the engine: the names themselves
(which keys exist, which groups a stream has) are listed by ``completion.Catalog``, so this
module is tested with plain strings (litecli's completion_engine, applied to Redis).

Everything comes from the command table: ``Command.syntax`` parsed by ``grammar``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..commands.table import Command, load
from ..protocol.tokenize import Token, split_line_partial
from . import grammar as g

# Parameter names in the synopses, by what they refer to.
KEY_PARAMS = frozenset({"key", "source", "destination", "newkey"})
GROUP_PARAMS = frozenset({"group", "groupname", "group-name"})
CONSUMER_PARAMS = frozenset({"consumer", "consumername", "consumer-name"})
CHANNEL_PARAMS = frozenset({"channel", "shardchannel"})
ID_PARAMS = frozenset({"id", "start", "end", "last-id", "lastid", "min-id", "minid", "max-id"})

#: Special stream IDs offered where a command accepts them (command, parameter) -> IDs.
SPECIAL_IDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("XADD", "id"): ("*",),
    ("XREAD", "id"): ("$", "0"),
    ("XREADGROUP", "id"): (">", "0"),
    ("XRANGE", "start"): ("-",),
    ("XRANGE", "end"): ("+",),
    ("XREVRANGE", "end"): ("+",),
    ("XREVRANGE", "start"): ("-",),
    ("XPENDING", "start"): ("-",),
    ("XPENDING", "end"): ("+",),
    ("XAUTOCLAIM", "start"): ("0",),
    ("XGROUP CREATE", "id"): ("$", "0"),
    ("XGROUP SETID", "id"): ("$", "0"),
}

#: Where an ``id`` means an entry already pending in the group (offered from XPENDING).
PENDING_ID_COMMANDS = frozenset({"XACK", "XCLAIM"})
#: Where an ``id`` means an entry of the stream (offered from XREVRANGE).
ENTRY_ID_COMMANDS = frozenset({"XDEL"})

#: Keywords that are stream IDs rather than options (highlighted as IDs).
ID_SYMBOLS = frozenset({"*", "$", ">", "-", "+"})

HELP_WORDS = ("HELP", "?")


@dataclass(frozen=True)
class Expect:
    """One kind of thing that may be typed at the cursor.

    ``kind``: ``command``, ``subcommand``, ``keyword``, ``key``, ``group``, ``consumer``,
    ``channel``, ``pattern``, ``id``, ``pending-id``, ``entry-id``, ``client``, ``client-id``,
    ``help-topic``, ``meta``, ``meta-arg``.
    """

    kind: str
    words: tuple[str, ...] = ()       # keywords, subcommands, special IDs
    param: str = ""                   # the synopsis parameter name
    key: bytes | None = None          # the stream already typed (for group/consumer/IDs)
    group: bytes | None = None        # the group already typed (for consumers/pending IDs)
    stream_only: bool = False         # for keys: only streams make sense here
    meta: str = ""                    # for meta-arg: which meta-command


@dataclass
class Analysis:
    """The line up to the cursor, understood."""

    word: str = ""                    # the argument being typed (its value, quotes removed)
    word_start: int = 0               # where that argument starts in the line
    open_quote: str | None = None
    target: str | None = None         # @client prefix
    command: Command | None = None    # the command (or subcommand) being typed
    expects: list[Expect] = field(default_factory=list)
    hint: str = ""                    # the synopsis still to come, for grey text after the cursor
    invalid: bool = False             # the line cannot be split (a quote followed by a letter)
    args: list[str] = field(default_factory=list)   # finished arguments after the command


def _text(token: Token) -> str:
    return token.value.decode("utf-8", "surrogateescape")


def commands_by_name() -> dict[bytes, Command]:
    return load()


def command_names() -> list[str]:
    """Top-level command names, sorted (containers included)."""
    return sorted(c.name for c in load().values())


def resolve(words: list[str]) -> tuple[Command | None, int]:
    """The command named by the first words and how many words name it (1, or 2 for XGROUP CREATE)."""
    if not words:
        return None, 0
    table = load()
    entry = table.get(words[0].lower().encode("utf-8", "surrogateescape"))
    if entry is None:
        return None, 0
    if entry.is_container and len(words) > 1:
        sub = entry.subcommands.get(words[1].lower().encode("utf-8", "surrogateescape"))
        return (sub, 2) if sub is not None else (None, 0)
    return entry, 1


def _meta_analysis(text: str) -> Analysis:
    body = text.lstrip()
    offset = len(text) - len(body)
    name, space, rest = body.partition(" ")
    if not space:
        return Analysis(word=name, word_start=offset, expects=[Expect("meta")])
    stripped = rest.lstrip()
    parts = stripped.split(" ")
    word = parts[-1]
    return Analysis(word=word, word_start=len(text) - len(word),
                    expects=[Expect("meta-arg", meta=name[1:].lower(), param=str(len(parts)))],
                    args=parts[:-1])


def analyze(text: str) -> Analysis:
    """Understand ``text`` (the line up to the cursor): what is typed, what may come next."""
    if text.lstrip().startswith(":"):
        return _meta_analysis(text)
    result = _analyze(text)
    if not result.invalid:
        result.hint = _hint(text)
    return result


def _typed_words(text: str) -> list[str] | None:
    """Every word typed (the one under the cursor included), without an @client prefix."""
    partial = split_line_partial(text)
    if partial.error is not None:
        return None
    words = [_text(t) for t in partial.tokens]
    if partial.pending is not None:
        words.append(_text(partial.pending))
    if words and words[0].startswith("@"):
        words = words[1:]
    return words


def _hint(text: str) -> str:
    """The synopsis still to come after every typed word (the last one taken as finished)."""
    words = _typed_words(text)
    if not words:
        return ""
    top = load().get(words[0].lower().encode("utf-8", "surrogateescape"))
    if top is None:
        return ""
    if top.is_container:
        if len(words) == 1:
            return _container_hint(top)
        sub = top.subcommands.get(words[1].lower().encode("utf-8", "surrogateescape"))
        if sub is None:
            return ""
        command, rest = sub, words[2:]
    else:
        command, rest = top, words[1:]
    chosen = g.best(g.preferred(g.match(g.grammar(command.syntax), rest)))
    if chosen is None or not chosen.cont:
        return ""
    return g.render(chosen.cont)


def _analyze(text: str) -> Analysis:
    partial = split_line_partial(text)
    if partial.error is not None:
        return Analysis(invalid=True, word_start=len(text))
    tokens = list(partial.tokens)
    pending = partial.pending
    result = Analysis(open_quote=partial.open_quote)
    if pending is not None:
        result.word = _text(pending)
        result.word_start = pending.start
    else:
        result.word_start = len(text)
    words = [_text(t) for t in tokens]

    if words and words[0].startswith("@"):
        result.target = words[0][1:]
        words = words[1:]
    elif not words and pending is not None and result.word.startswith("@"):
        result.expects = [Expect("client")]
        return result

    if not words:
        result.expects = [Expect("command")]
        return result

    if words[0].upper() in HELP_WORDS:
        if len(words) == 1:
            result.expects = [Expect("help-topic")]
        return result

    table = load()
    top = table.get(words[0].lower().encode("utf-8", "surrogateescape"))
    if top is None:
        return result
    if top.is_container and len(words) == 1:
        result.command = top
        result.expects = [Expect("subcommand", words=_subcommand_names(top))]
        return result
    command, used = resolve(words)
    if command is None:
        return result
    result.command = command
    rest = words[used:]
    result.args = rest
    node = g.grammar(command.syntax)
    states = g.preferred(g.match(node, rest))
    if not states:
        return result
    result.expects = _expects(command, states, rest)
    return result


def _subcommand_names(container: Command) -> tuple[str, ...]:
    names = sorted(sub.name.split()[1] for sub in container.subcommands.values())
    if "HELP" in names:  # HELP last: it is the least interesting
        names.remove("HELP")
        names.append("HELP")
    return tuple(names)


def _container_hint(container: Command) -> str:
    return "|".join(_subcommand_names(container))


def hint_for(text: str) -> str:
    """The grey text to show after ``text`` when the cursor is at its end ("" for none).

    As in redis-cli: after a finished word the rest of the synopsis; right after a word (no
    space yet) the same with a leading space, once the command name is complete.
    """
    if text.lstrip().startswith(":") or not text.strip():
        return ""
    analysis = analyze(text)
    if analysis.invalid or not analysis.hint:
        return ""
    if analysis.open_quote is not None:
        return ""
    if not text[-1:].isspace():
        return " " + analysis.hint  # right after a word: "PING" shows " [message]"
    return analysis.hint


def _stream_and_group(command: Command, state: g.State, rest: list[str]):
    key = group = None
    for word, arg in zip(state.roles, rest):
        if word.keyword:
            continue
        if word.text in KEY_PARAMS:
            key = arg.encode("utf-8", "surrogateescape")
        elif word.text in GROUP_PARAMS:
            group = arg.encode("utf-8", "surrogateescape")
    return key, group


def _expects(command: Command, states: list[g.State], rest: list[str]) -> list[Expect]:
    words, _can_end = g.next_words(states)
    chosen = g.best(states)
    key, group = _stream_and_group(command, chosen, rest) if chosen else (None, None)
    stream_command = command.group == "stream"
    keywords: list[str] = []
    special: list[str] = []
    out: list[Expect] = []
    seen_kinds: set[tuple] = set()

    def add(expect: Expect) -> None:
        marker = (expect.kind, expect.param, expect.words)
        if marker not in seen_kinds:
            seen_kinds.add(marker)
            out.append(expect)

    for word in words:
        if word.keyword:
            bucket = special if word.text in ID_SYMBOLS else keywords
            if word.text not in bucket:
                bucket.append(word.text)
            continue
        name = word.text
        if name in KEY_PARAMS:
            add(Expect("key", param=name, stream_only=stream_command))
        elif name in GROUP_PARAMS:
            add(Expect("group", param=name, key=key))
        elif name in CONSUMER_PARAMS:
            add(Expect("consumer", param=name, key=key, group=group))
        elif name in CHANNEL_PARAMS:
            add(Expect("channel", param=name))
        elif name == "pattern":
            if command.group == "pubsub":
                add(Expect("pattern", param=name))
            else:
                add(Expect("key", param=name))
        elif name == "client-id":
            add(Expect("client-id", param=name))
        elif name in ID_PARAMS:
            ids = SPECIAL_IDS.get((command.name, name), ())
            special.extend(i for i in ids if i not in special)
            base = command.name.split()[0]
            if base in PENDING_ID_COMMANDS and name == "id":
                add(Expect("pending-id", param=name, key=key, group=group))
            elif base in ENTRY_ID_COMMANDS and name == "id":
                add(Expect("entry-id", param=name, key=key))
    result: list[Expect] = []
    if keywords:
        result.append(Expect("keyword", words=tuple(keywords)))
    if special:
        result.append(Expect("id", words=tuple(special)))
    return result + out


# ------------------------------------------------------------------------------------------------
# Highlighting roles
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    start: int
    end: int
    role: str   # client, meta, help, command, unknown, partial, subcommand, keyword, key, id,
                # string, arg, error


def classify(line: str) -> list[Span]:
    """The role of each word of ``line``, for highlighting."""
    stripped = line.lstrip()
    if stripped.startswith(":"):
        start = len(line) - len(stripped)
        name_end = line.find(" ", start)
        name_end = len(line) if name_end < 0 else name_end
        spans = [Span(start, name_end, "meta")]
        if name_end < len(line):
            spans.append(Span(name_end, len(line), "arg"))
        return spans
    if stripped.startswith("#"):
        return [Span(len(line) - len(stripped), len(line), "comment")]
    partial = split_line_partial(line)
    tokens = list(partial.tokens)
    if partial.pending is not None:
        tokens.append(partial.pending)
    finished = len(partial.tokens)  # tokens[i] for i < finished are followed by a blank
    spans: list[Span] = []
    i = 0
    if tokens and _text(tokens[0]).startswith("@"):
        spans.append(Span(tokens[0].start, tokens[0].end, "client"))
        i = 1
    if i < len(tokens):
        spans.extend(_classify_command(tokens, i, finished))
    if partial.error is not None:
        spans.append(Span(partial.error.position, len(line), "error"))
    elif partial.open_quote is not None and partial.pending is not None:
        # an unclosed quote: show the string as it is typed
        last = spans[-1] if spans else None
        if last is not None and last.start == partial.pending.start:
            spans[-1] = Span(last.start, last.end, "string")
    return spans


def _classify_command(tokens: list[Token], i: int, finished: int) -> list[Span]:
    spans: list[Span] = []
    head = tokens[i]
    name = _text(head)
    done = i < finished  # followed by a blank: the name is complete
    if name.upper() in HELP_WORDS:
        spans.append(Span(head.start, head.end, "help"))
        spans.extend(Span(t.start, t.end, "arg") for t in tokens[i + 1:])
        return spans
    table = load()
    top = table.get(name.lower().encode("utf-8", "surrogateescape"))
    if top is None:
        prefix = name.upper()
        could_be = not done and any(n.startswith(prefix) for n in command_names() + ["HELP"])
        spans.append(Span(head.start, head.end, "partial" if could_be else "unknown"))
        spans.extend(Span(t.start, t.end, _plain(t)) for t in tokens[i + 1:])
        return spans
    spans.append(Span(head.start, head.end, "command"))
    j = i + 1
    command = top
    if top.is_container:
        if j >= len(tokens):
            return spans
        sub_token = tokens[j]
        sub = top.subcommands.get(sub_token.value.lower())
        if sub is None:
            sub_name = _text(sub_token).upper()
            could_be = j >= finished and any(
                s.name.split()[1].startswith(sub_name) for s in top.subcommands.values())
            spans.append(Span(sub_token.start, sub_token.end, "partial" if could_be else "unknown"))
            spans.extend(Span(t.start, t.end, _plain(t)) for t in tokens[j + 1:])
            return spans
        spans.append(Span(sub_token.start, sub_token.end, "subcommand"))
        command = sub
        j += 1
    rest = tokens[j:]
    node = g.grammar(command.syntax)
    states = g.start(node)
    consumed = 0
    for token in rest:
        following = g.preferred(g.step(states, _text(token)))
        if not following:
            break  # too many words, or a word the grammar does not allow here
        states = following
        consumed += 1
    # readings are re-chosen as more words arrive: the final best reading decides every role
    chosen = g.best(states) if consumed else None
    roles = [_role(w, t) for w, t in zip(chosen.roles, rest)] if chosen else []
    for k, token in enumerate(rest):
        role = roles[k] if k < len(roles) else _plain(token)
        spans.append(Span(token.start, token.end, role))
    return spans


def _plain(token: Token) -> str:
    return "string" if token.quoted else "arg"


def _role(word: g.Word, token: Token) -> str:
    if word.keyword:
        return "id" if word.text in ID_SYMBOLS else "keyword"
    if word.text in KEY_PARAMS or word.text in CHANNEL_PARAMS:
        return "key"
    if word.text in ID_PARAMS:
        return "id"
    return _plain(token)
