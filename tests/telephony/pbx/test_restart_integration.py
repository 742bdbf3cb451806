"""``hotline asterisk stop && hotline asterisk start`` at once, with a client connected.

Asterisk closes its AMI connections when it stops, so they linger in TIME_WAIT on the AMI
port for a minute; the start's free-port check once refused the port for all that time.
"""

import asyncio
import shutil
from pathlib import Path

from typer.testing import CliRunner, Result

from hotline.cli.main import app
from telephony.pbx import process
from tests.telephony.conftest import Running, env_of, instance_settings

TIME_WAIT = "06"  # the state column of /proc/net/tcp


def hotline(running: Running, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env_of(running.settings))


def in_time_wait(port: int) -> bool:
    """Whether a TCP connection on local ``port`` (IPv4) is in TIME_WAIT."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return any(int(row.split()[1].split(":")[1], 16) == port and row.split()[3] == TIME_WAIT
               for row in rows)


async def test_a_restart_right_after_a_stop_with_a_client_connected_succeeds(
    asterisk_root: Path, tmp_path: Path
) -> None:
    running = Running(instance_settings(tmp_path, asterisk_root))
    try:
        started = await asyncio.to_thread(hotline, running, "asterisk", "start")
        assert started.exit_code == 0, started.output
        # a first start builds the IVR's prompts: `make run` speaks from the first call
        assert "IVR prompts built" in started.output
        welcome = running.instance.run_dir / "prompts" / "built" / "welcome.wav16"
        assert welcome.is_file() and welcome.stat().st_size > 1000
        client = await process.open_ami(running.config)
        try:
            stopping = asyncio.create_task(asyncio.to_thread(hotline, running, "asterisk", "stop"))
            await client.reader.read()  # until Asterisk hangs up on its client
        finally:
            client.writer.close()
            await client.writer.wait_closed()
        stopped = await stopping
        assert stopped.exit_code == 0 and "stopped" in stopped.output, stopped.output
        assert in_time_wait(running.config.ami_port)  # what held the port for a minute

        again = await asyncio.to_thread(hotline, running, "asterisk", "start")
        assert again.exit_code == 0, again.output
        assert "running" in again.output and "prompts built" not in again.output
        status = await asyncio.to_thread(hotline, running, "asterisk", "status")
        assert status.exit_code == 0, status.output
    finally:
        process.stop(running.instance)
        shutil.rmtree(running.instance.run_dir, ignore_errors=True)
