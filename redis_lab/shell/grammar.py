"""Argument grammars parsed from the command table's ``syntax`` synopses.

Each Command in ``redis_lab.commands.table`` carries its argument synopsis in Redis's
documentation style::

    key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]

This module turns that text into a small grammar (words, sequences, optional parts,
alternatives, repetitions) and matches typed arguments against it. The shell's completion,
hints, highlighting and HELP all read the same grammar, so a command is described once.

Conventions of the synopsis:

* ``UPPERCASE`` words and symbols (``= ~ * $ + - >``) are keywords typed literally
  (case-insensitively); ``lowercase-words`` are parameters (``key``, ``group``, ``count``).
* ``[ ... ]`` is optional; ``<a | b>`` chooses one; ``a | b`` inside ``[ ]`` chooses one.
* ``[x ...]`` / ``[x y ...]`` repeats its content zero or more times (``key [key ...]`` is one or
  more keys); ``x ...`` repeats ``x`` one or more times.

Matching keeps every way of reading the typed words (a non-deterministic walk): after
``XADD s MAXLEN`` the word MAXLEN may be the keyword or an entry ID. Readings that matched more
keywords are preferred for hints and highlighting; completion offers what any reading allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

# ------------------------------------------------------------------------------------------------
# Nodes
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A keyword (typed literally) or a parameter (a value the user chooses)."""

    text: str
    keyword: bool

    def matches(self, arg: str) -> bool:
        return not self.keyword or arg.upper() == self.text.upper()


@dataclass(frozen=True)
class Seq:
    items: tuple


@dataclass(frozen=True)
class Opt:
    item: object


@dataclass(frozen=True)
class Alt:
    items: tuple


@dataclass(frozen=True)
class Rep:
    """Zero or more repetitions of ``item``."""

    item: object


EMPTY = Seq(())
_SYMBOLS = set("=~*$+->#!")


def is_keyword(word: str) -> bool:
    """``MAXLEN``, ``=``, ``*`` are keywords; ``key``, ``min-idle-time`` are parameters."""
    if all(ch in _SYMBOLS for ch in word):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


# ------------------------------------------------------------------------------------------------
# Parsing the synopsis
# ------------------------------------------------------------------------------------------------


class SyntaxParseError(ValueError):
    pass


def _lex(text: str) -> list[str]:
    """Split a synopsis into words and the punctuation ``[ ] < > | ...``."""
    out: list[str] = []
    depth = 0  # open <angle> groups: only then does '>' close one instead of being a word
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("...", i):
            out.append("...")
            i += 3
        elif ch in "[]|":
            out.append(ch)
            i += 1
        elif ch == "<" and i + 1 < n and not text[i + 1].isspace():
            out.append("<")
            depth += 1
            i += 1
        elif ch == ">" and depth > 0:
            out.append(">")
            depth -= 1
            i += 1
        else:
            j = i + 1
            while j < n and not text[j].isspace() and text[j] not in "[]|" \
                    and not (text[j] == ">" and depth > 0) and not text.startswith("...", j):
                j += 1
            out.append(text[i:j])
            i = j
    return out


def _fold_ellipsis(tokens: list[str]) -> list[str]:
    """Rewrite ``[ a b ... ]`` as ``{ a b }`` (repeat group) so the parser sees it up front."""
    out = list(tokens)
    i = 0
    while i < len(out):
        # an ellipsis right before "]": the whole bracket is a repetition
        if out[i] == "..." and i + 1 < len(out) and out[i + 1] == "]":
            opening = _matching_open(out, i - 1)
            if opening >= 0:
                out[opening] = "{"
                out[i + 1] = "}"
                del out[i]
                continue
        i += 1
    return out


def _matching_open(tokens: list[str], j: int) -> int:
    """Index of the "[" that the bracket closing after ``tokens[j]`` opened with (-1 if none)."""
    depth = 0
    while j >= 0:
        if tokens[j] == "]":
            depth += 1
        elif tokens[j] == "[":
            if depth == 0:
                return j
            depth -= 1
        j -= 1
    return -1


def _alt_of(alternatives: list[list]):
    seqs = [Seq(tuple(a)) if len(a) != 1 else a[0] for a in alternatives]
    if len(seqs) == 1:
        only = seqs[0]
        return only if isinstance(only, Seq) else Seq((only,))
    return Alt(tuple(seqs))


def _parse(tokens: list[str], text: str) -> Seq:
    pos = 0

    def alts(closer: str | None) -> list[list]:
        nonlocal pos
        alternatives: list[list] = [[]]
        while pos < len(tokens):
            tok = tokens[pos]
            if tok == closer:
                return alternatives
            if tok in ("]", ">", "}"):
                raise SyntaxParseError(f"unexpected {tok!r} in {text!r}")
            pos += 1
            if tok == "|":
                alternatives.append([])
            elif tok in ("[", "<", "{"):
                close = {"[": "]", "<": ">", "{": "}"}[tok]
                inner = alts(close)
                if pos >= len(tokens) or tokens[pos] != close:
                    raise SyntaxParseError(f"missing {close!r} in {text!r}")
                pos += 1
                node = _alt_of(inner)
                if tok == "[":
                    node = Opt(_unwrap(node))
                elif tok == "{":
                    node = Rep(_unwrap(node))
                else:
                    node = _unwrap(node)
                alternatives[-1].append(node)
            elif tok == "...":
                current = alternatives[-1]
                if not current:
                    raise SyntaxParseError(f"'...' with nothing to repeat in {text!r}")
                current.append(Rep(current[-1]))
            else:
                alternatives[-1].append(Word(tok, is_keyword(tok)))
        if closer is not None:
            raise SyntaxParseError(f"missing {closer!r} in {text!r}")
        return alternatives

    alternatives = alts(None)
    node = _alt_of(alternatives)
    return node if isinstance(node, Seq) else Seq((node,))


