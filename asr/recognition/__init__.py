"""Vosk: one shared model, one recognizer per stream, decoding on a thread pool."""

from asr.recognition.decoder import CHUNK_BYTES, SAMPLE_RATE, StreamDecoder
from asr.recognition.offline import decode_pcm
from asr.recognition.pool import RecognizerPool, load_model, load_or_none

__all__ = ["CHUNK_BYTES", "SAMPLE_RATE", "RecognizerPool", "StreamDecoder", "decode_pcm",
           "load_model", "load_or_none"]
