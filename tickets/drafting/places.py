"""The deployment's place names: read from an administrator's file, kept in the database."""

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import require_aware
from tickets.database import commit
from tickets.drafting.errors import MalformedPlacesFile
from tickets.drafting.gazetteer import Gazetteer, PlaceKind, builtin
from tickets.drafting.models import DraftPlace

MAX_NAME = 100
# what an administrator may write as a kind: the English kinds and the usual Chinese suffixes
KIND_ALIASES = {
    **{kind.value: kind for kind in PlaceKind},
    "district": PlaceKind.COUNTY, "street": PlaceKind.ROAD, "poi": PlaceKind.LANDMARK,
    "省": PlaceKind.PROVINCE, "市": PlaceKind.CITY, "区": PlaceKind.COUNTY, "县": PlaceKind.COUNTY,
    "旗": PlaceKind.COUNTY, "街道": PlaceKind.TOWN, "镇": PlaceKind.TOWN, "乡": PlaceKind.TOWN,
    "村": PlaceKind.VILLAGE, "社区": PlaceKind.VILLAGE, "小区": PlaceKind.COMMUNITY,
    "路": PlaceKind.ROAD, "街": PlaceKind.ROAD, "地标": PlaceKind.LANDMARK,
}
# a name's kind when the file gives none, from its ending
_BY_SUFFIX = (("街道", PlaceKind.TOWN), ("社区", PlaceKind.VILLAGE), ("小区", PlaceKind.COMMUNITY),
              ("大街", PlaceKind.ROAD), ("大道", PlaceKind.ROAD), ("区", PlaceKind.COUNTY),
              ("县", PlaceKind.COUNTY), ("旗", PlaceKind.COUNTY), ("镇", PlaceKind.TOWN),
              ("乡", PlaceKind.TOWN), ("村", PlaceKind.VILLAGE), ("路", PlaceKind.ROAD),
              ("街", PlaceKind.ROAD), ("巷", PlaceKind.ROAD))


def infer_kind(name: str) -> PlaceKind:
    """The kind a name's ending suggests (相公庄街道 → town), else a plain place."""
    for suffix, kind in _BY_SUFFIX:
        if name.endswith(suffix):
            return kind
    return PlaceKind.PLACE


def parse_places(text: str) -> list[tuple[str, PlaceKind]]:
    """Places from one name per line, or CSV ``name,kind``; ``#`` comments and a header skip."""
    places: dict[str, PlaceKind] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not cells or not cells[0] or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() == "name":
            continue
        if len(cells) > 2:
            raise MalformedPlacesFile("expected name or name,kind", line=number)
        name = "".join(cells[0].split())
        if len(name) > MAX_NAME:
            raise MalformedPlacesFile(f"a name is longer than {MAX_NAME} characters", line=number)
        kind_text = cells[1] if len(cells) == 2 else ""
        if kind_text and kind_text.lower() not in KIND_ALIASES:
            raise MalformedPlacesFile("unknown kind", line=number, kind=kind_text,
                                      kinds=sorted(k.value for k in PlaceKind))
        places[name] = KIND_ALIASES[kind_text.lower()] if kind_text else infer_kind(name)
    return list(places.items())


def read_places_file(path: Path) -> list[tuple[str, PlaceKind]]:
    """:func:`parse_places` on a UTF-8 file (a byte-order mark is allowed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedPlacesFile("the file is not UTF-8 text", path=str(path)) from exc
    return parse_places(text)


async def import_places(session: AsyncSession, places: Sequence[tuple[str, PlaceKind]],
                        now: datetime) -> tuple[int, int]:
    """Add new names and update the kind of known ones; (added, updated)."""
    require_aware(now)
    names = [name for name, _ in places]
    known = {place.name: place for place in await session.scalars(
        select(DraftPlace).where(DraftPlace.name.in_(names)))} if names else {}
    added = updated = 0
    for name, kind in places:
        place = known.get(name)
        if place is None:
            session.add(DraftPlace(name=name, kind=kind.value, updated_at=now))
            added += 1
        elif place.kind != kind.value:
            place.kind, place.updated_at = kind.value, now
            updated += 1
    await commit(session)
    return added, updated


async def load_places(session: AsyncSession) -> list[tuple[str, PlaceKind]]:
    """Every place of the deployment."""
    rows = await session.execute(select(DraftPlace.name, DraftPlace.kind).order_by(DraftPlace.id))
    return [(name, PlaceKind(kind) if kind in PlaceKind._value2member_map_ else PlaceKind.PLACE)
            for name, kind in rows]


async def load_gazetteer(session: AsyncSession) -> Gazetteer:
    """The built-in divisions plus the deployment's places (reload after an import)."""
    return builtin().with_places(await load_places(session))
