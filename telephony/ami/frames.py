"""Incremental AMI stream decoder: bytes in, complete messages out."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from dataclasses import dataclass

log = logging.getLogger(__name__)

BANNER_PREFIX = "Asterisk Call Manager/"
DEFAULT_MAX_MESSAGE = 64 * 1024
END_COMMAND = "--END COMMAND--"
_FOLLOWS = "Response: Follows"
# A block starting so is blank-line residue or empty: not the hot path.
_ODD_START = ("", "\n", " ", "\t")
_PREVIEW = 120
# A banner line is short; past this without a newline the peer is not sending one.
_BANNER_WAIT = 256


class AmiMessage:
    """One AMI message: lower-cased keys (a repeated key keeps its last value here), a body."""

    __slots__ = ("_pairs", "body", "fields")

    def __init__(
        self, fields: dict[str, str], pairs: list[list[str]] | None = None, body: str = ""
    ) -> None:
        self.fields = fields
        # Every (key, value) line as received; kept only when a key repeats.
        self._pairs = pairs
        self.body = body

    def get(self, key: str, default: str = "") -> str:
        """The value of a key, case-insensitively."""
        return self.fields.get(key.lower(), default)

    def getall(self, key: str) -> list[str]:
        """Every value of a key in the order received (ChanVariable and the like)."""
        # Asterisk's exact spelling is matched first (no lower() per line); any spelling after.
        if self._pairs is None:
            value = self.fields.get(key.lower())
            return [] if value is None else [value]
        found = [v for k, v in self._pairs if k == key]
        if found:
            return found
        lower = key.lower()
        return [v for k, v in self._pairs if k.lower() == lower]

    @property
    def event(self) -> str | None:
        """The event name, if this is an event."""
        return self.fields.get("event")

    @property
    def response(self) -> str | None:
        """The response status, if this is a response."""
        return self.fields.get("response")

    @property
    def action_id(self) -> str | None:
        """The ActionID this message answers, if any."""
        return self.fields.get("actionid")

    def __repr__(self) -> str:
        return f"AmiMessage({self.fields!r}, body={self.body!r})"


@dataclass
class FrameStats:
    """What the decoder saw; shared across reconnects by the link."""

    messages: int = 0
    dropped: int = 0
    ignored_lines: int = 0


def _preview(text: str) -> str:
    return text[:_PREVIEW] + ("…" if len(text) > _PREVIEW else "")


class AmiDecoder:
    """Turns a byte stream into `AmiMessage`s; one decoder per TCP connection."""

    def __init__(
        self,
        max_message: int = DEFAULT_MAX_MESSAGE,
        stats: FrameStats | None = None,
        *,
        expect_banner: bool = True,
    ) -> None:
        # Incremental, so a UTF-8 character split across TCP chunks is kept whole.
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._max = max_message
        self._tail = ""
        self._skipping = False
        self._follows: list[str] | None = None
        self._follows_size = 0
        self._banner_pending = expect_banner
        self.version: str | None = None
        self.stats = stats if stats is not None else FrameStats()

    def feed(self, data: bytes) -> list[AmiMessage]:
        """Decode a chunk; return the messages it completes."""
        return list(self.messages(data))

    def messages(self, data: bytes) -> Iterator[AmiMessage]:
        """Decode a chunk; yield the messages it completes; consume before the next call."""
        # Lazily, so each message is handled and freed before the next is built: far fewer
        # objects outlive a garbage-collector pass (collections cost a third of the time before).
        chunk = self._decode(data)
        if not chunk:
            return iter(())
        text = self._tail + chunk
        if "\r" in text:
            # Normalising to LF makes CRLF and bare-LF peers one case.
            text = text.replace("\r\n", "\n")
        if self._banner_pending:
            text = self._take_banner(text)
        if self._skipping:
            text = self._skip(text)
        blocks = text.split("\n\n")
        self._tail = blocks.pop()
        self._check_tail()
        return self._blocks(blocks)

    def _take_banner(self, text: str) -> str:
        newline = text.find("\n")
        if newline < 0 and len(text) < _BANNER_WAIT:
            return text  # wait for the whole line
        self._banner_pending = False
        first = text if newline < 0 else text[:newline]
        if not first.startswith(BANNER_PREFIX):
            log.warning("AMI peer sent no banner; first line: %r", _preview(first))
            return text
        self.version = first[len(BANNER_PREFIX) :].strip()
        return "" if newline < 0 else text[newline + 1 :]

    def _skip(self, text: str) -> str:
        end = text.find("\n\n")
        if end < 0:
            # Keep the last two characters: they may start the separator.
            return text[-2:]
        self._skipping = False
        return text[end + 2 :]

    def _check_tail(self) -> None:
        if len(self._tail) <= self._max:
            return
        self._drop("oversized message", self._tail)
        self._skipping = True
        self._tail = self._tail[-2:]

    def _blocks(self, blocks: list[str]) -> Iterator[AmiMessage]:
        limit = self._max
        stats = self.stats
        for block in blocks:
            # The hot path, inlined: a plain message whose every line is "Key: value".
            if (
                self._follows is None
                and len(block) <= limit
                and block[:1] not in _ODD_START
                and not block.startswith(_FOLLOWS)
            ):
                pairs = [line.split(": ", 1) for line in block.split("\n")]
                try:
                    fields = {k.lower(): v for k, v in pairs}
                except ValueError:
                    message = self._parse_careful(block.split("\n"))  # it logs the odd line
                else:
                    # Repeated keys (ChanVariable) keep their lines for getall.
                    message = AmiMessage(fields, pairs if len(fields) != len(pairs) else None)
            else:
                odd = self._odd_block(block)
                if odd is None:
                    continue
                message = odd
            if "event" in message.fields or "response" in message.fields:
                stats.messages += 1
                yield message
            else:
                self._drop("neither Event nor Response", block)

    def _odd_block(self, block: str) -> AmiMessage | None:
        """Everything but a plain message: blank lines, command output, oversized."""
        if self._follows is not None:
            block = self._continue_follows(block)
            if not block:
                return None
        block = block.strip("\n")  # extra blank lines between messages
        if not block or block.isspace():
            return None
        if block.startswith(_FOLLOWS) and END_COMMAND not in block:
            self._follows = [block]  # command output may hold blank lines
            self._follows_size = len(block)
            return None
        if len(block) > self._max:
            self._drop("oversized message", block)
            return None
        return self._parse_careful(block.split("\n"))

    def _continue_follows(self, block: str) -> str:
        assert self._follows is not None
        self._follows_size += len(block) + 2
        if self._follows_size <= self._max:
            self._follows.append(block)
        elif self._follows:
            self._drop("oversized command output", self._follows[0])
            self._follows = []  # keep reading to its end, keeping nothing
        if END_COMMAND not in block:
            return ""
        whole = "\n\n".join(self._follows)
        self._follows = None
        return whole

    def _parse_careful(self, lines: list[str]) -> AmiMessage:
        fields: dict[str, str] = {}
        pairs: list[list[str]] = []
        follows = lines[0].startswith(_FOLLOWS)
        for index, line in enumerate(lines):
            key, sep, value = line.partition(": ")
            if not sep and line.endswith(":") and " " not in line:
                key, sep = line[:-1], ":"  # "Key:" whose empty value lost its space
            if not sep or (follows and " " in key):
                if follows:
                    return AmiMessage(fields, pairs, _body(lines[index:]))
                self.stats.ignored_lines += 1
                log.warning("AMI line without ': ' ignored: %r", _preview(line))
                continue
            fields[key.lower()] = value
            pairs.append([key, value])
        return AmiMessage(fields, pairs)

    def _drop(self, reason: str, text: str) -> None:
        self.stats.dropped += 1
        log.warning("AMI frame dropped (%s, %d chars): %r", reason, len(text), _preview(text))


def _body(lines: list[str]) -> str:
    body = "\n".join(lines)
    end = body.rfind(END_COMMAND)
    if end >= 0:
        body = body[:end]
    return body.rstrip("\n")
