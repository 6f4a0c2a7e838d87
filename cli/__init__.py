"""``garanti``: staff tools on the command line, speaking the same HTTP API as the console.

``bin/garanti labels sheet --batch DEMO-202611 --user admin`` (or ``python -m cli …``). The
package imports nothing from ``chalicelib``: it is a client, and runs against any stage."""

from cli.main import main

__all__ = ["main"]
