"""What a running instance writes is Asterisk's alone, and Asterisk's ids are no host account's.

The tester found recordings, ``messages.log`` (every caller's number) and AstDB readable by
all, owned by a uid (101) that is postgres on the host.
"""

import asyncio
import os
import shutil
from pathlib import Path

from telephony.pbx import process
from telephony.pbx.account import host_sharers, read_account
from tests.telephony.conftest import Running, astdb_action, instance_settings
from tests.telephony.pbx.test_asterisk_integration import call, hang_up, on
from tests.waiting import wait_for

AGENT = "Local/8001@sim-agent/n"


def ids_of(pid: int) -> tuple[int, int]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return int(status["Uid"].split()[0]), int(status["Gid"].split()[0])


def open_to_others(top: Path) -> list[str]:
    """Everything under ``top`` (itself included) another host account could read or enter."""
    found = []
    for folder, dirs, files in os.walk(top):
        for path in [Path(folder), *(Path(folder) / name for name in (*dirs, *files))]:
            mode = path.lstat().st_mode
            if not path.is_symlink() and mode & 0o007:
                found.append(f"{oct(mode & 0o7777)} {path.relative_to(top)}")
    return sorted(set(found))


def owner(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_uid, stat.st_gid, stat.st_mode & 0o7777


async def test_recordings_logs_astdb_and_config_are_asterisks_alone(
    asterisk_root: Path, tmp_path: Path
) -> None:
    running = Running(instance_settings(tmp_path, asterisk_root))
    try:
        permissive = os.umask(0)  # the caller's umask no longer decides the files' modes
        try:
            state = await asyncio.to_thread(process.start, running.instance, running.config)
        finally:
            os.umask(permissive)
        async with await process.open_ami(running.config, events="on") as ami:
            await astdb_action(running.config, "DBPut", Family="block", Key="13900000009",
                               Val="0")
            await ami.action("QueueAdd", Queue="main", Interface=AGENT, MemberName="8001")
            channel = await call(ami, "12345", "13800138000")
            connected = await ami.wait_event(on(channel, "AgentConnect"))
            monitor = running.instance.run_dir / "spool" / "monitor"
            await wait_for(lambda: list(monitor.glob(f"*/{connected['Linkedid']}.wav")),
                           "the call is being recorded")
            await hang_up(ami, channel)
            await ami.action("QueueRemove", Queue="main", Interface=AGENT)
        account = read_account(asterisk_root)
        assert account is not None
        assert host_sharers(account) == []
        assert state.pid is not None and ids_of(state.pid) == (account.uid, account.gid)

        run = running.instance.run_dir
        assert open_to_others(run) == []
        [recording] = monitor.glob(f"*/{connected['Linkedid']}.wav")
        for written in (recording, run / "log/messages.log", run / "db/astdb.sqlite3"):
            assert owner(written) == (account.uid, account.gid, 0o600), written
        for folder in ("log", "spool", "db", recording.parent):
            assert owner(run / folder) == (account.uid, account.gid, 0o700), folder
        for read in ("etc/pjsip.conf", "etc/manager.conf", "secrets/pjsip-auth.conf",
                     "moh/silence.wav"):
            assert owner(run / read) == (0, account.gid, 0o640), read
        for folder in ("etc", "secrets", "prompts", "prompts/cache", "sounds"):
            assert owner(run / folder) == (0, account.gid, 0o2750), folder
        assert owner(run / "log/console.log")[2] == 0o600
    finally:
        process.stop(running.instance)
        shutil.rmtree(running.instance.run_dir, ignore_errors=True)
