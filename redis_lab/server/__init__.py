"""``redis-lab serve``: real clients (redis-cli, redis-py, redis-benchmark, a learner's own
programs) talk to the lab's engine over RESP, as they would to redis-server 7.0.

    requests.py    Redis's request framing (multibulk and inline), hiredis in front
    connection.py  one socket: commands in order, pipelined replies, blocking, limits
    commands.py    INFO, CONFIG, CLIENT KILL/REPLY, LAB CLOCK: what only a server has
    config.py      the options and CONFIG GET/SET over them
    app.py         the event loop, admission (maxclients, protected mode), delivery, signals
    classroom.py   --classroom: one engine per student, the shared room, LAB ROOMS/PEEK/...
"""

from .config import ServerOptions

__all__ = ["ServerOptions", "run"]


def run(options: ServerOptions, on_ready=None) -> int:
    """Serve in the foreground until SIGINT/SIGTERM (see :func:`.app.run`); ``on_ready(server)``
    runs once it listens."""
    from .app import run as run_app

    return run_app(options, on_ready)
