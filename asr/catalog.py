"""Installed Vosk models: ``<data_dir>/asr-models/<name>``, the newest one active by default."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MODELS_DIR = "asr-models"
METADATA_FILE = ".hotline-model.json"  # where, when and with which checksum it came


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """One model directory and what its installation recorded."""

    name: str
    path: Path
    size_bytes: int
    installed_at: datetime
    source: str | None
    sha256: str | None


def models_dir(data_dir: Path) -> Path:
    """Where installed models live."""
    return data_dir / MODELS_DIR


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _read(path: Path) -> InstalledModel:
    meta: dict[str, str] = {}
    if (path / METADATA_FILE).is_file():
        meta = json.loads((path / METADATA_FILE).read_text())
    when = meta.get("installed_at")
    installed_at = (datetime.fromisoformat(when) if when else
                    datetime.fromtimestamp(path.stat().st_mtime, UTC))
    return InstalledModel(path.name, path, _size(path), installed_at, meta.get("source"),
                          meta.get("sha256"))


def installed(data_dir: Path) -> list[InstalledModel]:
    """Every installed model, newest first (names starting with a dot are work in progress)."""
    root = models_dir(data_dir)
    if not root.is_dir():
        return []
    found = [_read(p) for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(found, key=lambda m: (m.installed_at, m.name), reverse=True)


def active_model(configured: Path | None, data_dir: Path) -> Path | None:
    """The model the recognizer loads: the configured path, else the newest installed."""
    if configured is not None:
        return configured
    models = installed(data_dir)
    return models[0].path if models else None


def write_metadata(path: Path, source: str, sha256: str, when: datetime) -> None:
    """Record where a model came from, inside its directory."""
    (path / METADATA_FILE).write_text(json.dumps(
        {"source": source, "sha256": sha256, "installed_at": when.isoformat()}))
