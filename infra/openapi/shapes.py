"""The answers' shapes, for the published document only: the views build plain dicts
(``chalicelib/*/views.py``), these say what those dicts hold. They never run in the API; the
fuzzer (tests/e2e/test_openapi_fuzz.py) checks every answer it gets against them, so a view that
grows a field without its shape here fails there."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Day = str  # "2026-11-23"
Moment = str  # ISO 8601 with offset: "2026-11-23T09:15:02.123+00:00"


class Shape(BaseModel):
    """Every field the view writes, and no other."""

    model_config = ConfigDict(extra="forbid")


# -- errors --------------------------------------------------------------------------------------


class Messages(Shape):
    vi: str
    en: str
    fa: str = Field(description="Persian.")


class FieldProblem(Shape):
    field: str = Field(description="The field's path: `customer.phone`, `limit`, `body`.")
    code: str
    message: str


class ErrorDetail(BaseModel):
    """``code`` is stable (a client branches on it); the messages follow ``Accept-Language``.
    Details that fill the message (``retry_after``, ``max_bytes``, ``attempts_left``,
    ``activated_at``, ``expected``…) sit beside them."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    message: str
    messages: Messages
    fields: list[FieldProblem] = Field(
        default=[], description="`invalid_input` only: one entry per refused field."
    )


class ErrorResponse(Shape):
    error: ErrorDetail


# -- public --------------------------------------------------------------------------------------

WarrantyStatus = Literal["not_activated", "activated", "expired"]


class EnglishModelTexts(Shape):
    name: str
    description: str
    specs: dict[str, str]


class PublicModel(Shape):
    code: str
    name: str
    description: str
    image_url: str
    specs: dict[str, str]
    warranty_months: int
    en: EnglishModelTexts = Field(
        description="The English texts, each falling back to the Vietnamese one."
    )


class ModelCode(Shape):
    code: str


class PublicUnitResponse(Shape):
    serial: str
    genuine: Literal[True]
    model: PublicModel
    status: WarrantyStatus
    activated_on: Day | None
    warranty_end: Day | None
    customer_name: str | None = Field(description="Masked (`N***** V** A*`); never the phone.")
    sold_through: str | None = Field(
        description="The name of the dealer the unit was shipped to (the QR's landing page "
        "only), else `null`."
    )


class EnglishName(Shape):
    name: str


class ActivatedModel(Shape):
    code: str
    name: str
    en: EnglishName


class ActivationResponse(Shape):
    serial: str
    model: ActivatedModel
    status: Literal["activated"]
    activated_at: Moment
    warranty_start: Day
    warranty_end: Day
    warranty_basis: str
    certificate_url: str


class CertificateWarranty(Shape):
    months: int
    start: Day
    end: Day
    basis: str
    max_months_from_manufacture: int | None


class CertificateQr(Shape):
    modules: int = Field(description="The square's side in modules, quiet zone included.")
    path: str = Field(description="SVG path data of the dark modules.")


class CertificateResponse(Shape):
    certificate: PublicUnitResponse
    verified: Literal[True]
    verification_code: str
    owner_verified: bool = Field(
        description="The request carried the owner's look-up token: `customer_name` is in full."
    )
    warranty: CertificateWarranty
    verify_url: str
    qr: CertificateQr


class NotMeResponse(Shape):
    reported: Literal[True]
    hotline: str


class CertificateVerifiedResponse(Shape):
    certificate: PublicUnitResponse
    verified: Literal[True]


class OtpSentResponse(Shape):
    sent: Literal[True]
    expires_in: int
    resend_after: int


class LookupTokenResponse(Shape):
    lookup_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class CustomerEvent(Shape):
    at: Moment
    event: str


class OwnedUnit(Shape):
    serial: str
    model: PublicModel | ModelCode
    status: WarrantyStatus
    activated_at: Moment | None
    warranty_start: Day | None
    warranty_end: Day | None
    customer_name: str | None
    certificate_url: str | None
    history: list[CustomerEvent]


class MyUnitsResponse(Shape):
    units: list[OwnedUnit]


class Colors(Shape):
    primary: str
    on_primary: str
    accent: str


class PortalBrand(Shape):
    id: str
    name: str
    logo_url: str
    colors: Colors
    hotline: str
    email: str
    website: str


class PortalActivation(Shape):
    confirm_phone: bool


class PortalSettingsResponse(Shape):
    brand: PortalBrand
    sections: list[str]
    activation: PortalActivation
    languages: list[str]
    default_language: str


# -- staff sign-in -------------------------------------------------------------------------------


class TokensResponse(Shape):
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int
    token_type: Literal["Bearer"]


# -- catalog -------------------------------------------------------------------------------------


class Theme(Shape):
    short_name: str
    logo_url: str
    colors: Colors
    email: str
    website: str
    sections: list[str]
    hotline: str = Field(description="The brand's hotline; empty: the stage's GARANTI_HOTLINE.")


class BrandResponse(Shape):
    brand_id: str
    name: str
    serial_prefix: str
    serials_issued: int
    serial_prefix_locked: bool
    theme: Theme
    confirm_phone: bool = Field(description="Activation asks for a code sent to the phone.")
    updated_by: str = Field(description="The staff member who saved it last.")
    portal_url: str = Field(description="The portal's address (the console's live preview).")


class ComponentTermShape(Shape):
    code: str = Field(description="`compressor`: lower-case letters, digits, underscores.")
    name: str
    name_en: str
    months: int = Field(description="Covered this long from the unit's warranty start.")
    activated_within_months: int | None = Field(
        description="Only for a unit activated within this many months of its shipment (else "
        "its manufacture); null: always."
    )


class ModelResponse(Shape):
    code: str
    name: str
    description: str
    image_url: str = Field(description="The picture: a path on the portal (/media/…) or a URL.")
    image_src: str = Field(description="The picture's full address, for the console.")
    specs: dict[str, str]
    name_en: str
    description_en: str
    spec_labels_en: dict[str, str]
    spec_values_en: dict[str, str]
    category: str = Field(description='The kind of product, Vietnamese ("": none).')
    category_en: str
    warranty_months: int
    warranty_start_basis: Literal["activation", "shipment", "manufacture"]
    max_months_from_manufacture: int | None
    activation_deadline_days: int | None
    components: list[ComponentTermShape] = Field(
        description="Parts with their own warranty (a compressor's 7 years)."
    )
    rules_version: str = Field(
        description="A digest of the terms (a verdict stores the one it was decided under)."
    )
    unit_count: int
    created_at: Moment | None
    updated_at: Moment | None
    updated_by: str = Field(description="The staff member who saved it last.")


class ModelsResponse(Shape):
    models: list[ModelResponse]


class PresignedUpload(Shape):
    url: str = Field(description="PUT the file here, with exactly these headers.")
    headers: dict[str, str]


class ImageUploadResponse(Shape):
    key: str = Field(description="Give it back to POST /models/{code}/image/done.")
    upload: PresignedUpload


class LogoUploadedResponse(Shape):
    logo_url: str = Field(description="The logo's portal path: send it as theme.logo_url.")
    logo_src: str = Field(description="Its full address, for the console.")


class ImportRejection(Shape):
    line: int
    serial: str | None
    reason: str


class ImportResponse(Shape):
    imported: int
    rejected: list[ImportRejection]


class GenerateRejection(Shape):
    serial: str
    reason: str


class GenerateResponse(Shape):
    generated: int
    serials: list[str]
    rejected: list[GenerateRejection]


class UnitCustomer(Shape):
    name_masked: str
    phone_masked: str
    province: str


class UnitInstaller(Shape):
    """Who installed it (channel `partner`): `partner_id` when a signed-in partner activated."""

    name: str
    phone_masked: str
    partner_id: str | None
    store: str
    installed_on: Day
    notes: str


class UnitActivation(Shape):
    activated_at: Moment
    channel: str
    warranty_start: Day
    warranty_end: Day
    warranty_basis: str
    customer: UnitCustomer
    installer: UnitInstaller | None


class UnitEvent(Shape):
    at: Moment
    event: str
    by: str | None
    note: str | None


class UnitDealer(Shape):
    dealer_id: str = Field(description="The dealer it was shipped to (`GET /dealers/{dealer_id}`).")
    name: str | None = Field(description="The dealer's name; `null` for a dealer no longer listed.")


class StaffUnitResponse(Shape):
    serial: str
    model_code: str
    status: Literal["registered", "shipped", "activated", "void"]
    warranty_status: WarrantyStatus
    batch: str | None
    manufactured_on: Day | None
    shipped_on: Day | None = Field(description="The ship date of the shipment it is in.")
    shipment_id: str | None = Field(
        description="The confirmed shipment it was shipped by (`GET /shipments/{shipment_id}`); "
        "`null` when not shipped, or returned, or its shipment cancelled."
    )
    shipment_document: str | None = Field(
        description="That shipment's delivery note number (`PXK 0012`), `null` with it."
    )
    dealer: UnitDealer | None = Field(description="The dealer it was shipped to.")
    carton: str | None = Field(description="The carton it is packed in (`GET /cartons/{code}`).")
    created_at: Moment | None
    qr_url: str
    certificate_url: str | None = Field(description="The certificate page, once activated.")
    activation: UnitActivation | None
    history: list[UnitEvent]


UnitStatus = Literal["registered", "shipped", "activated", "void"]


class UnitRow(Shape):
    serial: str
    model_code: str
    status: UnitStatus
    warranty_status: WarrantyStatus
    batch: str
    manufactured_on: Day | None
    created_at: Moment | None
    activated_at: Moment | None
    warranty_end: Day | None
    owner_name_masked: str | None
    owner_phone_masked: str | None


