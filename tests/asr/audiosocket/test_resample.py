"""Every AudioSocket rate to 16 kHz: the right length, the tone kept, nothing folded in."""

import math

import numpy as np
import pytest

from asr.audiosocket.resample import Resampler


def sine(hz: float, rate: int, seconds: float = 1.0) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (8000 * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes()


def through(resampler: Resampler, pcm: bytes, frame_ms: int = 20) -> np.ndarray:
    size = resampler.rate * frame_ms // 1000 * 2
    out = b"".join(resampler(pcm[i:i + size]) for i in range(0, len(pcm), size))
    return np.frombuffer(out, "<i2").astype(np.float64)


def test_16khz_passes_through_untouched() -> None:
    pcm = sine(440, 16000)
    assert Resampler(16000)(pcm) is pcm


@pytest.mark.parametrize("rate", [8000, 12000, 24000, 32000, 44100, 48000, 96000, 192000])
def test_a_tone_keeps_its_pitch_and_the_length_is_exact(rate: int) -> None:
    out = through(Resampler(rate), sine(440, rate))
    assert abs(len(out) - 16000) <= 1
    # The filter delays a few samples; compare with the tone delayed by as much.
    delay = (4 * math.ceil(rate / 16000) / rate) if rate > 16000 else 0.0
    t = np.arange(len(out)) / 16000 - delay
    expected = 8000 * np.sin(2 * np.pi * 440 * t)
    assert np.abs(out[200:-200] - expected[200:-200]).max() < 0.02 * 8000  # linear: ~1.5%


@pytest.mark.parametrize("rate", [32000, 44100, 48000, 96000])
def test_what_16khz_cannot_carry_is_filtered_not_folded_into_speech(rate: int) -> None:
    out = through(Resampler(rate), sine(12000, rate))  # would alias to 4 kHz
    assert np.sqrt((out[200:] ** 2).mean()) < 0.01 * 8000 / math.sqrt(2)


def test_frame_boundaries_leave_no_clicks() -> None:
    whole = through(Resampler(8000), sine(300, 8000), frame_ms=1000)
    framed = through(Resampler(8000), sine(300, 8000), frame_ms=20)
    assert np.abs(whole - framed).max() <= 1
