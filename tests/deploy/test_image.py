"""The Dockerfile (read by dockerfile-parse) and its build context (.dockerignore applied by docker-py), checked
against the project. No image is built here: there is no Docker daemon."""
import ast
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import yaml
from docker.utils.build import exclude_paths
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]
SERVER_FILES = ("config.yml", "endpoints.yml", "credentials.yml")
# the third-party modules of the rasa-sdk image: rasa-sdk and its requirements (the standard library is there too)
RASA_SDK_MODULES = {"rasa_sdk", "coloredlogs", "pkg_resources", "pluggy", "prompt_toolkit", "ruamel", "sanic",
                    "sanic_cors", "setuptools", "typing_extensions", "websockets", "wheel"}


@dataclass
class Stage:
    parent: str  # an earlier stage's name, or an image (the ARG defaults substituted)
    instructions: List[Tuple[str, str]]  # ("RUN", "python -m ..."), continuation lines joined
    env: Dict[str, str]


def stages() -> Dict[str, Stage]:
    parser = DockerfileParser(str(ROOT / "Dockerfile"))
    found: Dict[str, Stage] = {}
    parents = iter(parser.parent_images)
    for instruction, context in zip(parser.structure, parser.context_structure, strict=True):
        keyword, value = instruction["instruction"], instruction["value"]
        if keyword == "FROM":
            stage = found[value.split()[-1]] = Stage(next(parents), [], {})  # FROM image AS name
        elif found and keyword != "COMMENT":
            stage.instructions.append((keyword, value))
            stage.env = dict(context.envs)
    return found


def chain(name: str) -> List[Stage]:
    """The stage and the stages it is built FROM, the first first."""
    stage = stages()[name]
    return (chain(stage.parent) if stage.parent in stages() else []) + [stage]


def image_env(name: str) -> Dict[str, str]:
    """A stage's ENV, with what it inherits from the stages it is built FROM."""
    return {key: value for stage in chain(name) for key, value in stage.env.items()}


def values(stage_chain: Iterable[Stage], keyword: str) -> List[str]:
    return [value for stage in stage_chain for kind, value in stage.instructions if kind == keyword]


def image_stages(name: str) -> List[Stage]:
    """The stages an image is built from, in build order: its chain and those it copies from (COPY --from=)."""
    own = chain(name)
    copied = [s for source in re.findall(r"--from=(\S+)", " ".join(values(own, "COPY"))) for s in image_stages(source)]
    return [stage for stage in stages().values() if stage in own + copied]


def make_command(key: str) -> str:
    """The Makefile's one recipe command containing `key`, variables expanded, $(PY)/$(RASA) as an image's."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    variables = dict(re.findall(r"^(?:export )?(\w+) [:?]?= (.*)$", text, re.MULTILINE), PY="python", RASA="rasa")
    lines = [re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), line.strip().lstrip("@"))
             for line in text.splitlines() if line.startswith("\t") and not line.strip().startswith(("#", "@#"))]
    found = [" ".join(c.split()) for line in lines for c in re.split(r"&&|;", line) if key in c]
    assert len(found) == 1, f"the Makefile's commands with {key!r}: {found}"
    return found[0]


def context(root: Path = ROOT) -> Set[str]:
    """The paths (files and folders, relative to the root) that .dockerignore lets into the build context."""
    lines = (root / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return exclude_paths(str(root), [p.strip() for p in lines if p.strip() and not p.startswith("#")], "Dockerfile")


def project_packages(names: Iterable[str]) -> Set[str]:
    """The project's top-level packages among `names` and those they import at module level, transitively.
    Imports inside functions or `try` (lazy or optional ones) are not followed."""
    found: Set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in found and (ROOT / name / "__init__.py").is_file():
            found.add(name)
            todo += top_level_imports(name)
    return found


def top_level_imports(package: str) -> Set[str]:
    """The top-level names of the modules a package's files import at module level."""
    names = set()
    for file in (ROOT / package).rglob("*.py"):
        for node in ast.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def server_modules() -> Set[str]:
    """The modules of the classes config.yml, endpoints.yml and credentials.yml name for the Rasa server."""
    config, endpoints, credentials = (yaml.safe_load((ROOT / f).read_text(encoding="utf-8")) for f in SERVER_FILES)
    classes = [c["name"] for c in config["pipeline"] + config.get("policies", [])] + list(credentials)
    classes += [e["type"] for e in endpoints.values() if isinstance(e, dict) and "type" in e]
    return {name.rsplit(".", 1)[0] for name in classes if "." in name}


