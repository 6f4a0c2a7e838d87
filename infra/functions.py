"""The Lambda functions Chalice generates from ``app.py`` and exactly what each may do in AWS.

Chalice's policy generator only sees boto3 client calls, not PynamoDB, and ``autogen_policy`` is
false: every permission is declared here, table by table, next to the code path that needs it.
moto and the devstack do not enforce IAM, so a repository that starts using a new operation (or
a handler a new table) must be added here, or the function gets AccessDenied in AWS.

Transactions need no action of their own: IAM checks each item in a ``TransactWriteItems`` as
the matching ``PutItem`` / ``UpdateItem`` / ``DeleteItem`` / ``ConditionCheckItem``. PynamoDB 6
builds its table metadata from the model, so no function needs ``DescribeTable``; no function
may ``Scan``.

Objects in the uploads bucket are granted by key prefix (:class:`S3Access`), never the whole
bucket. A multipart upload's create, part and complete calls are all ``s3:PutObject``; only
aborting it and listing its parts need actions of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalice.utils import to_cfn_resource_name

GET = "dynamodb:GetItem"
BATCH_GET = "dynamodb:BatchGetItem"
PUT = "dynamodb:PutItem"
BATCH_WRITE = "dynamodb:BatchWriteItem"  # puts only (payout lines, a batch's audit entries)
UPDATE = "dynamodb:UpdateItem"
DELETE = "dynamodb:DeleteItem"
CONDITION_CHECK = "dynamodb:ConditionCheckItem"
QUERY = "dynamodb:Query"  # on the table itself (its key); a GSI's query is ``indexes``

GET_OBJECT = "s3:GetObject"
PUT_OBJECT = "s3:PutObject"  # also CreateMultipartUpload, UploadPart, CompleteMultipartUpload
ABORT_MULTIPART = "s3:AbortMultipartUpload"
LIST_PARTS = "s3:ListMultipartUploadParts"
DELETE_OBJECT = "s3:DeleteObject"

API_HANDLER = "api_handler"  # Chalice's name for the one function that serves every route


@dataclass(frozen=True)
class TableAccess:
    """Item actions on one table and the global secondary indexes it queries."""

    table: str  # the name after ``garanti-<stage>-``, as in the model's ``Meta.table_name``
    actions: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()  # ``dynamodb:Query`` on each of these GSIs, nothing else


@dataclass(frozen=True)
class S3Access:
    """Object actions on the uploads bucket, on the keys under one prefix only."""

    prefix: str  # ``labels/``: a folder-like prefix ending in ``/``, no wildcard
    actions: tuple[str, ...]


@dataclass(frozen=True)
class FunctionSpec:
    """One Lambda function of the app: its handler and its permissions."""

    handler: str
    description: str
    tables: tuple[TableAccess, ...]
    stream_table: str | None = None  # the table whose stream invokes it
    reads_secrets: bool = False  # ``ssm:GetParameter`` on the stage's secrets parameter
    reads_messaging: bool = False  # ``ssm:GetParameter`` on the messaging settings parameter
    sends_alerts: bool = False  # ``sqs:SendMessage`` to the delivery-failures queue
    cognito_actions: tuple[str, ...] = ()  # on the stage's user pool
    uploads: tuple[S3Access, ...] = ()  # objects of the uploads bucket, by key prefix

    @property
    def function_id(self) -> str:
        """The function's logical id in Chalice's SAM template."""
        return "APIHandler" if self.handler == API_HANDLER else to_cfn_resource_name(self.handler)

    @property
    def role_id(self) -> str:
        """The role Chalice generates for it (one per function when ``autogen_policy`` is off)."""
        return to_cfn_resource_name(f"{self.handler}_role")

    @property
    def event_id(self) -> str:
        """The DynamoDB event of a stream handler, inside the function's ``Events``."""
        return to_cfn_resource_name(f"{self.handler}-dynamodb-event-source")


# The claims table's indexes: the table, the board's columns, an assignee's (by change, and by
# state for their own board), a unit's and a customer's requests.
CLAIM_INDEXES = (
    "list_index",
    "state_index",
    "assignee_index",
    "assignee_state_index",
    "serial_index",
    "customer_index",
)

