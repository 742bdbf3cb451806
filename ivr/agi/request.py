"""An AGI request's environment (the ``agi_*`` lines Asterisk sends first), typed and frozen."""

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_ENVIRONMENT = 64 * 1024  # Asterisk sends about 1 KB; anything far larger is not Asterisk
MAX_ARGUMENTS = 32
_LINE = re.compile(r"(agi_[a-z0-9_]+): ?(.*)")
_ARG = re.compile(r"agi_arg_([1-9][0-9]?)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ROUTE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_PLAIN_ARG = re.compile(r"[\w.:@+=,/-]{1,128}")
_UNKNOWN = {"", "unknown"}  # what Asterisk sends for a field it does not have


@dataclass(frozen=True)
class AgiRequest:
    """What Asterisk tells a FastAGI route about the call; None where it sent nothing usable."""

    route: str | None  # agi_network_script without its query string, e.g. "ivr"
    script: str | None  # agi_network_script as sent
    channel: str | None
    uniqueid: str | None
    callerid: str | None  # digits (and a leading +) only
    calleridname: str | None
    dnid: str | None
    context: str | None
    extension: str | None
    language: str | None
    arguments: tuple[str | None, ...]  # agi_arg_1…; a garbage argument is None (absent)

    @property
    def who(self) -> str:
        """The call, as logs name it."""
        return self.uniqueid or self.channel or "unknown-channel"

    def argument(self, index: int) -> str | None:
        """The ``index``-th argument (1-based), None when absent or garbage."""
        return self.arguments[index - 1] if 0 < index <= len(self.arguments) else None


def _text(value: str | None, limit: int = 256) -> str | None:
    """A value with control characters gone; None for Asterisk's "unknown" or too long."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return None if value.lower() in _UNKNOWN or len(value) > limit else value


def _route(script: str | None) -> str | None:
    """``ivr`` from ``ivr``, ``/ivr/`` or ``ivr?x=1``; None when it is not a plain name."""
    if script is None:
        return None
    name = script.split("?", 1)[0].strip("/").lower()
    return name if _ROUTE.fullmatch(name) else None


def _number(value: str | None) -> str | None:
    text = _text(value, 64)
    if text is None:
        return None
    digits = re.sub(r"[^0-9+]", "", text)
    return digits or None


def _arguments(fields: dict[str, str], who: str) -> tuple[str | None, ...]:
    numbered = {int(m.group(1)): value for key, value in fields.items()
                if (m := _ARG.fullmatch(key))}
    args: list[str | None] = []
    for index in range(1, min(max(numbered, default=0), MAX_ARGUMENTS) + 1):
        raw = numbered.get(index)
        if raw is not None and raw != "" and not _PLAIN_ARG.fullmatch(raw):
            log.warning("AGI %s: argument %d is garbage (%r): treated as absent", who, index,
                        raw[:40])
            raw = None
        args.append(raw or None)
    return tuple(args)


def parse_environment(data: bytes) -> AgiRequest:
    """The request from the environment block (up to its blank line); never raises."""
    # Caller names arrive in whatever encoding the carrier used: undecodable bytes are replaced.
    text = data.decode("utf-8", errors="replace")
    fields: dict[str, str] = {}
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            log.warning("AGI environment: ignored a line that is not agi_*: %r", line[:80])
            continue
        fields.setdefault(match.group(1), match.group(2))
    script = _text(fields.get("agi_network_script"))
    uniqueid = _text(fields.get("agi_uniqueid"), 64)
    channel = _text(fields.get("agi_channel"))
    request = AgiRequest(
        route=_route(script), script=script, channel=channel, uniqueid=uniqueid,
        callerid=_number(fields.get("agi_callerid")),
        calleridname=_text(fields.get("agi_calleridname"), 128),
        dnid=_number(fields.get("agi_dnid")),
        context=_text(fields.get("agi_context"), 80),
        extension=_text(fields.get("agi_extension"), 80),
        language=_text(fields.get("agi_language"), 20),
        arguments=_arguments(fields, uniqueid or channel or "unknown-channel"))
    missing = [name for name in ("agi_network_script", "agi_channel", "agi_uniqueid")
               if name not in fields]
    if missing:
        log.warning("AGI request %s: missing %s", request.who, ", ".join(missing))
    return request
