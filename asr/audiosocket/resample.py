"""Signed-linear audio at any AudioSocket rate to the model's 16 kHz, frame by frame."""

import math

import numpy as np
import numpy.typing as npt

MODEL_RATE = 16000

Floats = npt.NDArray[np.float64]


def _low_pass(ratio: float) -> Floats:
    """A short windowed-sinc filter cutting below the output's Nyquist frequency."""
    cutoff = 0.9 / ratio / 2  # 90% of the new Nyquist, in cycles per input sample
    half = 4 * math.ceil(ratio)
    n = np.arange(-half, half + 1, dtype=np.float64)
    taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(len(n))
    return taps / taps.sum()  # type: ignore[no-any-return]


class Resampler:
    """Streaming linear-interpolation resampler; state carries across frames, no clicks."""

    def __init__(self, rate: int, target: int = MODEL_RATE) -> None:
        self.rate = rate
        self.target = target
        self._step = rate / target  # input samples per output sample
        # Downsampling needs a low-pass first, else everything above 8 kHz folds into speech.
        self._taps = _low_pass(self._step) if rate > target else None
        history = 0 if self._taps is None else len(self._taps) - 1
        self._history: Floats = np.zeros(history)
        self._last: Floats = np.zeros(1)  # the previous frame's last filtered sample
        self._position = 1.0  # next output instant, in input samples from ``_last``

    def __call__(self, pcm: bytes) -> bytes:
        """16 kHz samples for these input samples (frames of any size)."""
        if self.rate == self.target:
            return pcm
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
        if self._taps is not None:
            padded = np.concatenate((self._history, samples))
            self._history = padded[len(padded) - len(self._history):]
            samples = np.convolve(padded, self._taps, mode="valid")
        line = np.concatenate((self._last, samples))
        # Output instants up to the last input sample; the remainder waits for the next frame.
        instants = np.arange(self._position, len(line) - 1 + 1e-9, self._step)
        out = np.interp(instants, np.arange(len(line)), line)
        self._position = (instants[-1] + self._step if len(instants) else self._position) \
            - (len(line) - 1)
        self._last = line[-1:]
        return np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes()  # type: ignore[no-any-return]
