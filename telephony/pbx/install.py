"""Build the Asterisk root directory with mmdebstrap: cached, idempotent, atomic."""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from telephony.errors import InstallFailed, MirrorNotFound
from telephony.pbx.account import locked, remap

# Debian stable has no Asterisk; unstable carries 22.x (DESIGN §3).
PACKAGES = ("asterisk", "asterisk-modules", "asterisk-core-sounds-en-gsm")
SUITE = "unstable"
STAMP = ".hotline-root.json"
FORMAT = 1  # bump when the way the root is built changes, so cached roots are rebuilt
# What Asterisk never reads: documentation, manuals, translations (about a third of the root).
DPKG_EXCLUDES = ("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/info/*",
                 "/usr/share/locale/*", "/usr/share/lintian/*")
# mmdebstrap's stages, in order; the install reports which one it is in.
PHASES = ("chroot architecture", "running apt-get update", "downloading packages",
          "extracting archives", "installing essential packages",
          "installing remaining packages", "cleaning package lists", "success")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RootSpec:
    """Which root to build and from what."""

    root: Path
    suite: str = SUITE
    packages: tuple[str, ...] = PACKAGES

    def stamp(self) -> dict[str, Any]:
        """What the stamp file must say for a cached root to be reused."""
        return {"format": FORMAT, "suite": self.suite, "packages": sorted(self.packages)}


@dataclass(frozen=True)
class InstallResult:
    """The outcome of ``install``."""

    root: Path
    built: bool
    seconds: float
    asterisk_version: str


def read_stamp(root: Path) -> dict[str, Any] | None:
    """The stamp of a built root, or None."""
    try:
        data: dict[str, Any] = orjson.loads((root / STAMP).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data


def is_installed(spec: RootSpec) -> bool:
    """Whether a root built from ``spec`` is already in place."""
    stamp = read_stamp(spec.root)
    return stamp is not None and stamp.get("spec") == spec.stamp()


def package_version(root: Path, package: str = "asterisk") -> str | None:
    """The Debian version of ``package`` inside ``root``, from dpkg's status file."""
    status = root / "var/lib/dpkg/status"
    if not status.exists():
        return None
    for stanza in status.read_text(errors="replace").split("\n\n"):
        if re.search(rf"^Package: {re.escape(package)}$", stanza, re.M):
            found = re.search(r"^Version: (\S+)$", stanza, re.M)
            return found.group(1) if found else None
    return None


def upstream_version(debian_version: str) -> str:
    """``1:22.10.1~dfsg+~cs6-1`` → ``22.10.1``."""
    without_epoch = debian_version.split(":", 1)[-1]
    return re.split(r"[~+-]", without_epoch, maxsplit=1)[0]


def parse_deb822(text: str) -> list[dict[str, str]]:
    """Stanzas of a deb822 ``.sources`` file (comments dropped, continuation lines joined)."""
    stanzas: list[dict[str, str]] = []
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line[0].isspace() and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                key = key.strip().lower()
                fields[key] = value.strip()
        if fields:
            stanzas.append(fields)
    return stanzas


def _is_main_archive(uri: str, suites: list[str]) -> bool:
    """A main Debian archive, not the security or updates one."""
    if uri.rstrip("/").endswith("-security"):
        return False
    return any(not re.search(r"-(security|updates|backports)$", s) for s in suites)


def mirrors_from_apt(sources_dir: Path = Path("/etc/apt/sources.list.d"),
                     sources_list: Path = Path("/etc/apt/sources.list")) -> list[str]:
    """Main-archive mirrors this machine's apt uses, in configuration order."""
    found: list[str] = []
    for path in sorted(sources_dir.glob("*.sources")) if sources_dir.is_dir() else []:
        for stanza in parse_deb822(path.read_text(errors="replace")):
            if "deb" not in stanza.get("types", "").split():
                continue
            if stanza.get("enabled", "yes").lower() == "no":
                continue
            suites = stanza.get("suites", "").split()
            found += [u for u in stanza.get("uris", "").split() if _is_main_archive(u, suites)]
    if sources_list.is_file():
        for line in sources_list.read_text(errors="replace").splitlines():
            words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
            if len(words) >= 3 and words[0] == "deb" and _is_main_archive(words[1], [words[2]]):
                found.append(words[1])
    return list(dict.fromkeys(found))


def find_mirror(override: str | None = None) -> str:
    """The mirror to build from: the setting if given, else the machine's own apt mirror."""
    if override:
        return override
    mirrors = mirrors_from_apt()
    if not mirrors:
        raise MirrorNotFound("no Debian mirror in this machine's apt sources; "
                             "set asterisk_mirror (HOTLINE_ASTERISK_MIRROR)")
    return mirrors[0]


def mmdebstrap_command(spec: RootSpec, target: Path, mirror: str) -> list[str]:
    """The mmdebstrap invocation that builds ``target``."""
    # The suite's Release file may be past its validity date on the mirror (DESIGN §3).
    command = ["mmdebstrap", "--variant=apt", "--mode=root",
               "--aptopt=Acquire::Check-Valid-Until \"false\"",
               f"--include={','.join(spec.packages)}"]
    command += [f"--dpkgopt=path-exclude={pattern}" for pattern in DPKG_EXCLUDES]
    command += [spec.suite, str(target), mirror]
    return command


def _run_mmdebstrap(command: list[str], progress: Progress) -> None:
    """Run mmdebstrap, passing each line of its output to ``progress``."""
    if shutil.which(command[0]) is None:
        raise InstallFailed("mmdebstrap is not installed; run scripts/install-system-packages")
    tail: list[str] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True, errors="replace") as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip()
            tail = [*tail[-19:], line]
            progress(line)
    if proc.returncode != 0:
        raise InstallFailed("mmdebstrap failed", returncode=proc.returncode, output=tail)