class UnitsResponse(Shape):
    units: list[UnitRow]
    next_cursor: str | None


class UnitOwnerResponse(Shape):
    serial: str
    name: str
    phone: str
    province: str
    address: str


# -- messages ------------------------------------------------------------------------------------

DeliveryStatus = Literal[
    "queued", "scheduled", "sending", "accepted", "delivered", "failed", "unknown"
]


class StaffMessage(Shape):
    message_id: str
    kind: str
    subject: str | None
    to: str = Field(description="Masked: `+84 91* *** *78`.")
    language: str
    urgency: Literal["urgent", "normal"]
    status: DeliveryStatus
    channel: str | None
    provider: str | None
    provider_message_id: str | None
    attempts: int
    reason: str | None
    error_class: str | None
    error_code: str | None
    cost_vnd: str | None = Field(description="Whole VND as text.")
    cost_reported: bool
    created_at: Moment | None
    send_after: Moment | None
    accepted_at: Moment | None
    delivered_at: Moment | None
    failed_at: Moment | None
    disputed_at: Moment | None = Field(
        description='The recipient said "not me" (the activation is to be reviewed).'
    )


class MessageEvent(Shape):
    at: Moment | None
    state: str
    channel: str | None
    provider: str | None
    reason: str | None
    code: str | None


class MessageDetailResponse(StaffMessage):
    text: str = Field(description="As the customer reads it; a lookup code is redacted.")
    events: list[MessageEvent]


class MessagesPage(Shape):
    count: int
    cost_vnd: str
    by_status: dict[str, int]


class Spend(Shape):
    spent_vnd: str
    cap_vnd: str | None


class DayCount(Shape):
    day: Day
    count: int


class ModelCount(Shape):
    model_code: str
    name: str
    name_en: str = Field(description="The Vietnamese name where the model has no English one.")
    count: int


class ChannelCount(Shape):
    channel: str = Field(description="`web`, `sms`, `zalo` (later `partner`, `dealer`).")
    count: int


class DashboardActivations(Shape):
    today: int
    last_7_days: int
    last_30_days: int
    by_day: list[DayCount] = Field(description="The 30 days ending today, oldest first.")
    by_model: list[ModelCount] = Field(description="Over the 30 days, most first.")
    by_channel: list[ChannelCount] = Field(description="Over the 30 days, most first.")


class ChannelOutcomes(Shape):
    channel: str = Field(description="`zns`, `sms`, `dev_inbox`; `none`: failed unsent.")
    delivered: int
    failed: int


class DashboardMessages(Shape):
    delivered: int
    failed: int
    by_channel: list[ChannelOutcomes]


class ActiveLabelJob(Shape):
    job_id: str
    status: Literal["queued", "running"]
    done: int
    total: int
    created_at: Moment


class ActiveLabelJobs(Shape):
    active: int
    jobs: list[ActiveLabelJob]


class DashboardResponse(Shape):
    today: Day = Field(description="The Vietnamese calendar day the figures are for.")
    activations: DashboardActivations
    messages_today: DashboardMessages
    spend_today: Spend
    label_jobs: ActiveLabelJobs


class MessagesResponse(Shape):
    messages: list[StaffMessage]
    next_cursor: str | None
    page: MessagesPage
    today: Spend


# -- customers -----------------------------------------------------------------------------------


class CustomerSummary(Shape):
    customer_id: str = Field(description="Opaque and stable (never the phone).")
    name_masked: str = Field(description="Initials kept: `T*** T** B***`.")
    phone_masked: str = Field(description="`+84 91* *** *78`.")
    updated_at: Moment | None


class CustomersResponse(Shape):
    customers: list[CustomerSummary]
    next_cursor: str | None = Field(description="Name searches only: the next page's position.")


class CustomerConsent(Shape):
    purpose: Literal["warranty_service", "marketing"]
    granted: bool
    at: Moment | None
    channel: str = Field(description="How it was given: `web`, `sms`, `zalo`, …")
    notice_version: str = Field(description="The privacy notice's version shown then.")
    evidence: str = Field(description="What shows it: `activation:<serial>`.")


class CustomerUnit(Shape):
    serial: str
    model_code: str
    status: Literal["registered", "shipped", "activated", "void"]
    warranty_status: WarrantyStatus
    activated_at: Moment | None
    warranty_end: Day | None
    channel: str | None


class CustomerResponse(CustomerSummary):
    consents: list[CustomerConsent]
    units: list[CustomerUnit]
    messages: list[StaffMessage]


class RevealedCustomerResponse(Shape):
    customer_id: str
    name: str
    phone: str = Field(description="E.164: `+84912345678`.")


class InboxMessage(Shape):
    message_id: str
    template: str
    language: str
    text: str
    status: DeliveryStatus
    channel: str | None
    provider: str | None
    created_at: Moment | None
    delivered_at: Moment | None


class InboxResponse(Shape):
    messages: list[InboxMessage]


# -- labels --------------------------------------------------------------------------------------


class QrBox(Shape):
    x_mm: float
    y_mm: float
    size_mm: float


class TextBox(Shape):
    field: Literal["serial", "brand", "instruction", "custom"]
    x_mm: float
    y_mm: float
    width_mm: float
    font_pt: float
    bold: bool
    align: Literal["left", "center", "right"]
    max_lines: int
    min_font_pt: float = Field(default=0, description="Only when set.")
    lang: Literal["vi", "en"] = Field(default="vi", description="`instruction` only.")
    text: str = Field(default="", description="`custom` only.")


class LabelDesign(Shape):
    width_mm: float
    height_mm: float
    qr: QrBox
    texts: list[TextBox]


class SheetStock(Shape):
    kind: Literal["sheet"]
    page_width_mm: float
    page_height_mm: float
    margin_top_mm: float
    margin_left_mm: float
    gap_x_mm: float
    gap_y_mm: float
    columns: int
    rows: int
    outline: bool


class RollStock(Shape):
    kind: Literal["roll"]
    outline: bool


class TemplateResponse(Shape):
    name: str
    builtin: bool
    label: LabelDesign
    stock: SheetStock | RollStock
    per_page: int
    columns: int
    rows: int


class TemplatesResponse(Shape):
    templates: list[TemplateResponse]


class PreviewResponse(Shape):
    what: Literal["label", "sheet"]
    svg: str = Field(
        description="The SVG (print size in mm, the label fonts embedded, die-cuts dashed)."
    )
    labels: int = Field(
        description="Labels drawn (a page shows at most 400; the rest as die-cuts)."
    )
    width_mm: float
    height_mm: float
    per_page: int
    columns: int
    rows: int


class JobError(Shape):
    code: str
    messages: Messages


class Download(Shape):
    url: str
    expires_at: Moment
    filename: str


class ExportJobResponse(Shape):
    export_id: str
    status: Literal["queued", "running", "done", "failed"]
    rows: int
    size_bytes: int | None
    created_by: str
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None
    error: JobError | None
    download: Download | None


class UnitExportResponse(ExportJobResponse):
    filters: dict[str, str]


class BatchSelection(Shape):
    batch: str


class RangeSelection(Shape):
    from_serial: str
    to_serial: str


class ListSelection(Shape):
    serials: int = Field(description="How many serials the list held.")


class CartonsSelection(Shape):
    cartons: list[str] = Field(description="The cartons' codes: one page a carton.")


class LabelJobResponse(Shape):
    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    template: str
    selection: BatchSelection | RangeSelection | ListSelection | CartonsSelection
    total: int
    done: int
    skipped: int
    skipped_sample: list[str]
    progress: float
    pages: int | None
    size_bytes: int | None
    attempts: int
    created_by: str
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None
    error: JobError | None
    download: Download | None
    file_expired: bool


class LabelJobsResponse(Shape):
    jobs: list[LabelJobResponse]
    next_cursor: str | None


class UploadLink(Shape):
    url: str = Field(description="Presigned S3 PUT: send the file's bytes as the body.")
    method: Literal["PUT"]
    headers: dict[str, str] = Field(description="Headers the PUT must carry (`Content-Type`).")
    expires_at: Moment


class RejectedLine(Shape):
    line: int
    serial: str
    model_code: str
    reason: str
    messages: Messages


class UnitImportResponse(Shape):
    import_id: str
    filename: str
    kind: Literal["csv", "xlsx"]
    size_bytes: int
    status: Literal["uploading", "queued", "running", "done", "failed"]
    total: int
    done: int
    imported: int
    rejected: int
    progress: float
    first_rejected: list[RejectedLine] = Field(description="The first 20 rejected lines.")
    created_by: str
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None
    error: JobError | None
    report: Download | None = Field(description="The per-line report (.xlsx), when done.")
    report_expired: bool


class NewUnitImportResponse(UnitImportResponse):
    upload: UploadLink


class UnitImportsResponse(Shape):
    imports: list[UnitImportResponse]
    next_cursor: str | None


# -- staff users ---------------------------------------------------------------------------------


class StaffUserResponse(Shape):
    username: str
    email: str | None
    phone: str | None
    roles: list[Literal["admin", "cs", "technician", "accountant", "director"]] = Field(
        description="The Cognito groups: each role the account holds."
    )
    enabled: bool
    status: str = Field(
        description="Cognito's `UserStatus`: `CONFIRMED`, `FORCE_CHANGE_PASSWORD` (must set a"
        " new password at the next sign-in), `RESET_REQUIRED`, …"
    )
    created_at: Moment


