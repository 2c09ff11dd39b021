"""The two servers share only clinic/: the Rasa server's code (addons/, channels/, stores/) never imports the
action server's package (actions/), and clinic/ imports no Rasa, so the action server's image (rasa-sdk,
without Rasa) can run it."""
import ast
from pathlib import Path
from typing import Set

import pytest

from clinic.paths import ROOT


def imported_packages(folder: Path) -> Set[str]:
    packages = set()
    for source in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                packages |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize("folder", ["addons", "channels", "stores", "clinic"])
def test_the_rasa_server_side_never_imports_the_action_server(folder):
    assert "actions" not in imported_packages(ROOT / folder)


def test_the_shared_package_imports_no_rasa():
    assert not imported_packages(ROOT / "clinic") & {"rasa", "rasa_sdk", "spacy", "sanic"}


def test_the_action_server_imports_only_what_its_image_has():
    assert imported_packages(ROOT / "actions") - {"actions", "clinic", "rasa_sdk", "typing", "re"} == set()
