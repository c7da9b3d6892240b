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

# -- streams and consumer groups (commands/streams.py, groups.py) ------------------------------
MAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0."
LIMIT_NEGATIVE = "ERR The LIMIT argument must be >= 0."
LIMIT_WITHOUT_STRATEGY = ("ERR syntax error, LIMIT cannot be used without specifying a trimming "
                          "strategy")
XTRIM_WITHOUT_STRATEGY = "ERR syntax error, XTRIM must be called with a trimming strategy"
LIMIT_WITHOUT_TILDE = "ERR syntax error, LIMIT cannot be used without the special ~ option"
XADD_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0"
STREAM_EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items"
ELEMENTS_TOO_LARGE = "ERR Elements are too large to be stored"
XADD_ID_TOO_SMALL = ("ERR The ID specified in XADD is equal or smaller than the target stream top "
                     "item")
ENTRIES_ADDED_NEGATIVE = "ERR entries_added must be positive"
XSETID_BELOW_MAX_DELETED = ("ERR The ID specified in XSETID is smaller than the provided "
                            "max_deleted_entry_id")
XSETID_TOO_SMALL = "ERR The ID specified in XSETID is smaller than the target stream top item"
XSETID_ENTRIES_ADDED_TOO_SMALL = ("ERR The entries_added specified in XSETID is smaller than the "
                                  "target stream length")
INVALID_START_ID = "ERR invalid start ID for the interval"
INVALID_END_ID = "ERR invalid end ID for the interval"
TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range"
TIMEOUT_NEGATIVE = "ERR timeout is negative"
GROUP_IN_XREAD = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
NOACK_IN_XREAD = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
XREADGROUP_WITHOUT_GROUP = "ERR Missing GROUP option for XREADGROUP"
UNBLOCKED_KEY_DELETED = "UNBLOCKED the stream key no longer exists"
UNBLOCKED_GROUP_DESTROYED = "NOGROUP the consumer group this client was blocked on no longer exists"
ENTRIESREAD_INVALID = "ERR value for ENTRIESREAD must be positive or -1"
BUSYGROUP = "BUSYGROUP Consumer Group name already exists"
XCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XCLAIM"
XCLAIM_IDLE = "ERR Invalid IDLE option argument for XCLAIM"
XCLAIM_TIME = "ERR Invalid TIME option argument for XCLAIM"
XCLAIM_RETRYCOUNT = "ERR Invalid RETRYCOUNT option argument for XCLAIM"
XAUTOCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XAUTOCLAIM"
COUNT_NOT_POSITIVE = "ERR COUNT must be > 0"
XAUTOCLAIM_COUNT_TOO_HIGH = ("ERR Insufficient memory, failed allocating transient memory, COUNT "
                             "too high.")
MAXLEN_AND_MINID = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
XREAD_UNBALANCED = ("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must "
                    "be specified.")
DOLLAR_IN_XREADGROUP = ("ERR The $ ID is meaningless in the context of XREADGROUP: you want to "
                        "read the history of this consumer by specifying a proper ID, or use the > "
                        "ID to get new messages. The $ ID would just return an empty result set.")
GT_IN_XREAD = ("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
               "<consumer> option.")
XGROUP_KEY_REQUIRED = ("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE "
                       "you may want to use the MKSTREAM option to create an empty stream "
                       "automatically.")


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


def nogroup(key: bytes, group: bytes) -> str:
    """A group command (XACK, XPENDING, XCLAIM...) on a missing key or group."""
    return sanitize(f"NOGROUP No such key '{_c_string(key, 1 << 30)}' or consumer group "
                    f"'{_c_string(group, 1 << 30)}'")


def nogroup_for_key(group: bytes, key: bytes) -> str:
    """XGROUP and XINFO on a stream that lacks the group."""
    return sanitize(f"NOGROUP No such consumer group '{_c_string(group, 1 << 30)}' for key name "
                    f"'{_c_string(key, 1 << 30)}'")


def nogroup_readgroup(key: bytes, group: bytes) -> str:
    return sanitize(f"NOGROUP No such key '{_c_string(key, 1 << 30)}' or consumer group "
                    f"'{_c_string(group, 1 << 30)}' in XREADGROUP with GROUP option")


def xclaim_option(word: bytes) -> str:
    return sanitize(f"ERR Unrecognized XCLAIM option '{_c_string(word, 1 << 30)}'")
