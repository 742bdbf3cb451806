"""The IVR's prompts copied into an instance: a chrooted Asterisk reads only inside its root.

``prepare`` (``hotline asterisk start``) and ``hotline prompts build`` mirror each source
folder (the deployment's recordings, the built prompts) into ``<instance>/prompts/<name>``.
"""

import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

PROMPTS = "prompts"  # the folder in the instance directory
# What Asterisk's loaded formats open (format_wav, format_sln, format_pcm, format_gsm).
AUDIO_SUFFIXES = frozenset({".wav16", ".wav", ".sln16", ".sln", ".g722", ".ulaw", ".alaw",
                            ".gsm"})


def _audio_files(source: Path) -> dict[str, Path]:
    if not source.is_dir():
        return {}
    return {p.name: p for p in sorted(source.iterdir())
            if p.suffix in AUDIO_SUFFIXES and not p.name.startswith(".") and p.is_file()}


def _same(source: Path, target: Path) -> bool:
    try:
        a, b = source.stat(), target.stat()
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def install_prompts(target: Path, sources: Sequence[tuple[str, Path]]) -> int:
    """Mirror each ``(name, folder)`` into ``target/name``; the number of files copied."""
    copied = 0
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o755)  # Asterisk runs as its own user
    for name, source in sources:
        folder = target / name
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)
        wanted = _audio_files(source)
        for file_name, path in wanted.items():
            final = folder / file_name
            if _same(path, final):
                continue
            tmp = folder / f".{file_name}.tmp"
            shutil.copyfile(path, tmp)
            tmp.chmod(0o644)
            stat = path.stat()
            os.utime(tmp, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # unchanged next time
            os.replace(tmp, final)  # a call playing the old file never reads half a new one
            copied += 1
        for stale in folder.iterdir():
            if stale.name not in wanted and stale.is_file():
                stale.unlink()  # a recording withdrawn: the built prompt speaks again
    if copied:
        log.info("prompts: %d files installed into %s", copied, target)
    return copied