API = FunctionSpec(
    handler=API_HANDLER,
    description="Garanti API: every route (portal, console, sign-in).",
    tables=(
        # BrandRepository: get (the console, the portal's settings and the hotline of a "not
        # me" answer); save and reserve_sequences are updates.
        TableAccess("brands", (GET, UPDATE)),
        # ProductModelRepository: get, get_many, create (conditional put), replace, delete;
        # UnitRepository.add bumps unit_count in its transaction; list queries catalog_index.
        TableAccess("models", (GET, BATCH_GET, PUT, UPDATE, DELETE), indexes=("catalog_index",)),
        # UnitRepository: get, existing_serials (batch get), add (transactional puts),
        # activate (transactional update); list_by_owner queries owner_index. A label job for a
        # batch first checks the batch has units (batch_index). The console's units list
        # queries the list indexes (or batch_index, then a batch get); a reveal reads one unit.
        TableAccess(
            "units",
            (GET, BATCH_GET, PUT, UPDATE),
            indexes=(
                "batch_index",
                "owner_index",
                "brand_serial_index",
                "model_serial_index",
                "status_serial_index",
                "activation_index",
                # cartons: a carton's units; UnitShipping: a shipment's units (detail,
                # cancellation, Excel); ship / unship are transactional updates (UPDATE above).
                "carton_serial_index",
                "shipment_serial_index",
                # a dealer's own units and activations (DealerUnitReader)
                "dealer_serial_index",
            ),
        ),
        # Export jobs (the units list, a month's rewards): create (conditional put), read one
        # (progress, download).
        TableAccess("exports", (GET, PUT)),
        # CartonRepository: create (conditional put), get, the SSCC counter (update), pack,
        # unpack (transactions of the unit's and the carton's conditional updates), close
        # (conditional update); the brand's cartons, newest first (brand_index). A carton's
        # units are a query of the units' carton_serial_index (above).
        TableAccess("cartons", (GET, PUT, UPDATE), indexes=("brand_index",)),
        # ShipmentRepository: create (conditional put), get, the list (list_index,
        # dealer_index, status_index), status moves and each chunk's progress (conditional
        # updates, the progress inside the units' transaction); "in another draft?" reads the
        # statuses of the shipments the claims name (batch get).
        TableAccess(
            "shipments",
            (GET, BATCH_GET, PUT, UPDATE),
            indexes=("list_index", "dealer_index", "status_index"),
        ),
        # Scans: put in a transaction with their claims and the shipment's counts, deleted
        # likewise, a draft's scans (a query on the key), already scanned? (batch get).
        TableAccess("shipment_scans", (GET, BATCH_GET, PUT, DELETE, QUERY)),
        # Claims: "in another draft?" (batch get), put with the scan, deleted with it
        # (conditional on the draft that holds it).
        TableAccess("shipment_claims", (BATCH_GET, PUT, DELETE)),
        # UnitRepository.activate: the owner's name and consents, in the same transaction.
        # CustomerRepository (the console's customers): get by key, a name's prefix on
        # name_index.
        # The customer's own consent decisions (update); an erasure deletes the item.
        TableAccess("customers", (GET, UPDATE, DELETE), indexes=("name_index",)),
        # Ownership transfers (catalog.transfer_repository): the pending one per unit (get,
        # put, the attempts' conditional update, cancel: a conditional delete), deleted in the
        # new owner's transaction with the unit and the customer.
        TableAccess("unit_transfers", (GET, PUT, UPDATE, DELETE)),
        # Personal-data requests and the retention settings (privacy.repository): get, a
        # request with its guard (a transaction of puts), closed (put, the guard's delete),
        # the open or handled list (status_index), the settings (conditional update).
        TableAccess("privacy_requests", (GET, PUT, UPDATE, DELETE), indexes=("status_index",)),
        # OtpRepository: get, issue (transactional put), record_failed_attempt and consume.
        # An erasure: the person's live codes (batch get), deleted.
        TableAccess("otp", (GET, BATCH_GET, PUT, UPDATE, DELETE)),
        # OtpRepository.issue counts the send per client IP and per number prefix (transaction);
        # the console reads today's spend counter (get).
        TableAccess("rate_limits", (GET, UPDATE)),
        # OtpRepository.issue queues the code's message in its transaction. The dev inbox
        # (recipient_index) answers 404 before any read outside the local stage.
        # The hooks: get (the reported message), apply_report (conditional update, with the
        # spend counter in rate_limits in a transaction), find_by_provider_ref (provider_index),
        # and the SpeedSMS MO reply queued with add (conditional put). The console lists a
        # brand's messages (brand_index) or a phone's (recipient_index), reads one, and
        # requeues a failed one (conditional update).
        TableAccess(
            "notifications",
            (GET, PUT, UPDATE),
            indexes=("brand_index", "provider_index", "recipient_index"),
        ),
        # InboundRepository (the hooks' MO and Zalo chat de-duplication): find, remember
        # (conditional put).
        # An erasure: the person's texts of the last 72 hours (sender_index, keys only, then a
        # batch get), their sender's key replaced (conditional update).
        TableAccess("inbound", (GET, BATCH_GET, PUT, UPDATE), indexes=("sender_index",)),
        # ZaloUserRepository (the Zalo hook): find the phone a user shared with the OA, save a
        # new share (put).
        # An erasure: the person's shares (phone_index), deleted.
        TableAccess("zalo_users", (GET, PUT, DELETE), indexes=("phone_index",)),
        # OaChat (the Zalo hook's chat replies) through ZaloTokenStore: current() and
        # refresh() read consistently, take the lease and store the new pair (updates).
        TableAccess("provider_tokens", (GET, UPDATE)),
        # Label jobs: create (conditional put), read one (progress, download), cancel or retry
        # (conditional updates); a brand's jobs, newest first (brand_index).
        TableAccess("label_jobs", (GET, PUT, UPDATE), indexes=("brand_index",)),
        # The dashboard: the last 30 days' roll-up counters (RollupRepository.days, batch get).
        TableAccess("rollups", (BATCH_GET,)),
        # The dealer funnel: its days' and dealers' counters (FunnelRepository.read, batch
        # gets); the dealers' names (DealerDirectory: list_index, granted with the dealers).
        TableAccess("dealer_rollups", (BATCH_GET,)),
        # The warranty reports: their families' days and the totals (ReportCounters.items,
        # batch gets).
        TableAccess("report_rollups", (BATCH_GET,)),
        # Unit imports: create (conditional put), read one, start (conditional update); a
        # brand's imports, newest first (brand_index).
        TableAccess("unit_imports", (GET, PUT, UPDATE), indexes=("brand_index",)),
        # AuditTrail: a reveal of a unit's owner or a customer, a staff user's change, each
        # recorded once (conditional put); GET /audit reads a thing's history (a query on the
        # key), a staff member's (actor_index) or a day's (day_index).
        # An erasure moves a customer's reveal entries to an id of their own (put, delete).
        TableAccess("audit", (PUT, QUERY, DELETE), indexes=("actor_index", "day_index")),
        # PartnerRepository: create (a transaction of two conditional puts: the partner and its
        # phone's claim), get, save_status (conditional update); the partner with a phone
        # (phone_index), the staff's list by status (status_index) and the names of a ledger
        # page's partners (names_of: one BatchGetItem).
        TableAccess(
            "partners", (GET, BATCH_GET, PUT, UPDATE), indexes=("phone_index", "status_index")
        ),
        # PartnerSessionRepository: create (conditional put), get, extend (conditional update),
        # delete (sign-out), delete_all (partner_index, then one delete per session).
        TableAccess("partner_sessions", (GET, PUT, UPDATE, DELETE), indexes=("partner_index",)),
        # RewardRuleRepository: a rule's new version (conditional put); a rule's versions and
        # the brand's rules are queries on the table's key.
        TableAccess("reward_rules", (PUT, QUERY)),
        # ClaimFormRepository: a form's new version (conditional put); a form's versions and
        # the brand's forms are queries on the table's key.
        TableAccess("claim_forms", (PUT, QUERY)),
        # ModelHelpRepository: get (the portal's self-help, its editor), save (conditional put).
        TableAccess("model_help", (GET, PUT)),
        # PlanRepository: a model's maintenance plan, get (its editor), save (conditional put).
        TableAccess("maintenance_plans", (GET, PUT)),
        # LineRepository: the customer's page reads its line (get) and writes their answer (a
        # transaction of the line's conditional put); the desk's due list (stage_index).
        # An erasure: a unit's lines (a query on the key), a booking note scrubbed (update).
        TableAccess("maintenance", (GET, PUT, QUERY, UPDATE), indexes=("stage_index",)),
        # TicketRepository: a ticket read (get), its history (a query on the key), the board
        # (status_index), an assignee's own (assignee_index); each change a transaction of
        # the ticket's conditional put, its history item's and the line's conditional put.
        TableAccess(
            "maintenance_tickets",
            (GET, PUT, UPDATE),
            indexes=("status_index", "assignee_index", "serial_index"),
        ),
        # An erasure: the person's tickets lose them in a transaction (the ticket's conditional
        # update, the history item's put), earlier history notes scrubbed (updates).
        TableAccess("maintenance_ticket_history", (PUT, QUERY, UPDATE)),
        # StockRepository: the catalogue and the places (a query on the brand's key, get, a
        # conditional put); each place's stock (a query on its key; a movement's ADD, a
        # decrease conditional, in the movement's or the ticket's transaction); the movements
        # (conditional put; a part's, a query on its key).
        TableAccess("parts", (GET, PUT, QUERY)),
        TableAccess("stock_locations", (GET, PUT, QUERY)),
        TableAccess("stock", (UPDATE, QUERY)),
        TableAccess("stock_movements", (PUT, QUERY)),
        # ReceivableRepository: a month's lines (a query on its key), one line (get), each step
        # a transaction of the line's conditional put and a check that its month is open; a
        # done ticket's line is put in the ticket's transaction; the month's close (get, a
        # conditional put).
        # An erasure: a paid visit's line loses the customer's name (update).
        TableAccess("receivables", (GET, PUT, QUERY, UPDATE)),
        TableAccess("receivable_months", (GET, PUT, CONDITION_CHECK)),
        # RewardLedgerRepository: a partner's own entries and balance (partner_index), a
        # month's entries for staff (period_index: also the period's counts and its export);
        # a manager's decision is a transaction: the entry's conditional update, a condition
        # check that its month is not locked (reward_periods) and, approving, the partner's
        # reward_approved (a conditional put in notifications, above).
        # A payout batch reads the payable entries of a locked month (payable_index), reads
        # its entries back (batch gets) and moves them in transactions of conditional updates
        # (taken, paid, payment_failed).
        TableAccess(
            "rewards",
            (GET, BATCH_GET, UPDATE),
            # an erasure: the entries of the person's activations (customer_index, keys only)
            indexes=("partner_index", "period_index", "payable_index", "customer_index"),
        ),
        # A month's lock: read it, lock it once (conditional update), checked by decisions;
        # a payout batch reads the locks of the months it looks at (batch get).
        TableAccess("reward_periods", (GET, BATCH_GET, UPDATE, CONDITION_CHECK)),
        # PayoutSettingRepository: a version written once (conditional put), the versions (a
        # query on the key).
        TableAccess("payout_settings", (PUT, QUERY)),
        # PayoutRepository: a batch created (conditional put), read, its lease, totals, export
        # mark and counters (conditional updates, the counters inside a line's transaction with
        # the partner's reward_paid); the brand's batches (brand_index).
        TableAccess("payout_batches", (GET, PUT, UPDATE), indexes=("brand_index",)),
        # Lines: planned and finished in batch writes (puts), one read, a batch's lines (a
        # query on the key), settled (a conditional update in a transaction).
        TableAccess("payout_lines", (GET, BATCH_WRITE, UPDATE, QUERY)),
        # CaseRepository: create (conditional put), get, a note or a close (conditional update,
        # a staff answer's in a transaction with the partner's message: a put in notifications,
        # above); a partner's cases (partner_index) and the staff's queue (status_index). A
        # service case reads the unit (units, above), a complaint the serial's entry (rewards).
        TableAccess("partner_cases", (GET, PUT, UPDATE), indexes=("partner_index", "status_index")),
        # DealerRepository: create (a transaction of two conditional puts, the dealer and its
        # code's claim, with a condition check on its distributor), get, name_of (the landing
        # page), names_of (batch get), save_details (a conditional update with the
        # distributor's check, a transaction) and save_status (conditional update); the list
        # (list_index) and a distributor's dealers (parent_index).
        TableAccess(
            "dealers",
            (GET, BATCH_GET, PUT, UPDATE, CONDITION_CHECK),
            indexes=("list_index", "parent_index"),
        ),
        # DealerUserRepository: add (conditional put), get (every dealer request), remove
        # (conditional delete); a dealer's users (dealer_index).
        TableAccess("dealer_users", (GET, PUT, DELETE), indexes=("dealer_index",)),
        # ServiceCenterRepository: create (a transaction of two conditional puts, the centre and
        # its code's claim), get, name_of (a request's routed company), save_details and
        # save_status (conditional updates); the list, routing's choices and the public service
        # points (list_index).
        TableAccess("service_centers", (GET, PUT, UPDATE), indexes=("list_index",)),
        # ServiceCenterUserRepository: add (conditional put), get (every company user's
        # request), remove (conditional delete); a centre's users (center_index).
        TableAccess("service_center_users", (GET, PUT, DELETE), indexes=("center_index",)),
        # ClaimRepository: a request created or changed is a transaction of its conditional
        # put, its history item's conditional put and the board's state counts (updates); read
        # one (get), its history (a query on the key), the board's counts (batch get), the
        # table, the board's columns, an assignee's, a unit's and a customer's requests.
        # An erasure: the person's requests (customer_index) lose them in a transaction (the
        # request's conditional update, the history item's put); earlier items scrubbed.
        TableAccess("claims", (GET, PUT, UPDATE), indexes=CLAIM_INDEXES),
        TableAccess("claim_history", (PUT, QUERY, UPDATE)),
        TableAccess("claim_counts", (BATCH_GET, UPDATE)),
    ),
    uploads=(
        # A job for a list of serials: the uploaded CSV, read by on_label_job_change.
        S3Access("label-jobs/", (PUT_OBJECT,)),
        # Download links to finished sheets are presigned with this role's own credentials:
        # the role must be allowed the GetObject the link stands for.
        S3Access("labels/", (GET_OBJECT,)),
        S3Access("exports/", (GET_OBJECT,)),  # the same for an export job's Excel file
        # A payout batch's, a shipment's, the funnel's and a month's maintenance receivables'
        # Excel are written by the route itself (streamed to the bucket): each is bounded
        # (1,000 lines, 2,000 units, dealers × models × months, a month's visits).
        S3Access("exports/payouts/", (PUT_OBJECT,)),
        S3Access("exports/shipments/", (PUT_OBJECT,)),
        S3Access("exports/funnel/", (PUT_OBJECT,)),
        S3Access("exports/reports/", (PUT_OBJECT,)),
        S3Access("exports/receivables/", (PUT_OBJECT,)),
        # Unit imports: the presigned PUT of the file and GET of the report are signed with
        # this role's credentials; starting the import reads the file's size (HeadObject is
        # s3:GetObject) and deletes a file over the limit.
        S3Access("unit-imports/", (GET_OBJECT, PUT_OBJECT, DELETE_OBJECT)),
        # A model's picture: the presigned PUT of the original (signed with this role), its
        # size, bytes and deletion once the thumbnail is made; HeadObject is s3:GetObject.
        S3Access("model-images/", (PUT_OBJECT, GET_OBJECT, DELETE_OBJECT)),
        # A brand logo, likewise (re-encoded, then named by the brand's next save).
        S3Access("brand-logos/", (PUT_OBJECT, GET_OBJECT, DELETE_OBJECT)),
        # A case's photo, likewise: the original (presigned PUT, size, bytes, deletion) ...
        S3Access("case-uploads/", (PUT_OBJECT, GET_OBJECT, DELETE_OBJECT)),
        # ... and the stored WebP: never public, read through links presigned with this role
        # (a note's photos are checked to exist: HeadObject is s3:GetObject).
        S3Access("case-photos/", (PUT_OBJECT, GET_OBJECT)),
        # A service request's photos: the presigned PUT of the original and its existence
        # (HeadObject is s3:GetObject), never its bytes (the claims stream cleans it) ...
        S3Access("claim-uploads/", (PUT_OBJECT, GET_OBJECT)),
        # ... and links to the cleaned WebP, presigned with this role.
        S3Access("claim-photos/", (GET_OBJECT,)),
        # A maintenance ticket's photo: the original (presigned PUT, size, bytes, deletion),
        # cleaned by the route itself as a case's photo is ...
        S3Access("ticket-uploads/", (PUT_OBJECT, GET_OBJECT, DELETE_OBJECT)),
        # ... and the stored WebP, read through links presigned with this role.
        S3Access("ticket-photos/", (PUT_OBJECT, GET_OBJECT)),
        # The thumbnails and logos, public through the portal distribution's /media/* path.
        S3Access("media/", (PUT_OBJECT,)),
        # A model's PDF manual: the presigned PUT (signed with this role, under media/ above)
        # and its size checked before the help names it (HeadObject is s3:GetObject).
        S3Access("media/manuals/", (GET_OBJECT,)),
    ),
    reads_secrets=True,
    reads_messaging=True,  # the hooks: path token, webhook secrets, eSMS status credentials
    # CognitoIdentity: USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, the first sign-in's
    # challenge and ChangePassword. Cognito does not evaluate IAM for these (public APIs taking
    # the user's own credentials); the grant documents the dependency. CognitoUserPool (the
    # staff users routes, admin only) needs the admin calls, which IAM does check.
    cognito_actions=(
        "cognito-idp:InitiateAuth",
        "cognito-idp:RespondToAuthChallenge",
        "cognito-idp:ChangePassword",
        "cognito-idp:ListUsers",
        "cognito-idp:ListUsersInGroup",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminListGroupsForUser",
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminAddUserToGroup",
        "cognito-idp:AdminRemoveUserFromGroup",
        "cognito-idp:AdminDisableUser",
        "cognito-idp:AdminEnableUser",
        "cognito-idp:AdminSetUserPassword",
        "cognito-idp:AdminUserGlobalSignOut",
    ),
)

