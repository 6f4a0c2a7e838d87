"""Structured logging for every entry point (Powertools Logger, JSON lines).

Log with ``logger.info("unit activated", extra={"serial": serial})``. Never log a full phone
number, an OTP or a token: use :func:`chalicelib.core.phone.log_safe` for phones.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="garanti")
