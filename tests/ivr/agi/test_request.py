"""The agi_* environment becomes a typed, frozen AgiRequest; odd input has a defined result."""

import dataclasses

import pytest

from ivr.agi.request import parse_environment
from tests.ivr.client import encode, environment


def test_a_request_from_asterisk() -> None:
    request = parse_environment(encode(environment(
        "ivr", agi_arg_1="enterprise", agi_arg_2="x=1")))
    assert request.route == "ivr" and request.script == "ivr"
    assert request.channel == "PJSIP/carrier-00000001"
    assert request.uniqueid == "1700000000.1"
    assert (request.callerid, request.dnid) == ("13800138000", "12345")
    assert request.calleridname is None  # Asterisk's "unknown"
    assert request.context == "hotline-inbound" and request.extension == "s"
    assert request.arguments == ("enterprise", "x=1")
    assert request.argument(1) == "enterprise" and request.argument(3) is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.route = "revisit"  # type: ignore[misc]


@pytest.mark.parametrize(("script", "route"), [
    ("ivr", "ivr"), ("/ivr/", "ivr"), ("IVR?lang=zh", "ivr"), ("revisit", "revisit"),
    ("../../etc", None), ("", None), ("a b", None), ("ivr;drop", None)])
def test_the_route_is_a_plain_name_or_none(script: str, route: str | None) -> None:
    assert parse_environment(encode(environment(script))).route == route


def test_missing_variables_are_none() -> None:
    request = parse_environment(b"agi_network: yes\n\n")
    assert request.route is None and request.channel is None and request.uniqueid is None
    assert request.who == "unknown-channel" and request.arguments == ()


def test_garbage_lines_and_bytes_are_ignored() -> None:
    data = (b"agi_network_script: ivr\nnot a header\n\xff\xfe garbage\n"
            b"agi_calleridname: \xd5\xc5\xc8\xfd\nagi_uniqueid: 1.2\x07\n\n")  # GBK 张三
    request = parse_environment(data)
    assert request.route == "ivr" and request.uniqueid == "1.2"
    assert request.calleridname is not None  # replaced characters, not an exception


def test_a_garbage_argument_is_treated_as_absent() -> None:
    request = parse_environment(encode(environment(
        agi_arg_1="ok", agi_arg_2="rm -rf /;", agi_arg_4="x" * 300)))
    assert request.arguments == ("ok", None, None, None)


def test_caller_numbers_keep_digits_only() -> None:
    request = parse_environment(encode(environment(agi_callerid="+86 138-0013-8000",
                                                   agi_dnid="unknown")))
    assert request.callerid == "+8613800138000" and request.dnid is None


def test_a_repeated_variable_keeps_the_first() -> None:
    data = b"agi_network_script: ivr\nagi_network_script: revisit\n\n"
    assert parse_environment(data).route == "ivr"