ON_UNIT_CHANGE = FunctionSpec(
    handler="on_unit_change",
    description=(
        "Units stream: activation -> confirmation message; daily activation counters; "
        "installer rewards; dealer funnel counters."
    ),
    tables=(
        # ModelCache.get: get_many (batch get), then get for a model the batch missed.
        TableAccess("models", (GET, BATCH_GET)),
        # The brand's hotline, named in the confirmation message.
        TableAccess("brands", (GET,)),
        # NotificationRepository.add: a conditional put with the deterministic message id.
        TableAccess("notifications", (PUT,)),
        # RollupRepository.count: per chunk a transaction of ADDs to the day items (updates)
        # and the counted events' markers (conditional puts).
        TableAccess("rollups", (PUT, UPDATE)),
        # AuditTrail.record_all: a batch's entries, 25 to a BatchWriteItem (deterministic keys:
        # a redelivery puts the same items); AuditTrail.record when that failed (a conditional put).
        TableAccess("audit", (PUT, BATCH_WRITE)),
        # The maintenance step: the model's plan (get, once per model and batch), then one
        # conditional put per plan line of the activated unit.
        TableAccess("maintenance_plans", (GET,)),
        TableAccess("maintenance", (PUT,)),
        # The reward step: the installer's partner (get by id, or phone_index) ...
        TableAccess("partners", (GET,), indexes=("phone_index",)),
        # ... the model's rules (model_index, once per model and batch) ...
        TableAccess("reward_rules", (), indexes=("model_index",)),
        # ... the partner's newest entries and the customer's count, then the one conditional
        # put of the serial's entry.
        TableAccess("rewards", (PUT,), indexes=("partner_index", "customer_index")),
        # FunnelRepository.count: per chunk a transaction of ADDs to the day and dealer totals
        # items (updates) and the counted events' markers (conditional puts).
        TableAccess("dealer_rollups", (PUT, UPDATE)),
        # ReportCounters.count: the same for the warranty reports' items.
        TableAccess("report_rollups", (PUT, UPDATE)),
    ),
    stream_table="units",
    reads_secrets=True,  # the QR keyring (certificate link) and the pepper (recipient key)
)

