#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C. Used by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
# Web origins allowed to call the server from a browser (space-separated); "*" only for local trials.
CORS_ORIGINS=${CORS_ORIGINS:-"http://localhost:$RASA_PORT"}

$RASA run actions --port "$ACTIONS_PORT" &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  The clinic assistant is starting (TensorFlow takes ~30 s). When it says "Rasa server is up", chat with it:
    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "Can massage help with sleep?"}'
  Website widget (demo clinic page): http://localhost:$RASA_PORT/chat/
  Terminal chat: make shell

MSG
# shellcheck disable=SC2086
$RASA run --model models/clinic.tar.gz --port "$RASA_PORT" --cors $CORS_ORIGINS
