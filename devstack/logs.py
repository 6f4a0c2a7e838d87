"""Console logging of the stack: one line per event, structured ``extra`` fields as ``k=v``.

The app logs through Powertools (JSON on stdout); the stack's own lines go to stderr so the two
are easy to tell apart. Nothing here logs a phone number or a token: extras carry ids only.
"""

from __future__ import annotations

import logging
import sys

# Attributes every LogRecord has: anything else on a record came from ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None).__dict__
) | {"message", "asctime", "taskName"}

_QUIET_LOGGERS = ("botocore", "boto3", "urllib3", "pynamodb", "werkzeug")


class KeyValueFormatter(logging.Formatter):
    """``12:00:01 INFO  devstack.streams: record parked id=… handler=…``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {
            key: value
            for key, value in record.__dict__.items()
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_")
        }
        if not extras:
            return line
        fields = " ".join(f"{key}={value}" for key, value in extras.items())
        first, newline, rest = line.partition("\n")
        return f"{first} {fields}{newline}{rest}"


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (pytest swaps it between tests)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - logging must never raise; handleError reports it
            self.handleError(record)


def configure_logging(level: int = logging.INFO) -> None:
    handler = _StderrHandler()
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger("devstack")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