ON_NOTIFICATION_CHANGE = FunctionSpec(
    handler="on_notification_change",
    description="Notifications stream: the sender (one provider call per queued message).",
    tables=(
        # NotificationRepository: claim, settle and move are conditional updates (or the
        # update inside a transaction with the spend counter); the sweep's get reads one.
        TableAccess("notifications", (GET, UPDATE)),
        # The brand's daily spend counter: the claim's condition check, the outcome's ADD, and
        # the read when the cap is reached.
        TableAccess("rate_limits", (GET, UPDATE, CONDITION_CHECK)),
        # ZaloTokenStore (ZnsSender's AccessTokens): current() and refresh() read consistently,
        # take the lease and store the new pair with conditional updates. seed() is an update
        # too, run by a person after OA consent, not by this function.
        TableAccess("provider_tokens", (GET, UPDATE)),
        # RollupRepository.count: messages delivered and failed per day (updates and markers).
        TableAccess("rollups", (PUT, UPDATE)),
        # A confirmation that never arrived: the serial's reward entry read, then held (a
        # conditional update).
        # The sender asks the recipient's consent before a message a purpose governs
        # (CustomerRepository.granted: one GetItem of the purpose's attribute).
        TableAccess("customers", (GET,)),
        TableAccess("rewards", (GET, UPDATE)),
    ),
    stream_table="notifications",
    reads_messaging=True,  # the brand's providers and their credentials
    sends_alerts=True,
)

