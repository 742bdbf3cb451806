"""Tokens in URLs are written as an ellipsis in log lines."""

import logging

import pytest

from hotline.log_redaction import RedactTokens, redact


@pytest.mark.parametrize(("url", "logged"), [
    ("/telephony/events?token=abc.def", "/telephony/events?token=…"),
    ("/x?a=1&access_token=s3cr3t&b=2", "/x?a=1&access_token=…&b=2"),
    ("/tickets?open=true", "/tickets?open=true"),
    ("/x?mytoken=kept", "/x?mytoken=kept"),
])
def test_a_token_parameter_is_redacted_and_nothing_else(url: str, logged: str) -> None:
    assert redact(url) == logged


def test_the_filter_rewrites_a_records_arguments() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/e?token=xyz", "1.1", 200), None)
    assert RedactTokens().filter(record)
    assert "xyz" not in record.getMessage() and "/e?token=…" in record.getMessage()
