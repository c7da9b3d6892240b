"""Appending to the AOF with Redis's ``appendfsync`` policies.

Every command is handed to the operating system (``write``) before its reply is returned, so a
killed process (kill -9) loses nothing it acknowledged, whatever the policy. The policy decides
when the data is forced to the disk, which is what a power loss or kernel crash would lose:

* ``always``: fsync after every command, before the reply (Redis fsyncs before it replies);
* ``everysec`` (the default): a background thread fsyncs once a second when something was
  written (Redis's background fsync job);
* ``no``: never fsync; the operating system flushes when it likes.

A server can group commits as Redis does (one fsync per event-loop iteration, before any reply
is written): with ``defer`` set, ``always`` only marks the file dirty and the server calls
``sync`` before it writes replies.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

POLICIES = ("always", "everysec", "no")

# Redis's redis_fsync is fdatasync on Linux: the data and the size, not the file's times.
_datasync = getattr(os, "fdatasync", os.fsync)


class AofWriter:
    """One open AOF file, appended to with a fsync policy."""

    def __init__(self, path: Path, appendfsync: str = "everysec", *, defer: bool = False) -> None:
        if appendfsync not in POLICIES:
            raise ValueError(f"appendfsync must be one of {', '.join(POLICIES)}")
        self.path = path
        self.policy = appendfsync
        self.defer = defer
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.size = os.fstat(self.fd).st_size
        self._dirty = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        if appendfsync == "everysec":
            self._thread = threading.Thread(target=self._fsync_every_second,
                                            name="aof-fsync", daemon=True)
            self._thread.start()

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        self.size += len(data)
        if self.policy == "always" and not self.defer:
            _datasync(self.fd)
        else:
            self._dirty = True

    def _fsync_every_second(self) -> None:
        while not self._stop.wait(1.0):
            self.sync()

    def sync(self) -> None:
        """fsync now if anything was written since the last one."""
        with self._lock:
            if self._dirty and self.fd >= 0:
                self._dirty = False
                _datasync(self.fd)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.fd >= 0:
                if self.policy != "no":
                    _datasync(self.fd)
                os.close(self.fd)
                self.fd = -1
