"""The root's asterisk account gets ids no host account has, with the files it owns.

On a small root of real files (passwd, group, owned folders), against this host's real
accounts; the real root and Asterisk running as the account: test_files_integration.py.
"""

import asyncio
import grp
import os
import pwd
import warnings
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from hotline.cli.main import app
from telephony.errors import AsteriskAccountShared
from telephony.pbx import install as inst
from telephony.pbx.account import Account, host_sharers, read_account, remap
from tests.required import unavailable
from tests.waiting import wait_for


def host_taken_id() -> int:
    """A uid some account of this host has (and a gid a group has)."""
    users = {u.pw_uid for u in pwd.getpwall()} & {g.gr_gid for g in grp.getgrall()}
    return min(users - {0})


def small_root(path: Path, ids: int) -> Path:
    """A root whose asterisk account has ``ids``; a few files of its own, one not."""
    (path / "etc").mkdir(parents=True)
    (path / "etc/passwd").write_text(
        f"root:x:0:0:root:/root:/bin/bash\nasterisk:x:{ids}:{ids}:Asterisk PBX daemon:"
        "/var/lib/asterisk:/usr/sbin/nologin\n")
    (path / "etc/group").write_text(f"root:x:0:\ndialout:x:20:asterisk\nasterisk:x:{ids}:\n")
    owned = path / "var/lib/hotline-instances/one/spool/monitor"
    owned.mkdir(parents=True)
    (owned / "call.wav").write_bytes(b"RIFF")
    for folder in (owned, owned.parent, owned / "call.wav"):
        os.chown(folder, ids, ids)
    etc = path / "var/lib/hotline-instances/one/etc"
    etc.mkdir()
    os.chown(etc, 0, ids)
    etc.chmod(0o2750)
    (path / "etc/asterisk.link").symlink_to("/etc/hostname")  # never followed
    os.lchown(path / "etc/asterisk.link", ids, ids)
    return path


@pytest.fixture
def as_root() -> None:
    if os.geteuid() != 0:
        unavailable("giving files to another account needs root")


def test_an_account_sharing_a_host_id_is_moved_with_its_files(tmp_path: Path,
                                                              as_root: None) -> None:
    taken = host_taken_id()
    root = small_root(tmp_path / "root", taken)
    hostname = os.lstat("/etc/hostname")
    assert host_sharers(Account(taken, taken))

    moved = remap(root)

    assert moved is not None and moved == read_account(root)
    assert moved.uid == moved.gid and moved.uid != taken
    assert host_sharers(moved) == []
    assert f"asterisk:x:{moved.uid}:{moved.gid}:Asterisk PBX daemon:" in (
        root / "etc/passwd").read_text()
    assert f"asterisk:x:{moved.gid}:\n" in (root / "etc/group").read_text()
    assert "dialout:x:20:asterisk\n" in (root / "etc/group").read_text()
    recording = root / "var/lib/hotline-instances/one/spool/monitor/call.wav"
    assert (recording.stat().st_uid, recording.stat().st_gid) == (moved.uid, moved.gid)
    etc = (root / "var/lib/hotline-instances/one/etc").stat()
    assert (etc.st_uid, etc.st_gid, etc.st_mode & 0o7777) == (0, moved.gid, 0o2750)
    assert os.lstat(root / "etc/asterisk.link").st_uid == moved.uid
    assert os.lstat("/etc/hostname") == hostname  # the link's target is the host's
    assert (root / "etc/passwd").stat().st_mode & 0o777 == 0o644


def test_an_account_of_its_own_is_left_as_it_is(tmp_path: Path, as_root: None) -> None:
    root = tmp_path / "root"
    root.mkdir()
    free = remap(small_root(tmp_path / "first", host_taken_id()))  # an id free on this host
    assert free is not None
    small_root(root, free.uid)
    before = (root / "etc/passwd").stat().st_mtime_ns
    assert remap(root) == free
    assert (root / "etc/passwd").stat().st_mtime_ns == before


@pytest.fixture
def running_as_shared_id(tmp_path: Path, as_root: None) -> Iterator[tuple[Path, int]]:
    """A process inside the root running as the (shared) account, as an old instance does."""
    taken = host_taken_id()
    root = small_root(tmp_path / "root", taken)
    release, hold = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the child only waits and exits
        pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            os.close(hold)
            os.chroot(root)
            os.setgid(taken)
            os.setuid(taken)
            os.read(release, 1)
        finally:
            os._exit(0)
    os.close(release)
    try:
        yield root, pid
    finally:
        os.close(hold)
        os.waitpid(pid, 0)


async def test_a_shared_id_an_instance_runs_as_is_refused_not_moved(
    running_as_shared_id: tuple[Path, int]
) -> None:
    root, pid = running_as_shared_id
    await wait_for(lambda: os.readlink(f"/proc/{pid}/root") == str(root)
                   and f"Uid:\t{host_taken_id()}" in Path(f"/proc/{pid}/status").read_text(),
                   "the old instance runs inside the root")
    passwd = (root / "etc/passwd").read_text()
    with pytest.raises(AsteriskAccountShared) as refused:
        remap(root)
    assert refused.value.error_id == "asterisk-uid-shared"
    assert refused.value.details["pids"] == [pid]
    assert (root / "etc/passwd").read_text() == passwd  # nothing changed under it

    # The command runs its own event loops (the first prompts' build): off this test's loop.
    result = await asyncio.to_thread(CliRunner().invoke, app, ["asterisk", "start"], env={
        "HOTLINE_ASTERISK_ROOT": str(root), "HOTLINE_DATA_DIR": str(root.parent / "data")})
    assert result.exit_code == 2
    assert "error: asterisk-uid-shared:" in result.output and f"pids {pid}" in result.output


def test_install_moves_the_account_of_a_cached_root_without_rebuilding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_root: None
) -> None:
    spec = inst.RootSpec(tmp_path / "root")
    small_root(spec.root, host_taken_id())
    (spec.root / "var/lib/dpkg").mkdir(parents=True)
    (spec.root / "var/lib/dpkg/status").write_text(
        "Package: asterisk\nVersion: 1:22.10.1+dfsg+~cs6-1\n")
    (spec.root / inst.STAMP).write_bytes(orjson.dumps({"spec": spec.stamp()}))
    monkeypatch.setattr(inst, "_run_mmdebstrap", lambda *a: pytest.fail("rebuilt"))
    assert not inst.install(spec).built
    account = read_account(spec.root)
    assert account is not None and host_sharers(account) == []


def test_asterisk_start_moves_a_shared_account_before_anything_else(
    tmp_path: Path, as_root: None
) -> None:
    taken = host_taken_id()
    root = small_root(tmp_path / "root", taken)  # no Asterisk in it: the start stops there
    result = CliRunner().invoke(app, ["asterisk", "start"], env={
        "HOTLINE_ASTERISK_ROOT": str(root), "HOTLINE_DATA_DIR": str(tmp_path / "data")})
    assert "error: asterisk-not-installed:" in result.output, result.output
    account = read_account(root)
    assert account is not None and account.uid != taken and host_sharers(account) == []
