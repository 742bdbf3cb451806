"""Missed-call callbacks (漏接回拨): a caller who hung up in the queue is called back."""
