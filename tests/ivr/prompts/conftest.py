"""espeak-ng and sox for the prompt tests: fail in CI, skip elsewhere."""

import shutil

import pytest

from tests.required import unavailable


@pytest.fixture
def speech_tools() -> None:
    for name in ("espeak-ng", "sox"):
        if shutil.which(name) is None:
            unavailable(f"{name} is missing: run scripts/install-system-packages")