def _replace(old: Path, new: Path) -> None:
    """Put ``new`` where ``old`` is, with one rename for the last step."""
    if old.exists():
        if read_stamp(old) is None and any(old.iterdir()):
            raise InstallFailed(f"{old} exists and was not built by this project; "
                                "remove it or choose another asterisk_root", root=str(old))
        retired = old.with_name(f"{old.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        old.rename(retired)
        new.rename(old)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        new.rename(old)


def install(spec: RootSpec, mirror: str | None = None,
            progress: Progress = lambda line: None, force: bool = False) -> InstallResult:
    """Build the root unless an identical one is cached; return what is in place."""
    started = time.monotonic()
    with locked(spec.root):
        if is_installed(spec) and not force:
            remap(spec.root)  # a root built before its account had ids of its own
            cached = package_version(spec.root) or "?"
            return InstallResult(spec.root, False, 0.0, upstream_version(cached))
        if os.geteuid() != 0:
            raise InstallFailed("building the Asterisk root needs root (mmdebstrap, chroot)")
        source = find_mirror(mirror)
        tmp = spec.root.with_name(f"{spec.root.name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)  # what an interrupted build left
        try:
            version = _build(spec, tmp, source, progress)
            _replace(spec.root, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # a failed build leaves no half root
    return InstallResult(spec.root, True, time.monotonic() - started, upstream_version(version))


def _build(spec: RootSpec, tmp: Path, mirror: str, progress: Progress) -> str:
    """Build the root in ``tmp`` and stamp it; the Debian version of its Asterisk."""
    _run_mmdebstrap(mmdebstrap_command(spec, tmp, mirror), progress)
    version = package_version(tmp)
    if version is None:
        raise InstallFailed("the built root has no asterisk package", root=str(tmp))
    remap(tmp)  # the account's ids, picked by adduser inside the root, may be a host account's
    stamp = {"spec": spec.stamp(), "asterisk": version, "built_at": time.time()}
    (tmp / STAMP).write_bytes(orjson.dumps(stamp))
    return version
