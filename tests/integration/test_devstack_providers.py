"""The devstack's fake Zalo and eSMS in their demo mode, and ``devstack.providers`` around them.

Specs: an accepted ZNS send is followed by a ``user_received_message`` receipt whose
``X-ZEvent-Signature`` verifies (zalo.md#webhooks), retried while our API is down; a number ending
in 9 has no Zalo account (-118); an accepted eSMS send with a ``CallbackUrl`` is followed by a DLR
GET (sms.md#esms-delivery-report) that ``GetSendStatus`` confirms; ``POST /_demo/mo`` sends a signed
MO (sms.md#esms-inbound-sms) and answers our reply as it came; ``POST /_demo/zalo`` plays a user of
the OA and answers what our app then replied in the chat. Our API is a tiny local HTTP server that
records the calls (``Hooks``), or, for ``/_demo/zalo``, the app itself behind a local port
(``AppOverHttp``).
"""

from __future__ import annotations

import json
import os
import queue
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import urllib3

from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.messaging.config import parse_messaging_config
from chalicelib.messaging.provider_errors import ErrorClass
from chalicelib.messaging.providers.esms import EsmsSender, request_id_for
from chalicelib.messaging.providers.port import SendRequest
from chalicelib.messaging.providers.zns import ZnsSender, new_pool
from chalicelib.messaging.webhook_signatures import verify_esms_mo, verify_zalo
from devstack import provision
from devstack.config import StackError
from devstack.fakes.http import Courier, QuietHttpServer, running
from devstack.fakes.sms import EsmsDemo, FakeEsms
from devstack.fakes.zalo import FakeZalo, InMemoryAccessTokens, ZaloDemo
from devstack.providers import (
    CLAIM_TEMPLATES,
    MAINTENANCE_TEMPLATES,
    ProviderCredentials,
    Providers,
    load_or_create_credentials,
)
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api
from tests.support.aws import Emulator, clear_app_caches

T = TypeVar("T")
FAST = urllib3.Timeout(connect=1.0, read=2.0)
DELAY = 0.05  # seconds before a fake calls back (0.5 in the stack)
APP_ID, OA_ID, WEBHOOK_SECRET = "2074138120372622546", "2893352839501541173", "oa-secret"
CPID, MO_KEY = "CP01", "17417a0d20114d36a902e49cad0e97f3"
ZNS_REQUEST = SendRequest(
    message_id="m_activation0001",
    to_e164="+84912345678",
    text="",
    template_id="7895417a7d3f9461cd2e",
    template_data={"customer": "Nguyễn Thị Hoàng Anh", "serial": "SN240001234"},
)
SMS_TEXT = "BH SN240001234 da kich hoat den 20/03/2027. Tra cuu: https://bh.x.vn/t"
MO_REPLY = (
    b"<ClientResponse><Message>Cam on, BH SN240001234 da kich hoat</Message>"
    b"<Smsid>MO123</Smsid><Receiver>84912345678</Receiver></ClientResponse>"
)


# --- our API's hooks, as far as the fakes can tell -------------------------------------------


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes


