"""Run an Asterisk instance from the root: render, start, stop, status.

An instance's files live inside the root (``/var/lib/hotline-instances/<name>``) so that
``chroot ROOT asterisk`` sees them without mounts; several instances (parallel tests, CI)
share one root. On the host, the instance's home (``data_dir/asterisk``) keeps the pid file
and a ``run`` link to those files.
"""

import asyncio
import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from telephony.errors import NotInstalled, StartFailed, TelephonyError
from telephony.pbx.account import (
    Account,
    ensure_private_account,
    open_readable,
    private_dir,
    read_account,
    readable_dir,
)
from telephony.pbx.probe import AmiSession, asterisk_version
from telephony.pbx.prompts import PROMPTS, install_prompts
from telephony.pbx.render import READABLE_DIRS, WRITABLE_DIRS, Layout, PbxConfig, render

INSTANCES = PurePosixPath("/var/lib/hotline-instances")
ASTERISK = "/usr/sbin/asterisk"
RUN_AS = "asterisk"
ASTERISK_UMASK = 0o077
_children: dict[int, subprocess.Popen[bytes]] = {}  # started here: reaped, never zombies


@dataclass(frozen=True)
class Instance:
    """One Asterisk instance: which root it runs from and where its home is."""

    root: Path
    home: Path

    @property
    def name(self) -> str:
        """Stable per home directory, so the instance's AstDB survives restarts."""
        digest = hashlib.sha256(str(self.home.resolve()).encode()).hexdigest()[:12]
        return f"{self.home.resolve().parent.name[:20] or 'root'}-{digest}"

    @property
    def inside(self) -> PurePosixPath:
        """The instance directory as Asterisk sees it."""
        return INSTANCES / self.name

    @property
    def run_dir(self) -> Path:
        """The instance directory as the host sees it."""
        return self.root / self.inside.relative_to("/")

    @property
    def pid_file(self) -> Path:
        return self.home / "asterisk.pid"

    @property
    def chrooted(self) -> bool:
        """A system Asterisk (root ``/``) runs without chroot."""
        return self.root.resolve() != Path("/")

    def command(self, *args: str) -> list[str]:
        """Run Asterisk inside the root with this instance's asterisk.conf."""
        prefix = ["chroot", str(self.root)] if self.chrooted else []
        return [*prefix, ASTERISK, "-C", str(self.inside / "etc" / "asterisk.conf"), *args]


@dataclass(frozen=True)
class Status:
    """What ``status`` reports."""

    running: bool
    pid: int | None = None
    version: str | None = None
    problem: str | None = None


def module_dir(root: Path) -> PurePosixPath:
    """Where the root keeps Asterisk's modules (Debian's multiarch path)."""
    found = sorted(root.glob("usr/lib/*/asterisk/modules/chan_pjsip.so"))
    found += sorted(root.glob("usr/lib/asterisk/modules/chan_pjsip.so"))
    if not (root / ASTERISK.lstrip("/")).exists() or not found:
        raise NotInstalled(f"no Asterisk in {root}; run `hotline asterisk install`",
                           root=str(root))
    return PurePosixPath("/") / found[0].parent.relative_to(root)


def instance_account(instance: Instance) -> Account | None:
    """Whom the instance's Asterisk runs as (None: root); a shared uid/gid is moved first."""
    if instance.chrooted:
        return ensure_private_account(instance.root)
    return read_account(instance.root)


def prepare(instance: Instance, config: PbxConfig) -> Layout:
    """Create the instance's folders, render its configuration, link it from its home.

    What Asterisk writes is its own (0700); what it reads is root:asterisk (2750/0640);
    nothing in the instance is open to other accounts of the host.
    """
    account = instance_account(instance)
    layout = Layout(instance.inside, module_dir(instance.root),
                    run_as=RUN_AS if account else None)
    instances = instance.run_dir.parent
    instances.mkdir(parents=True, exist_ok=True)
    instances.chmod(0o711)  # Asterisk passes through to its own; nobody lists them
    readable_dir(instance.run_dir, account)
    for name in READABLE_DIRS:
        readable_dir(instance.run_dir / name, account)
    for name in WRITABLE_DIRS:
        private_dir(instance.run_dir / name, account)
    render(config, layout, instance.run_dir, account)
    install_prompts(instance.run_dir / PROMPTS, config.prompts, account)
    _silence(instance.run_dir / "moh" / "silence.wav", account)
    instance.home.mkdir(parents=True, exist_ok=True)
    link = instance.home / "run"
    if not link.is_symlink() or link.readlink() != instance.run_dir:
        link.unlink(missing_ok=True)
        link.symlink_to(instance.run_dir)
    return layout