SWEEP_OUTBOX = FunctionSpec(
    handler="sweep_outbox",
    description="Every minute: due scheduled messages back to the sender; expired leases settled.",
    tables=(
        # NotificationRepository.due queries due_index; move, await_report and apply_report are
        # conditional updates; get reads an expired lease's or an unreported message.
        TableAccess("notifications", (GET, UPDATE), indexes=("due_index",)),
        # apply_report corrects the day's spend counter with the price eSMS reports.
        TableAccess("rate_limits", (UPDATE,)),
    ),
    reads_messaging=True,  # the eSMS credentials for GetSendStatus
    sends_alerts=True,
)

ON_LABEL_JOB_CHANGE = FunctionSpec(
    handler="on_label_job_change",
    description="Label jobs stream: a queued job's label sheets (PDF) into the uploads bucket.",
    tables=(
        # A batch's serials: the query on batch_index (keys only), then the units (batch get).
        TableAccess("units", (BATCH_GET,), indexes=("batch_index",)),
        # The brand's name and serial scheme printed on the labels.
        TableAccess("brands", (GET,)),
        # Carton labels: each carton's counts and models (get).
        TableAccess("cartons", (GET,)),
        # The job: read it, claim it with a lease, report progress and the outcome (conditional
        # updates).
        TableAccess("label_jobs", (GET, UPDATE)),
    ),
    stream_table="label_jobs",
    reads_secrets=True,  # the QR keyring: each label's signed link
    uploads=(
        S3Access("label-jobs/", (GET_OBJECT,)),  # a job's uploaded list of serials
        # The PDF, written in parts (multipart upload); the renderer aborts an upload it
        # cannot finish and lists an upload's parts.
        S3Access("labels/", (PUT_OBJECT, ABORT_MULTIPART, LIST_PARTS)),
    ),
)