class Hooks:
    """Records each call and answers the next scripted reply (then 200 ``{}``)."""

    def __init__(self) -> None:
        self.hits: queue.Queue[Hit] = queue.Queue()
        self.replies: deque[tuple[int, str, bytes]] = deque()
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            owner: ClassVar[Hooks] = hooks

            def do_GET(self) -> None:
                self._record()

            def do_POST(self) -> None:
                self._record()

            def _record(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                self.owner.hits.put(Hit(self.command, url.path, query, headers, body))
                replies = self.owner.replies
                status, content_type, payload = (
                    replies.popleft() if replies else (200, "application/json", b"{}")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = QuietHttpServer(("127.0.0.1", 0), Handler)

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def next_hit(self, timeout: float = 3.0) -> Hit:
        return self.hits.get(timeout=timeout)

    def no_hit_within(self, seconds: float) -> bool:
        try:
            self.hits.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    receiver = Hooks()
    receiver.start()
    yield receiver
    receiver.stop()


def eventually(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 3.0) -> T:
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.02)
        value = read()
    return value


# --- FakeZalo ----------------------------------------------------------------------------------


def demo_zalo(hooks: Hooks) -> FakeZalo:
    return FakeZalo(
        app_id=APP_ID,
        demo=ZaloDemo(
            hook_url=f"{hooks.url}/hooks/zalo",
            oa_id=OA_ID,
            webhook_secret=WEBHOOK_SECRET,
            delay=DELAY,
        ),
        courier=Courier(first_pause=0.05),
    )


def zns_sender(zalo: FakeZalo, base_url: str | None = None) -> ZnsSender:
    pool = new_pool()
    tokens = InMemoryAccessTokens(
        pool,
        base_url or zalo.url,
        app_id=zalo.app_id,
        secret_key=zalo.secret_key,
        access_token=zalo.access_token,
        refresh_token=next(iter(zalo.refresh_tokens)),
    )
    return ZnsSender(tokens, pool, base_url=base_url or zalo.url, timeout=FAST)


def test_zalo_demo_sends_a_signed_receipt_for_an_accepted_send(hooks: Hooks) -> None:
    with running(demo_zalo(hooks)) as zalo:
        result = zns_sender(zalo).send(ZNS_REQUEST)
        receipt = hooks.next_hit()

    assert result.accepted and result.provider_message_id
    assert receipt.method == "POST" and receipt.path == "/hooks/zalo"
    assert receipt.headers["x-zevent-server"] == "ZNS"
    now_ms = int(time.time() * 1000)
    signature = receipt.headers["x-zevent-signature"]
    assert verify_zalo(signature, APP_ID, receipt.body, WEBHOOK_SECRET, now_ms=now_ms)
    assert not verify_zalo(signature, APP_ID, receipt.body, "another-secret", now_ms=now_ms)
    event = json.loads(receipt.body)
    assert event["event_name"] == "user_received_message"
    assert event["app_id"] == APP_ID and event["sender"] == {"id": OA_ID}
    assert event["recipient"] == {"id": "84912345678"}
    assert event["message"]["msg_id"] == result.provider_message_id
    assert event["message"]["tracking_id"] == "m_activation0001"
    assert isinstance(event["timestamp"], str) and event["timestamp"].isdigit()
    assert int(event["message"]["delivery_time"]) <= int(event["timestamp"])


def test_zalo_demo_retries_the_receipt_while_our_api_is_not_up(hooks: Hooks) -> None:
    hooks.replies.append((503, "text/plain", b"starting"))
    with running(demo_zalo(hooks)) as zalo:
        zns_sender(zalo).send(ZNS_REQUEST)
        first, second = hooks.next_hit(), hooks.next_hit()
        assert hooks.no_hit_within(0.3)  # a 200 ends it

    assert first.body == second.body
    assert "num_retry" not in first.headers and second.headers["num_retry"] == "1"
    assert [a.status for a in zalo.courier.attempts] == [503, 200]


def test_zalo_demo_has_no_account_for_numbers_ending_in_9(hooks: Hooks) -> None:
    no_account = replace(ZNS_REQUEST, to_e164="+84912345679")
    with running(demo_zalo(hooks)) as zalo:
        result = zns_sender(zalo).send(no_account)
        assert hooks.no_hit_within(DELAY * 6)

    assert result.error_code == "-118" and not result.accepted
    assert result.error_class is ErrorClass.PERMANENT_RECIPIENT
    assert zalo.courier.attempts == []


def test_zalo_without_demo_keeps_its_test_behaviour(hooks: Hooks) -> None:
    no_account = replace(ZNS_REQUEST, to_e164="+84912345679")
    with running(FakeZalo()) as zalo:
        result = zns_sender(zalo).send(no_account)
        assert hooks.no_hit_within(0.2)

    assert result.accepted and result.provider_message_id == "msg00000000000000001"


def test_zalo_demo_refresh_gives_random_single_use_tokens(hooks: Hooks) -> None:
    with running(demo_zalo(hooks)) as zalo:
        zalo.fail_next_sends(-124)
        sender = zns_sender(zalo)
        result = sender.send(ZNS_REQUEST)

        assert result.accepted
        assert len(zalo.refreshes()) == 1
        assert zalo.access_token not in ("at-0", "at-1") and len(zalo.access_token) > 20
        assert "rt-0" not in zalo.refresh_tokens and len(zalo.refresh_tokens) == 1


# --- FakeEsms ----------------------------------------------------------------------------------


def demo_esms(hooks: Hooks) -> FakeEsms:
    return FakeEsms(
        demo=EsmsDemo(
            mo_url=f"{hooks.url}/hooks/esms/mo",
            mo_cpid=CPID,
            mo_private_key=MO_KEY,
            delay=DELAY,
        ),
        courier=Courier(first_pause=0.05),
    )


def esms_sender(
    esms: FakeEsms, callback_url: str | None, base_url: str | None = None
) -> EsmsSender:
    return EsmsSender(
        api_key=esms.api_key,
        secret_key=esms.secret_key,
        brandname=esms.brandname,
        base_url=base_url or esms.url,
        callback_url=callback_url,
        pool=new_pool(),
        timeout=FAST,
    )


def test_esms_demo_calls_the_dlr_hook_and_get_send_status_agrees(hooks: Hooks) -> None:
    callback = f"{hooks.url}/hooks/esms/dlr/path-token-0123456789"
    with running(demo_esms(hooks)) as esms:
        sender = esms_sender(esms, callback)
        result = sender.send(SendRequest("m_activation0001", "+84912345678", SMS_TEXT))
        dlr = hooks.next_hit()
        status = sender.status(dlr.query["SMSID"])

    assert result.accepted and result.provider_message_id
    assert dlr.method == "GET" and dlr.path == "/hooks/esms/dlr/path-token-0123456789"
    assert dlr.query == {
        "SMSID": result.provider_message_id,
        "SendFailed": "0",
        "SendStatus": "5",
        "SendSuccess": "1",
        "TotalPrice": "850.0000",
        "TotalReceiver": "1",
        "TotalSent": "1",
        "RequestId": request_id_for("m_activation0001"),
        "TypeId": "2",
        "telcoid": "3",  # 091: VinaPhone
        "phonenumber": "0912345678",
        "switchsmsid": "",
    }
    assert list(dlr.query)[:3] == ["SMSID", "SendFailed", "SendStatus"]  # the reference's order
    assert status.delivered and status.total_price == Decimal("850")
    assert status.sms_id == result.provider_message_id


def test_esms_demo_loses_the_dlr_of_a_number_but_get_send_status_says_delivered(
    hooks: Hooks,
) -> None:
    callback = f"{hooks.url}/hooks/esms/dlr/path-token-0123456789"
    with running(demo_esms(hooks)) as esms:
        assert esms.lose_reports_for("+84 912 345 679") == "0912345679"
        sender = esms_sender(esms, callback)
        lost = sender.send(SendRequest("m_lost0001", "+84912345679", SMS_TEXT))
        assert lost.provider_message_id is not None
        no_dlr = hooks.no_hit_within(DELAY * 6)
        status = sender.status(lost.provider_message_id)
        other = sender.send(SendRequest("m_kept0001", "+84912345678", SMS_TEXT))
        dlr = hooks.next_hit()

    assert lost.accepted and no_dlr
    assert status.delivered and status.total_price == Decimal("850")
    assert esms.dlr_lost(lost.provider_message_id)
    assert dlr.query["SMSID"] == other.provider_message_id  # other numbers keep their DLR
    with pytest.raises(ValueError, match="Vietnamese mobile"):
        esms.lose_reports_for("+14155550123")


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("x" * 160, Decimal("850")),
        ("x" * 161, Decimal("1700")),  # two segments of 153
        ("Bảo hành " + "đ" * 61, Decimal("850")),  # 70 UCS-2 characters
        ("Bảo hành " + "đ" * 62, Decimal("1700")),
    ],
)
def test_esms_demo_prices_each_segment(hooks: Hooks, text: str, price: Decimal) -> None:
    with running(demo_esms(hooks)) as esms:
        sender = esms_sender(esms, callback_url=None)
        result = sender.send(SendRequest("m_segments", "+84912345678", text))
        assert result.provider_message_id is not None
        status = sender.status(result.provider_message_id)
        assert hooks.no_hit_within(DELAY * 4)  # no CallbackUrl: eSMS calls nobody

    assert status.total_price == price


