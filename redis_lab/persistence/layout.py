"""Which files in a data directory hold the AOF, in load order, and where new commands go.

Two layouts, both Redis's:

* the lab's own: one ``DIR/appendonly.aof`` (Redis before 7.0; 7.0 still loads it and, with
  ``appenddirname`` set, upgrades it to the multi-part layout on start);
* Redis 7.0's multi-part AOF: ``DIR/appendonlydir/appendonly.aof.manifest`` naming a base file
  (type ``b``) and incremental files (type ``i``) loaded in manifest order; history files
  (``h``) are not loaded. New commands go to the last incremental file, as Redis appends them.

When both exist the manifest wins, as in Redis.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SINGLE_FILE = "appendonly.aof"
MANIFEST_DIR = "appendonlydir"
MANIFEST_SUFFIX = ".manifest"


@dataclass
class ManifestEntry:
    name: str
    seq: int
    kind: str     # b (base), h (history), i (incremental)

    def line(self) -> str:
        return f"file {self.name} seq {self.seq} type {self.kind}\n"


@dataclass
class Layout:
    directory: Path
    files: list[Path]                       # to load, in order
    append_to: Path                         # where new commands are appended
    manifest: Path | None = None            # None: the single-file layout
    entries: list[ManifestEntry] = field(default_factory=list)


def parse_manifest(text: str) -> list[ManifestEntry]:
    """Redis 7.0's manifest: ``file NAME seq N type b|h|i`` per line ('#' lines skipped)."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        words = line.split()
        pairs = dict(zip(words[0::2], words[1::2]))
        if len(words) % 2 or not {"file", "seq", "type"} <= pairs.keys() \
                or pairs["type"] not in ("b", "h", "i") or not pairs["seq"].isdigit():
            raise ValueError(f"line {number} of the manifest is not 'file NAME seq N type b|h|i'")
        entries.append(ManifestEntry(pairs["file"], int(pairs["seq"]), pairs["type"]))
    return entries


def find_layout(directory: str | os.PathLike) -> Layout:
    """The layout found in ``directory`` (created if missing); a new one is a single file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    manifest_dir = directory / MANIFEST_DIR
    manifests = sorted(manifest_dir.glob("*" + MANIFEST_SUFFIX)) if manifest_dir.is_dir() else []
    if not manifests:
        single = directory / SINGLE_FILE
        return Layout(directory, [single] if single.exists() else [], single)
    manifest = manifests[0]
    entries = parse_manifest(manifest.read_text())
    base = [e for e in entries if e.kind == "b"]
    incr = [e for e in entries if e.kind == "i"]
    files = [manifest_dir / e.name for e in base + incr]
    layout = Layout(directory, files, files[-1] if incr else Path(), manifest, entries)
    if not incr:
        prefix = manifest.name[:-len(MANIFEST_SUFFIX)]
        entry = ManifestEntry(f"{prefix}.1.incr.aof", 1, "i")
        entries.append(entry)
        layout.append_to = manifest_dir / entry.name
        write_atomically(manifest, "".join(e.line() for e in entries).encode())
    return layout


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, fsync it, rename it over ``path``."""
    temp = path.with_name(f"temp-{os.getpid()}-{path.name}")
    with open(temp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (the directory entry itself)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
