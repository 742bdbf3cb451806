"""ASR: AudioSocket server, Vosk recognizer pool, per-speaker transcripts (issue 4)."""
