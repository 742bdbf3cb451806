"""``hotline asr model install`` and ``list`` on small archives made here."""

import hashlib
import http.server
import io
import json
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asr.catalog import active_model, installed
from hotline.cli.main import app

runner = CliRunner()
MODEL_FILES = {"am/final.mdl": b"acoustic model", "conf/model.conf": b"--beam=10\n",
               "graph/HCLr.fst": b"\0" * 2048}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HOTLINE_ASR_MODEL_PATH", raising=False)
    return tmp_path / "data"


def make_tar(path: Path, files: dict[str, bytes], top: str | None = "vosk-model-tiny",
             link: tuple[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}" if top else name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link is not None:
            info = tarfile.TarInfo(link[0])
            info.type, info.linkname = tarfile.SYMTYPE, link[1]
            tar.addfile(info)
    return path


def make_zip(path: Path, files: dict[str, bytes], top: str | None = "vosk-model-zip") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(f"{top}/{name}" if top else name, data)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(data_dir: Path) -> list[str]:
    """Anything but finished models in the models directory (temp dirs, half models)."""
    root = data_dir / "asr-models"
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".")) \
        if root.exists() else []


def test_a_tar_gz_installs_verified_and_becomes_the_active_model(
        tmp_path: Path, data_dir: Path) -> None:
    archive = make_tar(tmp_path / "vosk-model-tiny.tar.gz", MODEL_FILES)
    digest = sha256(archive)
    result = runner.invoke(app, ["asr", "model", "install", str(archive), "--sha256", digest])
    assert result.exit_code == 0, result.output
    assert f"sha256 {digest}" in result.output
    target = data_dir / "asr-models" / "vosk-model-tiny"
    assert f"installed vosk-model-tiny at {target}" in result.output
    assert (target / "am" / "final.mdl").read_bytes() == b"acoustic model"
    assert active_model(None, data_dir) == target
    assert leftovers(data_dir) == []

    listing = runner.invoke(app, ["asr", "model", "list", "--json"])
    data = json.loads(listing.output)
    assert data["active"] == str(target)
    [model] = data["models"]
    assert (model["name"], model["active"], model["sha256"]) == ("vosk-model-tiny", True, digest)
    assert model["size_bytes"] >= sum(len(b) for b in MODEL_FILES.values())
    text = runner.invoke(app, ["asr", "model", "list"]).output
    assert text.startswith("* vosk-model-tiny") and str(target) in text


def test_a_zip_installs_under_the_name_given_and_the_newest_is_active(
        tmp_path: Path, data_dir: Path) -> None:
    tar = make_tar(tmp_path / "a.tar.gz", MODEL_FILES)
    assert runner.invoke(app, ["asr", "model", "install", str(tar)]).exit_code == 0
    zipped = make_zip(tmp_path / "b.zip", MODEL_FILES)
    result = runner.invoke(app, ["asr", "model", "install", str(zipped), "--name", "cn-small"])
    assert result.exit_code == 0, result.output
    assert f"sha256 {sha256(zipped)}" in result.output  # printed without --sha256 too
    assert [m.name for m in installed(data_dir)] == ["cn-small", "vosk-model-tiny"]
    assert active_model(None, data_dir) == data_dir / "asr-models" / "cn-small"


def test_an_archive_without_a_top_folder_is_named_after_the_file(
        tmp_path: Path, data_dir: Path) -> None:
    archive = make_tar(tmp_path / "flat-model.tgz", MODEL_FILES, top=None)
    assert runner.invoke(app, ["asr", "model", "install", str(archive)]).exit_code == 0
    assert (data_dir / "asr-models" / "flat-model" / "am" / "final.mdl").is_file()


def test_a_wrong_checksum_is_refused_and_nothing_is_installed(
        tmp_path: Path, data_dir: Path) -> None:
    archive = make_tar(tmp_path / "m.tar.gz", MODEL_FILES)
    result = runner.invoke(app, ["asr", "model", "install", str(archive), "--sha256", "ab" * 32])
    assert result.exit_code == 2
    assert "asr-model-checksum-mismatch" in result.output
    assert installed(data_dir) == [] and leftovers(data_dir) == []


