"""Real file systems for storage failures: a small tmpfs, remounted read-only or filled up.

Root writes through ``chmod 444`` but not through a read-only mount or a full disk, so these
failures are the kernel's, as on a server. Mounting needs root (the tests run as root).
"""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.required import unavailable


@contextmanager
def tmpfs(where: Path, size: str = "8m", owner: int | None = None) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` mounted at ``where`` (its root owned by ``owner``)."""
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size},mode=0700" + (f",uid={owner}" if owner is not None else "")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        unavailable(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)
        where.rmdir()


def remount_read_only(where: Path) -> None:
    """The kernel refuses every write below ``where`` from now on, root's too."""
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
    probe = where / "probe"
    try:
        probe.write_text("x")
    except OSError:
        return
    raise AssertionError(f"{where} still takes writes")


def fill(where: Path) -> Path:
    """Fill the file system under ``where`` to its last byte; the filler's path."""
    filler = where / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = b"\0" * 65536
        while True:
            try:
                os.write(fd, chunk)
            except OSError:
                if len(chunk) == 1:
                    break
                chunk = chunk[:len(chunk) // 2]
    finally:
        os.close(fd)
    assert os.statvfs(where).f_bavail == 0
    return filler
