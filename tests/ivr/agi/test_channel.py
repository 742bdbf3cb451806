"""Replies, quoting and keys of the AGI command channel."""

import asyncio

import pytest

from ivr.agi.channel import AgiChannel, AgiReply, key_of, parse_reply, quote
from ivr.agi.request import parse_environment
from ivr.errors import AgiCommandFailed, AgiProtocolError, CallerHungUp


@pytest.mark.parametrize(("line", "reply"), [
    ("result=0", AgiReply("0")),
    ("result=1 (hotline-1795322130.0)", AgiReply("1", "hotline-1795322130.0")),
    ("result=1 (a (b) c)", AgiReply("1", "a (b) c")),
    ("result=-1 endpos=0", AgiReply("-1", None, 0)),
    ("result=50 endpos=8000", AgiReply("50", None, 8000)),
    ("result= (timeout)", AgiReply("", "timeout")),
    ("result=42 (timeout)", AgiReply("42", "timeout")),
    ("result=1 (张三)", AgiReply("1", "张三")),
])
def test_replies(line: str, reply: AgiReply) -> None:
    assert parse_reply(line) == reply


@pytest.mark.parametrize("line", ["", "Trying...", "res=1"])
def test_unreadable_replies(line: str) -> None:
    assert parse_reply(line) is None


def test_quoting() -> None:
    assert quote("ivr") == "ivr"
    assert quote("") == '""'
    assert quote('a "b" c\\') == '"a \\"b\\" c\\\\"'
    with pytest.raises(ValueError):
        quote("x\nEXEC Dial")  # one argument can never become a second command


def test_keys() -> None:
    assert key_of("50") == "2" and key_of("35") == "#" and key_of("42") == "*"
    assert key_of("0") is None and key_of("65") is None and key_of("x") is None


class Peer:
    """A channel over an in-memory reader; what it writes is kept."""

    def __init__(self, *lines: str, eof: bool = True, tail: bytes = b"") -> None:
        self.reader = asyncio.StreamReader()
        self.reader.feed_data("".join(f"{line}\n" for line in lines).encode() + tail)
        if eof:
            self.reader.feed_eof()
        self.written = bytearray()
        peer = self

        class Writer:
            def write(self, data: bytes) -> None:
                peer.written += data

            async def drain(self) -> None:
                return None

        self.channel = AgiChannel(parse_environment(b"agi_uniqueid: 1.1\n\n"), self.reader,
                                  Writer(), reply_timeout=0.5)  # type: ignore[arg-type]


async def test_trying_is_skipped() -> None:
    peer = Peer("100 result=0 Trying...", "200 result=1 (v)")
    assert await peer.channel.get_variable("X") == "v"


async def test_a_hangup_line_before_the_reply_is_noted() -> None:
    peer = Peer("HANGUP", "200 result=1")
    await peer.channel.set_variable("X", "y")
    assert peer.channel.hung_up
    with pytest.raises(CallerHungUp):
        await peer.channel.stream_file("/p/x")  # not even sent
    assert peer.written == b"SET VARIABLE X y\n"


async def test_minus_one_on_a_live_channel_is_a_failed_command() -> None:
    peer = Peer("200 result=-1 endpos=0", "200 result=6")
    with pytest.raises(AgiCommandFailed):
        await peer.channel.stream_file("/p/missing")
    assert not peer.channel.hung_up


async def test_minus_one_then_dead_is_a_hang_up() -> None:
    peer = Peer("200 result=-1", "HANGUP", "511 Command Not Permitted on a dead channel")
    with pytest.raises(CallerHungUp):
        await peer.channel.get_data("", 1, 1)
    assert peer.channel.hung_up


async def test_a_closed_socket_is_a_hang_up() -> None:
    with pytest.raises(CallerHungUp):
        await Peer().channel.wait_for_digit(1)
    with pytest.raises(CallerHungUp):
        await Peer(tail=b"200 res").channel.wait_for_digit(1)  # cut mid-line


async def test_a_usage_error_is_read_to_its_end() -> None:
    peer = Peer("520-Invalid command syntax.  Proper usage follows:", "Usage: GET DATA",
                "520 End of proper usage.", "200 result=1 (after)")
    with pytest.raises(AgiCommandFailed):
        await peer.channel.command("GET DATA")
    assert await peer.channel.get_variable("X") == "after"  # still in step


async def test_an_unknown_command_fails() -> None:
    with pytest.raises(AgiCommandFailed):
        await Peer("510 Invalid or unknown command").channel.command("FLY")


async def test_garbage_and_silence_are_protocol_errors() -> None:
    with pytest.raises(AgiProtocolError):
        await Peer("hello there").channel.command("NOOP")
    with pytest.raises(AgiProtocolError):
        await Peer(eof=False).channel.command("NOOP")  # nothing within the reply timeout


async def test_variable_names_are_checked() -> None:
    with pytest.raises(ValueError):
        await Peer().channel.get_variable("X) \nHANGUP")
