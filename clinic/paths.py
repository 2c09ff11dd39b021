"""Where the project's files are, for every server, script, test and benchmark, and how its YAML is read."""
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "domain"
DATA = ROOT / "data"
KNOWLEDGE = ROOT / "knowledge"
PROFILE = ROOT / "clinic.yml"
# the trained model `make train` writes and every server, test and benchmark loads (MODEL overrides it)
MODEL = ROOT / os.environ.get("MODEL", "models/clinic.tar.gz")
SPACY_MODEL = ROOT / ".cache" / "spacy" / "clinic_vectors_lean"
# the interpreter running this code and the `rasa` installed beside it (the project's .venv, or an image's)
PYTHON = sys.executable
RASA = str(Path(sys.executable).parent / "rasa")


def trained_model() -> Path:
    if not MODEL.exists():
        raise SystemExit(f"{MODEL} is missing: run `make train` first")
    return MODEL


def read_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:  # the rasa-sdk image has ruamel.yaml only
        from ruamel.yaml import YAML

        return YAML(typ="safe").load(text)
    return yaml.safe_load(text)
