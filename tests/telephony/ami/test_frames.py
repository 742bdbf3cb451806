"""The AMI stream decoder: chunk boundaries, line endings, limits and garbage."""

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telephony.ami.frames import AmiDecoder, AmiMessage

NEWCHANNEL = (
    "Event: Newchannel\r\nChannel: PJSIP/trunk-00000001\r\nCallerIDNum: 13800138000\r\n"
    "CallerIDName: 张三丰（市民）\r\nUniqueid: 1700000000.1\r\nLinkedid: 1700000000.1\r\n\r\n"
)
HANGUP = "Event: Hangup\r\nChannel: PJSIP/trunk-00000001\r\nCause: 16\r\n\r\n"


def feed_all(decoder: AmiDecoder, *chunks: bytes) -> list[AmiMessage]:
    out: list[AmiMessage] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    return out


def test_the_banner_sets_the_version_and_the_first_message_follows_it() -> None:
    decoder = AmiDecoder()
    data = (
        b"Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: 1\r\n"
        b"Message: Authentication accepted\r\n\r\n"
    )
    messages = decoder.feed(data)
    assert decoder.version == "9.0.0"
    assert [m.response for m in messages] == ["Success"]
    assert messages[0].action_id == "1"


def test_a_banner_split_across_chunks_is_still_read() -> None:
    decoder = AmiDecoder()
    data = ("Asterisk Call Manager/9.0.0\r\n" + HANGUP).encode()
    messages = feed_all(decoder, data[:10], data[10:30], data[30:])
    assert decoder.version == "9.0.0"
    assert [m.event for m in messages] == ["Hangup"]


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_chinese_survives_a_split_at_every_byte_offset(ending: str) -> None:
    stream = (NEWCHANNEL + HANGUP).replace("\r\n", ending).encode("utf-8")
    for offset in range(1, len(stream)):
        decoder = AmiDecoder(expect_banner=False)
        messages = feed_all(decoder, stream[:offset], stream[offset:])
        assert [m.event for m in messages] == ["Newchannel", "Hangup"], offset
        assert messages[0].get("CallerIDName") == "张三丰（市民）", offset


def test_a_stream_fed_one_byte_at_a_time_decodes_whole() -> None:
    stream = ("Asterisk Call Manager/9.0.0\r\n" + NEWCHANNEL * 3).encode()
    decoder = AmiDecoder()
    messages = feed_all(decoder, *(stream[i : i + 1] for i in range(len(stream))))
    assert [m.get("calleridname") for m in messages] == ["张三丰（市民）"] * 3
    assert decoder.stats.dropped == 0


def test_keys_are_case_insensitive() -> None:
    decoder = AmiDecoder()
    (message,) = decoder.feed(NEWCHANNEL.encode())
    assert message.get("CALLERIDNUM") == message.get("calleridnum") == "13800138000"
    assert message.fields["uniqueid"] == "1700000000.1"


def test_repeated_keys_become_lists_in_order() -> None:
    decoder = AmiDecoder()
    data = (
        "Event: Newchannel\r\nChannel: Local/1@x\r\nChanVariable: HOTLINE_A=1\r\n"
        "ChanVariable: HOTLINE_B=二\r\nUniqueid: 1.1\r\n\r\n"
    ).encode()
    (message,) = decoder.feed(data)
    assert message.getall("ChanVariable") == ["HOTLINE_A=1", "HOTLINE_B=二"]
    assert message.getall("Channel") == ["Local/1@x"]
    assert message.getall("Absent") == []


def test_a_value_may_hold_colons_and_may_be_empty() -> None:
    decoder = AmiDecoder()
    data = b"Event: VarSet\r\nValue: sip:42@10.0.0.1: x\r\nAccountCode: \r\nExten:\r\n\r\n"
    (message,) = decoder.feed(data)
    assert message.get("value") == "sip:42@10.0.0.1: x"
    assert message.get("accountcode") == ""
    assert message.get("exten") == ""


def test_a_follows_body_is_kept_even_with_blank_lines_inside() -> None:
    decoder = AmiDecoder()
    body = "Channel              Location\nPJSIP/1-0001         s@ivr:1\n\n1 active channel\n"
    data = (
        f"Response: Follows\r\nPrivilege: Command\r\nActionID: 7\r\n{body}--END COMMAND--\r\n\r\n"
    )
    chunks = [data.encode()[:40], data.encode()[40:]]
    messages = feed_all(decoder, *chunks, HANGUP.encode())
    assert [m.response or m.event for m in messages] == ["Follows", "Hangup"]
    assert messages[0].action_id == "7"
    assert messages[0].body == body.rstrip("\n")