class StaffUsersResponse(Shape):
    users: list[StaffUserResponse]
    next_cursor: str | None


class TemporaryPasswordResponse(Shape):
    user: StaffUserResponse
    temporary_password: str = Field(
        description="Shown in this answer only: stored nowhere by the API, never logged."
    )


# -- audit ---------------------------------------------------------------------------------------


class AuditEntryResponse(Shape):
    id: str
    at: Moment
    actor: str = Field(description="A staff username, `customer`, `partner` or `system`.")
    action: str = Field(
        description="`created`, `updated`, `deleted`, `registered`, `activated`, `voided`,"
        " `disputed`, `user_invited`, `user_roles_changed`, `user_disabled`, `user_enabled`,"
        " `user_password_reset`, `owner_revealed`, …"
    )
    entity: str = Field(
        description="`unit`, `model`, `brand`, `label_template`, `user`, `partner`, …"
    )
    entity_id: str
    before: dict[str, Any] | None = Field(description="Only the attributes that changed.")
    after: dict[str, Any] | None
    note: str | None


class AuditEntriesResponse(Shape):
    entries: list[AuditEntryResponse]
    next_cursor: str | None


# -- partners ------------------------------------------------------------------------------------

PartnerStatusName = Literal["pending", "approved", "rejected", "suspended"]


class BankResponse(Shape):
    bin: str = Field(description="The bank's NAPAS BIN (6 digits), as a VietQR code names it.")
    short_name: str
    name: str


class BanksResponse(Shape):
    banks: list[BankResponse]


class ProvincesResponse(Shape):
    cities: list[str] = Field(description="The six centrally-run cities.")
    provinces: list[str] = Field(description="The 28 provinces (34 units since 1 July 2025).")


class PartnerConsent(Shape):
    given_at: Moment
    text_version: str


class OwnCommitment(Shape):
    on_file: bool = Field(description="The commitment form (Mẫu 08/CK-TNCN): no tax withheld.")


class StaffCommitment(OwnCommitment):
    by: str = Field(description="Who recorded it.")
    at: Moment
    note: str = Field(description="The staff member's note (empty: none).")


class OwnPartnerResponse(Shape):
    partner_id: str
    phone: str = Field(description="E.164.")
    name: str
    citizen_id: str = Field(description="Masked: the last 4 digits.")
    province: str
    bank: BankResponse
    account_number: str = Field(description="Masked: the last 4 digits.")
    account_holder: str = Field(description="Upper case, without marks, as banks print it.")
    tax_code: str | None
    status: PartnerStatusName
    consent: PartnerConsent
    created_at: Moment
    commitment: OwnCommitment | None = Field(description="`null`: never recorded (not on file).")


class PartnerMeResponse(Shape):
    partner: OwnPartnerResponse


class PartnerSession(Shape):
    token: str = Field(description="`pst_` + 43 characters: shown in this answer only.")
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds (90 days), extended by each day of use.")


class PartnerSignedInResponse(Shape):
    partner: OwnPartnerResponse
    session: PartnerSession


class PartnerResponse(OwnPartnerResponse):
    citizen_id: str = Field(description="In full for admin, director, accountant; cs: last 4.")
    account_number: str = Field(description="In full for admin, director, accountant; cs: last 4.")
    created_by: str = Field(description="`self` (signed up) or the staff member's username.")
    commitment: StaffCommitment | None = Field(description="`null`: never recorded (not on file).")


class PartnersResponse(Shape):
    partners: list[PartnerResponse]
    next_cursor: str | None


class PartnerStatusChange(Shape):
    at: Moment
    by: str
    from_: PartnerStatusName | None = Field(alias="from", description="`null` at creation.")
    to: PartnerStatusName
    note: str


class PartnerDetailResponse(PartnerResponse):
    history: list[PartnerStatusChange] = Field(description="Newest first.")


# -- rewards -------------------------------------------------------------------------------------

EntryStateName = Literal[
    "pending", "held", "approved", "rejected", "in_payout", "paid", "payment_failed",
    "not_eligible",
]  # fmt: skip


class RewardRuleVersion(Shape):
    rule_id: str
    version: int
    scope: Literal["model", "category"]
    model_code: str | None = Field(description="A model's rule; `null` for a category's.")
    category: str | None = Field(description="A category's rule (as typed); `null` for a model's.")
    amount: int = Field(description="Integer VND.")
    valid_from: Day
    valid_to: Day | None = Field(description="The last day covered; `null`: open-ended.")
    priority: int
    created_at: Moment
    created_by: str
    note: str


class RewardRuleWithVersions(RewardRuleVersion):
    versions: list[RewardRuleVersion] = Field(description="Every version, oldest first.")


class RewardRulesResponse(Shape):
    rules: list[RewardRuleWithVersions]


class RewardRuleResponse(Shape):
    rule: RewardRuleVersion


class RewardRuleRef(Shape):
    rule_id: str
    version: int


class RewardStateChange(Shape):
    at: Moment
    by: str
    from_: EntryStateName | None = Field(alias="from")
    to: EntryStateName
    note: str


class RewardEntry(Shape):
    serial: str
    kind: Literal["reward", "reversal"]
    model_code: str
    customer_name_masked: str | None = Field(
        description="The customer's name masked (`N***** V** A*`); `null` on older entries."
    )
    state: EntryStateName
    amount: int = Field(description="Integer VND; 0 when not eligible.")
    reason: Literal["no_partner", "partner_not_approved", "phone_mismatch", "no_rule"] | None
    flags: list[
        Literal["burst", "sequential_serials", "customer_is_partner", "customer_many_units"]
    ]
    rule: RewardRuleRef | None
    activated_at: Moment
    activation_day: Day
    period: str = Field(description="`YYYY-MM` of the activation day (Vietnam).")
    history: list[RewardStateChange]


class StaffRewardEntry(RewardEntry):
    partner_id: str | None


class PartnerRewardMonth(Shape):
    period: str = Field(description="`YYYY-MM`.")
    entries: int = Field(description="The partner's entries of the month.")
    earned: int = Field(description="Every amount of the month but the rejected ones, VND.")
    states: dict[EntryStateName, RewardStateTotal] = Field(description="Every state.")


class PartnerRewardsResponse(Shape):
    entries: list[RewardEntry]
    balance: int = Field(description="Approved minus paid, integer VND.")
    next_cursor: str | None
    period: PartnerRewardMonth | None = Field(
        None, description="With `period` only: the month's totals (all its pages)."
    )


class RewardLedgerRow(StaffRewardEntry):
    partner_name: str | None = Field(description="The partner's name (`null` without one).")


class RewardsResponse(Shape):
    entries: list[RewardLedgerRow]
    next_cursor: str | None


class RewardDecisionResponse(Shape):
    entry: StaffRewardEntry


class RewardDecisionOutcome(Shape):
    serial: str
    outcome: Literal["decided", "refused"]
    state: EntryStateName | None = Field(None, description="The new state, when decided.")
    code: str | None = Field(None, description="The refusal's error code, when refused.")


class RewardDecisionsResponse(Shape):
    outcomes: list[RewardDecisionOutcome] = Field(description="One per serial, in order.")
    decided: int
    refused: int


class RewardStateTotal(Shape):
    count: int
    amount: int = Field(description="Integer VND.")


class RewardPeriod(Shape):
    period: str = Field(description="`YYYY-MM`.")
    status: Literal["open", "locked"]
    locked_at: Moment | None
    locked_by: str | None
    entries: int
    undecided: int = Field(description="Entries `pending` or `held`.")
    states: dict[EntryStateName, RewardStateTotal] = Field(description="Every state.")
    partners: list[str] = Field(description="Partner ids with an entry this month.")


class RewardPeriodResponse(Shape):
    period: RewardPeriod


class ExcelLinkResponse(Shape):
    """An Excel file written by the request itself: where to download it."""

    rows: int
    filename: str
    url: str = Field(description="Presigned download, valid 15 minutes.")


# -- payouts -------------------------------------------------------------------------------------


class PayoutSetting(Shape):
    version: int
    rate_bp: int = Field(description="Basis points: 1000 = 10 %.")
    threshold: int = Field(description="VND: a payment of this or more is withheld in whole.")
    effective_from: Day
    confirmed_by: str
    confirmed_at: Moment
    note: str


class PayoutSettingsResponse(Shape):
    current: PayoutSetting | None = Field(description="In effect today; `null`: none yet.")
    versions: list[PayoutSetting] = Field(description="Newest first.")


class PayoutSettingResponse(Shape):
    setting: PayoutSetting


class PayoutBatchSetting(Shape):
    version: int
    rate_bp: int
    threshold: int
    effective_from: Day


class PayoutBatch(Shape):
    batch_id: str
    state: Literal["creating", "open", "exported", "closed"]
    created_at: Moment
    created_by: str
    periods: list[str] = Field(description="The locked months it read (`YYYY-MM`).")
    setting: PayoutBatchSetting = Field(description="The withholding version it used.")
    lines: int
    entries: int
    gross: int = Field(description="Integer VND.")
    tax: int = Field(description="Integer VND withheld.")
    net: int = Field(description="Integer VND paid.")
    paid: int = Field(description="Lines paid.")
    failed: int = Field(description="Lines failed.")
    carried: int = Field(description="Partners owed but carried to the next batch.")
    exported_at: Moment | None
    exported_by: str | None
    closed_at: Moment | None


class PayoutBank(Shape):
    bin: str = Field(description="NAPAS BIN.")
    short_name: str


