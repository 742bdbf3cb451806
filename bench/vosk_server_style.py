"""Our AudioSocket pipeline against a vosk-server-style WebSocket server, same audio, same model.

The reference Vosk server (vosk-server's WebSocket server) keeps one KaldiRecognizer per
connection and decodes each message on a thread pool sized to the cores; it answers every
audio message with a partial or final result, and its clients send 0.2 s of audio per
message and wait for each answer before sending the next. That design is written here, for
the comparison, with the ``websockets`` package. Both servers run in this process on the same
loaded model and the same number of threads; the clients run in a process of their own.

Measured: N streams flat out through each; throughput (audio seconds per second) and the
ratio ours / WebSocket. Goal: >= 1.0. Prints figures, asserts nothing.

    .venv/bin/python bench/vosk_server_style.py
    .venv/bin/python bench/vosk_server_style.py --streams 8 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402
from websockets.asyncio.server import ServerConnection, serve  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from asr.recognition import RecognizerPool  # noqa: E402
from asr.recognition.pool import default_threads  # noqa: E402
from bench.asr_pipeline import (  # noqa: E402
    RATE,
    cpu_note,
    default_model,
    make_speech,
    through_server,
)

GOAL_RATIO = 1.0
MESSAGE_BYTES = int(RATE * 0.2) * 2  # 0.2 s per message, as the reference client sends
EOF_MESSAGE = '{"eof" : 1}'


class VoskStyleServer:
    """One recognizer per WebSocket connection; every message decoded on the thread pool."""

    def __init__(self, pool: RecognizerPool) -> None:
        self.pool = pool
        self.executor = ThreadPoolExecutor(pool.threads)
        self.finished = 0

    def _process(self, recognizer: Any, message: bytes | str) -> tuple[str, bool]:
        """One message: a final if the utterance ended, else a partial; (answer, last)."""
        if isinstance(message, str) and "eof" in message:
            return recognizer.FinalResult(), True
        if recognizer.AcceptWaveform(message):
            return recognizer.Result(), False
        return recognizer.PartialResult(), False

    async def handle(self, websocket: ServerConnection) -> None:
        import vosk

        loop = asyncio.get_running_loop()
        recognizer = vosk.KaldiRecognizer(self.pool.model, RATE)
        recognizer.SetWords(True)
        try:
            while True:
                message = await websocket.recv()
                answer, last = await loop.run_in_executor(
                    self.executor, self._process, recognizer, message)
                await websocket.send(answer)
                if last:
                    break
        except ConnectionClosed:
            pass
        self.finished += 1


async def ws_client_stream(port: int, audio: bytes) -> None:
    """The reference client: send 0.2 s, wait for the answer, repeat; then eof."""
    async with connect(f"ws://127.0.0.1:{port}", max_size=None) as websocket:
        for offset in range(0, len(audio), MESSAGE_BYTES):
            await websocket.send(audio[offset:offset + MESSAGE_BYTES])
            await websocket.recv()
        await websocket.send(EOF_MESSAGE)
        await websocket.recv()


async def ws_clients(port: int, audio: bytes, streams: int) -> None:
    await asyncio.gather(*(ws_client_stream(port, audio) for _ in range(streams)))


async def through_websocket(pool: RecognizerPool, audio_path: Path, streams: int) -> float:
    """Wall seconds for ``streams`` streams through the vosk-server-style server."""
    server = VoskStyleServer(pool)
    async with serve(server.handle, "127.0.0.1", 0, max_size=None) as ws:
        port = next(iter(ws.sockets)).getsockname()[1]
        started = time.monotonic()
        client = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--ws-client", str(port), "--audio", str(audio_path),
            "--streams", str(streams))
        await client.wait()
        wall = time.monotonic() - started
    server.executor.shutdown()
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=20.0, help="audio per stream")
    parser.add_argument("--streams", type=int, default=None, help="default 2 x threads")
    parser.add_argument("--rounds", type=int, default=2, help="alternating; best counts")
    parser.add_argument("--ws-client", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--audio", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ws_client is not None:
        asyncio.run(ws_clients(args.ws_client, args.audio.read_bytes(), args.streams))
        return
    logging.getLogger("asr").setLevel(logging.ERROR)  # the client's streams are unannounced
    print(f"machine: {cpu_note()}; other work may share it")
    pool = RecognizerPool.load(args.model or default_model(), args.threads or default_threads())
    streams = args.streams or 2 * pool.threads
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        audio = make_speech(args.seconds, work)
        audio_path = work / "speech.raw"
        audio_path.write_bytes(audio)
        seconds = streams * len(audio) / 32000
        print(f"{streams} streams x {len(audio) / 32000:.1f} s flat out, {pool.threads} "
              f"decoding threads, best of {args.rounds} alternating rounds")
        ws_wall = ours = ws_cpu = our_cpu = float("inf")
        for _ in range(args.rounds):  # alternating, so other work hits both sides alike
            cpu = time.process_time()
            ws_wall = min(ws_wall, asyncio.run(through_websocket(pool, audio_path, streams)))
            ws_cpu = min(ws_cpu, time.process_time() - cpu)
            cpu = time.process_time()
            took, _, _ = asyncio.run(through_server(pool, audio_path, streams, paced=False))
            our_cpu = min(our_cpu, time.process_time() - cpu)
            ours = min(ours, took)
    print(f"    vosk-server style (WebSocket) {ws_wall:7.2f} s  {seconds / ws_wall:5.1f} audio-s/s"
          f"  server CPU {ws_cpu:6.2f} s")
    print(f"    AudioSocket server + Vosk     {ours:7.2f} s  {seconds / ours:5.1f} audio-s/s"
          f"  server CPU {our_cpu:6.2f} s")
    ratio = ws_wall / ours
    verdict = "PASS" if ratio >= GOAL_RATIO else "MISS"
    print(f"    throughput ratio ours / WebSocket {ratio:.3f}  (goal >= {GOAL_RATIO})  {verdict};"
          f"  by server CPU {ws_cpu / our_cpu:.3f}")
    print(f"    after: {cpu_note()}")
    pool.close()


if __name__ == "__main__":
    main()
