"""The root's ``asterisk`` account: ids no host account shares, and the files Asterisk reads.

A chrooted Asterisk runs as the uid and gid the root's own ``/etc/passwd`` gives it, and the
files it writes (recordings, logs with callers' numbers, AstDB) carry those ids on the host.
Debian gives the account the first free system id *of the root* (101), which on the host is
often someone else's (postgres, _ssh): that account would read the recordings and write
AstDB. ``ensure_private_account`` moves the root's account to ids no host account uses and
hands it the files it owns, at ``hotline asterisk install`` and every start.
"""

import fcntl
import grp
import logging
import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from telephony.errors import AsteriskAccountShared

log = logging.getLogger(__name__)

USER = "asterisk"
# Where a new id is looked for: system ids, from the top, away from the ones adduser hands
# out first (it counts up from 100), so a package installed later on the host rarely lands
# on it; the check at every start catches it if one does.
ID_RANGE = range(999, 99, -1)
# Owner-only for what Asterisk writes; root:asterisk with setgid for what it only reads.
PRIVATE_DIR, READABLE_DIR, READABLE_FILE = 0o700, 0o2750, 0o640


@dataclass(frozen=True)
class Account:
    """The ids Asterisk runs as."""

    uid: int
    gid: int


def _entries(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    return [line.split(":") for line in path.read_text().splitlines() if line.count(":") >= 2]


def read_account(root: Path, user: str = USER) -> Account | None:
    """The uid and gid of ``user`` in the root's passwd file, or None."""
    for fields in _entries(root / "etc/passwd"):
        if len(fields) > 3 and fields[0] == user:
            return Account(int(fields[2]), int(fields[3]))
    return None


def host_sharers(account: Account) -> list[str]:
    """Host accounts (any name service) holding the account's uid or gid."""
    found = []
    with suppress(KeyError):
        found.append(f"user {pwd.getpwuid(account.uid).pw_name} (uid {account.uid})")
    with suppress(KeyError):
        found.append(f"group {grp.getgrgid(account.gid).gr_name} (gid {account.gid})")
    return found


def _used_in_root(root: Path) -> set[int]:
    ids = set()
    for name in ("passwd", "group"):
        ids |= {int(f[2]) for f in _entries(root / "etc" / name) if f[2].isdigit()}
    return ids


def _free_on_host(candidate: int) -> bool:
    return not host_sharers(Account(candidate, candidate))


def free_id(root: Path) -> int:
    """An id free as uid and gid both on the host and in the root."""
    used = _used_in_root(root)
    for candidate in ID_RANGE:
        if candidate not in used and _free_on_host(candidate):
            return candidate
    raise AsteriskAccountShared("no system id is free on this host for the Asterisk root's "
                                "account", root=str(root))


def _ids_of(pid: Path) -> tuple[int, int]:
    """A process's real uid and gid, from its status file (its /proc entry may be root's)."""
    fields = dict(line.split(":", 1) for line in (pid / "status").read_text().splitlines()
                  if ":" in line)
    return int(fields["Uid"].split()[0]), int(fields["Gid"].split()[0])


def processes_as(root: Path, account: Account) -> list[int]:
    """Processes inside ``root`` running as the account (a live instance)."""
    inside = str(root.resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.readlink(entry / "root") != inside:
                continue
            uid, gid = _ids_of(entry)
        except (OSError, KeyError, ValueError):  # gone meanwhile, or not ours to look at
            continue
        if uid == account.uid or gid == account.gid:
            found.append(int(entry.name))
    return found


def _rewrite_ids(path: Path, name: str, columns: dict[int, int]) -> None:
    """Set columns of ``name``'s line in a passwd/group file; replaced whole, mode kept."""
    lines = path.read_text().splitlines(keepends=True)
    for index, line in enumerate(lines):
        fields = line.rstrip("\n").split(":")
        if fields[0] == name:
            for column, value in columns.items():
                fields[column] = str(value)
            lines[index] = ":".join(fields) + "\n"
    tmp = path.with_name(f".{path.name}.hotline-tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, path.stat().st_mode & 0o7777)
    with os.fdopen(fd, "w") as out:
        out.write("".join(lines))
    os.replace(tmp, path)


def _hand_over(root: Path, old: Account, new: Account) -> int:
    """Give the files of the old ids to the new ones (never following a link); how many."""
    changed = 0
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            uid = new.uid if stat.st_uid == old.uid else -1
            gid = new.gid if stat.st_gid == old.gid else -1
            if uid != -1 or gid != -1:
                mode = stat.st_mode & 0o7777
                os.lchown(path, uid, gid)
                if mode & 0o6000 and not os.path.islink(path):
                    os.chmod(path, mode)  # chown clears setuid/setgid bits: put them back
                changed += 1
    return changed


def remap(root: Path, user: str = USER) -> Account | None:
    """Move ``user`` of ``root`` to ids no host account uses; the account (None: no user)."""
    old = read_account(root, user)
    if root.resolve() == Path("/"):
        return old  # a system Asterisk: its account is the host's own
    sharers = host_sharers(old) if old is not None else []
    if old is None or not sharers:
        return old
    if os.geteuid() != 0:
        raise AsteriskAccountShared(
            f"the Asterisk root's {user} account shares ids with host accounts "
            f"({', '.join(sharers)}); run as root to give it ids of its own",
            root=str(root), sharers=sharers)
    running = processes_as(root, old)
    if running:
        raise AsteriskAccountShared(
            f"the Asterisk root's {user} account shares ids with host accounts "
            f"({', '.join(sharers)}) and Asterisk runs as it (pids "
            f"{', '.join(map(str, running))}): stop those instances, then start again",
            root=str(root), sharers=sharers, pids=running)
    new_id = free_id(root)
    new = Account(new_id, new_id)
    _rewrite_ids(root / "etc/passwd", user, {2: new.uid, 3: new.gid})
    for fields in _entries(root / "etc/group"):
        if len(fields) > 2 and fields[2] == str(old.gid):
            _rewrite_ids(root / "etc/group", fields[0], {2: new.gid})
    changed = _hand_over(root, old, new)
    log.warning("the Asterisk root %s: its %s account shared ids with %s; now uid/gid %d "
                "(%d files handed over)", root, user, ", ".join(sharers), new_id, changed)
    return new


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """One change of a root at a time, across processes (builds, repairs, parallel tests)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_private_account(root: Path, user: str = USER) -> Account | None:
    """The root's account, moved first if a host account shares its ids."""
    account = read_account(root, user)
    if account is None or root.resolve() == Path("/") or not host_sharers(account):
        return account  # the usual case: no lock needed to find nothing to do
    with locked(root):
        return remap(root, user)


def readable_dir(path: Path, account: Account | None) -> None:
    """A folder Asterisk reads and the platform writes: root:asterisk, setgid, no others."""
    path.mkdir(parents=True, exist_ok=True)
    if account is None:  # Asterisk runs as root: nobody else needs it
        path.chmod(PRIVATE_DIR)
        return
    os.chown(path, 0, account.gid)
    path.chmod(READABLE_DIR)  # setgid: files made inside belong to Asterisk's group too


def private_dir(path: Path, account: Account | None) -> None:
    """A folder Asterisk writes (logs, spool, AstDB): its own, nobody else's."""
    path.mkdir(parents=True, exist_ok=True)
    if account is not None:
        os.chown(path, account.uid, account.gid)
    path.chmod(PRIVATE_DIR)


def open_readable(path: Path, account: Account | None) -> int:
    """Create ``path`` (new) for Asterisk to read: 0640 root:asterisk from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    # Still empty: the group (and the mode the umask of `hotline` would narrow) set first.
    if account is not None:
        os.fchown(fd, 0, account.gid)
    os.fchmod(fd, READABLE_FILE)
    return fd
