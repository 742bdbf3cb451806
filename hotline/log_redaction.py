"""Secrets kept out of the server's logs: a token in a URL is written ``token=…``.

The events WebSocket takes its token in the query string (browsers cannot set headers on a
WebSocket), and uvicorn logs every request's path with its query string.
"""

import logging
import re

_TOKEN = re.compile(r"((?:^|[?&])(?:token|access_token)=)[^&\s\"]+")
UVICORN_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact(text: str) -> str:
    """``text`` with every token query parameter's value replaced by an ellipsis."""
    return _TOKEN.sub(r"\1…", text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message arguments so no URL in them carries a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_server_logs() -> None:
    """Install the filter on uvicorn's loggers (after uvicorn configured its logging)."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
