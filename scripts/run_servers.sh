#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both. Used by `make run` (which sets the defaults
# of every setting; scripts/rasa_run.sh lists them). Libraries' start-up warnings are filtered from the screen
# (scripts/quiet_output.py); the whole output is in var/log/run.log.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${RASA_PORT:?}" "${ACTIONS_PORT:?}"
mkdir -p var/log
: > var/log/run.log

banner() {
  cat <<MSG

  The clinic assistant is up. Chat with it:
    Website widget (demo clinic page): http://localhost:$RASA_PORT/chat/
    Terminal chat:                     make shell
    Over HTTP:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "Can massage help with sleep?"}'
  Ctrl-C stops it.

MSG
}

{
  echo "Starting the clinic assistant (about 15 s) ..."
  # the action server has no authentication: loopback only, unless ACTIONS_HOST says otherwise
  SANIC_HOST="${ACTIONS_HOST:-127.0.0.1}" rasa run actions --port "$ACTIONS_PORT" &
  actions=$!
  scripts/rasa_run.sh &
  rasa=$!
  # Ctrl-C reaches both servers (same process group); wait for them to finish stopping, quietly.
  trap 'kill -TERM $rasa $actions 2>/dev/null; wait $rasa $actions 2>/dev/null; echo "The clinic assistant has stopped."; exit 0' INT TERM
  until python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$RASA_PORT/', timeout=2)" 2>/dev/null; do
    kill -0 $rasa 2>/dev/null || { kill $actions; wait; echo "The Rasa server did not start: see var/log/run.log" >&2; exit 1; }
    sleep 1
  done
  banner
  wait $rasa
  status=$?
  kill $actions 2>/dev/null
  wait
  exit $status
} 2>&1 | python -m scripts.quiet_output var/log/run.log
