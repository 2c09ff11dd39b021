"""Reuse a classifier's fit when exactly what it learns from has not changed.

Rasa retrains every NLU component when anything in the NLU training data changes, and the FAQ answers are
part of it (Rasa adds the retrieval intent's responses to it). The classifiers of this project never read
the answers, so after an answer's wording is edited their fit is looked up here under a digest of their
inputs and settings instead of being computed again: the edit is live in seconds. The fits live in Rasa's
cache folder (RASA_CACHE_DIRECTORY, default .rasa/cache), so training from scratch starts without them.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

import joblib

T = TypeVar("T")
KEEP_PER_NAME = 4


def cache_directory() -> Path:
    return Path(os.environ.get("RASA_CACHE_DIRECTORY", ".rasa/cache")) / "clinic-fits"


def digest(parts: Iterable[Any]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()[:24]


def load_or_fit(name: str, inputs: Iterable[Any], fit: Callable[[], T]) -> T:
    directory = cache_directory()
    path = directory / f"{name}-{digest(inputs)}.joblib"
    if path.exists():
        try:
            return joblib.load(path)
        except Exception:  # a half-written or foreign file: fit again
            path.unlink(missing_ok=True)
    value = fit()
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump(value, partial)
    os.replace(partial, path)
    _forget_old(directory, name)
    return value


def _forget_old(directory: Path, name: str) -> None:
    fits = sorted(directory.glob(f"{name}-*.joblib"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in fits[KEEP_PER_NAME:]:
        old.unlink(missing_ok=True)