ON_EXPORT_CHANGE = FunctionSpec(
    handler="on_export_change",
    description="Exports stream: an export job's Excel file (the units list, a month's rewards).",
    tables=(
        # A units export: the units the filters select, a query on one list index (or
        # batch_index, then batch gets), page by page; an exact serial is one get.
        TableAccess(
            "units",
            (GET, BATCH_GET),
            indexes=(
                "batch_index",
                "brand_serial_index",
                "model_serial_index",
                "status_serial_index",
                "activation_index",
            ),
        ),
        # A month's rewards: its entries (period_index, page by page) and each partner once.
        TableAccess("rewards", (), indexes=("period_index",)),
        TableAccess("partners", (GET,)),
        # The job: claim it with a lease, report progress and the outcome (conditional
        # updates).
        TableAccess("exports", (UPDATE,)),
    ),
    stream_table="exports",
    uploads=(S3Access("exports/", (PUT_OBJECT, ABORT_MULTIPART)),),  # the .xlsx (multipart)
)


ON_UNIT_IMPORT_CHANGE = FunctionSpec(
    handler="on_unit_import_change",
    description="Unit imports stream: a queued file's units registered, its Excel report written.",
    tables=(
        # UnitRepository: existing_serials and imported_by (batch get), add (transactional
        # conditional puts).
        TableAccess("units", (BATCH_GET, PUT)),
        # ModelCache.get_many (batch get); add bumps unit_count in its transaction (update).
        TableAccess("models", (GET, BATCH_GET, UPDATE)),
        # CartonRepository.count_imported: the carton column's cartons created or counted
        # (updates).
        TableAccess("cartons", (UPDATE,)),
        # The job: read it, claim it with a lease, report progress and the outcome (conditional
        # updates).
        TableAccess("unit_imports", (GET, UPDATE)),
    ),
    stream_table="unit_imports",
    uploads=(
        # The uploaded file (read), each run's results and the report (written; boto3's
        # transfer goes multipart above 8 MiB and aborts an upload it cannot finish).
        S3Access("unit-imports/", (GET_OBJECT, PUT_OBJECT, ABORT_MULTIPART)),
    ),
)


