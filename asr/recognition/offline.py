"""Decoding a whole recording in-process, by the same chunking rules as a live stream."""

from asr.events import Segment, StreamLabel
from asr.recognition.pool import RecognizerPool

OFFLINE = StreamLabel("offline", "offline")


def decode_pcm(pool: RecognizerPool, pcm: bytes, label: StreamLabel = OFFLINE,
               partials: bool = False) -> list[Segment]:
    """Every segment of 16 kHz PCM, decoded in this thread: what a live stream yields."""
    decoder = pool.decoder(label, partials)
    return decoder.feed(pcm) + decoder.finish()
