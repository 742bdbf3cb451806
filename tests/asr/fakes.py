"""A recognizer that needs no model: one final segment per half second of audio."""

import json
import threading
from pathlib import Path

from asr.recognition import RecognizerPool
from asr.recognition.decoder import BYTES_PER_SECOND, Recognizer

HALF_SECOND = BYTES_PER_SECOND // 2


class FakeRecognizer:
    """Says ``partN`` for every complete half second; ``gate`` can hold it up."""

    def __init__(self, gate: threading.Event) -> None:
        self.gate = gate
        self.fed = 0
        self.said = 0

    def AcceptWaveform(self, data: bytes) -> int:
        self.gate.wait()
        self.fed += len(data)
        return int(self.fed // HALF_SECOND > self.said)

    def _words(self, upto: int) -> str:
        start = self.said * 0.5
        self.said = upto
        return json.dumps({"text": f"part{upto}",
                           "result": [{"word": f"part{upto}", "start": start,
                                       "end": self.fed / BYTES_PER_SECOND}]})

    def Result(self) -> str:
        return self._words(self.fed // HALF_SECOND)

    def PartialResult(self) -> str:
        return json.dumps({"partial": ""})

    def FinalResult(self) -> str:
        if self.fed == self.said * HALF_SECOND:
            return json.dumps({"text": ""})
        return self._words(self.said + 1)


class FakePool(RecognizerPool):
    """A pool of fake recognizers on real threads."""

    def __init__(self) -> None:
        super().__init__(model=None, threads=2, model_path=Path("fake"))
        self.gate = threading.Event()
        self.gate.set()

    def recognizer(self) -> Recognizer:
        return FakeRecognizer(self.gate)
