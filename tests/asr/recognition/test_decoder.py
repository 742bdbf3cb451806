"""The real Korean model: a stream fed in any pieces says what an offline decode says."""

import asyncio
import random
from functools import partial
from pathlib import Path

import pytest

from asr.events import Segment
from asr.recognition import RecognizerPool, StreamDecoder, load_or_none
from asr.recognition.offline import decode_pcm
from tests.asr.conftest import LABEL, Speech


def test_an_offline_decode_gives_one_timed_final_per_utterance(
        offline: list[Segment], speech: Speech) -> None:
    first, second = offline
    first_ends = len(speech.first) / 32000
    assert first.final and second.final
    assert first.text and second.text
    assert 0.0 <= first.start < first.end <= first_ends + 0.1
    assert first_ends + 1.0 < second.start < second.end <= first_ends + 1.5 + len(
        speech.second) / 32000
    assert (first.call_id, first.speaker) == ("call", "caller")


def feed_in_pieces(decoder: StreamDecoder, audio: bytes, seed: int) -> list[Segment]:
    pieces = random.Random(seed)
    out, offset = [], 0
    while offset < len(audio):
        size = pieces.choice((320, 640, 1280, 4096, 9000))
        out += decoder.feed(audio[offset:offset + size])
        offset += size
    return out + decoder.finish()


async def test_streams_fed_in_any_pieces_side_by_side_give_the_offline_finals(
        pool: RecognizerPool, recording: bytes, offline: list[Segment]) -> None:
    decoders = [pool.decoder(LABEL), pool.decoder(LABEL)]
    both = await asyncio.gather(*(pool.run(partial(feed_in_pieces, d, recording, seed))
                                  for seed, d in enumerate(decoders)))
    for out, decoder in zip(both, decoders, strict=True):
        assert [s for s in out if s.final] == offline
        first_final = next(i for i, s in enumerate(out) if s.final)
        assert first_final > 0 and not any(s.final for s in out[:first_final])
        assert decoder.finals == 2


def test_a_missing_or_broken_model_means_no_pool_and_a_log_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert load_or_none(None) is None
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    (broken / "am" / "final.mdl").write_bytes(b"not a model")
    for path in (tmp_path / "absent", broken):
        assert load_or_none(path) is None
    assert f"{tmp_path / 'absent'} holds no Vosk model" in caplog.text
    assert f"Vosk cannot load {broken}" in caplog.text


def test_asked_for_readings_the_real_model_gives_them_and_words_sure_as_they_agree(
        pool: RecognizerPool, recording: bytes, offline: list[Segment]) -> None:
    readings = RecognizerPool(pool.model, 1, pool.model_path, alternatives=3)
    try:
        heard = decode_pcm(readings, recording, LABEL)
    finally:
        readings.close()
    # As many utterances; the best reading of an n-best lattice may differ from the one-best.
    assert len(heard) == len(offline) and all(s.final and s.text for s in heard)
    for segment in heard:
        assert 1 <= len(segment.alternatives) <= 3
        assert segment.alternatives[0].text == segment.text
        assert [w.word for w in segment.words] == segment.text.split()
        assert all(0.0 < w.conf <= 1.0 for w in segment.words)
        assert segment.start == segment.words[0].start and segment.end == segment.words[-1].end
