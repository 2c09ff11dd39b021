"""Shared fixtures. Tests needing a trained model fail (not skip) when it is missing: run `make test`."""
from pathlib import Path
from typing import Any, Dict

import pytest

from clinic.paths import DOMAIN, MODEL
from tests.needs import unavailable


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The domain (the domain/ folder, merged) as the action server receives it, responses included."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(DOMAIN)).as_dict()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    assert MODEL.exists(), f"{MODEL} is missing: `make test` trains it first"
    return MODEL


# The settings of the running stack the end-to-end tests share: the HTTP API on (with this token), one allowed
# web origin, and the clinic's details.
STACK_ENV = {
    "RASA_AUTH_TOKEN": "e2e-token",
    "CORS_ORIGINS": "https://clinic.example",
    "CLINIC_NAME": "E2E Clinic",
    "CLINIC_PHONE": "+1 555 0177",
    "CLINIC_BOOKING_URL": "https://e2e.example/book",
    "EMERGENCY_NUMBER": "999",
    "CRISIS_LINE": "116 123",
    # the callback channel on, its target down (nothing listens on the discard port)
    "CALLBACK_URL": "http://127.0.0.1:9/bot",
}
# the defaults of a fresh `make run`: no API token, no callback URL
DEFAULTS = {"RASA_AUTH_TOKEN": "", "CALLBACK_URL": ""}


@pytest.fixture(scope="session")
def stacks(trained_model, tmp_path_factory):
    """`stacks(overrides)`: the running action server and Rasa server with STACK_ENV plus `overrides`, started
    the first time those settings are asked for and shared by every test that asks again."""
    from evaluation.stack import start_stack

    started = {}

    def stack_with(overrides=None):
        env = {**STACK_ENV, **(overrides or {})}
        key = tuple(sorted(env.items()))
        if key not in started:
            started[key] = start_stack(trained_model, tmp_path_factory.mktemp("stack"), env)
        return started[key]

    yield stack_with
    for stack in started.values():
        stack.stop()


@pytest.fixture(scope="module")
def stack(request, stacks):
    """The shared stack; a module needing other settings parametrises it:
    `@pytest.mark.parametrize("stack", [{"DATABASE_URL": ...}], indirect=True)`."""
    return stacks(getattr(request, "param", None))


def require_services() -> None:
    """PostgreSQL and Redis tests fail (not skip) in CI when the servers are missing: .ci/run installs them."""
    from evaluation.services import missing_services

    missing = missing_services()
    if missing:
        unavailable(f"Debian packages missing: {' '.join(missing)} (apt-get install them; .ci/run does)")


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
