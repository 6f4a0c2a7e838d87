"""Test session setup, shared by every layer.

``chalicelib`` reads its settings and table names at import, so the environment of stage
``local`` is set here, when pytest loads this file and before any test module imports the app.
The AWS endpoint (the emulator) is added by the integration fixtures once it is listening; no
boto3 client exists before then.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # ``app``, ``chalicelib`` and ``devstack`` live at the root
    sys.path.insert(0, str(REPO_ROOT))

TEST_ENVIRONMENT = {
    "GARANTI_STAGE": "local",
    "AWS_REGION": "ap-southeast-1",
    "AWS_DEFAULT_REGION": "ap-southeast-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "GARANTI_PORTAL_URL": "http://portal.test",
    "GARANTI_SECRETS_PARAMETER": "/garanti/local/secrets",
    "GARANTI_HOTLINE": "1800 6868",
    "GARANTI_BRAND_ID": "demo",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "INFO",
}
# Anything from the developer's shell that would point boto3 at a real account or another stack.
_FOREIGN = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "GARANTI_TABLE_PREFIX",
    "GARANTI_COGNITO_USER_POOL_ID",
    "GARANTI_COGNITO_CLIENT_ID",
    "GARANTI_COGNITO_ISSUER",
    "GARANTI_COGNITO_JWKS_URL",
    "GARANTI_UNITS_STREAM_ARN",
    "GARANTI_NOTIFICATIONS_STREAM_ARN",
    "GARANTI_MESSAGING_PARAMETER",
    "GARANTI_DELIVERY_FAILURES_QUEUE",
    "GARANTI_UPLOADS_BUCKET",
    "GARANTI_LABEL_JOBS_STREAM_ARN",
    "GARANTI_EXPORTS_STREAM_ARN",
    "GARANTI_CLAIMS_STREAM_ARN",
    "GARANTI_REWARDS_STREAM_ARN",
    "GARANTI_RECEIVABLES_STREAM_ARN",
    "GARANTI_LABEL_WORKERS",
)
for _name in _FOREIGN:
    os.environ.pop(_name, None)
os.environ.update(TEST_ENVIRONMENT)
