"""Redis's error texts, in one place, exactly as redis-server 7.0.15 writes them (without '-').

Handlers raise CommandError; the engine turns it into an error reply. Keeping every string here
makes it easy to check them against the real server and impossible to spell one two ways.
"""

from __future__ import annotations


class CommandError(Exception):
    """Abort the current command with an error reply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


SYNTAX = "ERR syntax error"
NOT_INTEGER = "ERR value is not an integer or out of range"


def out_of_range(minimum: int, maximum: int) -> str:
    """getRangeLongFromObjectOrReply's text (SELECT's C int: -2147483648..2147483647)."""
    return f"ERR value is out of range, value must between {minimum} and {maximum}"


WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NO_SUCH_KEY = "ERR no such key"
INVALID_STREAM_ID = "ERR Invalid stream ID specified as stream command argument"
DB_OUT_OF_RANGE = "ERR DB index is out of range"
INVALID_CURSOR = "ERR invalid cursor"
BAD_CLIENT_NAME = "ERR Client names cannot contain spaces, newlines or special characters."
NOPROTO = "NOPROTO unsupported protocol version"
PROTO_NOT_INTEGER = "ERR Protocol version is not an integer or out of range"
WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled."
NOAUTH = "NOAUTH Authentication required."
MULTI_NESTED = "ERR MULTI calls can not be nested"
EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI"
DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI"
EXECABORT = "EXECABORT Transaction discarded because of previous errors."
EMPTY_COMMAND = "ERR empty command"
WATCH_INSIDE_MULTI = "ERR WATCH inside MULTI is not allowed"
HELLO_NOAUTH = ("NOAUTH HELLO must be called with the client already authenticated, otherwise "
                "the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
                "select the RESP protocol version at the same time")
AUTH_WITHOUT_PASSWORD = ("ERR AUTH <password> called without any password configured for the "
                         "default user. Are you sure your configuration is correct?")
INVALID_CLIENT_ID = "ERR Invalid client ID"
UNBLOCK_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
SSUBSCRIBE_DENY_BLOCKING = "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client"
GETKEYS_INVALID_COMMAND = "ERR Invalid command specified"
GETKEYS_NO_KEYS = "ERR The command has no key arguments"
GETKEYS_ARITY = "ERR Invalid number of arguments specified for command"
GETKEYS_INVALID_ARGS = "ERR Invalid arguments specified for command"
CLUSTER_DISABLED = "ERR This instance has cluster support disabled"


def _c_string(arg: bytes, limit: int = 128) -> str:
    """Render an argument as C's ``%.Ns`` would: cut at the first NUL byte and at ``limit`` bytes."""
    return arg.split(b"\0", 1)[0][:limit].decode("utf-8", "surrogateescape")


def sanitize(message: str) -> str:
    """Redis replaces CR and LF in error texts built from user input with spaces."""
    return message.replace("\r", " ").replace("\n", " ")


def wrong_arity(fullname: str) -> str:
    return f"ERR wrong number of arguments for '{fullname}' command"


def unknown_command(args: list[bytes]) -> str:
    shown = ""
    for arg in args[1:]:
        if len(shown.encode("utf-8", "surrogateescape")) >= 128:
            break
        room = 128 - len(shown.encode("utf-8", "surrogateescape"))
        shown += "'" + _c_string(arg, room) + "' "
    return sanitize(
        f"ERR unknown command '{_c_string(args[0])}', with args beginning with: {shown}"
    )


def unknown_subcommand(args: list[bytes]) -> str:
    container = _c_string(args[0], 1 << 30).upper()
    return sanitize(f"ERR unknown subcommand '{_c_string(args[1])}'. Try {container} HELP.")


def subcommand_syntax(args: list[bytes]) -> str:
    container = _c_string(args[0], 1 << 30).upper()
    return sanitize(
        f"ERR unknown subcommand or wrong number of arguments for '{_c_string(args[1])}'. "
        f"Try {container} HELP."
    )


def pubsub_context(fullname: str) -> str:
    return (
        f"ERR Can't execute '{fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
        "QUIT / RESET are allowed in this context"
    )


def hello_syntax(option: bytes) -> str:
    return sanitize(f"ERR Syntax error in HELLO option '{_c_string(option, 1 << 30)}'")


def unknown_client_type(kind: bytes) -> str:
    return sanitize(f"ERR Unknown client type '{_c_string(kind, 1 << 30)}'")


def execabort_because(error: str) -> str:
    """EXEC refused before it ran: the refusal's text, without its ERR prefix, after EXECABORT."""
    return f"EXECABORT Transaction discarded because of: {error.removeprefix('ERR ')}"


def invalid_expire(fullname: str) -> str:
    return f"ERR invalid expire time in '{fullname}' command"
