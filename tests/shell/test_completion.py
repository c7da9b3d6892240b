"""Completion names read from the engine's state through introspection commands."""

from __future__ import annotations

import pytest

from redis_lab.shell.completion import Catalog, complete_line


@pytest.fixture
def shop(session, run):
    run("XADD orders * item book", "XADD orders * item pen", "SET plain x",
        "XGROUP CREATE orders shipping 0", "XGROUP CREATE orders billing 0",
        "XGROUP CREATE audit auditors $ MKSTREAM",
        "XREADGROUP GROUP shipping w1 COUNT 1 STREAMS orders >",
        "XREADGROUP GROUP shipping w2 COUNT 1 STREAMS orders >",
        "@alice SUBSCRIBE chat news", "PUBLISH old-channel nobody")
    return session


def texts(session, line: str) -> list[str]:
    start, found = complete_line(line, Catalog(session), session.current)
    assert 0 <= start <= len(line)
    return [c.text for c in found]


def test_command_names_case_insensitive_in_the_case_typed(shop):
    assert texts(shop, "XA") == ["XACK", "XADD", "XAUTOCLAIM"]
    assert texts(shop, "xa") == ["xack", "xadd", "xautoclaim"]
    assert "HELP" in texts(shop, "HE")


def test_subcommands(shop):
    assert texts(shop, "XINFO ") == ["CONSUMERS", "GROUPS", "STREAM", "HELP"]
    assert texts(shop, "xgroup cr") == ["create", "createconsumer"]
    assert texts(shop, "PUBSUB NUM") == ["NUMPAT", "NUMSUB"]


def test_keys_and_streams(shop):
    assert texts(shop, "GET ") == ["audit", "orders", "plain"]
    assert texts(shop, "XLEN ") == ["audit", "orders"]          # streams only
    assert texts(shop, "XLEN OR") == ["orders"]                  # case-insensitive prefix
    assert texts(shop, "XREAD STREAMS ") == ["audit", "orders"]


def test_groups_of_the_typed_stream(shop):
    assert texts(shop, "XINFO CONSUMERS orders ") == ["billing", "shipping"]
    assert texts(shop, "XINFO CONSUMERS audit ") == ["auditors"]
    assert texts(shop, "XREADGROUP GROUP ") == ["auditors", "billing", "shipping"]


def test_consumers_of_the_group(shop):
    assert texts(shop, "XGROUP DELCONSUMER orders shipping ") == ["w1", "w2"]
    assert texts(shop, "XREADGROUP GROUP shipping ") == ["w1", "w2"]
    assert texts(shop, "XREADGROUP GROUP billing ") == []


def test_option_keywords_at_their_positions(shop):
    assert texts(shop, "XREADGROUP GROUP shipping w1 ") == ["COUNT", "BLOCK", "NOACK", "STREAMS"]
    assert texts(shop, "XADD orders ") == ["NOMKSTREAM", "MAXLEN", "MINID", "*"]
    assert texts(shop, "XADD orders MAXLEN ") == ["=", "~"]
    assert texts(shop, "XADD orders m") == ["maxlen", "minid"]
    assert texts(shop, "XCLAIM orders shipping w1 0 ")[:2] != ["IDLE", "TIME"]


def test_special_ids(shop):
    assert texts(shop, "XREADGROUP GROUP shipping w1 STREAMS orders ") == [">", "0", "audit"]
    assert texts(shop, "XREAD STREAMS orders ")[:2] == ["$", "0"]
    assert texts(shop, "XRANGE orders ") == ["-"]
    assert texts(shop, "XRANGE orders - ") == ["+"]
    assert texts(shop, "XGROUP CREATE orders g ") == ["$", "0"]


def test_pending_ids_for_xack_and_entry_ids_for_xdel(shop):
    assert texts(shop, "XACK orders shipping ") == ["1700000000000-0", "1700000000000-1"]
    assert texts(shop, "XACK orders shipping 1700000000000-0 ") == ["1700000000000-1"]
    assert texts(shop, "XDEL orders ") == ["1700000000000-1", "1700000000000-0"]


def test_channels_known_and_active(shop):
    assert texts(shop, "PUBLISH ") == ["chat", "news", "old-channel"]
    assert texts(shop, "SUBSCRIBE chat ") == ["news", "old-channel"]


def test_clients_after_at_and_as(shop):
    assert texts(shop, "@") == ["@default", "@alice"]
    assert texts(shop, "@al") == ["@alice"]
    assert texts(shop, ":as ") == ["default", "alice"]


def test_meta_names_and_help_topics(shop):
    assert ":advance" in texts(shop, ":")
    assert texts(shop, ":cl") == [":clients", ":clock", ":cluster"]
    assert texts(shop, "HELP @st") == ["@stream", "@string"]
    assert texts(shop, ":help xr") == ["xrange", "xread", "xreadgroup", "xrevrange"]


def test_names_that_need_quotes_are_quoted(session, run):
    run('SET "my key" 1')
    start, found = complete_line("GET my", Catalog(session), "default")
    assert (start, [c.text for c in found]) == (4, ['"my key"'])
    start, found = complete_line('GET "my', Catalog(session), "default")
    assert (start, [c.text for c in found]) == (4, ['"my key"'])


def test_completion_works_while_the_client_is_subscribed_or_blocked(session, run):
    run("XADD s * a 1", "SUBSCRIBE chat")
    assert texts(session, "XLEN ") == ["s"]
    run("@w XREAD BLOCK 0 STREAMS s $")
    assert texts(session, "@w XLEN ") == ["s"]
    # introspection created no client and did not count as anyone's command
    assert session.labels() == ["default", "w"]
    assert session.engine.clients["w"].last_command == "xread"


def test_completion_follows_the_clients_database(session, run):
    run("SET zero 0", "@other SELECT 1", "@other SET one 1")
    assert texts(session, "GET ") == ["zero"]
    assert texts(session, "@other GET ") == ["one"]


def test_nothing_for_an_unsplittable_line(shop):
    assert texts(shop, 'GET "a"b') == []


def test_meta_command_arguments(shop, tmp_path, monkeypatch):
    assert texts(shop, ":watch ") == ["stream", "pel", "lag", "fanout"]
    assert texts(shop, ":show f") == ["fanout", "flow"]
    assert texts(shop, ":watch pel ") == ["audit", "orders"]       # streams only, not "plain"
    assert texts(shop, ":watch pel orders ") == ["billing", "shipping"]
    assert texts(shop, ":watch lag orders C") == ["COUNT"]
    assert texts(shop, ":watch fanout ") == ["chat", "news", "old-channel"]
    assert texts(shop, ":clock v") == ["virtual"]
    assert texts(shop, ":explain ") == ["on", "off"]
    assert texts(shop, ":as al") == ["alice"]
    assert ["1", "10", "11", "12", "13"] == texts(shop, ":lesson 1")[:5]
    assert "05-consumer-groups" in texts(shop, ":lesson 05")
    (tmp_path / "views.svg").write_text("")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    assert texts(shop, ":export ") == ["svg", "html", "out/", "views.svg"]
    assert texts(shop, ":export svg v") == ["views.svg"]
    assert texts(shop, f":export html {tmp_path}/o") == [f"{tmp_path}/out/"]


def test_completion_case_setting(shop):
    assert texts(shop, "xle") == ["xlen"]              # auto: as typed
    shop.settings.completion_case = "upper"
    assert texts(shop, "xle") == ["XLEN"]
    shop.settings.completion_case = "lower"
    assert texts(shop, "XLE") == ["xlen"]
