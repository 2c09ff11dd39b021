"""`rasa`, with two settings from the environment (scripts/rasa_run.sh runs it).

ACTION_SERVER_URL, if set, replaces endpoints.yml's action server URL (which plain `rasa run` uses): Rasa
expands ${VAR} in endpoints.yml but has no default for an unset one, so endpoints.yml keeps the URL that
`rasa run actions` listens on and the launcher overrides it.

The HTTP API's token is read from RASA_AUTH_TOKEN inside the process.
Passed as `rasa run --auth-token ...`, the token would be in the process list, readable by every user of
the machine. If RASA_AUTH_TOKEN is set, `rasa run` gets --enable-api and the token here, after the process
has started. (A process's environment, unlike its command line, is readable only by its own user.)
"""
import os
import sys
from typing import List


def with_token(arguments: List[str]) -> List[str]:
    token = os.environ.get("RASA_AUTH_TOKEN", "").strip()
    if token and arguments[:1] == ["run"] and "--auth-token" not in arguments:
        return [*arguments, "--enable-api", "--auth-token", token]
    return arguments


def action_server_from_environment() -> None:
    """Every endpoints file Rasa reads gets ACTION_SERVER_URL as its action server's URL, if that is set."""
    from rasa.core.utils import AvailableEndpoints

    url = os.environ.get("ACTION_SERVER_URL", "").strip()
    if not url:
        return
    read = AvailableEndpoints.read_endpoints.__func__

    def read_endpoints(cls: type, endpoint_file: str) -> AvailableEndpoints:
        endpoints = read(cls, endpoint_file)
        if endpoints.action:
            endpoints.action.url = url
        return endpoints

    AvailableEndpoints.read_endpoints = classmethod(read_endpoints)


def main() -> None:
    from rasa.__main__ import main as rasa

    action_server_from_environment()
    sys.argv = ["rasa", *with_token(sys.argv[1:])]
    rasa()


if __name__ == "__main__":
    main()
