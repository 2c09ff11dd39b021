#!/usr/bin/env bash
# `rasa run` with the clinic's production settings, all from the environment (defaults in the Makefile).
# Used by `make run` (scripts/run_servers.sh), the tests and the benchmarks; extra arguments are passed on.
#   RASA_PORT, ACTION_SERVER_URL   where this server listens / finds the action server
#   CORS_ORIGINS                   space-separated web origins allowed to call it from a browser
#   RASA_AUTH_TOKEN                if set, the HTTP API (/conversations, /model/parse, ...) is enabled and
#                                  needs ?token=...; if unset, the API is off (only the channels answer).
#                                  Read inside the process (scripts/rasa_server.py), never on the command line
# `python` is the project's (the Makefile puts .venv/bin first on the PATH) or an image's.
#   DATABASE_URL, REDIS_URL        conversation store and lock store (endpoints.yml, stores/)
#   SANIC_WORKERS                  worker processes (> 1 needs REDIS_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RASA_PORT:?}" "${ACTION_SERVER_URL:?}" "${CORS_ORIGINS:?}"
export ACTION_SERVER_URL
# Sanic reads SANIC_* settings when the app is created: errors as JSON, also for requests without a JSON body.
export SANIC_FALLBACK_ERROR_FORMAT=json

args=(run ${MODEL:+--model "$MODEL"} --port "$RASA_PORT"
      --endpoints endpoints.yml --credentials "${CREDENTIALS:-credentials.yml}")
# shellcheck disable=SC2206
args+=(--cors $CORS_ORIGINS)
exec ${RASA:-python -m scripts.rasa_server} "${args[@]}" "$@"
