"""AudioSocket: the protocol Asterisk streams call audio over, and our server for it."""

from asr.audiosocket.frames import (
    Audio,
    Dtmf,
    Frame,
    Hangup,
    Identify,
    Kind,
    PeerError,
    ProtocolError,
    encode,
    read_frame,
)
from asr.audiosocket.server import NO_MODEL, AsrServer

__all__ = ["NO_MODEL", "AsrServer", "Audio", "Dtmf", "Frame", "Hangup", "Identify", "Kind",
           "PeerError", "ProtocolError", "encode", "read_frame"]