ON_BRAND_CHANGE = FunctionSpec(
    handler="on_brand_change",
    description="Brands stream: the brand's and its label templates' changes -> audit trail.",
    # AuditTrail.record: a conditional put with a deterministic id (a redelivery is a no-op).
    tables=(TableAccess("audit", (PUT,)),),
    stream_table="brands",
)

ON_MODEL_CHANGE = FunctionSpec(
    handler="on_model_change",
    description="Models stream: each product model's changes -> audit trail.",
    tables=(TableAccess("audit", (PUT,)),),
    stream_table="models",
)

REFRESH_ZALO_TOKEN = FunctionSpec(
    handler="refresh_zalo_token",
    description="Refreshes the Zalo OA access token before it expires (single-flight).",
    tables=(TableAccess("provider_tokens", (GET, UPDATE)),),
    reads_messaging=True,  # the OA's app id and secret
)

SEND_DEALER_NUDGES = FunctionSpec(
    handler="send_dealer_nudges",
    description="Mondays: each dealer's units shipped long ago and not activated -> one message.",
    tables=(
        # DealerDirectory.all: the dealers in code order (list_index).
        TableAccess("dealers", (), indexes=("list_index",)),
        # AwaitingUnitsReader.shipped_before: a dealer's oldest units awaiting activation and
        # their count (awaiting_index, sparse: only those units).
        TableAccess("units", (), indexes=("awaiting_index",)),
        # NotificationRepository.add: a conditional put with the dealer's and week's id.
        TableAccess("notifications", (PUT,)),
    ),
    reads_secrets=True,  # the pepper of the recipient's phone key
)

MAINTENANCE_REMINDERS = FunctionSpec(
    handler="maintenance_reminders",
    description="Daily: maintenance lines due today -> the customer reminded, again, or overdue.",
    tables=(
        # LineRepository: the job's watermark (get, conditional put); the day's timers
        # (timer_index, one query per shard); each line moved on in a transaction with its
        # message (the line's conditional put, the message's conditional put).
        TableAccess("maintenance", (GET, PUT), indexes=("timer_index", "stage_index")),
        TableAccess("notifications", (PUT,)),
        # UnitRepository.find_many: the owners of a shard's lines (BatchGetItem).
        TableAccess("units", (BATCH_GET,)),
        # ModelCache.get (the model's name in the message), the brand's hotline.
        TableAccess("models", (GET, BATCH_GET)),
        TableAccess("brands", (GET,)),
        # The desk's digest after the reminders: today's and the unassigned tickets (the
        # status index), the lines awaiting an answer or overdue (the stage index), the parts
        # and places and what each holds (queries on their keys).
        TableAccess("maintenance_tickets", (), indexes=("status_index",)),
        TableAccess("parts", (QUERY,)),
        TableAccess("stock_locations", (QUERY,)),
        TableAccess("stock", (QUERY,)),
    ),
    reads_secrets=True,  # the pepper: the recipient's key and the booking link's key
    # the digest's recipients: the desk's groups' accounts with a phone
    cognito_actions=("cognito-idp:ListUsersInGroup",),
)