class PayoutLine(Shape):
    partner_id: str
    name: str
    bank: PayoutBank
    account_number: str
    account_holder: str
    commitment: bool = Field(description="Commitment form on file: nothing withheld.")
    state: Literal["planned", "pending", "paid", "failed", "dropped"]
    entries: int
    gross: int
    tax: int
    net: int
    reference: str | None = Field(description="The bank's reference (paid).")
    reason: str | None = Field(description="Why the transfer failed (failed).")
    settled_by: str | None
    settled_at: Moment | None


class PayoutBatchesResponse(Shape):
    batches: list[PayoutBatch] = Field(description="Newest first.")


class PayoutBatchResponse(Shape):
    batch: PayoutBatch
    lines: list[PayoutLine] = Field(description="By partner id.")


class PayoutCarried(Shape):
    partner_id: str
    gross: int
    reason: Literal["net_not_positive", "no_partner"]


class PayoutTotals(Shape):
    lines: int
    entries: int
    gross: int
    tax: int
    net: int


class PayoutPreviewResponse(Shape):
    setting: PayoutSetting
    periods: list[str] = Field(description="The locked months read.")
    lines: list[PayoutLine]
    carried: list[PayoutCarried] = Field(description="Owed, but not in this batch, and why.")
    totals: PayoutTotals


# -- hooks ---------------------------------------------------------------------------------------


class HookAcknowledged(Shape):
    ok: Literal[True]


class ProviderBody(BaseModel):
    """What a provider sends: the fields we read; any others are ignored."""

    model_config = ConfigDict(extra="allow")


class ZaloSender(ProviderBody):
    id: str = Field(description="The user's id for our OA (digits).")


class ZaloEventMessage(ProviderBody):
    msg_id: str | None = None
    text: str | None = None
    tracking_id: str | None = Field(default=None, description="Our message id (a ZNS receipt).")
    delivery_time: str | None = Field(default=None, description="Epoch milliseconds.")


class ZaloSharedInfo(ProviderBody):
    phone: str | None = None
    name: str | None = None


class ZaloEvent(ProviderBody):
    """docs/reference/zalo.md#webhooks: `user_received_message`, `user_send_text` and
    `user_submit_info` are read; every other event is acknowledged."""

    event_name: str
    timestamp: str = Field(description="Epoch milliseconds, signed and within ±300 s.")
    app_id: str | None = None
    sender: ZaloSender | None = None
    message: ZaloEventMessage | None = None
    info: ZaloSharedInfo | None = None


class SpeedSmsCallback(ProviderBody):
    """docs/reference/sms.md#speedsms: a delivery report (`tranId`, `status`), or an inbound SMS
    (`phone`, `content`)."""

    tranId: int | str | None = None  # noqa: N815 (SpeedSMS's name)
    status: int | None = None
    phone: str | None = None
    content: str | None = None
    type: str | None = None


# -- partners' cases -------------------------------------------------------------------------------

CaseKindName = Literal["service", "complaint"]
CaseStatusName = Literal["open", "answered", "closed"]


class CasePartner(Shape):
    partner_id: str
    name: str = Field(description="As it was when the case was opened.")


class CaseSummaryView(Shape):
    case_id: str
    kind: CaseKindName
    serial: str
    subject: str
    status: CaseStatusName
    created_at: Moment
    updated_at: Moment = Field(description="The latest note or close.")
    note_count: int
    last_by: Literal["partner", "staff"]


class StaffCaseSummary(CaseSummaryView):
    partner: CasePartner


class CaseNoteAuthor(Shape):
    role: Literal["partner", "staff"]
    username: str | None = Field(None, description="A staff author's username (staff only).")


class CasePhoto(Shape):
    key: str
    url: str = Field(description="A presigned GET, valid 15 minutes.")


class CaseNoteView(Shape):
    number: int = Field(description="Its place in the thread, from 1.")
    at: Moment
    author: CaseNoteAuthor
    text: str
    photos: list[CasePhoto]


class CaseView(Shape):
    case_id: str
    kind: CaseKindName
    serial: str
    subject: str
    status: CaseStatusName
    created_at: Moment
    updated_at: Moment
    notes: list[CaseNoteView] = Field(description="The thread, oldest first; never edited.")
    closed_by: str | None = Field(
        description="`partner`, or a staff username (`staff` in the partner's view)."
    )


class StaffCaseView(CaseView):
    partner: CasePartner


class PartnerCaseResponse(Shape):
    case: CaseView


class PartnerCasesResponse(Shape):
    cases: list[CaseSummaryView]
    next_cursor: str | None


class StaffCaseResponse(Shape):
    case: StaffCaseView


class StaffCasesResponse(Shape):
    cases: list[StaffCaseSummary]
    next_cursor: str | None


class CasePhotoUploadResponse(Shape):
    key: str = Field(description="Give it back to the matching `…/photos/done`.")
    upload: PresignedUpload


class CasePhotoResponse(Shape):
    photo: CasePhoto = Field(description="Name `photo.key` in a note's `photos`.")


# -- cartons -------------------------------------------------------------------------------------


class CartonModelCount(Shape):
    model_code: str
    units: int


class CartonResponse(Shape):
    code: str = Field(description="An SSCC's 18 digits, or the manufacturer's own code.")
    sscc: bool
    label_text: str = Field(description="What the label prints under the barcode: `(00)…`.")
    status: Literal["open", "closed"]
    source: Literal["packed", "imported"]
    units: int
    models: list[CartonModelCount]
    created_at: Moment
    created_by: str
    closed_at: Moment | None
    closed_by: str | None


class CartonsResponse(Shape):
    cartons: list[CartonResponse]
    next_cursor: str | None


class CartonUnitResponse(Shape):
    serial: str
    model_code: str
    status: str
    shipment_id: str | None


class CartonDetailResponse(CartonResponse):
    unit_list: list[CartonUnitResponse]


class CartonPackResponse(Shape):
    carton: CartonResponse
    unit: CartonUnitResponse
    already: bool = Field(description="The unit was in this carton already: nothing changed.")


# -- shipments -----------------------------------------------------------------------------------

ShipmentStatusName = Literal["draft", "confirming", "confirmed", "cancelled"]


class ShipmentDealer(Shape):
    dealer_id: str
    code: str
    name: str


class ShipmentRefusal(Shape):
    serial: str = Field(description="The serial (or, for `scan_code_unknown`, the code scanned).")
    code: str = Field(
        description="`unit_not_found`, `unit_already_shipped`, `unit_already_activated`, "
        "`unit_void`, `unit_in_another_draft`, `scan_code_unknown`, `unit_not_shippable`, "
        "`unit_not_in_shipment`."
    )
    detail: str = Field(description="The other shipment's id, or the status met; may be empty.")
    message: str = Field(description="The reason in the caller's language.")


class ShipmentModelCount(Shape):
    model_code: str
    count: int


class ShipmentProgress(Shape):
    shipped: int
    refused: list[ShipmentRefusal]
    chunks: int = Field(description="Transactions committed (99 units each at most).")


class ShipmentView(Shape):
    shipment_id: str
    dealer: ShipmentDealer
    ship_date: Day
    document_number: str
    status: ShipmentStatusName
    total: int = Field(description="Units scanned.")
    counts: list[ShipmentModelCount]
    progress: ShipmentProgress
    created_by: str
    created_at: Moment
    confirmed_by: str | None
    confirmed_at: Moment | None
    cancelled_by: str | None
    cancelled_at: Moment | None
    kept: list[str] = Field(description="Activated units a cancellation left with the dealer.")
    returned: int


class ShipmentSummaryView(Shape):
    shipment_id: str
    dealer: ShipmentDealer
    ship_date: Day
    document_number: str
    status: ShipmentStatusName
    total: int
    shipped: int
    returned: int = Field(description="Units the dealer has given back.")
    kept: int = Field(description="Activated units a cancellation left with the dealer.")
    created_by: str
    created_at: Moment


class ShipmentUnitView(Shape):
    serial: str
    model_code: str
    status: Literal["scanned", "shipped", "activated", "returned", "cancelled"] = Field(
        description="`scanned` in a draft (or not yet reached by a confirmation); else every "
        "unit the shipment shipped, as it is now: still `shipped` or `activated` with the "
        "dealer, `returned` by the dealer, or `cancelled` with the shipment (back in stock)."
    )
    activated: bool
    carton: str | None = Field(description="The carton it was scanned in, if it was.")


class ShipmentsResponse(Shape):
    shipments: list[ShipmentSummaryView]
    next_cursor: str | None


class ShipmentResponse(Shape):
    shipment: ShipmentView


class ShipmentDetailResponse(Shape):
    shipment: ShipmentView
    units: list[ShipmentUnitView]


class DealerShipmentSummaryView(Shape):
    shipment_id: str
    ship_date: Day
    document_number: str
    status: Literal["confirmed", "cancelled"]
    shipped: int = Field(description="Units the shipment shipped to the dealer.")
    returned: int = Field(description="Units the dealer has given back.")
    kept: int = Field(description="Activated units a cancellation left with the dealer.")


class DealerShipmentsResponse(Shape):
    shipments: list[DealerShipmentSummaryView]
    next_cursor: str | None


class DealerShipmentView(Shape):
    shipment_id: str
    dealer: ShipmentDealer
    ship_date: Day
    document_number: str
    status: Literal["confirmed", "cancelled"]
    counts: list[ShipmentModelCount] = Field(
        description="The units it shipped to the dealer, by model (refused units are not its)."
    )
    shipped: int
    returned: int
    kept: int
    confirmed_at: Moment | None
    cancelled_at: Moment | None


