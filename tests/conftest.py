"""Shared fixtures. Tests needing a trained model fail (not skip) when it is missing: run `make test`."""
import os
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "clinic.tar.gz"


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """domain.yml as the action server receives it (responses included)."""
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def trained_model() -> Path:
    assert MODEL.exists(), f"{MODEL} is missing: `make test` trains it first"
    return MODEL


def require_services() -> None:
    """PostgreSQL and Redis tests fail (not skip) in CI when the servers are missing: .ci/run installs them."""
    from evaluation.services import missing_services

    missing = missing_services()
    if missing:
        message = f"Debian packages missing: {' '.join(missing)} (apt-get install them; .ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on loopback, in a temporary folder."""
    from evaluation.services import Postgres

    require_services()
    server = Postgres()
    server.init()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def redis(tmp_path_factory):
    """A real Redis server on loopback, in a temporary folder."""
    from evaluation.services import Redis

    require_services()
    server = Redis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
