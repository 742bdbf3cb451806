"""Build every catalogue prompt into a directory, skipping those whose text is unchanged."""

import asyncio
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivr.errors import PromptBuildFailed
from ivr.prompts import tts
from ivr.prompts.catalogue import CATALOGUE, TONES

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"  # name -> fingerprint of what was built
SAFE_PROMPT_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
Progress = Callable[[str, str], None]  # (name, "built" | "skipped")


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    voice: str | None
    built: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)


def fingerprint(voice: str | None, text: str) -> str:
    """Changes when the text or the voice does: then the prompt is built again."""
    return hashlib.sha256(f"{voice or 'default'}\n{text}".encode()).hexdigest()


def _tone_fingerprint(frequency: int, seconds: float) -> str:
    return hashlib.sha256(f"tone\n{frequency}\n{seconds}".encode()).hexdigest()


def prompt_file(directory: Path, name: str) -> Path:
    """Where a built prompt lives."""
    return directory / f"{name}.{tts.EXTENSION}"


def read_manifest(directory: Path) -> dict[str, str]:
    """The fingerprints of the prompts built in ``directory`` (empty if none or unreadable)."""
    try:
        data = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _prepare(directory: Path) -> dict[str, str]:
    """The directory made; its manifest (Asterisk reads the copies in its instance)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return read_manifest(directory)


def _write_manifest(directory: Path, manifest: Mapping[str, str]) -> None:
    tmp = directory / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(dict(sorted(manifest.items())), indent=1))
    os.replace(tmp, directory / MANIFEST)


async def build(directory: Path, catalogue: Mapping[str, str] = CATALOGUE,
                tones: Mapping[str, tuple[int, float]] = TONES, *, force: bool = False,
                progress: Progress = lambda name, what: None, parallel: int | None = None,
                ) -> BuildReport:
    """Speak every prompt of ``catalogue`` (and make every tone) into ``directory``."""
    for name in (*catalogue, *tones):
        if not SAFE_PROMPT_NAME.fullmatch(name):
            raise PromptBuildFailed(f"a prompt name must be a plain file name: {name!r}",
                                    name=name)
    for needed in ("espeak-ng", "sox"):  # missing tools fail before anything is touched
        tts.tool(needed)
    voice = await tts.mandarin_voice()
    if voice is None:
        log.warning("espeak-ng has no Mandarin voice (cmn): prompts use its default voice")
    old = _prepare(directory)
    wanted = {name: fingerprint(voice, text) for name, text in catalogue.items()}
    wanted |= {name: _tone_fingerprint(*spec) for name, spec in tones.items()}
    todo = [name for name, mark in wanted.items()
            if force or old.get(name) != mark or not prompt_file(directory, name).exists()]
    skipped = tuple(name for name in wanted if name not in todo)
    for name in skipped:
        progress(name, "skipped")
    manifest = {name: mark for name, mark in old.items() if name in wanted and name in skipped}
    failed: dict[str, str] = {}
    gate = asyncio.Semaphore(parallel or os.cpu_count() or 2)

    async def make(name: str) -> None:
        async with gate:
            target = prompt_file(directory, name)
            try:
                if name in tones:
                    await tts.tone(*tones[name], target)
                else:
                    await tts.speak(catalogue[name], target, voice)
            except PromptBuildFailed as exc:
                failed[name] = exc.message
                return
            manifest[name] = wanted[name]
            progress(name, "built")

    await asyncio.gather(*(make(name) for name in todo))
    removed = tuple(sorted(name for name in old if name not in wanted))
    for name in removed:  # only what a build made: a deployment's recordings live elsewhere
        prompt_file(directory, name).unlink(missing_ok=True)
    _write_manifest(directory, manifest)
    return BuildReport(voice, tuple(n for n in todo if n not in failed), skipped, removed,
                       failed)
