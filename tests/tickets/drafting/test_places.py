"""The deployment's place names: the administrator's file, the table, the gazetteer."""

from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.drafting.helpers import turns
from tickets.drafting.errors import MalformedPlacesFile
from tickets.drafting.gazetteer import PlaceKind
from tickets.drafting.places import import_places, load_gazetteer, load_places, parse_places
from tickets.drafting.service import draft_from_turns

NOW = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


def test_one_name_per_line_takes_the_kind_from_the_ending() -> None:
    assert parse_places("相公庄街道\n美林小区\n泉城路\n五女峰\n\n# comment\n") == [
        ("相公庄街道", PlaceKind.TOWN), ("美林小区", PlaceKind.COMMUNITY),
        ("泉城路", PlaceKind.ROAD), ("五女峰", PlaceKind.PLACE)]


def test_csv_name_kind_with_header_and_chinese_kinds() -> None:
    assert parse_places("name,kind\n恒隆广场,landmark\n明水,街道\n") == [
        ("恒隆广场", PlaceKind.LANDMARK), ("明水", PlaceKind.TOWN)]


def test_spaces_inside_a_name_are_removed_and_repeats_merge() -> None:
    assert parse_places("泉城 路\n泉城路,road\n") == [("泉城路", PlaceKind.ROAD)]


@pytest.mark.parametrize("text", ["五女峰,volcano\n", "a,b,c\n", "x" * 101 + "\n"])
def test_a_bad_line_is_refused_with_its_number(text: str) -> None:
    with pytest.raises(MalformedPlacesFile) as error:
        parse_places("泉城路\n" + text)
    assert error.value.details["line"] == 2


async def test_imported_places_are_stored_once_and_update_their_kind(
        session: AsyncSession) -> None:
    assert await import_places(session, [("五女峰", PlaceKind.PLACE), ("龙湾", PlaceKind.PLACE)],
                               NOW) == (2, 0)
    assert await import_places(session, [("五女峰", PlaceKind.LANDMARK)], NOW) == (0, 1)
    assert await load_places(session) == [("五女峰", PlaceKind.LANDMARK),
                                          ("龙湾", PlaceKind.PLACE)]


async def test_drafts_find_the_deployments_places(session: AsyncSession) -> None:
    await import_places(session, [("鉴江", PlaceKind.PLACE)], NOW)
    gazetteer = await load_gazetteer(session)
    call = turns("C: 我 举报 有 人 在 鉴江 边 上 挖 沙")
    assert "鉴江" in draft_from_turns(call, gazetteer).address
