#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C. Used by `make run` (which sets the
# defaults of every setting; scripts/rasa_run.sh lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RASA_PORT:?}" "${ACTIONS_PORT:?}"

.venv/bin/rasa run actions --port "$ACTIONS_PORT" &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  The clinic assistant is starting (TensorFlow takes ~30 s). When it says "Rasa server is up", chat with it:
    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "Can massage help with sleep?"}'
  Website widget (demo clinic page): http://localhost:$RASA_PORT/chat/
  Terminal chat: make shell

MSG
scripts/rasa_run.sh
