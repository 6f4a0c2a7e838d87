"""The API as the command line sees it: one HTTP session, a bearer token (from ``POST
/auth/login`` or ready in ``GARANTI_TOKEN``), and the API's error body turned into
:class:`ApiError`, which keeps both languages so the user reads the message the console shows.

The token and the password live in this module's objects only: never printed, never logged."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import requests

DEFAULT_API = "http://127.0.0.1:8000"
TIMEOUT_SECONDS = 30.0  # one request; a long job is polled, never waited on in one call
CHUNK = 1024 * 1024
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_BODY_KEYS = frozenset({"code", "message", "messages", "fields"})


class CliError(Exception):
    """A problem on this side (no credentials, API unreachable, a file that cannot be
    written): English only, exit status 1."""


class UsageError(CliError):
    """Options that do not go together: exit status 2, like argparse's own."""


class ApiError(Exception):
    """An error the API answered with: its stable ``code``, the message in Vietnamese and
    English, the HTTP status, the fields it names and any details (``limit``, ``lines``)."""

    def __init__(
        self,
        code: str,
        messages: Mapping[str, str],
        *,
        status: int | None = None,
        fields: tuple[tuple[str, str, str], ...] = (),
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.fields = fields  # (field, code, message)
        given = dict(details or {})
        self.messages = {lang: _fill(text, given) for lang, text in messages.items()}
        used = {name for text in messages.values() for name in _PLACEHOLDER.findall(text)}
        self.details = {k: v for k, v in given.items() if k not in used}

    def lines(self, language: str = "both") -> list[str]:
        """What the user reads: the message in ``language`` ("vi", "en") or in both, the
        code, then each field and detail the API named.

        >>> error = ApiError("too_many_labels", {"vi": "Tối đa {limit} nhãn.",
        ...     "en": "At most {limit} labels."}, status=400, details={"limit": 100000})
        >>> error.lines()
        ['too_many_labels (HTTP 400)', '  vi: Tối đa 100000 nhãn.', '  en: At most 100000 labels.']
        >>> error.lines("en")
        ['At most 100000 labels. [too_many_labels]']
        """
        if language in self.messages:
            out = [f"{self.messages[language]} [{self.code}]"]
        else:
            status = f" (HTTP {self.status})" if self.status else ""
            out = [f"{self.code}{status}"]
            out += [
                f"  {lang}: {text}" for lang, text in sorted(self.messages.items(), key=_vi_first)
            ]
        out += [f"  {name}: {message or code} [{code}]" for name, code, message in self.fields]
        out += [f"  {key}: {_plain(value)}" for key, value in self.details.items()]
        return out


def _vi_first(item: tuple[str, str]) -> tuple[int, str]:
    return (0 if item[0] == "vi" else 1, item[0])


def _fill(message: str, details: Mapping[str, Any]) -> str:
    """The catalogue's ``{limit}`` filled from the error's details when the API left it:
    "One job prints at most {limit} labels." with ``limit=100000`` reads as it should."""

    def value(match: re.Match[str]) -> str:
        found = details.get(match.group(1))
        return match.group(0) if found is None else _plain(found)

    return _PLACEHOLDER.sub(value, message)


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def error_from_body(body: Any, status: int | None) -> ApiError:
    """``{"error": {"code", "message", "messages": {"vi", "en"}, "fields"?, …details}}`` (a
    route's error) or ``{"code", "message": {"vi", "en"}}`` (a job's ``error``)."""
    error = body.get("error", body) if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        reason = f"HTTP {status}" if status else "an unexpected answer"
        return ApiError(
            "unexpected_response",
            {
                "vi": f"API trả lời lạ ({reason}).",
                "en": f"Unexpected answer from the API ({reason}).",
            },
            status=status,
        )
    messages = error.get("messages") or error.get("message")
    if not isinstance(messages, dict):
        text = str(messages or error["code"])
        messages = {"vi": text, "en": text}
    fields = tuple(
        (str(f.get("field", "")), str(f.get("code", "")), str(f.get("message", "")))
        for f in error.get("fields") or ()
        if isinstance(f, dict)
    )
    details = {k: v for k, v in error.items() if k not in _BODY_KEYS}
    return ApiError(
        error["code"],
        {str(k): str(v) for k, v in messages.items()},
        status=status,
        fields=fields,
        details=details,
    )


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str | None  # from Content-Disposition


class Api:
    """Calls one API with one token. ``language`` goes out as ``Accept-Language`` (it picks
    the language of field messages; the error's own message comes in both)."""

    def __init__(
        self, base_url: str, token: str, *, language: str = "en", session: requests.Session
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._language = language
        self._session = session

    def __repr__(self) -> str:  # never the token
        return f"Api({self.base_url!r})"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        sent = {
            "Authorization": f"Bearer {self._token}",
            "Accept-Language": self._language,
            **(headers or {}),
        }
        return send(
            self._session,
            method,
            f"{self.base_url}{path}",
            params=params,
            json=json,
            data=data,
            headers=sent,
        )

    def get_json(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        return _json(self.request("GET", path, params=params))

    def post_json(self, path: str, body: Any) -> Any:
        return _json(self.request("POST", path, json=body))

    def post_text(
        self, path: str, data: bytes, content_type: str, params: Mapping[str, str]
    ) -> Any:
        response = self.request(
            "POST", path, data=data, params=params, headers={"Content-Type": content_type}
        )
        return _json(response)

    def get_file(
        self, path: str, *, accept: str, params: Mapping[str, str | int] | None = None
    ) -> Download:
        response = self.request("GET", path, params=params, headers={"Accept": accept})
        return Download(response.content, _filename(response.headers.get("Content-Disposition")))

    def download(
        self, url: str, dest: Path, *, on_chunk: Callable[[int], None] | None = None
    ) -> int:
        """Fetch a presigned URL into ``dest`` (through ``dest.part``, renamed when whole); the
        URL carries its own signature, so no Authorization header goes with it."""
        partial = dest.with_name(dest.name + ".part")
        try:
            with self._session.get(url, stream=True, timeout=TIMEOUT_SECONDS) as response:
                if response.status_code >= 400:
                    raise CliError(f"download failed: HTTP {response.status_code} from storage")
                written = 0
                with partial.open("wb") as out:
                    for chunk in _chunks(response):
                        out.write(chunk)
                        written += len(chunk)
                        if on_chunk is not None:
                            on_chunk(len(chunk))
            partial.replace(dest)
        except requests.RequestException as exc:
            raise CliError(f"download failed: {type(exc).__name__}") from exc
        except OSError as exc:
            raise CliError(f"cannot write {dest}: {exc.strerror or exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
        return written


def _chunks(response: requests.Response) -> Iterator[bytes]:
    yield from (c for c in response.iter_content(CHUNK) if c)


def send(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One call; an error status becomes :class:`ApiError`, a network failure :class:`CliError`."""
    try:
        response = session.request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
    except requests.ConnectionError as exc:
        base = url.split("/", 3)[:3]
        raise CliError(
            f"cannot reach the API at {'/'.join(base)} (is `make run` running? see --api)"
        ) from exc
    except requests.RequestException as exc:
        raise CliError(f"request to the API failed: {type(exc).__name__}") from exc
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        raise error_from_body(body, response.status_code)
    return response


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise error_from_body(None, response.status_code) from exc


def _filename(disposition: str | None) -> str | None:
    if not disposition:
        return None
    message = Message()
    message["Content-Disposition"] = disposition
    name = message.get_param("filename", header="Content-Disposition")
    return Path(name).name if isinstance(name, str) and name else None


def login(session: requests.Session, base_url: str, username: str, password: str) -> str:
    """The ID token the staff routes take, for a console user's name and password."""
    response = send(
        session,
        "POST",
        f"{base_url.rstrip('/')}/auth/login",
        json={"username": username, "password": password},
    )
    token = _json(response).get("id_token")
    if not isinstance(token, str) or not token:
        raise CliError("the API's login answer has no id_token")
    return token
