"""The console's files as served: bytes, media type and a validator for caches."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import anyio

STATIC = Path(__file__).parent / "static"
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Asset:
    """One file's content, its media type and its strong ETag."""

    body: bytes
    media_type: str
    etag: str

    def matches(self, if_none_match: str) -> bool:
        """Whether a request's ``If-None-Match`` names this content (a 304 will do)."""
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or self.etag in tags


def names() -> frozenset[str]:
    """The files that may be served: only those shipped in ``static/``, by exact name."""
    return frozenset(p.name for p in STATIC.iterdir()
                     if p.is_file() and p.suffix in MEDIA_TYPES)


async def load(name: str) -> Asset | None:
    """The asset called ``name``, read now (an edited file is served at once), or None."""
    if name not in names():
        return None
    body = await anyio.Path(STATIC / name).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Asset(body, MEDIA_TYPES[Path(name).suffix], etag)
