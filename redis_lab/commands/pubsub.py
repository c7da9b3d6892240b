"""Pub/Sub commands: fire-and-forget fan-out to whoever is subscribed right now.

Frames and counts follow redis-server 7.0: each SUBSCRIBE argument gets its own confirmation
frame carrying channels + patterns of this client (shard channels count separately), and an
argument-less UNSUBSCRIBE with nothing to remove still answers with a frame whose channel is nil.
"""

from __future__ import annotations

from ..model import errors
from ..model.errors import CommandError
from ..model.reply import Push, Replies
from .connection import help_reply
from .table import command, describe_container


def _frame(kind: bytes, name, count: int) -> Push:
    return Push([kind, name, count])


def _subscribe(client, names, own: dict, table: dict, kind: bytes, counter) -> Replies:
    registry = client.engine.pubsub
    frames = Replies()
    for name in names:
        if name not in own:
            own[name] = None
            registry.add(table, name, client)
        frames.append(_frame(kind, name, counter()))
    return frames


def _unsubscribe(client, names, own: dict, table: dict, kind: bytes, counter) -> Replies:
    registry = client.engine.pubsub
    frames = Replies()
    if not names:
        names = list(own)
        if not names:
            frames.append(_frame(kind, None, counter()))
            return frames
    for name in names:
        if name in own:
            del own[name]
            registry.remove(table, name, client)
        frames.append(_frame(kind, name, counter()))
    return frames


@command("SUBSCRIBE", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         syntax="channel [channel ...]",
         summary="Listen to channels. From now on this client receives every message PUBLISHed "
                 "to them -- but only while it is subscribed: nothing is stored for later.",
         complexity="O(N) channels", since="2.0.0", example="SUBSCRIBE game:room1",
         related="PUBLISH UNSUBSCRIBE PSUBSCRIBE")
def subscribe(client, args):
    registry = client.engine.pubsub
    return _subscribe(client, args[1:], client.channels, registry.channels, b"subscribe",
                      lambda: client.subscription_count)


@command("UNSUBSCRIBE", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         syntax="[channel [channel ...]]",
         summary="Stop listening to the given channels (all channels when none is given).",
         complexity="O(N) channels", since="2.0.0", example="UNSUBSCRIBE game:room1",
         related="SUBSCRIBE")
def unsubscribe(client, args):
    registry = client.engine.pubsub
    return _unsubscribe(client, args[1:], client.channels, registry.channels, b"unsubscribe",
                        lambda: client.subscription_count)


@command("PSUBSCRIBE", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         syntax="pattern [pattern ...]",
         summary="Listen to every channel whose name matches a glob pattern (user:*, room?, "
                 "[ab]*); messages arrive as pmessage frames naming the pattern and the channel.",
         complexity="O(N) patterns", since="2.0.0", example="PSUBSCRIBE user:*",
         related="PUNSUBSCRIBE SUBSCRIBE PUBSUB")
def psubscribe(client, args):
    registry = client.engine.pubsub
    return _subscribe(client, args[1:], client.patterns, registry.patterns, b"psubscribe",
                      lambda: client.subscription_count)


@command("PUNSUBSCRIBE", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         syntax="[pattern [pattern ...]]",
         summary="Stop listening to the given patterns (all patterns when none is given).",
         complexity="O(N) patterns", since="2.0.0", example="PUNSUBSCRIBE user:*",
         related="PSUBSCRIBE")
def punsubscribe(client, args):
    registry = client.engine.pubsub
    return _unsubscribe(client, args[1:], client.patterns, registry.patterns, b"punsubscribe",
                        lambda: client.subscription_count)


@command("SSUBSCRIBE", arity=-2, flags="pubsub noscript loading stale", group="pubsub",
         syntax="shardchannel [shardchannel ...]",
         summary="Listen to shard channels (the cluster-friendly Pub/Sub of Redis 7; SPUBLISH "
                 "reaches them, PUBLISH does not).",
         complexity="O(N) channels", since="7.0.0", example="SSUBSCRIBE orders:eu",
         related="SPUBLISH SUNSUBSCRIBE")
def ssubscribe(client, args):
    if client.in_exec:  # EXEC denies blocking, and 7.0 counts SSUBSCRIBE as such (not SUBSCRIBE)
        raise CommandError(errors.SSUBSCRIBE_DENY_BLOCKING)
    registry = client.engine.pubsub
    return _subscribe(client, args[1:], client.shard_channels, registry.shard_channels,
                      b"ssubscribe", lambda: len(client.shard_channels))


