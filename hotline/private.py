"""The platform's own files: owner-only from their first byte, in a data folder of 0700.

The data folder holds the embedded database (citizens' names, numbers, addresses), the
generated secrets (token signing key, AMI secrets, SIP passwords) and the first admin's
password; no other account of the host has anything to read in it.
"""

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

UMASK = 0o077  # what the `hotline` command creates is its owner's alone (SQLite files too)


def owner_only_umask() -> None:
    """Every file and folder this process creates from now on: 0600 and 0700."""
    os.umask(UMASK)


def data_folder(path: Path) -> Path:
    """``path`` made 0700, or tightened to it if an earlier version left it open to others."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = path.stat()
    if found.st_mode & 0o077:
        # Never a shared folder (/tmp and the like, sticky) or someone else's.
        if found.st_uid == os.geteuid() and not found.st_mode & stat.S_ISVTX:
            path.chmod(0o700)
            log.warning("data folder %s was open to other accounts (%o): now 0700", path,
                        found.st_mode & 0o777)
        else:
            log.warning("data folder %s is open to other accounts (%o) and not ours to close: "
                        "choose a folder of the platform's own", path, found.st_mode & 0o777)
    return path


def write_secret(path: Path, text: str) -> None:
    """Replace ``path`` whole with ``text``, created 0600 (never readable, then closed)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)  # a crash's leftover: its mode is not to be trusted
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)  # a crash never leaves half a file


def open_lock(path: Path) -> int:
    """A lock file's descriptor (created 0600)."""
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
