"""Print a fresh secrets parameter for a new stage: `python -m infra.secrets --stage dev`.

The output is the `aws ssm put-parameter` command to run once, before the first deploy. Keys
are generated here and never written to disk; keep no copy outside Parameter Store.
"""

from __future__ import annotations

import argparse
import json
import shlex

from chalicelib.platform.secrets import generate_secrets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stage", required=True, choices=("dev", "prod"))
    args = parser.parse_args(argv)
    value = json.dumps(generate_secrets(), separators=(",", ":"))
    print(
        "aws ssm put-parameter --type SecureString --name "
        f"/garanti/{args.stage}/secrets --value {shlex.quote(value)}"
    )


if __name__ == "__main__":
    main()
