"""The customer portal's files for the bucket: ``python -m infra.portal --api-url URL --out DIR``.

The portal (``web/portal``) is a static site with no build step. What it shares with the other
web apps (``web/shared``: design tokens, the API client, DOM and language helpers) goes in the
bucket's ``shared/`` folder, where the portal's modules import it from (``/shared/js/api.js``).
The one file that differs per stage is ``config.js``, which names the API it talks to; the
devstack serves the same files, and the same file generated for its own API (:func:`config_js`).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
PORTAL_DIR = WEB_DIR / "portal"
SHARED_DIR = WEB_DIR / "shared"
CONFIG_PATH = "/config.js"
SHARED_PATH = "/shared/"  # where web/shared is served beside the portal
MEDIA_PATH = "/media/"  # model pictures: the uploads bucket's media/ prefix (CloudFront, devstack)
_API_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$")


def config_js(api_base: str) -> bytes:
    """``window.GARANTI_CONFIG``: what the portal's pages read before anything else.

    >>> config_js("https://api.example.vn/")
    b'window.GARANTI_CONFIG = {"apiBase": "https://api.example.vn"};\\n'
    """
    if not _API_URL.fullmatch(api_base):
        raise ValueError("the API URL must be http(s)://host[:port][/path]")
    settings = json.dumps({"apiBase": api_base.rstrip("/")})
    return f"window.GARANTI_CONFIG = {settings};\n".encode()


def build(
    out_dir: Path, api_base: str, source: Path = PORTAL_DIR, shared: Path = SHARED_DIR
) -> list[Path]:
    """Copy the portal and ``web/shared`` (under ``shared/``) to ``out_dir`` with this stage's
    ``config.js``; returns the files."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(source, out_dir, ignore=shutil.ignore_patterns(".*", "config.js"))
    # a portal folder named like the mount would be overwritten: copytree refuses it
    shutil.copytree(shared, out_dir / SHARED_PATH.strip("/"), ignore=shutil.ignore_patterns(".*"))
    (out_dir / CONFIG_PATH.lstrip("/")).write_bytes(config_js(api_base))
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api-url", required=True, help="the stage's public API base URL")
    parser.add_argument("--out", type=Path, default=Path("build/portal"))
    args = parser.parse_args(argv)
    files = build(args.out, args.api_url)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size:,} bytes in {args.out} (upload to the portal bucket)")


if __name__ == "__main__":
    main()
