"""The ASR package's errors: a kebab-case ``error_id``, a message and details."""

from typing import Any


class AsrError(Exception):
    """Something the ASR package refuses or cannot do."""

    def __init__(self, error_id: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.error_id = error_id
        self.message = message
        self.details = details or {}