class DealerShipmentDetailResponse(Shape):
    shipment: DealerShipmentView
    units: list[ShipmentUnitView] = Field(
        description="Every unit it shipped, as it is now: `shipped`, `activated`, `returned` "
        "or `cancelled`; `activated` only while the unit is this shipment's (one given back and "
        "sold elsewhere since is `returned`). No customer."
    )


class ScanOutcome(Shape):
    code: str
    kind: Literal["unit", "carton", "unknown"]
    added: list[str]
    duplicate: bool = Field(description="A repeated scan: nothing changed.")
    duplicates: list[str]
    notice: str | None = Field(description="The repeated scan's notice in the caller's language.")
    refused: list[ShipmentRefusal]


class ScanResponse(Shape):
    scan: ScanOutcome
    shipment: ShipmentView


class ConfirmResponse(Shape):
    shipment: ShipmentView
    finished: bool = Field(description="False: the time share ran out; confirm again to go on.")
    chunks: int


class CancelResponse(Shape):
    shipment: ShipmentView
    unshipped: int
    kept: list[str]


class ReturnResponse(Shape):
    shipment: ShipmentView
    returned: list[str]
    refused: list[ShipmentRefusal]


# -- dealer funnel -------------------------------------------------------------------------------


class FunnelFilters(Shape):
    months: int
    dealer_id: str | None
    model_code: str | None


class FunnelTally(Shape):
    shipped: int = Field(description="Units shipped (in the month, to the dealer, ...).")
    activated: int = Field(description="Activations on those days, whenever shipped.")
    net_shipped: int = Field(
        description="shipped - returned_of_shipped: what the console and the Excel call shipped."
    )
    returned: int = Field(description="Units returned on those days (a cancellation is none).")
    activated_of_shipped: int = Field(description="Of the units shipped, activated since.")
    returned_of_shipped: int = Field(description="Of the units shipped, returned since.")
    activation_rate: float | None = Field(
        description="activated_of_shipped / net_shipped; null when none stayed."
    )


class FunnelAgeing(Shape):
    days_0_30: int = Field(description="Awaiting activation, shipped 0-30 days ago.")
    days_31_90: int
    over_90: int


class FunnelMonth(FunnelTally):
    month: str = Field(description="YYYY-MM")


class FunnelDealer(FunnelTally):
    dealer_id: str
    dealer_code: str
    dealer_name: str
    ageing: FunnelAgeing


class FunnelRow(FunnelTally):
    month: str
    dealer_id: str
    dealer_code: str
    dealer_name: str
    model_code: str
    model_name: str
    model_name_en: str


class FunnelDealerOption(Shape):
    dealer_id: str
    dealer_code: str
    dealer_name: str


class FunnelResponse(Shape):
    today: Day
    filters: FunnelFilters
    months: list[str] = Field(description="The period's months, oldest first.")
    total: FunnelTally
    ageing: FunnelAgeing = Field(description="Now, whatever the period.")
    by_month: list[FunnelMonth]
    dealers: list[FunnelDealer]
    rows: list[FunnelRow] = Field(description="Per month, dealer and model with anything.")
    dealer_options: list[FunnelDealerOption]
    reads: int = Field(description="BatchGetItem calls the counters took.")


# -- dealers -------------------------------------------------------------------------------------

DealerStatusName = Literal["active", "suspended", "closed"]


class DealerResponse(Shape):
    dealer_id: str = Field(description="`d_` + 26 characters.")
    code: str = Field(description="Upper case, unique, never changed.")
    name: str
    tax_code: str | None = Field(description="10 digits, or `NNNNNNNNNN-NNN` for a branch.")
    province: str = Field(description="One of the 34 provinces and cities.")
    address: str
    contact_phone: str | None = Field(description="E.164.")
    parent_id: str | None = Field(description="The distributor it buys from.")
    status: DealerStatusName
    version: int = Field(description="Send it back with an edit: a stale one answers 409.")
    created_at: Moment
    created_by: str
    updated_at: Moment | None


class DealersResponse(Shape):
    dealers: list[DealerResponse]
    next_cursor: str | None


class DealerBrief(Shape):
    dealer_id: str
    code: str
    name: str
    status: DealerStatusName


class DealerStatusChange(Shape):
    at: Moment
    by: str
    from_: DealerStatusName | None = Field(alias="from", description="`null` at creation.")
    to: DealerStatusName
    note: str


class DealerDetailResponse(DealerResponse):
    parent: DealerBrief | None = Field(description="Its distributor.")
    dealers: list[DealerBrief] = Field(description="The dealers it supplies, in code order.")
    history: list[DealerStatusChange] = Field(description="Newest first.")


class DealerUserResponse(Shape):
    username: str
    dealer_id: str
    created_at: Moment
    created_by: str
    enabled: bool | None = Field(description="`null`: the account is gone from the pool.")
    status: str | None = Field(description="`CONFIRMED`, `FORCE_CHANGE_PASSWORD`, …")


class DealerUsersResponse(Shape):
    users: list[DealerUserResponse]


class DealerUserAddedResponse(Shape):
    user: DealerUserResponse
    temporary_password: str = Field(description="Shown in this answer only.")


class OwnDealer(Shape):
    dealer_id: str
    code: str
    name: str
    province: str
    address: str
    status: DealerStatusName


class DealerMeResponse(Shape):
    username: str
    dealer: OwnDealer


class DealerUnitRow(Shape):
    serial: str
    model_code: str
    status: Literal["shipped", "activated", "void"]
    shipped_on: Day | None
    activated_at: Moment | None
    shipment_id: str | None
    carton: str | None


class DealerUnitsResponse(Shape):
    units: list[DealerUnitRow]
    next_cursor: str | None


class DealerActivationRow(Shape):
    serial: str
    model_code: str
    activated_at: Moment | None
    channel: str = Field(description="`web`, `zalo`, `sms`, `partner`, `dealer`, …")
    customer_name: str | None = Field(description="Masked: `N***** V** A*`.")
    customer_phone: str | None = Field(description="Masked: `+84 91* *** *78`.")
    province: str | None


class DealerActivationsResponse(Shape):
    activations: list[DealerActivationRow]
    next_cursor: str | None


class DealerActivatedResponse(Shape):
    serial: str
    status: Literal["activated"]
    channel: Literal["dealer"]
    activated_at: Moment
    warranty_start: Day
    warranty_end: Day
    customer_name: str = Field(description="Masked: `T*** T** B***`.")
    customer_phone: str = Field(description="Masked: `+84 98* *** *21`.")


# -- service requests (claims) -------------------------------------------------------------------

ClaimStateName = Literal[
    "new", "triaged", "quoted", "quote_accepted", "quote_declined", "routed", "accepted",
    "scheduled", "received", "diagnosing", "waiting_parts", "repairing", "repaired", "replaced",
    "no_fault_found", "rejected", "ready_for_return", "returned", "confirmed", "closed",
    "cancelled", "reopened",
]  # fmt: skip
ClaimTypeName = Literal["repair", "warranty", "installation", "maintenance", "complaint"]
VerdictStatusName = Literal["in_warranty", "out_of_warranty", "needs_inspection"]


class ClaimReason(Shape):
    code: str = Field(description="A catalogue code (`warranty_ended`, `not_activated`, …).")
    params: dict[str, Any] = Field(description='Its values (`{"day": "2026-01-31"}`).')
    message: str = Field(description="The reason in the caller's language.")


class ClaimOverride(Shape):
    by: str
    reason: str
    status_before: VerdictStatusName


class ClaimVerdict(Shape):
    status: VerdictStatusName
    reasons: list[ClaimReason]
    rules_version: str
    decided_at: Moment
    override: ClaimOverride | None = Field(description="The director's, with its reason.")


class ClaimSummary(Shape):
    claim_id: str = Field(description="`SR-` + 8 Crockford base32 letters.")
    version: int = Field(description="Send it back with a change: a stale one is 409.")
    claim_type: ClaimTypeName
    channel: Literal["portal", "console", "zalo"]
    state: ClaimStateName
    state_since: Moment
    ageing_hours: int = Field(description="Whole hours in the current state.")
    due_at: Moment | None = Field(description="The state's SLA deadline (none: no deadline).")
    breached: bool = Field(description="Past its deadline.")
    serial: str
    model_code: str
    model_name: str
    customer_name: str
    customer_phone: str
    customer_province: str
    verdict: VerdictStatusName | None
    routing: Literal["internal", "outsourced"] | None
    assignee_key: str | None = Field(description="`tech#<username>` or `company#<id>`.")
    assignee_name: str | None
    expected_return: Day | None
    reopen_count: int = Field(description="Reopened after the work ended: a repeat repair.")
    created_at: Moment
    updated_at: Moment


class ClaimCustomer(Shape):
    name: str
    phone: str
    address: str
    province: str
    language: Literal["vi", "en"]


class ClaimExclusion(Shape):
    code: str
    reason: str


class ClaimPhoto(Shape):
    key: str
    state: Literal["uploaded", "ready", "refused"] = Field(
        description="`uploaded`: the stream has not cleaned it yet."
    )
    by: str
    at: Moment
    url: str | None = Field(description="A 15-minute link to the cleaned photo (`ready`).")


class ClaimCostLine(Shape):
    line_id: str
    kind: Literal["part", "labour", "travel", "revenue"]
    description: str
    part_code: str | None
    from_stock: bool = Field(
        description="A part taken from stock (`POST …/parts`): it can go back."
    )
    quantity: int
    amount_vnd: int
    payer: Literal["warranty", "customer", "supplier"]
    by: str
    at: Moment


