"""Retrains the project's components when the code of any add-on changes, not only their own class.

Rasa decides what to retrain from each component's config, its inputs and the source of its class
(`inspect.getsource`), so an edit to a module-level function or table ("under the knife" in
addons/shorthand.py, a regex in addons/framing.py) would leave a cached training result built by the old
code, while the server runs the new one. Every add-on component adds the digest of all add-on sources to
its fingerprint: a change anywhere retrains them (about a minute). The safety rules' YAML files are not
included: they are read when the server starts, and editing them needs only a restart.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

ADDONS = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def addons_source_digest() -> Text:
    digest = hashlib.sha256()
    for path in sorted(ADDONS.rglob("*.py")):
        digest.update(str(path.relative_to(ADDONS)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class AddonFingerprint:
    """Mixin for the add-ons' graph components (before GraphComponent in the bases)."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        return addons_source_digest()


class AddonComponent(AddonFingerprint, GraphComponent):
    """An add-on that trains nothing: its settings (its defaults, then config.yml's) are its constructor's
    keyword arguments."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(**config)
