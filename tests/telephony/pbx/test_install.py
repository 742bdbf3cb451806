"""Building the Asterisk root: the mirror comes from apt's own sources, the stamp decides."""

from pathlib import Path

import orjson
import pytest

from telephony.errors import InstallFailed, MirrorNotFound
from telephony.pbx import install as inst
from telephony.pbx.install import (
    RootSpec,
    find_mirror,
    install,
    is_installed,
    mirrors_from_apt,
    mmdebstrap_command,
    package_version,
    upstream_version,
)

DEB822 = """\
Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://source-only.example/debian
Suites: bookworm

Enabled: no
Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
"""


def test_the_main_archive_of_deb822_sources_is_found(tmp_path: Path) -> None:
    (tmp_path / "debian.sources").write_text(DEB822)
    (tmp_path / "other.list").write_text("deb http://ignored.example/debian bookworm main\n")
    assert mirrors_from_apt(tmp_path, tmp_path / "missing") == ["http://mirror.example/debian"]


def test_one_line_sources_list_is_read_too(tmp_path: Path) -> None:
    listing = tmp_path / "sources.list"
    listing.write_text("# deb http://commented.example/debian bookworm main\n"
                       "deb [arch=amd64 signed-by=/k.gpg] http://a.example/debian bookworm main\n"
                       "deb http://a.example/debian-security bookworm-security main\n"
                       "deb-src http://src.example/debian bookworm main\n")
    assert mirrors_from_apt(tmp_path / "none", listing) == ["http://a.example/debian"]


def test_the_setting_overrides_and_no_mirror_is_an_error(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    assert find_mirror("http://override.example/debian") == "http://override.example/debian"
    monkeypatch.setattr(inst, "mirrors_from_apt", lambda: [])
    with pytest.raises(MirrorNotFound) as caught:
        find_mirror(None)
    assert caught.value.error_id == "debian-mirror-not-found"


def test_the_command_builds_into_the_temporary_root() -> None:
    command = mmdebstrap_command(RootSpec(Path("/c/root")), Path("/c/root.tmp"), "http://m/d")
    assert command[0] == "mmdebstrap"
    assert command[-3:] == ["unstable", "/c/root.tmp", "http://m/d"]
    assert '--aptopt=Acquire::Check-Valid-Until "false"' in command
    assert "--include=asterisk,asterisk-modules,asterisk-core-sounds-en-gsm" in command
    assert "--dpkgopt=path-exclude=/usr/share/doc/*" in command


def fake_root(root: Path, spec: RootSpec | None = None) -> None:
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text(
        "Package: asterisk-config\nVersion: 1:22.10.1-1\n\n"
        "Package: asterisk\nStatus: install ok installed\nVersion: 1:22.10.1+dfsg+~cs6-1\n")
    if spec:
        (root / inst.STAMP).write_bytes(orjson.dumps({"spec": spec.stamp()}))


def test_a_stamped_root_is_reused_without_building(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    spec = RootSpec(tmp_path / "root")
    fake_root(spec.root, spec)
    monkeypatch.setattr(inst, "_run_mmdebstrap", lambda *a: pytest.fail("rebuilt"))
    result = install(spec)
    assert (result.built, result.asterisk_version) == (False, "22.10.1")
    assert package_version(spec.root) == "1:22.10.1+dfsg+~cs6-1"
    assert upstream_version("1:22.10.1~dfsg-2") == "22.10.1"


def test_a_different_package_list_is_not_the_cached_root(tmp_path: Path) -> None:
    spec = RootSpec(tmp_path / "root")
    fake_root(spec.root, spec)
    assert is_installed(spec)
    assert not is_installed(RootSpec(spec.root, packages=("asterisk",)))
    assert not is_installed(RootSpec(spec.root, suite="trixie"))


def test_a_rebuild_replaces_the_root_atomically(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    spec = RootSpec(tmp_path / "root")
    fake_root(spec.root, RootSpec(spec.root, suite="old"))

    def build(command: list[str], progress: inst.Progress) -> None:
        target = Path(command[-2])
        assert target == tmp_path / "root.tmp" and not target.exists()
        fake_root(target)
        progress("I: success in 1 s")

    lines: list[str] = []
    monkeypatch.setattr(inst.os, "geteuid", lambda: 0)
    monkeypatch.setattr(inst, "_run_mmdebstrap", build)
    result = install(spec, mirror="http://m/d", progress=lines.append)
    assert result.built and is_installed(spec) and lines == ["I: success in 1 s"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root", "root.lock"]


def test_a_folder_the_project_did_not_build_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = RootSpec(tmp_path / "root")
    spec.root.mkdir()
    (spec.root / "precious").write_text("keep")
    monkeypatch.setattr(inst.os, "geteuid", lambda: 0)
    monkeypatch.setattr(inst, "_run_mmdebstrap", lambda command, progress: fake_root(
        Path(command[-2])))
    with pytest.raises(InstallFailed):
        install(spec, mirror="http://m/d")
    assert (spec.root / "precious").read_text() == "keep"
    assert not (tmp_path / "root.tmp").exists()