class ClaimTotals(Shape):
    cost_vnd: int
    revenue_vnd: int
    profit_vnd: int
    warranty_vnd: int
    customer_vnd: int
    supplier_vnd: int


class ClaimView(ClaimSummary):
    category: str
    customer: ClaimCustomer
    description: str
    answers: dict[str, Any]
    preferred_time: str
    verdict: ClaimVerdict | None  # type: ignore[assignment]
    exclusions: list[ClaimExclusion]
    appointment: Moment | None
    quote_vnd: int | None
    reopened_from: ClaimStateName | None
    replacement_serial: str | None
    rating: int | None
    rating_note: str | None
    customer_confirmed: bool
    photos: list[ClaimPhoto]
    costs: list[ClaimCostLine]
    totals: ClaimTotals


class ClaimChange(Shape):
    field: str
    before: str | None
    after: str | None


class ClaimHistoryItem(Shape):
    seq: int = Field(description="The request's version after the change.")
    at: Moment
    by: str
    actor: Literal["desk", "assignee", "customer", "system"]
    action: str = Field(description="`create`, `move`, `edit`, `route`, `verdict`, …")
    from_: ClaimStateName | None = Field(alias="from")
    to: ClaimStateName
    note: str
    changes: list[ClaimChange]
    visible: bool = Field(description="Shown on the customer's timeline.")


class ClaimMessage(Shape):
    message_id: str
    kind: str = Field(description="`claim_received`, `claim_quoted`, … (docs/api.md).")
    status: str = Field(description="The outbox's delivery state.")
    channel: str | None = Field(description="`zns`, `sms`, `dev_inbox`; null until sent.")
    text: str
    created_at: str


class ClaimDetailResponse(Shape):
    claim: ClaimView
    history: list[ClaimHistoryItem]
    moves: list[ClaimStateName] = Field(description="What the caller may move it to now.")
    actor: Literal["desk", "assignee"] | None = Field(description="The caller's part in it.")
    messages: list[ClaimMessage] = Field(
        description="What the customer was sent about it, oldest first (the claims stream)."
    )


class WarrantyHistoryClaim(Shape):
    claim_id: str
    claim_type: str
    state: ClaimStateName
    step: str = Field(description="The customer's step (docs/claims.md).")
    created_at: str
    verdict: str | None
    outcome: str | None = Field(
        description="`repaired`, `replaced`, `no_fault_found`, `rejected`, `quote_declined`, "
        "`cancelled`; null while open without a result."
    )
    replacement_serial: str | None
    reopen_count: int


class WarrantyHistoryWarranty(Shape):
    start: str
    end: str
    reason: str
    channel: str


class WarrantyHistoryPerson(Shape):
    name: str
    phone: str


class WarrantyHistoryInstaller(Shape):
    name: str
    phone: str
    installed_on: str | None
    store: str | None


class WarrantyHistoryStore(Shape):
    dealer_id: str
    name: str


class WarrantyHistoryResponse(Shape):
    serial: str
    model_code: str
    status: str
    activated_at: str | None
    warranty: WarrantyHistoryWarranty | None
    customer: WarrantyHistoryPerson | None = Field(description="Masked but for the desk.")
    installer: WarrantyHistoryInstaller | None
    store: WarrantyHistoryStore | None = Field(description="The dealer that sold it.")
    replaces: str | None
    replaced_by: str | None
    replaced_on: str | None
    claims: list[WarrantyHistoryClaim]


class ClaimsResponse(Shape):
    claims: list[ClaimSummary]
    next_cursor: str | None


class ClaimColumn(Shape):
    state: ClaimStateName
    count: int
    claims: list[ClaimSummary]
    next_cursor: str | None


class ClaimBoardResponse(Shape):
    columns: list[ClaimColumn]


class TechniciansResponse(Shape):
    technicians: list[str]


class EligibilityModel(Shape):
    code: str
    name: str


class EligibilityResponse(Shape):
    serial: str
    model: EligibilityModel
    verdict: ClaimVerdict


class ServiceRequestFiledResponse(Shape):
    claim_id: str
    tracking_url: str = Field(description="`<portal>/r/<claim_id>?t=<token>`: in every message.")
    token: str = Field(description="The tracking link's `t`.")
    verdict: ClaimVerdict


class TrackingStep(Shape):
    step: str = Field(description="`received`, `checked`, `quoted`, `accepted`, `in_service`, …")
    state: ClaimStateName
    at: Moment


class TrackingResponse(Shape):
    claim_id: str
    claim_type: ClaimTypeName
    state: ClaimStateName
    step: str
    serial: str
    model_name: str
    created_at: Moment
    verdict: ClaimVerdict | None
    expected_return: Day | None
    appointment: Moment | None
    quote_vnd: int | None
    photos: int
    timeline: list[TrackingStep]
    actions: list[ClaimStateName] = Field(description="What the customer may do now.")
    rating: int | None


# -- service requests: forms and self-help (chalicelib/claims/forms_views.py) ------------------

FieldKind = Literal["text", "textarea", "number", "select", "date", "checkbox"]


class FormOptionShape(Shape):
    value: str
    label: str
    label_en: str


class FormFieldShape(Shape):
    key: str = Field(description="The answer's name in the request's `answers`.")
    type: FieldKind
    label: str
    label_en: str = Field(description='English label ("": show the Vietnamese).')
    required: bool
    options: list[FormOptionShape] = Field(description="A `select`'s choices (else empty).")


class ResolvedFormResponse(Shape):
    source: Literal["model", "category", "default"]
    version: int = Field(description="The version of the form that applies (0: the default).")
    fields: list[FormFieldShape]


class UnitFormResponse(ResolvedFormResponse):
    serial: str
    model_code: str


class ClaimFormResponse(Shape):
    scope: Literal["model", "category"]
    target: str = Field(description="The model's code, or the category as the catalogue spells it.")
    version: int
    fields: list[FormFieldShape] = Field(description="Empty: this version inherits.")
    updated_by: str
    updated_at: Moment | None


class ClaimFormSummary(Shape):
    scope: Literal["model", "category"]
    target: str
    version: int
    field_count: int
    updated_by: str
    updated_at: Moment | None


class ClaimFormsResponse(Shape):
    forms: list[ClaimFormSummary] = Field(description="Every scope with fields of its own.")
    default_fields: list[FormFieldShape]


class ClaimFormDetailResponse(Shape):
    scope: Literal["model", "category"]
    target: str
    current: ClaimFormResponse | None
    versions: list[ClaimFormResponse] = Field(description="Newest first.")
    inherited: ResolvedFormResponse = Field(description="What applies without its own fields.")


class FaultShape(Shape):
    title: str
    title_en: str
    fix: str
    fix_en: str


class ModelHelpResponse(Shape):
    model_code: str
    manual_url: str = Field(description='A link to the manual ("": none).')
    manual_key: str = Field(description='An uploaded PDF\'s key ("": none).')
    manual_src: str = Field(description="The manual's full address, whichever it is.")
    faults: list[FaultShape]
    version: int = Field(description="0: never saved. A save sends the version it read.")
    updated_by: str
    updated_at: Moment | None


class MaintenanceComponentShape(Shape):
    code: str = Field(description="Unique in its plan: a unit's plan line is keyed by it.")
    name: str
    name_en: str
    cycle_months: int = Field(description="Every this many calendar months (0: days instead).")
    cycle_days: int = Field(description="Every this many days (0: months instead).")
    first_months: int = Field(
        description="The first service after the anchor (0 and 0: one cycle)."
    )
    first_days: int
    lead_days: int = Field(description="The customer is reminded this many days before.")
    rhythm: Literal["fixed", "floating"] = Field(
        description="fixed: due days on the anchor's rhythm; floating: one cycle after the "
        "service actually done."
    )
    price_vnd: int = Field(description="0: free under the plan; else whole VND.")
    checklist: list[str]


class MaintenancePlanResponse(Shape):
    model_code: str
    components: list[MaintenanceComponentShape]
    version: int = Field(description="0: never saved. A save sends the version it read.")
    updated_by: str | None
    updated_at: Moment | None


class MaintenanceVisitModel(Shape):
    code: str
    name: str = Field(description="In the language the page asked in.")
    image_url: str


class MaintenanceVisitComponent(Shape):
    code: str
    name: str
    name_en: str
    price_vnd: int = Field(description="0: free under the plan.")
    checklist: list[str]


class MaintenanceVisitBooking(Shape):
    day: Day
    part: Literal["morning", "afternoon"]
    note: str


class MaintenanceVisitResponse(Shape):
    serial: str
    model: MaintenanceVisitModel
    component: MaintenanceVisitComponent
    occurrence: int = Field(description="The visit waited for (1: the first).")
    due: Day
    stage: Literal["waiting", "reminded", "reminded_again", "overdue", "booked"]
    booking: MaintenanceVisitBooking | None
    book_from: Day = Field(description="The first day a slot may take (tomorrow).")
    book_until: Day = Field(description="The last (three weeks ahead).")
    postpone_until: Day = Field(description="The latest day a postponement may name.")


class TicketComponent(Shape):
    code: str
    name: str
    name_en: str


class TicketSlot(Shape):
    day: Day
    part: Literal["morning", "afternoon"]
    note: str


class TicketCustomer(Shape):
    name: str
    phone: str = Field(description="In full for the desk and the assignee; masked otherwise.")
    province: str
    address: str = Field(description="Empty for a reader who does not call customers.")


TicketStatusName = Literal["new", "assigned", "started", "done", "cancelled"]


