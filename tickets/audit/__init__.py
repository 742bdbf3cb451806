"""Who read whose personal data, and when; failed logins, lock-outs and revocations."""
