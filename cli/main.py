"""The ``garanti`` command: parses the arguments, signs in, runs one command, and turns every
error into a message and an exit status (0 done, 1 failed, 2 wrong usage, 130 interrupted).

Connection options are accepted before the command group or after the command
(``garanti --api URL labels jobs`` or ``garanti labels jobs --api URL``): each parser gives
them a suppressed default, so the one the user typed wins wherever it was typed."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Mapping, Sequence

import requests

from cli import labels
from cli.client import DEFAULT_API, Api, ApiError, CliError, UsageError, login

LANGUAGES = ("vi", "en", "both")
EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument(
        "--api",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=f"the API (default: $GARANTI_API_URL or {DEFAULT_API})",
    )
    group.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="console user; the password is asked (or $GARANTI_PASSWORD). Default: "
        "$GARANTI_TOKEN (an ID token), else $GARANTI_USER",
    )
    group.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of the API's error messages (default: both)",
    )
    return common


def parser() -> argparse.ArgumentParser:
    common = _common()
    top = argparse.ArgumentParser(
        prog="garanti",
        parents=[common],
        description="Garanti staff tools on the command line.",
        epilog="Example: garanti labels sheet --batch DEMO-202611 --user admin",
    )
    commands = top.add_subparsers(dest="group", required=True, metavar="GROUP")
    labels.register(commands, common)
    return top


def connect(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    ask_password: Callable[[str], str],
    session: requests.Session,
) -> Api:
    """``--user`` (password from ``$GARANTI_PASSWORD`` or asked) over ``$GARANTI_TOKEN`` over
    ``$GARANTI_USER``: a user named on the command line is meant, a token in the environment is
    ready, a user in the environment is the fallback."""
    base_url = getattr(args, "api", None) or environ.get("GARANTI_API_URL") or DEFAULT_API
    language = getattr(args, "lang", "both")
    accept = "vi" if language == "vi" else "en"
    user = getattr(args, "user", None)
    token = environ.get("GARANTI_TOKEN")
    if user is None and token:
        return Api(base_url, token, language=accept, session=session)
    user = user or environ.get("GARANTI_USER")
    if not user:
        raise UsageError("sign in with --user NAME, or set GARANTI_TOKEN or GARANTI_USER")
    password = environ.get("GARANTI_PASSWORD") or ask_password(f"password for {user}: ")
    if not password:
        raise UsageError("no password given")
    return Api(base_url, login(session, base_url, user, password), language=accept, session=session)


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    ask_password: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run one command; the exit status is returned, never raised (argparse's own aside)."""
    args = parser().parse_args(argv)
    args.lang = getattr(args, "lang", "both")
    try:
        check: Callable[[argparse.Namespace], None] | None = getattr(args, "check", None)
        if check is not None:
            check(args)
        with requests.Session() as session:
            api = connect(args, os.environ if environ is None else environ, ask_password, session)
            status: int = args.run(args, api)
            return status
    except ApiError as error:
        lines = error.lines(args.lang)
        print(f"garanti: {lines[0]}", *lines[1:], sep="\n", file=sys.stderr)
        return EXIT_FAILED
    except UsageError as error:
        print(f"garanti: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CliError as error:
        print(f"garanti: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