class TicketSummary(Shape):
    ticket_id: str = Field(description="`MT-` + 8 Crockford base32 letters.")
    serial: str
    model_code: str
    component: TicketComponent
    occurrence: int = Field(description="The unit's line's visit it serves (1: the first).")
    source: Literal["booking", "manager", "claim"]
    status: TicketStatusName
    slot: TicketSlot
    customer: TicketCustomer
    assignee_key: str | None = Field(description="`tech#<username>` or `company#<center_id>`.")
    assignee_name: str | None
    amount_vnd: int = Field(description="The component's price plus the labour, whole VND.")
    version: int = Field(description="Every move sends the version it read.")


class TicketsResponse(Shape):
    tickets: list[TicketSummary]


class TicketCheck(Shape):
    text: str
    done: bool


class TicketPayment(Shape):
    amount_vnd: int
    method: Literal["cash", "transfer"]
    collected_by: str = Field(description="Who holds it: the ticket's assignee key.")


class TicketChange(Shape):
    seq: int
    at: Moment
    by: str = Field(description="A staff username, a company user, or `customer`.")
    action: Literal[
        "create",
        "assign",
        "reschedule",
        "start",
        "work",
        "part",
        "part_return",
        "complete",
        "cancel",
    ]
    status_from: TicketStatusName | None
    status_to: TicketStatusName
    note: str


class TicketResponse(TicketSummary):
    claim_id: str | None = Field(description="The service request it was booked from.")
    price_vnd: int
    labour_vnd: int
    checklist: list[TicketCheck]
    notes: str
    payment: TicketPayment | None
    parts: list[TicketPart]
    photos: list[TicketPhoto] = Field(description="At most ten, without metadata.")
    confirmed_by: str = Field(description="Who confirmed for the customer (empty: not yet).")
    done_on: Day | None
    cancel_reason: str
    created_at: Moment
    created_by: str
    role: Literal["desk", "assignee"] | None = Field(
        description="The caller's part: the desk's moves, the assignee's, or none (read only)."
    )
    history: list[TicketChange]


class TicketPart(Shape):
    code: str
    name: str
    unit: str
    qty: int
    price_vnd: int = Field(description="The catalogue's price when it was used.")
    amount_vnd: int
    location_id: str = Field(description="The place it was taken from (a return goes back).")


class TicketPhoto(Shape):
    key: str = Field(description="The stored WebP's key (to remove it).")
    url: str | None = Field(description="A link presigned for 15 minutes.")


class PartResponse(Shape):
    code: str
    name: str
    name_en: str
    unit: str
    cost_vnd: int
    price_vnd: int
    models: list[str] = Field(description="The model codes it fits (none: any).")
    min_stock: int = Field(description="At or under this in a place: short.")
    active: bool
    version: int
    updated_by: str
    updated_at: Moment | None


class PartsResponse(Shape):
    parts: list[PartResponse]


class LocationResponse(Shape):
    location_id: str
    name: str
    kind: Literal["warehouse", "van", "company"]
    holder: str | None = Field(description="A van's `tech#<username>`, a company's `company#<id>`.")


class LocationsResponse(Shape):
    locations: list[LocationResponse]


class OnHandLine(Shape):
    location_id: str
    part_code: str
    name: str
    name_en: str
    unit: str
    on_hand: int
    min_stock: int
    value_vnd: int = Field(description="On hand at the catalogue's cost.")
    short: bool


class StockResponse(Shape):
    lines: list[OnHandLine]
    value_vnd: int
    short: int = Field(description="How many lines are short.")


class MovementResponse(Shape):
    movement_id: str
    kind: Literal["receipt", "issue", "return", "transfer", "adjustment"]
    part_code: str
    qty: int
    from_: str | None = Field(alias="from")
    to: str | None
    at: Moment | None
    by: str
    reason: str
    ticket_id: str | None
    claim_id: str | None = Field(description="The service request it went to (or came from).")
    unit_cost_vnd: int


class MovementsResponse(Shape):
    movements: list[MovementResponse]


class ReceivableLine(Shape):
    ticket_id: str
    serial: str
    customer_name: str
    done_on: Day
    amount_vnd: int = Field(description="What the visit costs the customer.")
    collected_vnd: int
    method: str = Field(description="`cash`, `transfer`, or empty (not collected).")
    holder: str = Field(description="Who holds what was collected (empty: the company).")
    holder_name: str
    remitted_vnd: int | None
    remitted_on: Day | None
    difference_vnd: int = Field(description="Collected less handed over (or owed, not collected).")
    parts_cost_vnd: int
    reconciled_by: str
    status: Literal["open", "collected", "remitted", "reconciled"]
    version: int


class ReceivableCollector(Shape):
    holder: str
    holder_name: str
    lines: int
    amount_vnd: int
    collected_vnd: int
    remitted_vnd: int
    outstanding_vnd: int = Field(description="Collected, not handed over yet.")
    difference_vnd: int = Field(description="Collected less handed over, on the lines handed over.")


class ReceivableTotals(Shape):
    amount_vnd: int
    collected_vnd: int
    remitted_vnd: int
    parts_cost_vnd: int
    reconciled: int


class ReceivablesResponse(Shape):
    month: str
    closed: bool
    closed_at: Moment | None
    closed_by: str | None
    lines: list[ReceivableLine]
    collectors: list[ReceivableCollector]
    totals: ReceivableTotals


class ClaimPartResponse(Shape):
    claim_id: str
    version: int = Field(description="The request's version after the line (send it next).")
    movement: MovementResponse


class MaintenanceDigestResponse(Shape):
    day: str = Field(description="Today, in Vietnam.")
    visits_today: int = Field(description="Open tickets whose slot is today.")
    unassigned: int = Field(description="Tickets nobody is assigned to yet.")
    awaiting: int = Field(description="Customers reminded who have not answered.")
    overdue: int
    short_parts: int = Field(description="Parts at or under their minimum somewhere.")
    cap: int = Field(description="Each figure counts up to this and one more (`cap + 1`: more).")


class ReportMonth(Shape):
    month: str
    visits: int = Field(description="Visits done in the month, free ones too.")
    paid_visits: int = Field(description="Those that cost the customer something.")
    amount_vnd: int
    collected_vnd: int
    parts_cost_vnd: int = Field(description="What the parts used on them cost us.")
    margin_vnd: int = Field(description="The amount less the parts' cost.")
    closed: bool


class ReportPart(Shape):
    code: str
    name: str
    name_en: str
    unit: str
    issued: int
    returned: int
    used: int
    cost_vnd: int = Field(description="The used quantity at each movement's recorded cost.")
    tickets: int
    claims: int


class ReportProduct(Shape):
    model_code: str
    component: TicketComponent
    visits: int
    amount_vnd: int
    parts: int = Field(description="Pieces of spare parts used on those visits.")


class MaintenanceReportResponse(Shape):
    months: list[ReportMonth]
    parts: list[ReportPart]
    products: list[ReportProduct]


class WarrantyReportTable(Shape):
    name: str = Field(
        description="by_month | by_model | by_dealer | by_province | by_channel | lag | "
        "rewards_by_month | by_part | by_model_part | by_collector."
    )
    keys: list[str] = Field(description="The rows' key columns: month, model, dealer, province, "
                            "channel, lag, part or collector.")  # fmt: skip
    columns: list[str] = Field(description="The rows' figures, in order.")
    rows: list[dict[str, Any]] = Field(
        description="Each row: its keys, then its figures (integers: counts, VND, days, hours; "
        "rates from 0 to 1; null where a rate's denominator is 0)."
    )


class ReportModelName(Shape):
    name: str
    name_en: str


class ReportDealerName(Shape):
    code: str
    name: str


class WarrantyReportNames(Shape):
    models: dict[str, ReportModelName]
    dealers: dict[str, ReportDealerName]
    collectors: dict[str, str] = Field(
        description="A maintenance collector's key (tech#<user>, company#<id>) → its name."
    )


class WarrantyReportResponse(Shape):
    kind: str = Field(description="activations | claims | costs | parts | maintenance")
    months: list[str] = Field(description="The period's months, oldest first.")
    totals: dict[str, int | float | None]
    tables: list[WarrantyReportTable]
    names: WarrantyReportNames = Field(description="The models and dealers the rows name.")
    reads: int = Field(description="BatchGetItem calls the counters took.")


class ReceivablesExportResponse(Shape):
    rows: int
    filename: str
    url: str = Field(description="A download link valid for 15 minutes.")


class DueOwner(Shape):
    name: str = Field(description="Masked: the unit's page reveals the owner (recorded).")
    phone: str = Field(description="Masked.")
    province: str


class DueBooking(Shape):
    day: Day
    part: Literal["morning", "afternoon"]


class DueLine(Shape):
    serial: str
    model_code: str
    component: TicketComponent
    occurrence: int
    due: Day
    stage: Literal["waiting", "reminded", "reminded_again", "overdue", "booked"]
    reminders: int = Field(description="Messages sent for this visit.")
    booking: DueBooking | None
    owner: DueOwner | None


class DueLinesResponse(Shape):
    lines: list[DueLine]


class LocalizedFault(Shape):
    title: str
    fix: str


class EnglishHelp(Shape):
    name: str
    faults: list[LocalizedFault]


class PublicModelHelpResponse(Shape):
    model_code: str
    name: str
    manual: str | None = Field(description="A link, or a path on the portal (`/media/…`).")
    faults: list[LocalizedFault]
    en: EnglishHelp = Field(description="The English texts (Vietnamese where one is missing).")


class ManualUploadResponse(Shape):
    key: str = Field(description="Save the help with it as `manual_key` once the PUT is done.")
    upload: PresignedUpload


