"""Before asking for service, the customer helps themselves: the model's manual (a link, or a
PDF staff uploaded) and its common faults with their fixes, in Vietnamese and English. Pure.

>>> help = ModelHelp("AC-9", manual_key="media/manuals/AC-9/k3m9.pdf")
>>> help.manual_path
'/media/manuals/AC-9/k3m9.pdf'
>>> ModelHelp("AC-9", manual_url="https://example.com/ac9.pdf").manual_path
'https://example.com/ac9.pdf'
>>> Fault("Không lạnh", "Vệ sinh lưới lọc").localized("en")
{'title': 'Không lạnh', 'fix': 'Vệ sinh lưới lọc'}
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from chalicelib.core.errors import FieldError, Invalid

MANUAL_PREFIX = "media/manuals/"  # public through the portal's /media/* path
MANUAL_TYPE = "application/pdf"
MAX_MANUAL_BYTES = 20 * 1024 * 1024
MAX_FAULTS = 30
UPLOAD_EXPIRES_SECONDS = 15 * 60
_NAME = "0123456789abcdefghjkmnpqrstvwxyz"


@dataclass(frozen=True)
class Fault:
    title: str
    fix: str
    title_en: str = ""
    fix_en: str = ""

    def localized(self, language: str) -> dict[str, str]:
        """Its words in ``language``, the Vietnamese where the English is missing."""
        if language == "en":
            return {"title": self.title_en or self.title, "fix": self.fix_en or self.fix}
        return {"title": self.title, "fix": self.fix}


@dataclass(frozen=True)
class ModelHelp:
    model_code: str
    manual_url: str = ""
    manual_key: str = ""
    faults: tuple[Fault, ...] = ()
    version: int = 0  # 0: never saved
    updated_by: str = ""
    updated_at: datetime | None = None

    @property
    def manual_path(self) -> str:
        """Where the customer opens the manual: the link, or the uploaded PDF's portal path."""
        return f"/{self.manual_key}" if self.manual_key else self.manual_url


def manual_folder(model_code: str) -> str:
    return f"{MANUAL_PREFIX}{model_code}/"


def new_manual_key(model_code: str) -> str:
    """A fresh name for a model's uploaded manual (a new upload never overwrites one a page
    or a cache still shows)."""
    return f"{manual_folder(model_code)}{''.join(secrets.choice(_NAME) for _ in range(16))}.pdf"


def check_manual(help: ModelHelp) -> None:
    """One manual at most, and an uploaded one must be this model's."""
    if help.manual_url and help.manual_key:
        raise Invalid(fields=[FieldError("manual_key", "manual_one_only_invalid")])
    if help.manual_key and not help.manual_key.startswith(manual_folder(help.model_code)):
        raise Invalid(fields=[FieldError("manual_key", "manual_key_invalid")])
