"""Starting the per-speaker transcription streams of live calls."""
