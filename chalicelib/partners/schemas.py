"""Request bodies of the partner's own API (``/partner``) and the staff's (``/partners``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from chalicelib.core.errors import Invalid
from chalicelib.core.provinces import normalize_province
from chalicelib.core.tax_code import normalize_tax_code
from chalicelib.partners.model import (
    NOTE_MAX,
    PartnerDetails,
    normalize_account_holder,
    normalize_account_number,
    normalize_citizen_id,
    valid_bank_bin,
)
from chalicelib.partners.payouts import REFERENCE_MAX, SettingTerms
from chalicelib.partners.rewards import RuleTerms
from chalicelib.platform.schemas import (
    IsoDay,
    Language,
    PersonName,
    Phone,
    RequestBody,
    domain_check,
    text_field,
)

Code = Annotated[StrictStr, Field(pattern=r"^\d{6}$")]
CitizenId = Annotated[StrictStr, Field(max_length=32), domain_check(normalize_citizen_id)]
PartnerProvince = Annotated[StrictStr, Field(max_length=80), domain_check(normalize_province)]
BankBin = Annotated[StrictStr, Field(max_length=16), domain_check(valid_bank_bin)]
AccountNumber = Annotated[StrictStr, Field(max_length=40), domain_check(normalize_account_number)]
AccountHolder = Annotated[StrictStr, Field(max_length=120), domain_check(normalize_account_holder)]
TaxCode = Annotated[StrictStr, Field(max_length=20), domain_check(normalize_tax_code)]
Note = Annotated[StrictStr, text_field("note", NOTE_MAX, required=False)]


def _agreed(value: bool) -> bool:
    if value is not True:
        raise Invalid("partner_consent_required")
    return value


Consent = Annotated[StrictBool, domain_check(_agreed)]


class PartnerCodeRequest(RequestBody):
    """A one-time code to the phone, to sign up or sign in."""

    phone: Phone
    language: Language = "vi"


class PartnerFields(RequestBody):
    """What a partner is: the sign-up form's fields, also the staff's creation form's."""

    phone: Phone
    name: PersonName
    citizen_id: CitizenId
    province: PartnerProvince
    bank_bin: BankBin
    account_number: AccountNumber
    account_holder: AccountHolder
    tax_code: TaxCode | None = None

    def details(self) -> PartnerDetails:
        return PartnerDetails(
            phone=self.phone,
            name=self.name,
            citizen_id=self.citizen_id,
            province=self.province,
            bank_bin=self.bank_bin,
            account_number=self.account_number,
            account_holder=self.account_holder,
            tax_code=normalize_tax_code(self.tax_code),
        )


class PartnerSignupRequest(PartnerFields):
    code: Code
    consent: Consent
    language: Language = "vi"


class PartnerSignInRequest(RequestBody):
    phone: Phone
    code: Code


class PartnerCreateRequest(PartnerFields):
    """Staff create a partner who agreed (on paper or in person) to the programme's terms."""

    consent: Consent
    status: Literal["pending", "approved"] = "pending"
    note: Note = ""


class PartnerStatusRequest(RequestBody):
    status: Literal["approved", "rejected", "suspended"]
    note: Note = ""


ModelCode = Annotated[StrictStr, Field(min_length=1, max_length=40)]
RuleId = Annotated[StrictStr, Field(pattern=r"^r_[0-9a-hjkmnp-tv-z]{12}$")]


class RewardRuleRequest(RequestBody):
    """A new reward rule, or (with ``rule_id``) the next version of one: integer VND."""

    rule_id: RuleId | None = None
    model_code: ModelCode
    amount: StrictInt
    valid_from: IsoDay
    valid_to: IsoDay | None = None
    priority: StrictInt = 0
    note: Note = ""

    def terms(self) -> RuleTerms:
        return RuleTerms(
            model_code=self.model_code,
            amount=self.amount,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            priority=self.priority,
            note=self.note,
        )


class RewardRuleEndRequest(RequestBody):
    """End a rule: its last day covered (default: today, Vietnam's calendar)."""

    valid_to: IsoDay | None = None
    note: Note = ""


Serial = Annotated[StrictStr, Field(min_length=1, max_length=40)]


class RewardDecisionRequest(RequestBody):
    """A manager's decision on one entry: a note is required to reject, and to approve a held
    entry (the service checks both)."""

    decision: Literal["approve", "reject"]
    note: Note = ""


class RewardDecisionsRequest(RewardDecisionRequest):
    """The same decision on up to 100 entries, each decided on its own."""

    serials: Annotated[list[Serial], Field(min_length=1, max_length=100)]


# -- payouts -------------------------------------------------------------------------------------


class PayoutSettingRequest(RequestBody):
    """A new version of the withholding setting: the rate in basis points (1000 = 10 %), the
    threshold in VND (a payment of this or more is withheld on the whole of it), the first day
    it applies on."""

    rate_bp: StrictInt
    threshold: StrictInt
    effective_from: IsoDay
    note: Note = ""

    def terms(self) -> SettingTerms:
        return SettingTerms(self.rate_bp, self.threshold, self.effective_from, self.note)


Period = Annotated[StrictStr, Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]


class PayoutBatchRequest(RequestBody):
    """A payout batch of the locked months among ``periods`` (default: this month and the 12
    before)."""

    periods: Annotated[list[Period], Field(min_length=1, max_length=24)] | None = None


class PayoutPaidRequest(RequestBody):
    """The bank's reference of the transfer."""

    reference: Annotated[StrictStr, text_field("reference", REFERENCE_MAX)]


class PayoutFailedRequest(RequestBody):
    """Why the transfer failed (the partner's entries wait for a later batch)."""

    reason: Annotated[StrictStr, text_field("reason", NOTE_MAX)]


class CommitmentRequest(RequestBody):
    """Whether the partner's commitment form (Mẫu 08/CK-TNCN) is on file."""

    on_file: StrictBool
    note: Note = ""
