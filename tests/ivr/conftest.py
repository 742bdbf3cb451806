"""The IVR server on a free port with fake ports and silent prompt files."""

from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath

import pytest

from ivr.config import IvrConfig
from ivr.outcome import RouteOutcome
from ivr.prompts.catalogue import CATALOGUE, TONES
from ivr.prompts.player import BUILT, OVERRIDE, PromptDir, Prompts
from ivr.server import IvrServer
from tests.ivr.fakes import FakeSurveys, FakeTickets


def silent_prompts(folder: Path) -> PromptDir:
    """Every catalogue prompt as an (empty) file: the player finds them all."""
    built = folder / BUILT
    built.mkdir(parents=True)
    for name in (*CATALOGUE, *TONES):
        (built / f"{name}.wav16").write_bytes(b"")
    (folder / OVERRIDE).mkdir()
    return PromptDir(folder, PurePosixPath(folder))


@pytest.fixture
def prompts(tmp_path: Path) -> Prompts:
    root = silent_prompts(tmp_path / "prompts")
    return Prompts((root.child(OVERRIDE), root.child(BUILT)), cache=None)


@pytest.fixture
def tickets() -> FakeTickets:
    return FakeTickets()


@pytest.fixture
def surveys() -> FakeSurveys:
    return FakeSurveys()


@pytest.fixture
def config() -> IvrConfig:
    return IvrConfig()


@pytest.fixture
def finished() -> list[RouteOutcome]:
    """Every request's outcome, in order."""
    return []


@pytest.fixture
async def server(prompts: Prompts, tickets: FakeTickets, surveys: FakeSurveys,
                 config: IvrConfig, finished: list[RouteOutcome]) -> AsyncIterator[IvrServer]:
    server = IvrServer("127.0.0.1", 0, tickets=tickets, surveys=surveys, prompts=prompts,
                       config=config, on_finished=finished.append, header_timeout=1.0)
    await server.start()
    yield server
    await server.stop()
