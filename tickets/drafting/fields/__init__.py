"""One module per drafted field; each reads a :class:`~tickets.drafting.transcript.Call`."""