SHAPES: tuple[type[BaseModel], ...] = (
    ErrorResponse,
    ClaimsResponse,
    ClaimBoardResponse,
    TechniciansResponse,
    ClaimColumn,
    ClaimDetailResponse,
    WarrantyHistoryResponse,
    EligibilityResponse,
    ServiceRequestFiledResponse,
    TrackingResponse,
    UnitFormResponse,
    PublicModelHelpResponse,
    ClaimFormsResponse,
    ClaimFormDetailResponse,
    ClaimFormResponse,
    ModelHelpResponse,
    MaintenancePlanResponse,
    MaintenanceVisitResponse,
    TicketsResponse,
    TicketResponse,
    DueLinesResponse,
    ReceivablesResponse,
    ReceivablesExportResponse,
    MaintenanceReportResponse,
    WarrantyReportResponse,
    MaintenanceDigestResponse,
    ClaimPartResponse,
    PartsResponse,
    PartResponse,
    LocationsResponse,
    LocationResponse,
    StockResponse,
    MovementsResponse,
    MovementResponse,
    ManualUploadResponse,
    ShipmentsResponse,
    ShipmentResponse,
    ShipmentDetailResponse,
    DealerShipmentsResponse,
    DealerShipmentDetailResponse,
    ScanResponse,
    ConfirmResponse,
    CancelResponse,
    ReturnResponse,
    FunnelResponse,
    PartnerCaseResponse,
    PartnerCasesResponse,
    StaffCaseResponse,
    StaffCasesResponse,
    CasePhotoUploadResponse,
    CasePhotoResponse,
    RewardRulesResponse,
    RewardRuleResponse,
    RewardsResponse,
    RewardDecisionResponse,
    RewardDecisionsResponse,
    RewardPeriodResponse,
    ExcelLinkResponse,
    ExportJobResponse,
    PartnerRewardsResponse,
    PayoutSettingsResponse,
    PayoutSettingResponse,
    PayoutBatchesResponse,
    PayoutBatchResponse,
    PayoutPreviewResponse,
    PublicUnitResponse,
    ActivationResponse,
    CertificateResponse,
    CertificateVerifiedResponse,
    NotMeResponse,
    OtpSentResponse,
    LookupTokenResponse,
    MyUnitsResponse,
    PortalSettingsResponse,
    TokensResponse,
    BrandResponse,
    ModelResponse,
    ModelsResponse,
    ImportResponse,
    ImageUploadResponse,
    LogoUploadedResponse,
    GenerateResponse,
    StaffUnitResponse,
    UnitsResponse,
    UnitOwnerResponse,
    UnitExportResponse,
    MessagesResponse,
    DashboardResponse,
    MessageDetailResponse,
    CustomersResponse,
    CustomerResponse,
    RevealedCustomerResponse,
    InboxResponse,
    TemplateResponse,
    TemplatesResponse,
    PreviewResponse,
    LabelJobResponse,
    LabelJobsResponse,
    UnitImportResponse,
    NewUnitImportResponse,
    UnitImportsResponse,
    StaffUsersResponse,
    TemporaryPasswordResponse,
    AuditEntriesResponse,
    BanksResponse,
    ProvincesResponse,
    PartnerMeResponse,
    PartnerSignedInResponse,
    PartnersResponse,
    PartnerDetailResponse,
    DealersResponse,
    DealerDetailResponse,
    DealerUsersResponse,
    DealerUserAddedResponse,
    DealerMeResponse,
    DealerUnitsResponse,
    DealerActivationsResponse,
    DealerActivatedResponse,
    HookAcknowledged,
    ZaloEvent,
    SpeedSmsCallback,
    CartonsResponse,
    CartonResponse,
    CartonDetailResponse,
    CartonPackResponse,
)


# -- service centres ------------------------------------------------------------------------------

CenterKindName = Literal["internal", "partner"]


class ServiceCenterResponse(Shape):
    center_id: str = Field(description="`sc_` + 26 characters.")
    code: str = Field(description="Upper case, unique, never changed.")
    name: str
    kind: CenterKindName = Field(
        description="`internal`: the brand's own centre; `partner`: an outsourced service "
        "company (its users see only the requests sent to it). Never changed."
    )
    tax_code: str | None = Field(description="A partner's; `null` for an internal centre.")
    provinces: list[str] = Field(description="The provinces it serves, in the 34 units' order.")
    address: str
    phone: str = Field(description="The centre's public line (never a person's).")
    hours: str
    listed: bool = Field(description="Shown on the portal's service points.")
    status: DealerStatusName
    version: int = Field(description="Send it back with an edit: a stale one answers 409.")
    created_at: Moment
    created_by: str
    updated_at: Moment | None


class ServiceCentersResponse(Shape):
    centers: list[ServiceCenterResponse]
    next_cursor: str | None


class ServiceCenterDetailResponse(ServiceCenterResponse):
    history: list[DealerStatusChange] = Field(description="Newest first.")


class ServiceCenterUserResponse(Shape):
    username: str
    center_id: str
    created_at: Moment
    created_by: str
    enabled: bool | None = Field(description="`null`: the account is gone from the pool.")
    status: str | None = Field(description="`CONFIRMED`, `FORCE_CHANGE_PASSWORD`, …")


class ServiceCenterUsersResponse(Shape):
    users: list[ServiceCenterUserResponse]


class ServiceCenterUserAddedResponse(Shape):
    user: ServiceCenterUserResponse
    temporary_password: str = Field(description="Shown in this answer only.")


class OwnCenter(Shape):
    center_id: str
    code: str
    name: str
    kind: CenterKindName
    provinces: list[str]
    address: str
    phone: str
    hours: str
    status: DealerStatusName


class ServiceMeResponse(Shape):
    username: str
    center: OwnCenter


class ServicePoint(Shape):
    code: str
    name: str
    kind: CenterKindName
    address: str
    phone: str | None = Field(description="The centre's public line.")
    hours: str | None
    provinces: list[str]


class ServicePointsResponse(Shape):
    province: str = Field(description="The province asked for, as written in the 34 units.")
    points: list[ServicePoint] = Field(description="In code order.")


SHAPES += (
    ServiceCentersResponse,
    ServiceCenterDetailResponse,
    ServiceCenterUsersResponse,
    ServiceCenterUserAddedResponse,
    ServiceMeResponse,
    ServicePointsResponse,
)


# -- personal data -------------------------------------------------------------------------------


class PersonalDataDocument(Shape):
    """Everything we hold about the signed-in customer."""

    format: str = Field(description="`garanti-personal-data/1`.")
    generated_at: str
    phone: str = Field(description="E.164, the verified phone.")
    names: list[str] = Field(description="Every name they gave.")
    serials: list[str] = Field(description="The units they own.")
    sections: dict[str, list[dict[str, object]]] = Field(
        description="customer, units, claims, maintenance, messages, zalo, rewards, codes, "
        "inbound, cases, audit: each a list of items (plain values)."
    )


class CustomerPrivacyRequest(Shape):
    request_id: str
    kind: str = Field(description="erasure")
    status: str = Field(description="open | done | refused")
    created_at: str
    due_at: str = Field(description="72 hours after it was made (the law's deadline).")


class MyErasureResponse(Shape):
    request: CustomerPrivacyRequest | None = Field(description="The open request, if any.")


class StaffPrivacyRequest(CustomerPrivacyRequest):
    phone_masked: str = Field(description="`+84 91* *** *78`: never the number.")
    channel: str
    language: str
    overdue: bool
    handled_by: str | None
    handled_at: str | None
    reason: str | None = Field(description="A refusal's reason.")
    erased: dict[str, int] = Field(description="Items changed, by section.")


class PrivacyRequestsResponse(Shape):
    requests: list[StaffPrivacyRequest]


class PrivacyRequestResponse(Shape):
    request: StaffPrivacyRequest


class ConsentState(Shape):
    purpose: str = Field(description="warranty_service | marketing")
    granted: bool | None = Field(description="The last decision; null: never asked.")
    at: str | None
    channel: str | None = Field(description="Where it was decided: web, sms, zalo, portal…")


class ConsentsResponse(Shape):
    consents: list[ConsentState]


SHAPES += (
    ConsentState,
    ConsentsResponse,
    PersonalDataDocument,
    CustomerPrivacyRequest,
    MyErasureResponse,
    StaffPrivacyRequest,
    PrivacyRequestsResponse,
    PrivacyRequestResponse,
)


# -- ownership transfer --------------------------------------------------------------------------


class PendingTransferView(Shape):
    serial: str
    new_phone_masked: str = Field(description="`+84 98* *** *21`.")
    issued_at: str
    expires_at: str = Field(description="48 hours after the start.")


class TransferResponse(Shape):
    transfer: PendingTransferView | None = Field(description="The pending transfer, if any.")


class TransferAcceptedResponse(Shape):
    serial: str
    model_name: str
    warranty_end: str | None = Field(description="As it was: the warranty carries over.")


SHAPES += (PendingTransferView, TransferResponse, TransferAcceptedResponse)


class RetentionResponse(Shape):
    messages_months: int = Field(description="Messages are deleted after this many months.")
    claims_months: int = Field(
        description="Closed or cancelled service requests lose their customer after this many."
    )
    visits_months: int = Field(
        description="Done or cancelled maintenance visits lose their customer after this many."
    )
    bounds: dict[str, list[int]] = Field(description="Each setting's least and most.")
    version: int
    updated_by: str | None
    updated_at: str | None


SHAPES += (RetentionResponse,)