@command("SUNSUBSCRIBE", arity=-1, flags="pubsub noscript loading stale", group="pubsub",
         syntax="[shardchannel [shardchannel ...]]",
         summary="Stop listening to shard channels (all when none is given).",
         complexity="O(N) channels", since="7.0.0", example="SUNSUBSCRIBE orders:eu",
         related="SSUBSCRIBE")
def sunsubscribe(client, args):
    registry = client.engine.pubsub
    return _unsubscribe(client, args[1:], client.shard_channels, registry.shard_channels,
                        b"sunsubscribe", lambda: len(client.shard_channels))


@command("PUBLISH", arity=3, flags="pubsub loading stale fast", group="pubsub",
         syntax="channel message",
         summary="Send a message to everyone subscribed to the channel (or to a matching "
                 "pattern) right now. Replies how many received it; 0 means the message is gone.",
         complexity="O(N+M) subscribers and patterns", since="2.0.0",
         example='PUBLISH game:room1 "hi"', related="SUBSCRIBE PSUBSCRIBE XADD")
def publish(client, args):
    return client.engine.publish(args[1], args[2])


@command("SPUBLISH", arity=3, flags="pubsub loading stale fast", group="pubsub",
         syntax="shardchannel message",
         summary="Send a message to the subscribers of a shard channel (SSUBSCRIBE).",
         complexity="O(N) subscribers", since="7.0.0", example="SPUBLISH orders:eu paid",
         related="SSUBSCRIBE PUBLISH")
def spublish(client, args):
    return client.engine.spublish(args[1], args[2])


@command("PUBSUB CHANNELS", arity=-2, flags="pubsub loading stale", group="pubsub",
         syntax="[pattern]",
         summary="The channels that have at least one subscriber (pattern subscriptions are not "
                 "channels and are not listed).",
         complexity="O(N) channels", since="2.8.0", example="PUBSUB CHANNELS game:*",
         related="PUBSUB NUMSUB PUBSUB NUMPAT")
def pubsub_channels(client, args):
    if len(args) > 3:
        raise_syntax(args)
    registry = client.engine.pubsub
    return registry.names(registry.channels, args[2] if len(args) == 3 else None)


@command("PUBSUB NUMSUB", arity=-2, flags="pubsub loading stale", group="pubsub",
         syntax="[channel [channel ...]]",
         summary="For each channel, how many clients subscribe to it by name (pattern "
                 "subscribers are not counted).",
         complexity="O(N) channels", since="2.8.0", example="PUBSUB NUMSUB game:room1",
         related="PUBSUB CHANNELS")
def pubsub_numsub(client, args):
    channels = client.engine.pubsub.channels
    reply = []
    for name in args[2:]:
        reply.append(name)
        reply.append(len(channels.get(name, ())))
    return reply


@command("PUBSUB NUMPAT", arity=2, flags="pubsub loading stale", group="pubsub", syntax="",
         summary="How many distinct patterns are subscribed (two clients on user:* count once).",
         complexity="O(1)", since="2.8.0", example="PUBSUB NUMPAT", related="PSUBSCRIBE")
def pubsub_numpat(client, args):
    return len(client.engine.pubsub.patterns)


@command("PUBSUB SHARDCHANNELS", arity=-2, flags="pubsub loading stale", group="pubsub",
         syntax="[pattern]", summary="The shard channels that have at least one subscriber.",
         complexity="O(N) channels", since="7.0.0", example="PUBSUB SHARDCHANNELS",
         related="SSUBSCRIBE")
def pubsub_shardchannels(client, args):
    if len(args) > 3:
        raise_syntax(args)
    registry = client.engine.pubsub
    return registry.names(registry.shard_channels, args[2] if len(args) == 3 else None)


@command("PUBSUB SHARDNUMSUB", arity=-2, flags="pubsub loading stale", group="pubsub",
         syntax="[shardchannel [shardchannel ...]]",
         summary="For each shard channel, how many clients subscribe to it.",
         complexity="O(N) channels", since="7.0.0", example="PUBSUB SHARDNUMSUB orders:eu",
         related="SSUBSCRIBE")
def pubsub_shardnumsub(client, args):
    channels = client.engine.pubsub.shard_channels
    reply = []
    for name in args[2:]:
        reply.append(name)
        reply.append(len(channels.get(name, ())))
    return reply


@command("PUBSUB HELP", arity=2, flags="loading stale", group="pubsub", syntax="",
         summary="Show the PUBSUB subcommands.", since="6.2.0", example="PUBSUB HELP")
def pubsub_help(client, args):
    return help_reply(args, "pubsub")


def raise_syntax(args):
    raise CommandError(errors.subcommand_syntax(args))


describe_container("PUBSUB", summary="Look at the Pub/Sub system: active channels, subscriber "
                                     "counts, pattern count.", since="2.8.0")
