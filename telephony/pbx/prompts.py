"""The IVR's prompts copied into an instance: a chrooted Asterisk reads only inside its root.

``prepare`` (``hotline asterisk start``) and ``hotline prompts build`` mirror each source
folder (the deployment's recordings, the built prompts) into ``<instance>/prompts/<name>``,
root:asterisk 0640 in setgid folders (2750): Asterisk's group reads them, nobody else.
"""

import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from telephony.pbx.account import READABLE_FILE, Account, open_readable, readable_dir

log = logging.getLogger(__name__)

PROMPTS = "prompts"  # the folder in the instance directory
CACHE = "cache"  # where the IVR speaks texts at call time (ivr/prompts/player.py)
# What Asterisk's loaded formats open (format_wav, format_sln, format_pcm, format_gsm).
AUDIO_SUFFIXES = frozenset({".wav16", ".wav", ".sln16", ".sln", ".g722", ".ulaw", ".alaw",
                            ".gsm"})


def _audio_files(source: Path) -> dict[str, Path]:
    if not source.is_dir():
        return {}
    return {p.name: p for p in sorted(source.iterdir())
            if p.suffix in AUDIO_SUFFIXES and not p.name.startswith(".") and p.is_file()}


def _same(source: Path, target: Path, account: Account | None) -> bool:
    try:
        a, b = source.stat(), target.stat()
    except FileNotFoundError:
        return False
    owned = account is None or b.st_gid == account.gid
    return (a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns and owned
            and b.st_mode & 0o777 == READABLE_FILE)


def _copy(source: Path, final: Path, account: Account | None) -> None:
    """``final`` replaced by a copy of ``source``, readable by Asterisk's group alone."""
    tmp = final.with_name(f".{final.name}.tmp")
    tmp.unlink(missing_ok=True)
    with open(source, "rb") as src, os.fdopen(open_readable(tmp, account), "wb") as out:
        shutil.copyfileobj(src, out)
    stat = source.stat()
    os.utime(tmp, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # unchanged next time
    os.replace(tmp, final)  # a call playing the old file never reads half a new one


def install_prompts(target: Path, sources: Sequence[tuple[str, Path]],
                    account: Account | None) -> int:
    """Mirror each ``(name, folder)`` into ``target/name``; the number of files copied."""
    copied = 0
    readable_dir(target, account)
    readable_dir(target / CACHE, account)
    for name, source in sources:
        folder = target / name
        readable_dir(folder, account)
        wanted = _audio_files(source)
        for file_name, path in wanted.items():
            final = folder / file_name
            if not _same(path, final, account):
                _copy(path, final, account)
                copied += 1
        for stale in folder.iterdir():
            if stale.name not in wanted and stale.is_file():
                stale.unlink()  # a recording withdrawn: the built prompt speaks again
    if copied:
        log.info("prompts: %d files installed into %s", copied, target)
    return copied