def test_stages_and_compose_targets():
    names = set(stages())
    assert {"rasa", "actions"} <= names
    services = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    targets = {s["build"]["target"] for s in services.values() if "build" in s}
    assert targets and targets <= names, f"compose builds {targets}, the Dockerfile has {names}"


def test_base_images_are_the_pins():
    pins = dict(re.findall(r"^([\w-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M))
    assert chain("rasa")[0].parent == f"rasa/rasa:{pins['rasa']}-full"  # -full: with spaCy
    assert chain("actions")[0].parent == f"rasa/rasa-sdk:{pins['rasa-sdk']}"


def test_rasa_image_is_built_as_the_makefile_builds():
    # the RUN steps' commands, whitespace normalised
    image = [" ".join(c.split()) for run in values(image_stages("rasa"), "RUN") for c in run.split("&&")]
    steps = [make_command(key) for key in ("scripts.build_spacy_model", "scripts.build_sentence_model",
                                           "tests/knowledge/test_grounding.py", "rasa train")]
    missing = [step for step in steps if step not in image]
    assert not missing, f"the Makefile's commands the rasa image does not run: {missing}"
    assert steps[-1] == "rasa train --fixed-model-name clinic --out models"
    # trained last: after its spaCy pipeline and sentence encoder, and after the grounding check
    assert image.index(steps[-1]) > max(image.index(step) for step in steps[:-1]), f"trained too early: {image}"
    # the servers' requirements as `make install` installs them, but not the test tools
    installs = [c for c in image if c.startswith("python -m pip install")]
    assert any(re.search(r"-r \S*requirements\.txt -c \S*constraints\.txt", c) for c in installs), installs
    assert not any("requirements-dev" in c for c in installs), installs


def test_rasa_image_runs_the_launcher_with_one_worker():
    assert json.loads(values(chain("rasa"), "ENTRYPOINT")[-1]) == ["bash", "scripts/rasa_run.sh"]
    assert image_env("rasa").get("SANIC_WORKERS") == "1", image_env("rasa")


def copied_sources(stage_chain: Iterable[Stage]) -> Set[str]:
    """What COPY takes from the build context (not --from another stage), without a trailing slash."""
    words = [value.split() for value in values(stage_chain, "COPY") if "--from=" not in value]
    return {source.rstrip("/") for w in words for source in w[:-1] if not source.startswith("--")}


def test_actions_image_has_what_the_actions_import_and_read():
    packages = project_packages(["actions"])
    assert {"actions", "clinic"} <= packages
    # knowledge/ and clinic.yml: what clinic/ reads (clinic/paths.py)
    missing = {*packages, "knowledge", "clinic.yml"} - copied_sources(chain("actions"))
    assert not missing, f"the actions stage does not COPY {missing}"
    imported = set().union(*(top_level_imports(package) for package in packages))
    lacking = imported - packages - set(sys.stdlib_module_names) - RASA_SDK_MODULES
    assert not lacking, f"the actions import modules the rasa-sdk image lacks: {lacking}"


def test_context_has_what_the_servers_and_the_build_need():
    in_context = context()
    modules = server_modules()
    packages = project_packages({module.split(".")[0] for module in modules})
    assert {"addons", "stores", "channels", "clinic"} <= packages, packages
    needed = {*packages, *SERVER_FILES, "domain", "data", "knowledge", "clinic.yml"}
    needed |= {module.replace(".", "/") + ".py" for module in modules}
    needed |= copied_sources(stages().values()) - {"."}
    assert not needed - in_context, f"left out of the build context: {needed - in_context}"
    # domain.yml is a link to domain/ (which plain `rasa train` then reads): COPY keeps the link, so both
    assert "domain.yml" in in_context and (ROOT / "domain.yml").resolve().relative_to(ROOT).as_posix() in in_context


def test_context_leaves_out_host_builds_secrets_and_blind_sets(tmp_path):
    # a stand-in tree: these paths need not exist in this checkout for the check to mean something
    left_out = [".venv/bin/python", ".cache/minilm/config.json", "models/clinic.tar.gz", "var/session_secret",
                "results/bench.md", ".env", "addons/.env", "deploy/.env", "web/node_modules/x/index.js",
                "tests/nlu/blind_realistic_a.yml", "tests/safety/blind_a.yml"]
    for path in [*left_out, "addons/x.py", "tests/nlu_heldout.yml"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()
    shutil.copy(ROOT / ".dockerignore", tmp_path)
    in_context = context(tmp_path)
    assert {"addons/x.py", "tests/nlu_heldout.yml"} <= in_context, in_context
    assert not in_context & set(left_out), in_context & set(left_out)
