"""A fit is reused for identical inputs (an edited answer retrains nothing) and redone when they change."""
from addons import fit_cache


def test_a_fit_is_computed_once_per_distinct_input(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    calls = []

    def fit(value):
        return lambda: calls.append(value) or {"fitted": value}

    assert fit_cache.load_or_fit("model", ["texts", 1], fit(1)) == {"fitted": 1}
    assert fit_cache.load_or_fit("model", ["texts", 1], fit(1)) == {"fitted": 1}
    assert fit_cache.load_or_fit("model", ["texts", 2], fit(2)) == {"fitted": 2}
    assert calls == [1, 2]


def test_old_fits_are_forgotten(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    for value in range(fit_cache.KEEP_PER_NAME + 3):
        fit_cache.load_or_fit("model", [value], lambda: value)
    assert len(list(fit_cache.cache_directory().glob("model-*.joblib"))) == fit_cache.KEEP_PER_NAME


def test_a_damaged_file_is_fitted_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    fit_cache.load_or_fit("model", ["x"], lambda: 1)
    (stored,) = fit_cache.cache_directory().glob("model-*.joblib")
    stored.write_bytes(b"not a joblib file")
    assert fit_cache.load_or_fit("model", ["x"], lambda: 2) == 2