@pytest.mark.parametrize("member", ["../escaped", "/tmp/escaped-absolute",
                                    "vosk-model-tiny/../../escaped"])
def test_members_escaping_the_target_are_refused(
        tmp_path: Path, data_dir: Path, member: str) -> None:
    for archive in (make_tar(tmp_path / "evil.tar.gz", {**MODEL_FILES, member: b"x"}, top=None),
                    make_zip(tmp_path / "evil.zip", {**MODEL_FILES, member: b"x"}, top=None)):
        result = runner.invoke(app, ["asr", "model", "install", str(archive)])
        assert result.exit_code == 2, result.output
        assert "asr-model-unsafe-archive" in result.output
    assert not (tmp_path / "escaped").exists() and not (data_dir / "escaped").exists()
    assert installed(data_dir) == [] and leftovers(data_dir) == []


def test_links_in_an_archive_are_refused(tmp_path: Path, data_dir: Path) -> None:
    archive = make_tar(tmp_path / "link.tar.gz", MODEL_FILES,
                       link=("vosk-model-tiny/passwd", "/etc/passwd"))
    result = runner.invoke(app, ["asr", "model", "install", str(archive)])
    assert result.exit_code == 2 and "is not a plain file or directory" in result.output
    assert installed(data_dir) == []


def test_an_archive_without_a_model_is_refused(tmp_path: Path, data_dir: Path) -> None:
    archive = make_zip(tmp_path / "notes.zip", {"README": b"not a model"})
    result = runner.invoke(app, ["asr", "model", "install", str(archive)])
    assert result.exit_code == 2 and "asr-model-invalid" in result.output
    assert installed(data_dir) == [] and leftovers(data_dir) == []


def test_an_installed_model_is_replaced_only_with_force_and_whole(
        tmp_path: Path, data_dir: Path) -> None:
    first = make_tar(tmp_path / "one.tar.gz", MODEL_FILES)
    assert runner.invoke(app, ["asr", "model", "install", str(first)]).exit_code == 0
    target = data_dir / "asr-models" / "vosk-model-tiny"
    second = make_tar(tmp_path / "two.tar.gz", {**MODEL_FILES, "am/final.mdl": b"retrained"})
    refused = runner.invoke(app, ["asr", "model", "install", str(second)])
    assert refused.exit_code == 2 and "asr-model-exists" in refused.output
    assert (target / "am" / "final.mdl").read_bytes() == b"acoustic model"
    forced = runner.invoke(app, ["asr", "model", "install", str(second), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (target / "am" / "final.mdl").read_bytes() == b"retrained"
    assert leftovers(data_dir) == []


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A loopback HTTP server on a directory: a URL source without leaving the machine."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_downloaded_verified_and_installed(
        http_root: tuple[Path, str], data_dir: Path) -> None:
    root, base = http_root
    archive = make_zip(root / "vosk-model-web.zip", MODEL_FILES, top="vosk-model-web")
    result = runner.invoke(app, ["asr", "model", "install", f"{base}/vosk-model-web.zip",
                                 "--sha256", sha256(archive).upper()])
    assert result.exit_code == 0, result.output
    assert [m.name for m in installed(data_dir)] == ["vosk-model-web"]
    missing = runner.invoke(app, ["asr", "model", "install", f"{base}/absent.zip"])
    assert missing.exit_code == 2 and "asr-model-download-failed" in missing.output
    assert leftovers(data_dir) == []


def test_the_configured_path_wins_and_an_empty_list_says_how_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "no ASR model installed" in runner.invoke(app, ["asr", "model", "list"]).output
    monkeypatch.setenv("HOTLINE_ASR_MODEL_PATH", str(tmp_path / "elsewhere"))
    listing = json.loads(runner.invoke(app, ["asr", "model", "list", "--json"]).output)
    assert listing == {"active": str(tmp_path / "elsewhere"), "models": []}
