"""Regenerate redis_lab/commands/command_data.py from a running redis-server 7.0.15.

    .venv/bin/python scripts/gen_command_meta.py              # starts a private redis-server
    .venv/bin/python scripts/gen_command_meta.py --port 6390  # or asks a running one

For every top-level command the engine implements it asks the server ``COMMAND INFO name`` and
``COMMAND DOCS name`` over RESP3 (so sets and maps keep their types) and writes the answers as
Python literals. The data are facts from the server; nothing in the output is written by hand,
except that a container's subcommands, which Redis lists in hash order, are sorted by name.
Run it again whenever a command is added to the engine (the conformance test says so).
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis_lab.bench.server import RedisServer, find_redis_server  # noqa: E402
from redis_lab.commands.command_meta import REDIS_VERSION, Set  # noqa: E402
from redis_lab.commands.table import load  # noqa: E402
from redis_lab.model.reply import Status  # noqa: E402
from redis_lab.protocol.resp import encode_command  # noqa: E402

OUT = ROOT / "redis_lab" / "commands" / "command_data.py"


class Reader:
    """A blocking RESP3 reader that keeps sets, maps and simple strings apart."""

    def __init__(self, sock: socket.socket) -> None:
        self.file = sock.makefile("rb")

    def read(self):
        line = self.file.readline()[:-2]
        kind, rest = line[:1], line[1:].decode()
        if kind == b"$":
            body = self.file.read(int(rest) + 2)[:-2]
            return body.decode()
        if kind == b"+":
            return Status(rest)
        if kind == b":":
            return int(rest)
        if kind == b"_":
            return None
        if kind == b"-":
            raise SystemExit(f"server error: {rest}")
        if kind in (b"*", b"~"):
            items = [self.read() for _ in range(int(rest))]
            return Set(items) if kind == b"~" else items
        if kind == b"%":
            return {self.read(): self.read() for _ in range(int(rest))}
        raise SystemExit(f"unexpected RESP3 type {kind!r}")


def literal(value, indent: int = 0) -> str:
    """``value`` as Python source, one element per line when it does not fit on one."""
    flat = _flat(value)
    if len(flat) + indent <= 96 or not isinstance(value, (list, dict)):
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        body = "".join(f"{pad}{k!r}: {literal(v, indent + 4)},\n" for k, v in value.items())
        return "{\n" + body + " " * indent + "}"
    body = "".join(f"{pad}{literal(v, indent + 4)},\n" for v in value)
    opener, closer = ("Set([", "])") if type(value) is Set else ("[", "]")
    return opener + "\n" + body + " " * indent + closer


def _flat(value) -> str:
    if type(value) is Status:
        return f"S({str(value)!r})"
    if type(value) is Set:
        return "Set([" + ", ".join(map(_flat, value)) + "])"
    if isinstance(value, list):
        return "[" + ", ".join(map(_flat, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_flat(v)}" for k, v in value.items()) + "}"
    return repr(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=None,
                        help="a running redis-server 7.0.15 (default: start a private one)")
    options = parser.parse_args()
    if options.port is not None:
        generate(options.host, options.port)
        return
    binary = find_redis_server()
    if binary is None:
        raise SystemExit("no redis-server binary: install redis-server 7.0.15 or pass --port")
    with RedisServer(binary) as server:
        generate("127.0.0.1", server.port)


def generate(host: str, port: int) -> None:
    """Ask the server at host:port and write command_data.py."""
    sock = socket.create_connection((host, port))
    reader = Reader(sock)

    def ask(*args: str):
        sock.sendall(encode_command(list(args)))
        return reader.read()

    version = ask("HELLO", "3")["version"]
    if version != REDIS_VERSION:
        raise SystemExit(f"the data must come from redis-server {REDIS_VERSION}, not {version}")
    names = sorted(name.decode() for name in load())
    info = {name: ask("COMMAND", "INFO", name)[0] for name in names}
    docs = {name: ask("COMMAND", "DOCS", name)[name] for name in names}
    for name in names:  # Redis lists subcommands in hash order: sort them for stable diffs
        info[name][9] = type(info[name][9])(sorted(info[name][9], key=lambda sub: sub[0]))
        if "subcommands" in docs[name]:
            docs[name]["subcommands"] = dict(sorted(docs[name]["subcommands"].items()))
    missing = [name for name in names if info[name] is None]
    if missing:
        raise SystemExit(f"redis-server does not know: {', '.join(missing)}")
    lines = [
        f'"""COMMAND INFO and COMMAND DOCS of redis-server {version} for the commands redis-lab',
        "implements. Generated by scripts/gen_command_meta.py: do not edit by hand.\"\"\"",
        "",
        "from .command_meta import Set, Status as S",
        "",
        "# fmt: off",
        "INFO = {",
    ]
    lines += [f"    {name!r}: {literal(info[name], 4)}," for name in names]
    lines += ["}", "", "DOCS = {"]
    lines += [f"    {name!r}: {literal(docs[name], 4)}," for name in names]
    lines += ["}", ""]
    OUT.write_text("\n".join(lines))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(names)} commands from redis-server {version}")


if __name__ == "__main__":
    main()
