"""espeak-ng and sox for the prompt tests: fail in CI, skip elsewhere."""

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def speech_tools() -> None:
    for name in ("espeak-ng", "sox"):
        if shutil.which(name) is None:
            reason = f"{name} is missing: run scripts/install-system-packages"
            if IN_CI:
                pytest.fail(reason)
            pytest.skip(reason)
