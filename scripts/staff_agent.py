"""What the staff tools `make ask` and `make shell` share: the assistant loaded in this process, answering as
the server does (the clinic's responses, the action server), with nothing stored, so staff questions stay
out of the clinic's conversation store and no Rasa port is needed.

The action server is the one already running on ACTIONS_PORT (`make run`), else one started for the session
on that port, or on a free one if something else holds it.
"""
import logging
import os
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional, Text

import requests

from clinic.paths import MODEL


def _is_action_server(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json().get("status") == "ok"
    except (requests.RequestException, ValueError, AttributeError):
        return False


def _is_taken(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def action_server(port: Optional[int] = None) -> Iterator[Text]:
    """The webhook URL of an action server for the session (see the module's docstring)."""
    from evaluation.stack import ActionServer, free_port

    port = port or int(os.environ.get("ACTIONS_PORT", "5055"))
    if _is_action_server(port):
        yield f"http://127.0.0.1:{port}/webhook"
        return
    server = ActionServer(free_port() if _is_taken(port) else port, dict(os.environ),
                          Path(tempfile.gettempdir()) / "clinic-staff-actions.log")
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


async def load_agent(action_server_url: Text, model: Path = MODEL) -> Any:
    from rasa.core.agent import load_agent as load_rasa_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    # The clinic's details fill the responses as on the server (endpoints.yml `nlg`); no tracker store.
    clinic_responses = EndpointConfig(type="addons.clinic_responses.ClinicResponses")
    endpoints = AvailableEndpoints(action=EndpointConfig(url=action_server_url), nlg=clinic_responses)
    return await load_rasa_agent(model_path=str(model), endpoints=endpoints)


def quiet_logs() -> None:
    """Errors only, on stderr: Rasa's structured logs would otherwise print to stdout at debug level, and the
    libraries' deprecation notices are not staff's business."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    import sanic  # noqa: F401  (it turns deprecation warnings on when imported; turned off again below)
    import structlog
    from rasa.utils.common import EXPECTED_WARNINGS  # what `rasa` itself hides (as the `rasa` command does)

    for category, message in [*EXPECTED_WARNINGS, (DeprecationWarning, ""), (PendingDeprecationWarning, "")]:
        warnings.filterwarnings("ignore", message=message, category=category)

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("rasa").setLevel(logging.ERROR)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
                        logger_factory=structlog.PrintLoggerFactory(sys.stderr))
