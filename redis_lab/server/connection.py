"""One TCP connection: bytes in, the engine's client runs the commands, bytes out.

The engine already answers byte-exactly (``Client.call`` returns what redis-server writes), so
a connection only frames input (:mod:`.requests`), feeds it to its engine client in order and
writes the replies back, pipelined: every command found in one read is answered in one write.

What makes it a server and not a loop:

* A blocked client (XREAD BLOCK) reads nothing more until it is served, as in Redis: its input
  stays buffered and is parsed once the engine has pushed the late reply.
* Output pushed to a client by *another* connection (messages, a served blocked read) is written
  by the server after the command that caused it (``Server.flush``).
* QUIT, ``POST``/``Host:`` and CLIENT KILL close the connection after what was already answered;
  a protocol error answers ``-ERR Protocol error: ...`` and closes, as Redis does.
* Pub/Sub clients are dropped when their unsent output passes client-output-buffer-limit.
"""

from __future__ import annotations

import asyncio
import time

from ..engine import BLOCKED
from ..model.reply import Push, Replies
from ..protocol.resp import encode
from .requests import ProtocolError, RequestReader


class Connection(asyncio.Protocol):
    """The asyncio protocol of one client connection."""

    def __init__(self, server) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.client = None
        self.reader = RequestReader(server.options.proto_max_bulk_len)
        self.closing = False
        self.reply_mode = b"on"          # CLIENT REPLY ON | OFF
        self.skip = False                # CLIENT REPLY SKIP: silence the next command
        self.soft_limit_since: float | None = None
        self.addr = ""

    # -- asyncio callbacks ---------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            import socket
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        self.server.accept(self)

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        self.reader.feed(data)
        if self.reader.buffered > self.server.options.client_query_buffer_limit:
            self.server.log(f"Closing client that reached max query buffer length: {self.addr}")
            self.abort()
            return
        self.process()
        self.server.flush()

    def connection_lost(self, exc) -> None:
        self.closing = True
        self.server.forget(self)

    # -- running commands ----------------------------------------------------------------------
    def process(self) -> None:
        """Run every complete command buffered, unless blocked; write the replies at once."""
        client = self.client
        if client is None or self.closing:
            return
        server = self.server
        out: list[bytes] = []
        reader = self.reader
        stats = server.stats_for(client)
        try:
            while client.blocked is None and not client.closed:
                args = reader.next_command(client.authenticated)
                if args is None:
                    break
                if client.outbox:
                    out.append(self.take_output())
                if self.reply_mode == b"on" and not self.skip:
                    reply = client.call(*args)
                else:
                    reply = self._call_silenced(args)
                if client.blocked is None:
                    stats.record(client.last_command, reply)
                out.append(reply)
                if client is not self.client:   # classroom AUTH moved it to another engine
                    client = self.client
                    stats = server.stats_for(client)
        except ProtocolError as exc:
            out.append(b"-ERR %s\r\n" % exc.message.encode())
            self.write(b"".join(out))
            self.close()
            return
        if client.outbox:
            out.append(self.take_output())
        if out:
            self.write(b"".join(out))
        if client.closed:
            self.close()

    def _call_silenced(self, args: list[bytes]) -> bytes:
        """CLIENT REPLY OFF / SKIP: run the command; of its reply only pub/sub frames are
        written (Redis lets pushes through silenced replies). ON itself is answered."""
        skip, self.skip = self.skip, False   # SKIP silences exactly the next command
        client = self.client
        value = client.execute(args)
        if value is BLOCKED:
            return b""
        resp3 = client.resp == 3
        if self.reply_mode == b"on" and not skip:
            return encode(value, resp3)
        items = value if type(value) is Replies else [value]
        return b"".join(encode(item, resp3) for item in items if type(item) is Push)

    def take_output(self) -> bytes:
        """What was pushed to this client (messages; a served blocked command's late reply,
        counted in the stats now). With CLIENT REPLY OFF only pub/sub frames are kept."""
        client = self.client
        client.engine.poll()
        silenced = self.reply_mode != b"on"
        kept = []
        for value, resp3 in client.outbox:
            if type(value) is Push:
                kept.append(encode(value, resp3))
                continue
            data = encode(value, resp3)
            self.server.stats_for(client).record(client.last_command, data)
            if not silenced:
                kept.append(data)
        client.outbox.clear()
        return b"".join(kept)

    def resume(self) -> None:
        """After the engine served this blocked client: its buffered commands run now."""
        if self.reader.buffered and self.client.blocked is None:
            self.process()

    # -- output --------------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        transport = self.transport
        if not data or transport is None or self.closing:
            return
        aof = self.server.engine.aof
        if aof is not None:
            aof.before_reply()   # appendfsync always: the fsync comes before the reply
        transport.write(data)
        if self.client is not None and self.client.in_pubsub_mode:
            self._check_output_limit(transport.get_write_buffer_size())

    def _check_output_limit(self, pending: int) -> None:
        """client-output-buffer-limit pubsub: a subscriber that does not read is dropped."""
        limit = self.server.options.limits["pubsub"]
        reason = None
        if limit.hard and pending >= limit.hard:
            reason = "hard"
        elif limit.soft and pending >= limit.soft:
            now = time.monotonic()
            if self.soft_limit_since is None:
                self.soft_limit_since = now
            elif now - self.soft_limit_since >= limit.soft_seconds:
                reason = "soft"
        else:
            self.soft_limit_since = None
        if reason:
            self.server.log(f"Client {self.describe()} scheduled to be closed ASAP for overcoming "
                            f"of output buffer limits ({reason} limit, {pending} bytes unsent).")
            self.server.stats.output_limit_disconnections += 1
            self.abort()

    def describe(self) -> str:
        client = self.client
        name = (client.name or b"").decode("utf-8", "replace") if client is not None else ""
        return f"id={client.id if client else 0} addr={self.addr} name={name}"

    # -- closing -------------------------------------------------------------------------------
    def close(self) -> None:
        """Close after writing what is pending (QUIT, protocol errors, CLIENT KILL)."""
        if self.closing:
            return
        self.closing = True
        if self.transport is not None:
            self.transport.close()
        self.server.forget(self)

    def abort(self) -> None:
        """Close now, dropping unsent output (output buffer limits, query buffer limit)."""
        if self.transport is not None:
            self.transport.abort()
        self.closing = True
        self.server.forget(self)
