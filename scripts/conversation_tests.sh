#!/usr/bin/env bash
# The conversation tests (tests/test_stories.yml) on the trained model, with one line of result instead of
# `rasa test core`'s matrices (and its "Failed stories written" line, printed even when none failed).
# Its whole output is kept in results/stories/rasa_test_core.log; a failure prints the failed stories.
set -uo pipefail
# `rasa` and `python`: the project's (the Makefile puts .venv/bin first on the PATH)
cd "$(dirname "$0")/.."
out=${STORIES_OUT:-results/stories}
mkdir -p "$out"
rasa test core --e2e --stories tests/test_stories.yml ${MODEL:+--model "$MODEL"} \
  --out "$out" --fail-on-prediction-errors "$@" > "$out/rasa_test_core.log" 2>&1
status=$?
python - "$out/story_report.json" <<'PY' || true
import json, sys
result = json.load(open(sys.argv[1]))["conversation_accuracy"]
print(f"Conversation tests: {result['correct']} of {result['total']} passed")
PY
if [[ $status -ne 0 ]]; then
  echo "Failed conversation tests ($out/failed_test_stories.yml):" >&2
  cat "$out/failed_test_stories.yml" >&2 || tail -40 "$out/rasa_test_core.log" >&2
fi
exit $status
