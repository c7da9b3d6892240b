"""Which arguments of a command are keys: COMMAND GETKEYS and GETKEYSANDFLAGS.

Redis 7.0 finds keys from each command's key specs (the ones COMMAND INFO shows, taken here from
``command_meta``), and falls back to a command's own ``getkeys_proc`` when a spec cannot say
(a keyword missing, a range out of bounds) or when its flags depend on the arguments. This module
follows ``getKeysFromCommandWithSpecs`` and ``getKeysUsingKeySpecs`` (src/db.c) step by step; the
only procs needed by the commands the engine implements are SET's and XREAD/XREADGROUP's.
"""

from __future__ import annotations

#: A found key: its position in the command's words, and its key-spec flags ("RW", "access"...).
KeyRef = tuple[int, list[str]]


def _set_keys(argv: list[bytes]) -> list[KeyRef]:
    """setGetKeys: the key is always argument 1; GET makes it read as well as written."""
    if any(arg.lower() == b"get" for arg in argv[3:]):
        return [(1, ["RW", "access", "update"])]
    return [(1, ["OW", "update"])]


def _xread_keys(argv: list[bytes]) -> list[KeyRef]:
    """xreadGetKeys: the first half of what follows STREAMS (flags unknown: none)."""
    streams = -1
    i = 1
    while i < len(argv):
        word = argv[i].lower()
        if word in (b"block", b"count"):
            i += 1
        elif word == b"group":
            i += 2
        elif word == b"streams":
            streams = i
            break
        elif word != b"noack":
            break
        i += 1
    num = len(argv) - streams - 1 if streams != -1 else 0
    if streams == -1 or num == 0 or num % 2:
        return []
    return [(pos, []) for pos in range(streams + 1, len(argv) - num // 2)]


GETKEYS_PROCS = {"set": _set_keys, "xread": _xread_keys, "xreadgroup": _xread_keys}


def _first_key(spec: dict, argv: list[bytes]) -> int | None:
    """Where the spec's keys begin (0: its keyword is absent), or None for an unknown spec."""
    search, argc = spec["begin_search"], len(argv)
    if search["type"] == "index":
        return search["spec"]["index"]
    if search["type"] != "keyword":
        return None
    startfrom, keyword = search["spec"]["startfrom"], search["spec"]["keyword"].encode().lower()
    start = startfrom if startfrom > 0 else argc + startfrom
    end = argc - 1 if startfrom > 0 else 1
    i = start
    while i != end:  # as Redis's loop: the word at ``end`` itself is never looked at
        if i >= argc or i < 1:
            break
        if argv[i].lower() == keyword:
            return i + 1
        i = i + 1 if start <= end else i - 1
    return 0


def _key_range(spec: dict, argv: list[bytes], first: int) -> range | None:
    """The positions a ``range`` spec covers from ``first``, or None when it does not apply.

    (Redis also has ``keynum`` specs; none of the commands the engine implements uses one.)"""
    find, argc = spec["find_keys"], len(argv)
    if find["type"] != "range":
        return None
    lastkey, step, limit = (find["spec"][k] for k in ("lastkey", "keystep", "limit"))
    if lastkey >= 0:
        last = first + lastkey
    elif not limit:
        last = argc + lastkey
    else:
        last = first + ((argc - first) // limit + lastkey)
    if last >= argc or last < first or first >= argc:
        return None  # out of bounds: a syntax error in the command
    return range(first, last + 1, step)


def keys_from_specs(specs: list[dict], argv: list[bytes]) -> list[KeyRef] | None:
    """getKeysUsingKeySpecs: the keys, or None where Redis's returns -1 (an unusable spec)."""
    found: list[KeyRef] = []
    for spec in specs:
        flags = [str(flag) for flag in spec["flags"]]
        if "not_key" in flags:
            continue
        first = _first_key(spec, argv)
        if first is None:
            return None
        if first == 0:
            continue  # keyword not found
        positions = _key_range(spec, argv, first)
        if positions is None:
            return None
        found += [(pos, flags) for pos in positions]
        if "incomplete" in flags:
            return None
    return found


def has_keys(name: str, specs: list[dict]) -> bool:
    """doesCommandHaveKeys: a getkeys proc, or a key spec that is not marked not_key."""
    return name in GETKEYS_PROCS or any("not_key" not in map(str, s["flags"]) for s in specs)


def get_keys(name: str, specs: list[dict], argv: list[bytes]) -> list[KeyRef]:
    """getKeysFromCommandWithSpecs: specs first (unless their flags vary), then the proc."""
    usable = any("not_key" not in map(str, s["flags"]) for s in specs)
    variable = any("variable_flags" in map(str, s["flags"]) for s in specs)
    if usable and not variable:
        found = keys_from_specs(specs, argv)
        if found is not None:
            return found
    proc = GETKEYS_PROCS.get(name)
    return proc(argv) if proc is not None else []
