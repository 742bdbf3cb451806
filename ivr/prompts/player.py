"""Playing prompts by name: the override recording first, then the built one.

Paths are given to Asterisk as it sees them (inside its root) and checked on the host first:
a missing prompt is logged and skipped, never sent (STREAM FILE would answer ``result=-1``,
which reads like a hang-up).
"""

import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from ivr.agi.channel import KEYS, AgiChannel
from ivr.errors import AgiCommandFailed, IvrError
from ivr.prompts import tts
from ivr.prompts.catalogue import CATALOGUE, by_text

log = logging.getLogger(__name__)

# Folders inside the instance's prompts folder (telephony.pbx copies the first two in).
OVERRIDE, BUILT, CACHE = "override", "built", "cache"
# The extensions Asterisk's loaded formats (format_wav, format_gsm, format_sln, format_pcm)
# open, best first; a recording in any of them replaces a prompt.
AUDIO_EXTENSIONS = ("wav16", "wav", "sln16", "sln", "g722", "ulaw", "alaw", "gsm")
Item = str | PurePosixPath  # a catalogue name, or a clip already made (call-time speech)


@dataclass(frozen=True)
class PromptDir:
    """One folder of prompts: where this process sees it, and where Asterisk does."""

    host: Path
    asterisk: PurePosixPath

    def child(self, name: str) -> "PromptDir":
        return PromptDir(self.host / name, self.asterisk / name)


class Prompts:
    """Finds prompts by name in ``dirs`` (first wins) and plays them on a channel."""

    def __init__(self, dirs: Sequence[PromptDir], cache: PromptDir | None = None,
                 catalogue: Mapping[str, str] = CATALOGUE,
                 voice: str | Literal["auto"] | None = "auto") -> None:
        self.dirs = tuple(dirs)
        self.cache = cache  # None: no speech at call time (summaries are skipped)
        self.catalogue = catalogue
        self.voice = voice  # "auto": Mandarin if espeak-ng has it, found on first use
        self._by_text = by_text(catalogue)

    @classmethod
    def in_instance(cls, prompts: PromptDir, speech: bool = True) -> "Prompts":
        """The prompts of an Asterisk instance: its ``prompts`` folder (host, inside)."""
        cache = prompts.child(CACHE) if speech and tts.available() else None
        return cls((prompts.child(OVERRIDE), prompts.child(BUILT)), cache)

    def find(self, name: str) -> PurePosixPath | None:
        """The path (without extension) Asterisk plays for ``name``; None if there is none."""
        for folder in self.dirs:
            for extension in AUDIO_EXTENSIONS:
                if (folder.host / f"{name}.{extension}").is_file():
                    return folder.asterisk / name
        return None

    def name_of(self, text: str) -> str | None:
        """The catalogue prompt that says ``text`` (a state or rating label), if any."""
        return self._by_text.get(text.strip().strip("：。，"))

    @staticmethod
    def digits(number: str) -> list[Item]:
        """A number read digit by digit."""
        return [f"digit-{d}" for d in number if d.isdigit()]

    @staticmethod
    def date(day: date) -> list[Item]:
        """二零二六年三月五日."""
        return [*(f"number-{d}" for d in f"{day.year:04d}"), "year",
                f"number-{day.month}", "month", f"number-{day.day}", "day"]

    def _clips(self, items: Sequence[Item]) -> list[PurePosixPath]:
        clips = []
        for item in items:
            clip = item if isinstance(item, PurePosixPath) else self.find(item)
            if clip is None:
                log.warning("prompt %r is missing: skipped (run `hotline prompts build`)", item)
                continue
            clips.append(clip)
        return clips

    async def play(self, channel: AgiChannel, items: Sequence[Item]) -> None:
        """Play ``items`` in order, to the end."""
        for clip in self._clips(items):
            try:
                await channel.stream_file(str(clip))
            except AgiCommandFailed:
                log.warning("Asterisk could not play %s: skipped", clip)

    async def ask(self, channel: AgiChannel, items: Sequence[Item], seconds: float,
                  max_digits: int = 1) -> str:
        """Keys (without ``#``, up to ``max_digits``) after ``items``; "" if none in time."""
        # A key interrupts the prompts (barge-in) and counts as the first of the keys.
        first = ""
        for clip in self._clips(items):
            try:
                first = await channel.stream_file(str(clip), KEYS) or ""
            except AgiCommandFailed:
                log.warning("Asterisk could not play %s: skipped", clip)
            if first:
                break
        if first == "#":
            return ""
        if len(first) >= max_digits:
            return first
        # An empty prompt: GET DATA only listens (checked on Asterisk 22).
        return first + await channel.get_data("", seconds, max_digits - len(first))

    @contextlib.asynccontextmanager
    async def spoken(self, text: str) -> AsyncIterator[PurePosixPath | None]:
        """``text`` spoken now, deleted when the block ends; None without working speech."""
        # Without speech the caller hears the rest without this text (a summary, a label).
        if self.cache is None or not text.strip():
            yield None
            return
        # One file per use: two calls saying the same summary never delete each other's.
        name = f"say-{uuid.uuid4().hex}"
        target = self.cache.host / f"{name}.{tts.EXTENSION}"
        try:
            self.cache.host.mkdir(parents=True, exist_ok=True)
            if self.voice == "auto":
                self.voice = await tts.mandarin_voice()
            await tts.speak(text, target, self.voice)
        except (IvrError, OSError) as exc:
            log.warning("speaking a text at call time failed: %s", exc)
            yield None
            return
        try:
            yield self.cache.asterisk / name
        finally:
            # What a summary says may be personal: it does not outlive the call.
            target.unlink(missing_ok=True)
