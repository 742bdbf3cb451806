"""One shared Vosk model per process and the threads every stream decodes on."""

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from asr.errors import AsrError, ModelInvalid
from asr.events import StreamLabel
from asr.recognition.decoder import SAMPLE_RATE, Recognizer, StreamDecoder

log = logging.getLogger(__name__)
T = TypeVar("T")


def load_model(path: Path) -> object:
    """A ``vosk.Model`` from a model directory (seconds: do it once per process)."""
    import vosk  # imported here: its native library loads on first use, not at import of asr

    vosk.SetLogLevel(-1)  # Kaldi's own chatter goes to stderr otherwise
    if not (path / "am" / "final.mdl").is_file() and not (path / "final.mdl").is_file():
        raise ModelInvalid(f"{path} holds no Vosk model (am/final.mdl)",
                       path=str(path))
    try:
        return vosk.Model(str(path))
    except Exception as exc:  # Vosk raises a bare Exception when Kaldi refuses the files
        raise ModelInvalid(f"Vosk cannot load {path}: {exc}",
                       path=str(path)) from exc


def default_threads() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class RecognizerPool:
    """The model, shared by every stream, and a thread pool sized to the cores."""

    # Vosk's C calls release the GIL, so the threads decode in parallel.

    def __init__(self, model: object, threads: int | None = None,
                 model_path: Path | None = None, alternatives: int = 0) -> None:
        self.model = model
        self.model_path = model_path
        self.threads = threads or default_threads()
        self.alternatives = alternatives  # n-best readings per final (0: words only)
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="vosk")

    @classmethod
    def load(cls, path: Path, threads: int | None = None,
             alternatives: int = 0) -> "RecognizerPool":
        """A pool on the model at ``path``."""
        return cls(load_model(path), threads, path, alternatives)

    def recognizer(self) -> Recognizer:
        """A fresh 16 kHz recognizer that reports word times."""
        import vosk

        recognizer = vosk.KaldiRecognizer(self.model, SAMPLE_RATE)
        recognizer.SetWords(True)
        recognizer.SetPartialWords(True)
        if self.alternatives:  # word confidences then come from the readings' agreement
            recognizer.SetMaxAlternatives(self.alternatives)
        return recognizer  # type: ignore[no-any-return]

    def decoder(self, label: StreamLabel, partials: bool = True) -> StreamDecoder:
        """A decoder for one stream."""
        return StreamDecoder(self.recognizer(), label, partials)

    async def run(self, func: Callable[[], T]) -> T:
        """Run ``func`` on the decoding threads."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, func)

    def close(self) -> None:
        """Stop the threads once the work queued on them is done."""
        self._executor.shutdown(wait=True)


def load_or_none(path: Path | None, threads: int | None = None,
                 alternatives: int = 0) -> RecognizerPool | None:
    """A pool on ``path``; None, logged, when there is no model or it will not load."""
    # The platform runs on without transcription rather than not at all (DESIGN §1).
    if path is None:
        return None
    try:
        return RecognizerPool.load(path, threads, alternatives)
    except AsrError as exc:
        log.error("%s: calls go on without transcription", exc.message)
        return None
