"""Asterisk for the telephony tests: the project's cached root, one instance per module.

In CI (``CI=true``) a missing root or mmdebstrap fails these tests; elsewhere they skip.
"""

import os
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.db import create_schema, make_engine
from hotline.settings import Settings, SipPeerSetting
from kernel.clock import BEIJING
from telephony.ami.link import AmiLink
from telephony.controller.service import CallController
from telephony.errors import TelephonyError
from telephony.pbx import process
from telephony.pbx.install import RootSpec, install, is_installed
from telephony.pbx.probe import AmiSession
from telephony.pbx.render import PbxConfig
from tests.required import unavailable
from tests.waiting import wait_for

ROOT = Path(os.environ.get("HOTLINE_ASTERISK_ROOT", "/var/cache/hotline/asterisk-root"))


@pytest.fixture(scope="session")
def asterisk_root() -> Path:
    """The cached Asterisk root, built by the project's install step if missing."""
    if os.geteuid() != 0:
        unavailable("running Asterisk from its root needs root (chroot)")
    spec = RootSpec(ROOT)
    if not is_installed(spec):
        if shutil.which("mmdebstrap") is None:
            unavailable("mmdebstrap is missing: run scripts/install-system-packages")
        try:
            install(spec)
        except TelephonyError as exc:
            unavailable(f"cannot build the Asterisk root: {exc.message} {exc.details}")
    return ROOT


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def instance_settings(data_dir: Path, root: Path) -> Settings:
    trunk = SipPeerSetting(name="carrier", kind="trunk", host="127.0.0.1",
                           port=free_port(socket.SOCK_DGRAM))
    return Settings(data_dir=data_dir, asterisk_root=root, ami_port=free_port(),
                    sip_port=free_port(socket.SOCK_DGRAM), agi_port=free_port(),
                    audiosocket_port=free_port(),
                    rtp_port_start=30000, rtp_port_end=30999, agent_count=2,
                    sip_peers=[trunk])


def env_of(config: Settings) -> dict[str, str]:
    """The environment that makes ``hotline`` use ``config``'s instance."""
    return {"HOTLINE_DATA_DIR": str(config.data_dir),
            "HOTLINE_ASTERISK_ROOT": str(config.asterisk_root),
            "HOTLINE_AMI_PORT": str(config.ami_port), "HOTLINE_SIP_PORT": str(config.sip_port),
            "HOTLINE_AGI_PORT": str(config.agi_port), "HOTLINE_AGENT_COUNT": "2",
            "HOTLINE_AUDIOSOCKET_PORT": str(config.audiosocket_port),
            "HOTLINE_RTP_PORT_START": "30000", "HOTLINE_RTP_PORT_END": "30999"}


class Running:
    """A started instance and what the tests need of it."""

    def __init__(self, config: Settings) -> None:
        self.settings = config
        self.config: PbxConfig = config.pbx_config()
        self.instance = process.Instance(config.asterisk_root,
                                         config.effective_asterisk_instance_dir)

    def cli(self, command: str) -> str:
        return process.cli(self.instance, command)


@pytest.fixture(scope="module")
def pbx(asterisk_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One Asterisk for the module's tests; stopped and its files removed afterwards."""
    running = Running(instance_settings(tmp_path_factory.mktemp("data"), asterisk_root))
    process.start(running.instance, running.config, timeout=60)
    yield running
    process.stop(running.instance)
    shutil.rmtree(running.instance.run_dir, ignore_errors=True)


@pytest.fixture
async def ami(pbx: Running) -> AsyncIterator[AmiSession]:
    session = await process.open_ami(pbx.config, events="on")
    yield session
    await session.close()


@pytest.fixture
async def astdb(pbx: Running) -> AsyncIterator[AmiSession]:
    """AMI as the AstDB writer: DBPut/DBDel need `system`, which the controller lacks."""
    session = await process.open_ami(pbx.config, astdb_writer=True)
    yield session
    await session.close()


async def astdb_action(config: PbxConfig, action: str, **fields: str) -> None:
    """One DBPut/DBDel as the platform's AstDB writer; it must succeed."""
    async with await process.open_ami(config, astdb_writer=True) as writer:
        response = await writer.action(action, **fields)
    assert response["Response"] == "Success", response


@asynccontextmanager
async def astdb_link(config: PbxConfig) -> AsyncIterator[AmiLink]:
    """The AstDB writer's link, connected, as the platform runs it."""
    link = AmiLink(config.ami_host, config.ami_port, config.astdb_username,
                   config.astdb_secret, events="off")
    link.start()
    try:
        await link.wait_connected(15)
        yield link
    finally:
        await link.close()


def now() -> datetime:
    """Beijing time, as the platform's clock gives it."""
    return datetime.now(BEIJING)


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated SQLite database for the controller to store calls in."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'calls.db'}")
    await create_schema(engine)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


@asynccontextmanager
async def followed(
    pbx: Running, sessions: async_sessionmaker[AsyncSession], agent: str, **link_options: float
) -> AsyncIterator[tuple[CallController, AmiLink]]:
    """A controller following ``pbx`` over its own AMI link, with ``agent`` in queue main."""
    controller = CallController(sessions, now)
    c = pbx.config
    link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret,
                   on_connected=controller.resync, **link_options)
    controller.attach(link)
    link.start()
    await link.wait_connected(15)
    await wait_for(lambda: controller.resyncs >= 1, "first resync")
    await link.send_action({"Action": "QueueAdd", "Queue": "main", "Interface": agent,
                            "MemberName": agent.split("/")[1].split("@")[0]})
    await wait_for(lambda: agent in controller.line.agents, "agent logged in")
    try:
        yield controller, link
    finally:
        await link.send_action({"Action": "QueueRemove", "Queue": "main", "Interface": agent})
        await link.close()