def test_esms_mo_is_signed_as_the_reference_says(hooks: Hooks) -> None:
    esms = demo_esms(hooks)

    query = esms.mo_query("0912 345 678", "BH   SN240001234", smsid="MO123")

    assert query["sender"] == "84912345678" and query["content"] == "BH SN240001234"
    assert query["keyword"] == "BH" and query["serviceNumber"] == "8079"
    assert query["cpid"] == CPID and len(query["receiverTime"]) == 14
    args = (CPID, "MO123", "BH SN240001234", query["receiverTime"])
    assert verify_esms_mo(query["sign"], *args, MO_KEY)
    assert not verify_esms_mo(query["sign"], *args, "another-key")
    with pytest.raises(ValueError, match="Vietnamese mobile"):
        esms.mo_query("+14155550123", "BH SN1")


# --- devstack.providers ------------------------------------------------------------------------


@pytest.fixture
def providers(hooks: Hooks) -> Iterator[Providers]:
    providers = Providers(
        ProviderCredentials.generate(), port=0, public_url=hooks.url, callback_delay=DELAY
    )
    providers.start()
    yield providers
    providers.stop()


def test_demo_mo_calls_our_hook_signed_and_answers_our_reply_verbatim(
    hooks: Hooks, providers: Providers
) -> None:
    hooks.replies.append((200, "text/xml; charset=utf-8", MO_REPLY))

    answer = requests.post(
        f"{providers.url}/_demo/mo",
        data='{"phone":"0912345678","text":"BH SN240001234"}',
        timeout=5,
    )
    mo = hooks.next_hit()

    assert answer.status_code == 200 and answer.content == MO_REPLY
    assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert mo.method == "GET" and mo.path == "/hooks/esms/mo"
    esms = providers.credentials.esms
    assert mo.query["cpid"] == esms.mo_cpid and mo.query["sender"] == "84912345678"
    assert mo.query["content"] == "BH SN240001234" and mo.query["keyword"] == "BH"
    assert verify_esms_mo(
        mo.query["sign"],
        esms.mo_cpid,
        mo.query["smsid"],
        mo.query["content"],
        mo.query["receiverTime"],
        esms.mo_private_key,
    )