ON_CLAIM_CHANGE = FunctionSpec(
    handler="on_claim_change",
    description=(
        "Claims stream: a request's photos cleaned; the customer's messages; audit; report "
        "counters."
    ),
    tables=(
        # ClaimRepository: the request read again (get) and its photos' update (a transaction
        # of the request's conditional put and its history item's).
        # The reports' step (below): a new request's unit's earlier requests (serial_index).
        TableAccess("claims", (GET, PUT), indexes=("serial_index",)),
        TableAccess("claim_history", (PUT,)),
        TableAccess("claim_counts", (UPDATE,)),
        # The brand's hotline, named in the customer's messages.
        TableAccess("brands", (GET,)),
        # NotificationRepository.add: a conditional put with the deterministic message id.
        TableAccess("notifications", (PUT,)),
        # AuditTrail.record: each change of a request, a conditional put with a deterministic id.
        TableAccess("audit", (PUT,)),
        # The reports' step: the batch's units (their dealer, one batch get), then per chunk
        # a transaction of ADDs and the counted events' markers (ReportCounters.count).
        TableAccess("units", (BATCH_GET,)),
        TableAccess("report_rollups", (PUT, UPDATE)),
    ),
    stream_table="claims",
    reads_secrets=True,  # the pepper: the recipient's key and the tracking link's key
    uploads=(
        # The original (size, bytes, deletion once cleaned) and the cleaned WebP (put; its
        # existence on a redelivery: HeadObject is s3:GetObject).
        S3Access("claim-uploads/", (GET_OBJECT, DELETE_OBJECT)),
        S3Access("claim-photos/", (PUT_OBJECT, GET_OBJECT)),
    ),
)

ON_REWARD_CHANGE = FunctionSpec(
    handler="on_reward_change",
    description="Rewards stream: the warranty reports' counters.",
    tables=(
        # The reports' step: the batch's units (their dimensions, one batch get), then per
        # chunk a transaction of ADDs and the counted events' markers (ReportCounters.count).
        TableAccess("units", (BATCH_GET,)),
        TableAccess("report_rollups", (PUT, UPDATE)),
    ),
    stream_table="rewards",
)

ON_RECEIVABLE_CHANGE = FunctionSpec(
    handler="on_receivable_change",
    description="Receivables stream: the warranty reports' counters.",
    tables=(
        # The same as the rewards stream's: the units, then the counters.
        TableAccess("units", (BATCH_GET,)),
        TableAccess("report_rollups", (PUT, UPDATE)),
    ),
    stream_table="receivables",
)

APPLY_RETENTION = FunctionSpec(
    handler="apply_retention",
    description="Daily: items past their retention period lose their people.",
    tables=(
        # RequestRepository: the settings and the job's watermarks (get, update).
        TableAccess("privacy_requests", (GET, UPDATE)),
        # MessageRetention: a brand's oldest messages (brand_index), deleted.
        TableAccess("notifications", (DELETE,), indexes=("brand_index",)),
        # ClaimRetention: closed and cancelled requests in state order (state_index), each
        # erased as an erasure would (get, the request's update and the history item's put in
        # a transaction, earlier items' updates).
        TableAccess("claims", (GET, UPDATE), indexes=("state_index",)),
        TableAccess("claim_history", (PUT, QUERY, UPDATE)),
        # VisitRetention: done and cancelled tickets in slot order (status_index), likewise,
        # and their receivable's name.
        TableAccess("maintenance_tickets", (GET, UPDATE), indexes=("status_index",)),
        TableAccess("maintenance_ticket_history", (PUT, QUERY, UPDATE)),
        TableAccess("receivables", (UPDATE,)),
    ),
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    API,
    ON_UNIT_CHANGE,
    ON_NOTIFICATION_CHANGE,
    ON_LABEL_JOB_CHANGE,
    ON_EXPORT_CHANGE,
    ON_UNIT_IMPORT_CHANGE,
    ON_BRAND_CHANGE,
    ON_MODEL_CHANGE,
    ON_CLAIM_CHANGE,
    ON_REWARD_CHANGE,
    ON_RECEIVABLE_CHANGE,
    SWEEP_OUTBOX,
    REFRESH_ZALO_TOKEN,
    SEND_DEALER_NUDGES,
    MAINTENANCE_REMINDERS,
    APPLY_RETENTION,
)