def _unwrap(node):
    if isinstance(node, Seq) and len(node.items) == 1:
        return node.items[0]
    return node


@cache
def grammar(syntax: str) -> Seq:
    """The grammar of a synopsis (cached); an unparsable synopsis gives a catch-all grammar."""
    try:
        return _parse(_fold_ellipsis(_lex(syntax)), syntax)
    except SyntaxParseError:
        return Seq((Rep(Word("arg", False)),))


def check_syntax(syntax: str) -> None:
    """Raise SyntaxParseError if ``syntax`` does not parse (the table's tests use this)."""
    _parse(_fold_ellipsis(_lex(syntax)), syntax)


# ------------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------------


def render(node, compact: bool = True) -> str:
    """Render a grammar (or a continuation) as a synopsis.

    ``compact`` is redis-cli's hint style: ``MAXLEN|MINID``, ``[=|~]``, ``*|id``;
    otherwise the documentation style: ``<MAXLEN | MINID>``, ``[= | ~]``, ``<* | id>``.
    """
    if isinstance(node, (tuple, list)):
        return " ".join(s for s in (render(n, compact) for n in node) if s)
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Seq):
        return " ".join(s for s in (render(n, compact) for n in node.items) if s)
    if isinstance(node, Opt):
        return "[" + _render_inner(node.item, compact) + "]"
    if isinstance(node, Alt):
        sep = "|" if compact else " | "
        inner = sep.join(render(n, compact) for n in node.items)
        return inner if compact else f"<{inner}>"
    if isinstance(node, Rep):
        return f"[{render(node.item, compact)} ...]"
    raise TypeError(node)


def _render_inner(node, compact: bool) -> str:
    if isinstance(node, Alt):
        sep = "|" if compact else " | "
        return sep.join(render(n, compact) for n in node.items)
    return render(node, compact)


# ------------------------------------------------------------------------------------------------
# Matching
# ------------------------------------------------------------------------------------------------

Cont = tuple  # a continuation: the grammar nodes still to match, in order


def expand(cont: Cont) -> Iterator[Cont]:
    """Every way to make ``cont`` start with a Word (and ``()`` if it can be complete)."""
    seen: set = set()
    stack = [cont]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if not current:
            yield current
            continue
        head, rest = current[0], current[1:]
        if isinstance(head, Word):
            yield current
        elif isinstance(head, Seq):
            stack.append(head.items + rest)
        elif isinstance(head, Opt):
            stack.append(rest)
            stack.append((head.item,) + rest)
        elif isinstance(head, Alt):
            for alt in reversed(head.items):
                stack.append((alt,) + rest)
        elif isinstance(head, Rep):
            stack.append(rest)
            stack.append((head.item, head) + rest)


@dataclass(frozen=True)
class State:
    """One reading of the typed words: what is left to match and what each word was."""

    cont: Cont
    roles: tuple = ()          # the Word each typed argument matched
    keywords: int = 0          # how many typed words matched keywords (preferred readings)


def start(node: Seq) -> list[State]:
    return [State((node,))]


def step(states: Iterable[State], arg: str) -> list[State]:
    """Consume one typed argument in every reading that allows it."""
    best: dict[Cont, State] = {}
    for state in states:
        for cont in expand(state.cont):
            if not cont:
                continue
            word = cont[0]
            if not word.matches(arg):
                continue
            new = State(cont[1:], state.roles + (word,), state.keywords + word.keyword)
            old = best.get(new.cont)
            if old is None or new.keywords > old.keywords:
                best[new.cont] = new
    return list(best.values())


def match(node: Seq, args: Iterable[str]) -> list[State]:
    """The readings of ``args`` (possibly none: too many or wrong words)."""
    states = start(node)
    for arg in args:
        states = step(states, arg)
        if not states:
            break
    return states


def preferred(states: list[State]) -> list[State]:
    """The readings that matched the most keywords (``MAXLEN`` read as the keyword, not an ID)."""
    if not states:
        return []
    top = max(s.keywords for s in states)
    return [s for s in states if s.keywords == top]


def best(states: list[State]) -> State | None:
    """The preferred reading: most keywords matched, then the most left to show."""
    if not states:
        return None
    return max(states, key=lambda s: (s.keywords, len(render(s.cont))))


def next_words(states: Iterable[State]) -> tuple[list[Word], bool]:
    """What may come next in any reading: (distinct Words in grammar order, can-end-here)."""
    words: list[Word] = []
    seen: set[Word] = set()
    can_end = False
    for state in states:
        for cont in expand(state.cont):
            if not cont:
                can_end = True
                continue
            word = cont[0]
            if word not in seen:
                seen.add(word)
                words.append(word)
    return words, can_end


def complete(states: Iterable[State]) -> bool:
    """True if some reading may end here (all required arguments typed)."""
    return any(not cont for state in states for cont in expand(state.cont))


def arg_bounds(node) -> tuple[int, int | None]:
    """(fewest, most) arguments the grammar accepts; most is None when unbounded."""
    if isinstance(node, Word):
        return 1, 1
    if isinstance(node, Seq):
        lo, hi = 0, 0
        for item in node.items:
            a, b = arg_bounds(item)
            lo += a
            hi = None if hi is None or b is None else hi + b
        return lo, hi
    if isinstance(node, Opt):
        return 0, arg_bounds(node.item)[1]
    if isinstance(node, Alt):
        bounds = [arg_bounds(n) for n in node.items]
        lo = min(b[0] for b in bounds)
        his = [b[1] for b in bounds]
        return lo, None if any(h is None for h in his) else max(his)
    if isinstance(node, Rep):
        return 0, None
    raise TypeError(node)