def test_demo_mo_explains_a_bad_request_and_an_api_that_is_down(providers: Providers) -> None:
    bad = requests.post(f"{providers.url}/_demo/mo", data="BH SN1", timeout=5)
    providers.esms.demo = EsmsDemo(  # our API is not listening there
        mo_url="http://127.0.0.1:9/hooks/esms/mo", mo_cpid=CPID, mo_private_key=MO_KEY
    )
    down = requests.post(
        f"{providers.url}/_demo/mo", json={"phone": "0912345678", "text": "BH SN1"}, timeout=5
    )

    assert bad.status_code == 400 and bad.json()["example"]["text"].startswith("BH ")
    assert down.status_code == 502 and "did not answer" in down.json()["error"]


def test_brand_config_sends_through_the_fakes_and_lists_what_they_got(
    hooks: Hooks, providers: Providers
) -> None:
    config = parse_messaging_config(providers.messaging_config("demo"))
    brand = config.brand("demo")
    assert brand.zns is not None and brand.sms is not None and brand.sms.esms is not None
    assert set(brand.templates) == {
        "activation_confirmed",
        "lookup_code",
        "dealer_unactivated",
        *CLAIM_TEMPLATES,
        *MAINTENANCE_TEMPLATES,
    }
    zns = zns_sender(providers.zalo, base_url=brand.zns.send_url)
    sms = esms_sender(
        providers.esms,
        f"{config.hooks.public_url}/hooks/esms/dlr/{config.hooks.path_token}",
        base_url=brand.sms.esms.base_url,
    )

    assert zns.send(ZNS_REQUEST).accepted
    no_account = replace(ZNS_REQUEST, to_e164="+84912345679")
    assert zns.send(no_account).error_code == "-118"
    assert sms.send(SendRequest("m_activation0001", "+84912345679", SMS_TEXT)).accepted
    calls = {hooks.next_hit().path, hooks.next_hit().path}
    sent = eventually(
        lambda: requests.get(f"{providers.url}/_demo/sent", timeout=5).json(),
        lambda sent: len(sent["callbacks"]) == 2,  # noted once the hook has answered
    )

    assert calls == {"/hooks/zalo", f"/hooks/esms/dlr/{config.hooks.path_token}"}
    assert [(s["provider"], s["phone"]) for s in sent["sent"]] == [
        ("zalo", "********678"),
        ("zalo", "********679"),
        ("esms", "*******679"),
    ]
    assert sent["sent"][0]["template_data"] == ZNS_REQUEST.template_data
    assert sent["sent"][0]["answer"]["error"] == 0 and sent["sent"][0]["answer"]["msg_id"]
    assert sent["sent"][1]["answer"] == {"error": -118, "message": "Zalo account not existed"}
    assert sent["sent"][2]["text"] == SMS_TEXT and sent["sent"][2]["answer"]["CodeResult"] == "100"
    assert {c["hook"] for c in sent["callbacks"]} == {"zalo receipt", "esms dlr"}
    assert "84912345678" not in json.dumps(sent) and "0912345679" not in json.dumps(sent)


