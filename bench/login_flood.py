"""Login flood benchmark: does a flood of wrong logins stall the event loop, and can a wrong
login tell a known username from an unknown one by its time?

The platform runs as ``hotline serve`` runs it (migrated, the first administrator made, every
service started by the lifespan: AMI link, FastAGI, AudioSocket, scheduler), on SQLite in a
temporary directory and free loopback ports, in its own process. The script then prints:

* ``/health`` latency (median, p99, max; one request every 20 ms on a connection of its own)
  with nothing else running, under a flood of wrong logins from one client address, and under
  a flood spread over many client addresses (connections bound to 127.0.0.2, 127.0.0.3, ...:
  the loopback range, so one machine plays many clients);
* the flood's answers per second by status (401 wrong password, 429 throttled, 503 busy);
  and, for reference, ``/health`` beside a flood of ``GET /health`` itself (what any flood of
  cheap requests costs the event loop);
* the time of a wrong login for a known username against an unknown one (median of each,
  one at a time, each from an address of its own so no throttle answers instead).

    .venv/bin/python bench/login_flood.py                       # the code of this checkout
    .venv/bin/python bench/login_flood.py --code /work/main      # another checkout's code
    .venv/bin/python bench/login_flood.py --seconds 5 --connections 16

Only loopback addresses are used; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE_EVERY = 0.02
KNOWN_USERS = 12  # known usernames for the timing comparison (each fails 3 times: no lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Http:
    """HTTP/1.1 keep-alive on one connection, from a chosen loopback source address."""

    def __init__(self, port: int, source: str = "127.0.0.1") -> None:
        self.port, self.source = port, source
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: object = None,
                      token: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port, local_addr=(self.source, 0))
        assert self.reader is not None
        data = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"host: 127.0.0.1:{self.port}",
                f"content-length: {len(data)}"]
        if body is not None:
            head.append("content-type: application/json")
        if token:
            head.append(f"authorization: Bearer {token}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        try:
            status_line = await self.reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            return status, await self.reader.readexactly(length)
        except (IndexError, ValueError, asyncio.IncompleteReadError):
            await self.close()
            return 0, b""

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


class Platform:
    """``hotline serve`` of the code in ``code``, in its own process."""

    def __init__(self, code: Path, data_dir: Path) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": str(code), "HOTLINE_DATA_DIR": str(data_dir),
            "HOTLINE_LOG_LEVEL": "ERROR", "HOTLINE_POLICY": "default",
            "HOTLINE_AMI_PORT": str(free_port()), "HOTLINE_AGI_PORT": str(free_port()),
            "HOTLINE_AUDIOSOCKET_PORT": str(free_port()),
            "HOTLINE_SIP_PORT": str(free_port()),
        })
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from hotline.cli.main import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def ready(self, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the platform exited with {self.process.returncode}")
            client = Http(self.port)
            with contextlib.suppress(OSError):
                status, _ = await client.request("GET", "/health")
                await client.close()
                if status == 200:
                    return
            await asyncio.sleep(0.2)
        raise RuntimeError("the platform did not answer /health in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def addresses() -> itertools.count[int]:
    return itertools.count(2)


def loopback(n: int) -> str:
    """The n-th loopback address after 127.0.0.1 (127.0.0.2, ..., 127.0.1.0, ...)."""
    return f"127.0.{n // 250}.{n % 250 + 2}"


async def probe(port: int, until: float) -> list[float]:
    """/health latencies in ms, one request every PROBE_EVERY s until ``until``."""
    client, latencies = Http(port), []
    while time.monotonic() < until:
        started = time.perf_counter()
        status, _ = await client.request("GET", "/health")
        if status == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(max(0.0, PROBE_EVERY - (time.perf_counter() - started)))
    await client.close()
    return latencies


async def flood(port: int, until: float, kind: str, counter: Counter[int],
                numbers: itertools.count[int]) -> None:
    """Requests back to back: wrong logins (``many``: a new source address after each 429),
    or, for reference, ``GET /health`` itself."""
    spread = kind == "many"
    client = Http(port, loopback(next(numbers)) if spread else "127.0.0.1")
    while time.monotonic() < until:
        if kind == "health":
            status, _ = await client.request("GET", "/health")
        else:
            name = secrets.choice(["admin", "agent1", f"nobody{secrets.randbelow(10**6)}"])
            status, _ = await client.request(
                "POST", "/auth/login", {"username": name, "password": "wrong-password"})
        counter[status] += 1
        if spread and status == 429:
            await client.close()
            client = Http(port, loopback(next(numbers)))
    await client.close()


def figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"median {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms   "
            f"max {ordered[-1]:7.1f} ms   ({len(ordered)} probes)")


SCENARIOS = {"idle": "nothing else", "one": "wrong logins, one address",
             "many": "wrong logins, many addresses", "health": "GET /health (reference)"}


async def scenario(port: int, seconds: float, connections: int, kind: str,
                   numbers: itertools.count[int]) -> None:
    until = time.monotonic() + seconds
    counter: Counter[int] = Counter()
    floods = [] if kind == "idle" else [
        asyncio.create_task(flood(port, until, kind, counter, numbers))
        for _ in range(connections)]
    latencies = await probe(port, until)
    await asyncio.gather(*floods)
    print(f"/health beside {SCENARIOS[kind]:30s} {figures(latencies)}")
    if counter:
        rates = "  ".join(f"{status}: {count / seconds:6.1f}/s"
                          for status, count in sorted(counter.items()))
        print(f"    flood answered ({connections} connections): {rates}")


async def timing(port: int, numbers: itertools.count[int]) -> None:
    """A wrong password for a known username against an unknown username, one at a time."""
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for round_ in range(3):
        for n in range(KNOWN_USERS):
            for kind, name in (("known", f"agent{n}"), ("unknown", f"ghost{round_}-{n}")):
                client = Http(port, loopback(next(numbers)))
                started = time.perf_counter()
                await client.request("POST", "/auth/login",
                                     {"username": name, "password": "wrong-password"})
                times[kind].append((time.perf_counter() - started) * 1000)
                await client.close()
    print("wrong login, known username   median "
          f"{statistics.median(times['known']):6.1f} ms  ({len(times['known'])} tries)")
    print("wrong login, unknown username median "
          f"{statistics.median(times['unknown']):6.1f} ms  ({len(times['unknown'])} tries)")


async def seed(platform: Platform) -> None:
    """The known users of the timing comparison, made through the API as an admin would."""
    password = (platform.data_dir / "initial-admin-password").read_text().strip()
    client = Http(platform.port)
    status, body = await client.request("POST", "/auth/login",
                                        {"username": "admin", "password": password})
    assert status == 200, body
    token = json.loads(body)["access_token"]
    for n in range(KNOWN_USERS):
        status, body = await client.request("POST", "/users", {
            "username": f"agent{n}", "password": "agent-password-1", "role": "agent"}, token)
        assert status == 201, body
    await client.close()


async def run(code: Path, seconds: float, connections: int) -> None:
    with tempfile.TemporaryDirectory(prefix="login-flood-") as tmp:
        platform = Platform(code, Path(tmp) / "data")
        try:
            await platform.ready()
            await seed(platform)
            print(f"platform code: {code}; {os.cpu_count()} cores; SQLite")
            numbers = addresses()
            await timing(platform.port, numbers)
            for kind in SCENARIOS:
                await scenario(platform.port, seconds, connections, kind, numbers)
        finally:
            platform.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each scenario")
    parser.add_argument("--connections", type=int, default=32, help="flood connections")
    args = parser.parse_args()
    asyncio.run(run(args.code.resolve(), args.seconds, args.connections))


if __name__ == "__main__":
    main()
