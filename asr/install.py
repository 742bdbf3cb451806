"""Installing a Vosk model from a URL or a local .zip/.tar.gz: verified, unpacked, renamed in."""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from asr.catalog import models_dir, write_metadata
from asr.errors import (
    AsrError,
    BadModelName,
    ChecksumMismatch,
    ModelDownloadFailed,
    ModelExists,
    ModelInvalid,
    ModelSourceMissing,
    UnknownArchive,
    UnsafeArchive,
)

BLOCK = 1 << 20
# phase ("download", "verify", "extract"), done, total (None when unknown)
Progress = Callable[[str, int, int | None], None]
SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip")


@dataclass(frozen=True, slots=True)
class Installed:
    """A model now in place, and the SHA-256 of the archive it came from."""

    name: str
    path: Path
    sha256: str
    archive_bytes: int


def _quiet(phase: str, done: int, total: int | None) -> None:
    pass


def _is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https", "file")


def _copy(src: BinaryIO, dst: BinaryIO | None, total: int | None, phase: str,
          progress: Progress) -> tuple[str, int]:
    """Stream ``src`` (into ``dst``), hashing as it goes; its SHA-256 and length."""
    digest, done = hashlib.sha256(), 0
    progress(phase, 0, total)
    while block := src.read(BLOCK):
        digest.update(block)
        if dst is not None:
            dst.write(block)
        done += len(block)
        progress(phase, done, total)
    return digest.hexdigest(), done


def _fetch(source: str, work: Path, progress: Progress) -> tuple[Path, str, int]:
    """The archive as a local file, its SHA-256 and size."""
    if not _is_url(source):
        path = Path(source).expanduser()
        if not path.is_file():
            raise ModelSourceMissing(f"no such archive: {source}",
                           source=source)
        with path.open("rb") as src:
            sha, size = _copy(src, None, path.stat().st_size, "verify", progress)
        return path, sha, size
    name = PurePosixPath(urllib.parse.urlsplit(source).path).name or "model.zip"
    target = work / name
    try:
        with urllib.request.urlopen(source, timeout=60) as response, target.open("wb") as out:
            length = response.headers.get("Content-Length")
            sha, size = _copy(response, out, int(length) if length else None, "download",
                              progress)
    except OSError as exc:
        raise ModelDownloadFailed(f"cannot download {source}: {exc}",
                       source=source) from exc
    return target, sha, size


def _safe_name(name: str) -> bool:
    """A member path that stays inside the directory it is extracted to."""
    path = PurePosixPath(name.replace("\\", "/"))
    parts = path.parts  # "." (the archive's own top) has none
    return bool(name) and not path.is_absolute() and ".." not in parts \
        and not (parts and ":" in parts[0])  # "C:" would be a drive elsewhere


def _unsafe(source: str, member: str, why: str) -> AsrError:
    return UnsafeArchive(f"refused {source}: member {member!r} {why}",
                    source=source, member=member)


def _extract(archive: Path, source: str, into: Path, progress: Progress) -> None:
    """Unpack ``archive`` into ``into`` after checking every member stays inside it."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            for info in infos:
                if not _safe_name(info.filename):
                    raise _unsafe(source, info.filename, "escapes the model directory")
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    raise _unsafe(source, info.filename, "is a symbolic link")
            total = sum(info.file_size for info in infos)
            done = 0
            for info in infos:
                zf.extract(info, into)
                done += info.file_size
                progress("extract", done, total)
        return
    if not tarfile.is_tarfile(archive):
        raise UnknownArchive(f"{source} is neither a zip nor a tar archive", source=source)
    with tarfile.open(archive) as tf:
        members = tf.getmembers()
        for member in members:
            if not _safe_name(member.name):
                raise _unsafe(source, member.name, "escapes the model directory")
            if not (member.isfile() or member.isdir()):
                # Links and devices can point anywhere; a model needs neither.
                raise _unsafe(source, member.name, "is not a plain file or directory")
        total = sum(member.size for member in members)
        done = 0
        for member in members:
            tf.extract(member, into, filter="data")
            done += member.size
            progress("extract", done, total)


def _model_root(extracted: Path, source: str) -> Path:
    """The directory holding ``am/``: the archive's single top folder, or its top."""
    entries = [p for p in extracted.iterdir() if not p.name.startswith(".")]
    root = entries[0] if len(entries) == 1 and entries[0].is_dir() else extracted
    if not (root / "am" / "final.mdl").is_file() and not (root / "final.mdl").is_file():
        raise ModelInvalid(f"{source} holds no Vosk model (no am/final.mdl)", source=source)
    return root


def _default_name(source: str, root: Path, extracted: Path) -> str:
    if root != extracted:
        return root.name
    base = PurePosixPath(urllib.parse.urlsplit(source).path).name if _is_url(source) \
        else Path(source).name
    for suffix in SUFFIXES:
        if base.endswith(suffix):
            return base[:-len(suffix)]
    return base


def install_model(source: str, data_dir: Path, sha256: str | None = None,
                  name: str | None = None, force: bool = False,
                  progress: Progress = _quiet,
                  checked: Callable[[str], None] | None = None) -> Installed:
    """Fetch, verify, unpack into a temporary directory, rename it into place; what landed."""
    # The rename is atomic: <data_dir>/asr-models/<name> is the old model or the whole new
    # one, never half of one. ``checked`` hears the archive's SHA-256 before unpacking.
    root_dir = models_dir(data_dir)
    root_dir.mkdir(parents=True, exist_ok=True)
    # In the models directory itself, so the final rename never crosses file systems.
    work = Path(tempfile.mkdtemp(prefix=".install-", dir=root_dir))
    try:
        archive, digest, size = _fetch(source, work, progress)
        if checked is not None:
            checked(digest)
        if sha256 is not None and digest != sha256.strip().lower():
            raise ChecksumMismatch(f"{source}: SHA-256 {digest}, expected {sha256}",
                           source=source, sha256=digest, expected=sha256)
        extracted = work / "extracted"
        extracted.mkdir()
        _extract(archive, source, extracted, progress)
        model = _model_root(extracted, source)
        final_name = name or _default_name(source, model, extracted)
        if not final_name or final_name.startswith(".") or "/" in final_name:
            raise BadModelName(f"not a model name: {final_name!r}",
                           name=final_name)
        target = root_dir / final_name
        if target.exists() and not force:
            raise ModelExists(f"a model named {final_name} is installed (--force replaces it)",
                           name=final_name, path=str(target))
        write_metadata(model, source, digest, datetime.now(UTC))
        if target.exists():
            os.rename(target, work / "replaced")  # removed with the work directory below
        os.rename(model, target)
        return Installed(final_name, target, digest, size)
    finally:
        shutil.rmtree(work, ignore_errors=True)
