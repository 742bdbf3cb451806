"""Speech and tones as Asterisk plays them: espeak-ng and sox, to 16 kHz mono ``.wav16``."""

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ivr.errors import PromptBuildFailed, PromptToolMissing

log = logging.getLogger(__name__)

TOOL_TIMEOUT = 60.0
EXTENSION = "wav16"  # format_wav plays 16 kHz signed 16-bit mono under this extension
MAX_TEXT = 500  # characters: a summary is a sentence or two, not a document


def tool(name: str) -> str:
    """The path of ``name``, or PromptToolMissing."""
    found = shutil.which(name)
    if found is None:
        raise PromptToolMissing(f"{name} is not installed: run scripts/install-system-packages",
                                tool=name)
    return found


def available() -> bool:
    """Whether espeak-ng and sox are both installed."""
    return all(shutil.which(name) for name in ("espeak-ng", "sox"))


async def _run(*command: str) -> str:
    """Run a tool; its stdout. PromptBuildFailed when it fails or hangs."""
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        async with asyncio.timeout(TOOL_TIMEOUT):
            out, err = await process.communicate()
    except TimeoutError as exc:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise PromptBuildFailed(f"{Path(command[0]).name} timed out",
                                command=list(command)) from exc
    if process.returncode != 0:
        raise PromptBuildFailed(f"{Path(command[0]).name} failed: {err.decode(errors='replace')}",
                                command=list(command))
    return out.decode(errors="replace")


# espeak-ng 1.51's plain ``cmn`` turns characters into numbered pinyin and reads that as
# English ("您" -> "nin two"); ``cmn-latn-pinyin`` reads the same pinyin as Mandarin.
MANDARIN_VOICES = ("cmn-latn-pinyin", "cmn")


async def mandarin_voice() -> str | None:
    """The best Mandarin voice this espeak-ng has, else None (its default voice)."""
    listing = await _run(tool("espeak-ng"), "--voices=cmn")
    languages = {line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1}
    return next((voice for voice in MANDARIN_VOICES if voice in languages), None)


async def _to_wav16(source: Path, target: Path) -> None:
    """Convert ``source`` to ``target`` (16 kHz mono 16-bit), replacing it atomically."""
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        converted = Path(work) / "converted.wav"  # sox picks the container by extension
        await _run(tool("sox"), str(source), "-r", "16000", "-c", "1", "-b", "16",
                   "-e", "signed-integer", str(converted))
        # In an instance's setgid root:asterisk folder (the call-time cache) the file is
        # Asterisk's group's; the built prompts are copied into the instance for it.
        converted.chmod(0o640)
        os.replace(converted, target)  # same folder: a reader never sees half a file


async def speak(text: str, target: Path, voice: str | None) -> None:
    """``text`` spoken by espeak-ng (``voice`` or its default) into ``target``."""
    text = " ".join(text.split())[:MAX_TEXT]
    if not text:
        raise PromptBuildFailed("nothing to speak", target=str(target))
    with tempfile.TemporaryDirectory() as work:
        spoken = Path(work) / "spoken.wav"
        # "--" ends the options: a text starting with "-" is still text.
        await _run(tool("espeak-ng"), *(["-v", voice] if voice else []), "-w", str(spoken),
                   "--", text)
        await _to_wav16(spoken, target)


async def tone(frequency: int, seconds: float, target: Path) -> None:
    """A sine tone into ``target``."""
    with tempfile.TemporaryDirectory() as work:
        raw = Path(work) / "tone.wav"
        await _run(tool("sox"), "-n", "-r", "16000", "-c", "1", "-b", "16", str(raw),
                   "synth", f"{seconds}", "sine", str(frequency), "vol", "0.5")
        await _to_wav16(raw, target)