def test_demo_lost_reports_withholds_a_numbers_dlr_and_the_journal_shows_the_status_question(
    hooks: Hooks, providers: Providers
) -> None:
    config = parse_messaging_config(providers.messaging_config("demo"))
    brand = config.brand("demo")
    assert brand.sms is not None and brand.sms.esms is not None
    sms = esms_sender(
        providers.esms,
        f"{config.hooks.public_url}/hooks/esms/dlr/{config.hooks.path_token}",
        base_url=brand.sms.esms.base_url,
    )

    bad = requests.post(f"{providers.url}/_demo/lost-reports", json={"phone": "12"}, timeout=5)
    lost = requests.post(
        f"{providers.url}/_demo/lost-reports", json={"phone": "0912 345 679"}, timeout=5
    )
    sent = sms.send(SendRequest("m_lost0001", "+84912345679", SMS_TEXT))
    assert sent.provider_message_id is not None
    no_dlr = hooks.no_hit_within(DELAY * 6)
    status = sms.status(sent.provider_message_id)
    journal = requests.get(f"{providers.url}/_demo/sent", timeout=5).json()

    assert bad.status_code == 400 and bad.json()["example"] == {"phone": "0912345679"}
    assert lost.status_code == 200 and lost.json() == {"phone": "*******679", "dlr": "lost"}
    assert sent.accepted and no_dlr and status.delivered
    assert journal["callbacks"] == []
    send, asked = journal["sent"]
    assert (send["provider"], send["request_id"], send["dlr"]) == ("esms", "m_lost0001", "lost")
    assert asked == {
        "at": asked["at"],
        "provider": "esms",
        "asked": "GetSendStatus",
        "sms_id": sent.provider_message_id,
        "answer": {
            "CodeResponse": "100",
            "SendStatus": 5,
            "SendSuccess": 1,
            "SendFailed": 0,
            "TotalPrice": 850.0,
        },
    }
    esms = providers.credentials.esms
    assert esms.api_key not in json.dumps(journal) and esms.secret_key not in json.dumps(journal)


def test_install_zalo_tokens_seeds_once_and_a_restart_keeps_the_refreshed_pair(
    aws: Emulator, hooks: Hooks
) -> None:
    from chalicelib.messaging.config import BrandMessaging
    from chalicelib.messaging.wiring import zalo_token_store

    credentials = ProviderCredentials.generate()
    first = Providers(credentials, port=0, public_url=hooks.url, callback_delay=DELAY)
    assert first.install_zalo_tokens() is True
    first.start()
    try:
        brand = BrandMessaging.model_validate(first.brand_config())
        store = zalo_token_store(brand)
        assert store is not None and store.current() == credentials.zalo.access_token
        refreshed = store.refresh(credentials.zalo.access_token)  # spends the first pair
    finally:
        first.stop()

    restarted = Providers(credentials, port=0, public_url=hooks.url, callback_delay=DELAY)
    assert restarted.install_zalo_tokens() is False
    restarted.start()
    try:
        sender = ZnsSender(store, new_pool(), base_url=restarted.url + "/zalo", timeout=FAST)
        result = sender.send(ZNS_REQUEST)
    finally:
        restarted.stop()

    assert refreshed != credentials.zalo.access_token and store.current() == refreshed
    assert restarted.zalo.access_token == refreshed
    assert result.accepted and restarted.zalo.refreshes() == []


def test_provider_credentials_are_generated_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "providers.json"

    created = load_or_create_credentials(path)
    again = load_or_create_credentials(path)

    assert again == created
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(created.hooks_path_token) >= 32
    assert created.zalo.app_id.isdigit() and len(created.zalo.app_id) == 19
    assert created.zalo.secret_key not in repr(created)
    path.write_text('{"zalo": {}}', encoding="utf-8")
    with pytest.raises(StackError, match="make reset"):
        load_or_create_credentials(path)


# --- POST /_demo/zalo, against the app -----------------------------------------------------------


class AppOverHttp:
    """The app (through ``chalice.test.Client``) behind a local HTTP port: what the fakes call
    back. One request at a time, as the test client allows."""

    def __init__(self, api: Api) -> None:
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    response = api.request(
                        "POST", self.path, body=body, headers=dict(self.headers.items())
                    )
                self.send_response(response.status_code)
                self.send_header("Content-Type", response.headers.get("Content-Type", "text/plain"))
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = QuietHttpServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def demo_stack(aws: Emulator, api: Api) -> Iterator[Providers]:
    """The app with the demo brand sending through the fakes, and serial ``SN240001234``."""
    from chalicelib.core.settings import get_settings

    app = AppOverHttp(api)
    providers = Providers(
        ProviderCredentials.generate(), port=0, public_url=app.url, callback_delay=DELAY
    )
    providers.start()
    provision.put_messaging(
        aws.ssm, get_settings().messaging_parameter, providers.messaging_config("demo")
    )
    clear_app_caches()
    providers.install_zalo_tokens()
    seed.model("AC-9")
    seed.units(["SN240001234"])
    yield providers
    providers.stop()
    app.stop()