def _silence(path: Path, account: Account | None, seconds: int = 1) -> None:
    """A silent hold-music file, so queues and conferences have a music class that works."""
    if path.exists():
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    with os.fdopen(open_readable(tmp, account), "wb") as raw, wave.open(raw, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * seconds)
    os.replace(tmp, path)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live (not zombie) Asterisk process."""
    child = _children.get(pid)
    if child is not None:  # our own child: the kernel's word, not /proc's
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    # cmdline reads empty while the process is between chroot and asterisk (execve)
    return stat.rsplit(")", 1)[1].split()[0] != "Z" and (b"asterisk" in cmdline or not cmdline)


def running_pid(instance: Instance) -> int | None:
    """The pid of the instance's running Asterisk, or None."""
    try:
        pid = int(instance.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _check_ports_free(config: PbxConfig) -> None:
    """Refuse to start on a port another process holds (Asterisk would carry on without)."""
    for kind, host, port in ((socket.SOCK_STREAM, config.ami_host, config.ami_port),
                             (socket.SOCK_DGRAM, config.sip_host, config.sip_port)):
        with socket.socket(socket.AF_INET, kind) as probe:
            if kind == socket.SOCK_STREAM:
                # As Asterisk binds its AMI listener: the connections of the instance just
                # stopped (TIME_WAIT, for a minute) do not hold the port, a listener does.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as exc:
                raise StartFailed(f"{host}:{port} is in use", host=host, port=port) from exc


def wait_for(check: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """Poll ``check`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


def start(instance: Instance, config: PbxConfig, timeout: float = 60.0) -> Status:
    """Render and start the instance (if not running) and wait until it is fully booted."""
    pid = running_pid(instance)
    if pid is None:
        prepare(instance, config)
        _check_ports_free(config)
        pid = _spawn(instance)
    try:
        version = _wait_ready(instance, config, pid, timeout)
    except TelephonyError:
        stop(instance)
        raise
    return Status(True, pid, version)


def _spawn(instance: Instance) -> int:
    """Start Asterisk in the foreground (-f) of a new session; record its pid."""
    fd = os.open(instance.run_dir / "log" / "console.log",
                 os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "ab") as log:
        # Asterisk sets no umask of its own: its logs (callers' numbers), AstDB and MixMonitor
        # recordings are created 0600 in folders 0700, whatever the caller's umask.
        child = subprocess.Popen(instance.command("-f"), stdin=subprocess.DEVNULL,
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                 umask=ASTERISK_UMASK)
    _children[child.pid] = child
    instance.pid_file.write_text(f"{child.pid}\n")
    return child.pid


def _wait_ready(instance: Instance, config: PbxConfig, pid: int, timeout: float) -> str:
    """The version over AMI once Asterisk is fully booted; StartFailed if it never is."""
    deadline = time.monotonic() + timeout
    problem = "timed out"
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise StartFailed("Asterisk exited while starting", log=_tail(instance))
        try:
            version = asyncio.run(asterisk_version(
                config.ami_host, config.ami_port, config.ami_username, config.ami_secret))
            cli(instance, "core waitfullybooted", timeout=max(1.0, deadline - time.monotonic()))
            return version
        except TelephonyError as exc:
            problem = exc.message
        time.sleep(0.2)
    raise StartFailed(f"Asterisk did not become ready: {problem}", log=_tail(instance))


def _tail(instance: Instance, lines: int = 30) -> list[str]:
    """The last lines Asterisk logged, for an error report."""
    text: list[str] = []
    for name in ("console.log", "messages.log"):
        path = instance.run_dir / "log" / name
        if path.exists():
            text += path.read_text(errors="replace").splitlines()[-lines:]
    return text


def cli(instance: Instance, command: str, timeout: float = 10.0) -> str:
    """Run one CLI command in the running instance (``asterisk -rx``)."""
    try:
        done = subprocess.run(instance.command("-rx", command), capture_output=True,
                              text=True, timeout=timeout, check=False, umask=ASTERISK_UMASK)
    except subprocess.TimeoutExpired as exc:
        raise TelephonyError(f"`{command}` timed out", command=command) from exc
    if done.returncode != 0:
        raise TelephonyError(f"`{command}` failed: {done.stderr.strip() or done.stdout.strip()}",
                             command=command)
    return done.stdout


def stop(instance: Instance, timeout: float = 20.0) -> bool:
    """Stop the instance: ``core stop now``, then SIGTERM, then SIGKILL. False if not running."""
    pid = running_pid(instance)
    if pid is None:
        instance.pid_file.unlink(missing_ok=True)
        return False
    with contextlib.suppress(TelephonyError):
        cli(instance, "core stop now", timeout=timeout / 2)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if wait_for(lambda: not _alive(pid), timeout / 2):
            break
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    wait_for(lambda: not _alive(pid), timeout / 2)
    instance.pid_file.unlink(missing_ok=True)
    return True


async def status(instance: Instance, config: PbxConfig) -> Status:
    """Whether the instance runs, and the version Asterisk reports over AMI."""
    pid = running_pid(instance)
    if pid is None:
        return Status(False)
    try:
        version = await asterisk_version(config.ami_host, config.ami_port,
                                         config.ami_username, config.ami_secret)
    except TelephonyError as exc:
        return Status(True, pid, problem=exc.message)
    return Status(True, pid, version)


async def open_ami(config: PbxConfig, events: str = "off", *,
                   astdb_writer: bool = False) -> AmiSession:
    """A logged-in bare AMI session on the instance (checks and tests); the controller's
    login, or the AstDB writer's."""
    ami = await AmiSession.connect(config.ami_host, config.ami_port)
    username, secret = ((config.astdb_username, config.astdb_secret) if astdb_writer
                        else (config.ami_username, config.ami_secret))
    try:
        await ami.login(username, secret, events)
    except TelephonyError:
        await ami.close()
        raise
    return ami
