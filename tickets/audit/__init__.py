"""Who read whose personal data, and when."""