def test_demo_zalo_shares_the_phone_then_activates_by_chat_and_answers_the_replies(
    demo_stack: Providers,
) -> None:
    answer = requests.post(
        f"{demo_stack.url}/_demo/zalo",
        json={"user_id": "u123", "text": "BH SN240001234", "phone": "0912345678"},
        timeout=10,
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["hook"] == {"user_submit_info": 200, "user_send_text": 200}
    thanks, activated = body["replies"]
    assert "+84 91* *** *78" in thanks["text"]
    assert activated["text"].startswith("Serial SN240001234 da duoc kich hoat")
    activation = UnitRepository().get("SN240001234").activation
    assert activation is not None
    assert (activation.owner.phone, activation.channel) == (f.PHONE, "zalo")
    sent = requests.get(f"{demo_stack.url}/_demo/sent", timeout=5).json()
    chat = [s for s in sent["sent"] if s["provider"] == "zalo_oa"]
    assert [c["text"] for c in chat] == [thanks["text"], activated["text"]]
    assert {c["user_id"] for c in chat} == {"u123"}
    assert all(c["answer"] == {"error": 0, "message": "Success"} for c in chat)
    assert [c["hook"] for c in sent["callbacks"]] == [
        "zalo user_submit_info",
        "zalo user_send_text",
    ]
    assert "0912345678" not in json.dumps(sent) and "84912345678" not in json.dumps(sent)


def test_demo_zalo_without_a_phone_gets_the_request_to_share_it(demo_stack: Providers) -> None:
    answer = requests.post(
        f"{demo_stack.url}/_demo/zalo", json={"user_id": "u9", "text": "BH SN240001234"}, timeout=10
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["hook"] == {"user_send_text": 200}
    ask, card = body["replies"]
    assert "BH <" in ask["text"]
    assert set(card["request_user_info"]) == {"title", "subtitle"}
    assert UnitRepository().get("SN240001234").activation is None


def test_demo_zalo_explains_a_bad_request_and_an_api_that_is_down(providers: Providers) -> None:
    bad = requests.post(f"{providers.url}/_demo/zalo", json={"text": "BH SN1"}, timeout=5)
    providers.zalo.demo = ZaloDemo(  # our API is not listening there
        hook_url="http://127.0.0.1:9/hooks/zalo", oa_id=OA_ID, webhook_secret=WEBHOOK_SECRET
    )
    down = requests.post(
        f"{providers.url}/_demo/zalo", json={"user_id": "u1", "text": "BH SN1"}, timeout=5
    )

    assert bad.status_code == 400 and bad.json()["example"]["user_id"] == "u123"
    assert down.status_code == 502 and "did not answer" in down.json()["error"]


def test_demo_zalo_events_are_signed_as_zalo_signs_them(hooks: Hooks, providers: Providers) -> None:
    requests.post(
        f"{providers.url}/_demo/zalo",
        json={"user_id": "u1", "text": "BH SN1", "phone": "0912 345 678", "name": "Anh"},
        timeout=5,
    )
    share, text = hooks.next_hit(), hooks.next_hit()

    zalo = providers.credentials.zalo
    now_ms = int(time.time() * 1000)
    for hit in (share, text):
        assert hit.path == "/hooks/zalo"
        signature = hit.headers["x-zevent-signature"]
        assert verify_zalo(signature, zalo.app_id, hit.body, zalo.webhook_secret, now_ms=now_ms)
    shared, written = json.loads(share.body), json.loads(text.body)
    assert shared["event_name"] == "user_submit_info" and shared["sender"] == {"id": "u1"}
    assert shared["info"]["phone"] == "84912345678" and shared["info"]["name"] == "Anh"
    assert written["event_name"] == "user_send_text" and written["sender"] == {"id": "u1"}
    assert written["message"]["text"] == "BH SN1" and written["message"]["msg_id"]
    assert written["recipient"] == {"id": zalo.oa_id} and written["app_id"] == zalo.app_id
