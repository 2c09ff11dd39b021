"""Benchmarks write their latest numbers into README.md between `<!-- NAME:start -->` and `<!-- NAME:end -->`."""
import re

from clinic.paths import ROOT


def write_section(name: str, table: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert start in text and end in text, f"README.md has no {start} ... {end} markers"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    readme.write_text(pattern.sub(lambda _: f"{start}\n{table}\n{end}", text), encoding="utf-8")
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / f"{name}.md").write_text(table + "\n", encoding="utf-8")