def test_oversized_command_output_is_dropped_to_its_end() -> None:
    decoder = AmiDecoder(max_message=1024, expect_banner=False)
    body = "\n\n".join(["line " + "z" * 100] * 40)  # blank lines inside, 4 KiB in all
    data = f"Response: Follows\r\nActionID: 8\r\n{body}\n--END COMMAND--\r\n\r\n{HANGUP}"
    messages = feed_all(decoder, *(data.encode()[i : i + 500] for i in range(0, len(data), 500)))
    assert [m.event for m in messages] == ["Hangup"]
    assert decoder.stats.dropped == 1


def test_an_oversized_message_is_dropped_and_the_next_one_parsed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    decoder = AmiDecoder(max_message=1024)
    huge = "Event: Flood\r\nData: " + "x" * 5000 + "\r\n\r\n"
    with caplog.at_level(logging.WARNING):
        messages = feed_all(decoder, huge[:3000].encode(), huge[3000:].encode(), HANGUP.encode())
    assert [m.event for m in messages] == ["Hangup"]
    assert decoder.stats.dropped == 1
    assert "oversized" in caplog.text


def test_an_oversized_message_in_one_chunk_is_dropped() -> None:
    decoder = AmiDecoder(max_message=1024)
    huge = "Event: Flood\r\nData: " + "y" * 5000 + "\r\n\r\n"
    messages = decoder.feed((huge + HANGUP).encode())
    assert [m.event for m in messages] == ["Hangup"]
    assert decoder.stats.dropped == 1


def test_garbage_lines_are_ignored_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    decoder = AmiDecoder()
    data = b"Event: Hangup\r\nthis line has no colon\r\nChannel: X\r\n\r\n"
    with caplog.at_level(logging.WARNING):
        (message,) = decoder.feed(data)
    assert message.fields == {"event": "Hangup", "channel": "X"}
    assert decoder.stats.ignored_lines == 1
    assert "without ': '" in caplog.text


def test_a_message_with_neither_event_nor_response_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    decoder = AmiDecoder()
    with caplog.at_level(logging.WARNING):
        messages = decoder.feed(b"Foo: bar\r\nBaz: 1\r\n\r\n" + HANGUP.encode())
    assert [m.event for m in messages] == ["Hangup"]
    assert decoder.stats.dropped == 1
    assert "neither Event nor Response" in caplog.text


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    decoder = AmiDecoder()
    (message,) = decoder.feed(b"Event: Hangup\r\nCallerIDName: \xff\xfe\r\n\r\n")
    assert message.get("calleridname") == "\ufffd\ufffd"


def test_empty_input_and_blank_lines_yield_nothing() -> None:
    decoder = AmiDecoder()
    assert decoder.feed(b"") == []
    assert decoder.feed(b"\r\n\r\n\r\n\r\n") == []
    assert decoder.feed(b"\r\n" + HANGUP.encode())[0].event == "Hangup"
    assert decoder.stats.dropped == 0


def test_a_peer_without_banner_is_still_decoded() -> None:
    decoder = AmiDecoder()
    messages = decoder.feed(HANGUP.encode())
    assert decoder.version is None
    assert [m.event for m in messages] == ["Hangup"]


def test_mixed_line_endings_and_a_crlf_split_between_chunks() -> None:
    decoder = AmiDecoder(expect_banner=False)
    data = b"Event: A\r\nX: 1\r\n\r\nEvent: B\nX: 2\n\nEvent: C\r\nX: 3\r\n\r"
    messages = feed_all(decoder, data, b"\n")
    assert [m.event for m in messages] == ["A", "B", "C"]


KEYS = st.sampled_from(["Event", "Channel", "CallerIDName", "ChanVariable", "Uniqueid", "Exten"])
VALUES = st.text(
    alphabet=st.sampled_from("abcXYZ019 -_/@:=张三丰市民热线（）😀é"), max_size=12
).filter(lambda v: ": " not in v and not v.endswith(":"))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=6), min_size=1, max_size=5),
    st.lists(st.integers(min_value=1, max_value=400), max_size=8),
    st.booleans(),
)
def test_any_chunking_decodes_like_the_whole(
    messages: list[list[tuple[str, str]]], cuts: list[int], crlf: bool
) -> None:
    eol = "\r\n" if crlf else "\n"
    text = "".join(
        f"Event: E{n}{eol}" + "".join(f"{k}: {v}{eol}" for k, v in lines) + eol
        for n, lines in enumerate(messages)
    )
    data = text.encode()
    points = sorted({c % len(data) for c in cuts} - {0})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    whole = AmiDecoder(expect_banner=False).feed(data)
    pieces = feed_all(AmiDecoder(expect_banner=False), *chunks)
    assert [m.fields for m in pieces] == [m.fields for m in whole]
    assert [m.getall("ChanVariable") for m in pieces] == [m.getall("ChanVariable") for m in whole]
    assert len(whole) == len(messages)
