"""What a test needs from the machine (Chromium, PostgreSQL, Redis, nginx): missing, it skips on a
developer's machine and fails in CI (CI=true), where .ci/run installs it."""
import os
from typing import NoReturn

import pytest


def unavailable(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
