"""`rasa`, reading the HTTP API's token from RASA_AUTH_TOKEN inside the process (scripts/rasa_run.sh runs it).

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


def main() -> None:
    from rasa.__main__ import main as rasa

    sys.argv = ["rasa", *with_token(sys.argv[1:])]
    rasa()


if __name__ == "__main__":
    main()
