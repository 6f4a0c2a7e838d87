"""The staff console's files for its bucket: ``python -m infra.console --api-url URL --out DIR``.

The console (``web/console``) is built by ``make console`` (Vite) into ``web/console/dist``;
this copies that build and writes the stage's ``config.js`` (the API it talks to), the one file
that differs per stage, exactly as the portal's (:func:`infra.portal.config_js`). Hashed assets
(``assets/*``) can be cached for ever; ``index.html`` and ``config.js`` must not be (the upload
step sets ``Cache-Control`` per :func:`cache_control`).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from infra.portal import CONFIG_PATH, config_js

DIST_DIR = Path(__file__).resolve().parent.parent / "web" / "console" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def cache_control(path: str) -> str:
    """What the bucket should say for a file: Vite's content-hashed assets never change.

    >>> cache_control("assets/index-3f2a9c1b.js"), cache_control("index.html")
    ('public, max-age=31536000, immutable', 'no-cache')
    """
    return IMMUTABLE if path.startswith("assets/") else REVALIDATE


def build(out_dir: Path, api_base: str, dist: Path = DIST_DIR) -> list[Path]:
    """Copy the built console to ``out_dir`` with this stage's ``config.js``; returns the
    files. The build must exist (``make console``)."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html: build the console first (make console)")
    config = config_js(api_base)  # checks the URL before anything is written
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(dist, out_dir, ignore=shutil.ignore_patterns(".*", "config.js"))
    (out_dir / CONFIG_PATH.lstrip("/")).write_bytes(config)
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api-url", required=True, help="the stage's public API base URL")
    parser.add_argument("--out", type=Path, default=Path("build/console"))
    args = parser.parse_args(argv)
    files = build(args.out, args.api_url)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size:,} bytes in {args.out} (upload to the console bucket)")


if __name__ == "__main__":
    main()
