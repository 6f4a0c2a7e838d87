"""``garanti labels …``: QR stickers and label sheets through the staff API.

A sheet job renders on the server (100,000 labels take minutes), so ``sheet`` asks for it,
follows ``GET /labels/jobs/{id}`` about once a second with a progress bar, then fetches the PDF
from the job's presigned link: the same steps the console takes, from a terminal or a script.
Progress bars go to stderr, the summary to stdout."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cli.client import Api, ApiError, CliError, UsageError, error_from_body
from cli.text import count, mm, size, table

Command = Callable[[argparse.Namespace, Api], int]
FORMATS = ("png", "svg")
RUNNING = ("queued", "running")
POLL_SECONDS = 1.0
POLL_RETRIES = 5  # failed polls in a row before giving up (each waits one interval longer)
TRANSIENT = frozenset({429, 500, 502, 503, 504})


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``labels`` and its commands to the top-level parser's subcommands."""
    labels = commands.add_parser(
        "labels",
        help="QR stickers and label sheets",
        description="QR stickers and label sheets (admin and director; sheets: admin).",
    )
    sub = labels.add_subparsers(dest="labels_command", required=True, metavar="COMMAND")

    sheet = sub.add_parser(
        "sheet",
        parents=[common],
        help="print a batch, a serial range or a CSV of serials as a PDF label sheet",
        description="Ask the API for a label sheet, follow it, download the PDF.",
    )
    what = sheet.add_mutually_exclusive_group(required=True)
    what.add_argument("--batch", metavar="BATCH", help="every unit of this batch code")
    what.add_argument(
        "--range", nargs=2, metavar=("FIRST", "LAST"), help="serials FIRST to LAST inclusive"
    )
    what.add_argument("--csv", metavar="FILE", help="serials in the first column ('-': stdin)")
    sheet.add_argument(
        "--template", default="2x4cm-a4", help="label template (default: %(default)s)"
    )
    sheet.add_argument(
        "--out", metavar="FILE", help="where to save the PDF (default: the job's file name here)"
    )
    sheet.add_argument(
        "--outline",
        action="store_true",
        help="stroke each label's outline: a proof print to align with the die-cut stock",
    )
    sheet.add_argument(
        "--wait",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="follow the job and download the PDF (default); --no-wait prints the job id",
    )
    sheet.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress bars (default: when stderr is a terminal)",
    )
    sheet.add_argument(
        "--interval",
        type=float,
        default=POLL_SECONDS,
        metavar="SECONDS",
        help="seconds between status checks (default: %(default)s)",
    )
    sheet.set_defaults(run=run_sheet, check=check_sheet)

    qr = sub.add_parser(
        "qr",
        parents=[common],
        help="one unit's QR code as PNG or SVG",
        description="Save one unit's QR code (the link its sticker carries).",
    )
    qr.add_argument("serial", metavar="SERIAL")
    qr.add_argument("--format", choices=FORMATS, help="png or svg (default: from --out, else png)")
    qr.add_argument("--out", metavar="FILE", help="where to save it (default: SERIAL.FORMAT here)")
    qr.add_argument("--scale", type=int, metavar="N", help="PNG: pixels a module (1-40, API: 10)")
    qr.add_argument(
        "--size-mm", type=float, metavar="N", help="SVG: printed width in mm (8-200, API: 20)"
    )
    qr.add_argument("--border", type=int, metavar="N", help="quiet-zone modules (2-16, API: 4)")
    qr.set_defaults(run=run_qr, check=check_qr)

    templates = sub.add_parser(
        "templates", parents=[common], help="the brand's label templates", description=None
    )
    templates.add_argument("--json", action="store_true", help="the API's JSON as is")
    templates.set_defaults(run=run_templates)

    status = sub.add_parser(
        "status",
        parents=[common],
        help="one label job: status, progress, download link",
        description="Show one label job; with --out, save its PDF when it is done.",
    )
    status.add_argument("job_id", metavar="JOB_ID")
    status.add_argument("--out", metavar="FILE", help="save the PDF here (a done job only)")
    status.add_argument("--json", action="store_true", help="the API's JSON as is")
    status.set_defaults(run=run_status)

    jobs = sub.add_parser(
        "jobs", parents=[common], help="the brand's label jobs, newest first", description=None
    )
    jobs.add_argument("--limit", type=int, default=20, help="jobs a page (1-100)")
    jobs.add_argument("--cursor", help="the next page, as the previous one printed it")
    jobs.add_argument("--json", action="store_true", help="the API's JSON as is")
    jobs.set_defaults(run=run_jobs)


# -- sheet ---------------------------------------------------------------------------------


def check_sheet(args: argparse.Namespace) -> None:
    """Before signing in: options that cannot work, and a wrong ``--out`` folder (said now,
    not when the PDF is ready minutes later)."""
    if args.outline and args.csv:
        raise UsageError(
            "--outline needs --batch or --range (a CSV job prints on the template's stock)"
        )
    if args.interval <= 0:
        raise UsageError("--interval must be above 0")
    if args.out is not None:
        destination(args.out, "labels.pdf")


def run_sheet(args: argparse.Namespace, api: Api) -> int:
    job = _create_job(args, api)
    job_id = str(job["job_id"])
    if not args.wait:
        print(job_id)
        print(f"queued; follow it with: garanti labels status {job_id}", file=sys.stderr)
        return 0
    started = time.monotonic()
    try:
        job = _follow(api, job, interval=args.interval, progress=args.progress)
    except KeyboardInterrupt:
        print(
            f"\nstopped following; the job goes on: garanti labels status {job_id}",
            file=sys.stderr,
        )
        raise
    if job["status"] != "done":
        _print_skipped(job, file=sys.stderr)
        raise error_from_body(job.get("error"), None)
    try:
        path = _save_pdf(api, job, args.out, progress=args.progress)
    except CliError as error:
        hint = f"garanti labels status {job_id} --out FILE (the link is renewed each time)"
        raise CliError(f"{error}; fetch it again with: {hint}") from error
    seconds = time.monotonic() - started
    print(_summary(job, path, seconds))
    return 0


def _create_job(args: argparse.Namespace, api: Api) -> dict[str, Any]:
    template = str(args.template)
    if args.csv:
        return _job(
            api.post_text("/labels/jobs", _read_csv(args.csv), "text/csv", {"template": template})
        )
    body: dict[str, Any] = {"template": template}
    if args.batch is not None:
        body["batch"] = args.batch
    else:
        body["from_serial"], body["to_serial"] = args.range
    if args.outline:
        # A job's stock replaces the template's whole stock: start from the template's own.
        view = api.get_json(f"/labels/templates/{quote(template, safe='')}")
        body["stock"] = {**view["stock"], "outline": True}
    return _job(api.post_json("/labels/jobs", body))


def _read_csv(name: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from exc


def _job(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict) or not isinstance(answer.get("job_id"), str):
        raise CliError("the API's answer is not a label job")
    return answer


def _follow(
    api: Api, job: dict[str, Any], *, interval: float, progress: bool | None
) -> dict[str, Any]:
    """Poll until the job ends, showing labels done (skipped included) of the total, pages
    and skipped. A batch's total is known once the job starts: the bar learns it then."""
    from tqdm import tqdm

    path = f"/labels/jobs/{quote(str(job['job_id']), safe='')}"
    bar = tqdm(
        total=job.get("total") or None,
        unit=" labels",
        desc=str(job["status"]),
        disable=None if progress is None else not progress,
        dynamic_ncols=True,
    )
    failures = 0
    try:
        _show(bar, job)
        while job["status"] in RUNNING:
            time.sleep(interval * (1 + failures))
            try:
                job = _job(api.get_json(path))
            except (ApiError, CliError) as error:
                failures += 1
                if not _passing(error) or failures > POLL_RETRIES:
                    raise _lost(error, str(job["job_id"])) from error
                continue
            failures = 0
            _show(bar, job)
    finally:
        bar.close()
    return job


def _passing(error: Exception) -> bool:
    """A failure worth another poll: the network, a throttle, a gateway's 5xx."""
    if isinstance(error, ApiError):
        return error.status in TRANSIENT
    return not isinstance(error, UsageError)


def _lost(error: Exception, job_id: str) -> Exception:
    hint = f"the job goes on: garanti labels status {job_id}"
    if isinstance(error, ApiError):
        error.details["follow"] = hint
        return error
    return CliError(f"{error}; {hint}")


def _show(bar: Any, job: Mapping[str, Any]) -> None:
    total = int(job.get("total") or 0)
    if total and bar.total != total:
        bar.total = total
    handled = int(job.get("done") or 0) + int(job.get("skipped") or 0)
    bar.set_description_str(str(job["status"]), refresh=False)
    bar.set_postfix(pages=job.get("pages") or 0, skipped=job.get("skipped") or 0, refresh=False)
    bar.update(handled - bar.n)  # refreshes the display
    bar.refresh()


def _save_pdf(api: Api, job: Mapping[str, Any], out: str | None, *, progress: bool | None) -> Path:
    download = job.get("download")
    if not isinstance(download, dict) or not download.get("url"):
        raise CliError(f"job {job['job_id']} is done but has no download link; try again later")
    dest = destination(out, str(download.get("filename") or f"{job['job_id']}.pdf"))
    expected = int(job.get("size_bytes") or 0)
    from tqdm import tqdm

    with tqdm(
        total=expected or None,
        unit="B",
        unit_scale=True,
        desc="download",
        disable=None if progress is None else not progress,
    ) as bar:
        written = api.download(str(download["url"]), dest, on_chunk=bar.update)
    if expected and written != expected:
        dest.unlink(missing_ok=True)
        raise CliError(f"the download has {count(written)} bytes, the job says {count(expected)}")
    return dest


def destination(out: str | None, filename: str) -> Path:
    """``--out`` as given, ``filename`` inside it when it is a folder, or ``filename`` here."""
    name = Path(filename).name or "labels.pdf"
    path = Path.cwd() / name if out is None else Path(out).absolute()
    if path.is_dir():
        path = path / name
    if not path.parent.is_dir():
        raise CliError(f"cannot save to {path}: folder {path.parent} does not exist")
    return path


def _summary(job: Mapping[str, Any], path: Path, seconds: float) -> str:
    lines = [
        f"labels    {count(int(job.get('done') or 0))} on {pages(job)}"
        f" (template {job.get('template')}, {seconds:.1f} s)",
        *_skipped_lines(job),
        f"size      {size(int(job.get('size_bytes') or path.stat().st_size))}",
        f"saved     {path}",
    ]
    return "\n".join(lines)


def pages(job: Mapping[str, Any]) -> str:
    """The job's page count, in words.

    >>> pages({"pages": 1}), pages({"pages": 2084})
    ('1 page', '2,084 pages')
    """
    n = int(job.get("pages") or 0)
    return f"{count(n)} page" if n == 1 else f"{count(n)} pages"


def _skipped_lines(job: Mapping[str, Any]) -> list[str]:
    skipped = int(job.get("skipped") or 0)
    if not skipped:
        return ["skipped   0"]
    sample = [str(s) for s in job.get("skipped_sample") or ()]
    more = ", …" if skipped > len(sample) else ""
    return [f"skipped   {count(skipped)} not registered: {', '.join(sample)}{more}"]


def _print_skipped(job: Mapping[str, Any], *, file: Any) -> None:
    print(f"job {job['job_id']} {job['status']}", file=file)
    if job.get("skipped"):
        print(*_skipped_lines(job), file=file)


# -- qr ------------------------------------------------------------------------------------


def check_qr(args: argparse.Namespace) -> None:
    fmt = args.format or _format_of(args.out)
    if fmt == "png" and args.size_mm is not None:
        raise UsageError("--size-mm is for SVG; a PNG takes --scale")
    if fmt == "svg" and args.scale is not None:
        raise UsageError("--scale is for PNG; an SVG takes --size-mm")


def run_qr(args: argparse.Namespace, api: Api) -> int:
    fmt = args.format or _format_of(args.out)
    params: dict[str, str | int] = {}
    for name, value in (("scale", args.scale), ("size_mm", args.size_mm), ("border", args.border)):
        if value is not None:
            params[name] = mm(value) if isinstance(value, float) else value
    accept = "image/png" if fmt == "png" else "image/svg+xml"
    serial = quote(str(args.serial).strip(), safe="")
    found = api.get_file(f"/units/{serial}/qr.{fmt}", accept=accept, params=params)
    path = destination(args.out, found.filename or f"{args.serial.strip()}.{fmt}")
    try:
        path.write_bytes(found.content)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"saved     {path} ({size(len(found.content))})")
    return 0


def _format_of(out: str | None) -> str:
    suffix = Path(out).suffix.lower().lstrip(".") if out else ""
    return suffix if suffix in FORMATS else "png"


# -- templates, status, jobs ---------------------------------------------------------------


def run_templates(args: argparse.Namespace, api: Api) -> int:
    answer = api.get_json("/labels/templates")
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    rows = [
        [
            str(t["name"]),
            f"{mm(t['label']['width_mm'])}x{mm(t['label']['height_mm'])} mm",
            _stock(t["stock"]),
            _per_page(t),
            "built-in" if t.get("builtin") else "brand",
        ]
        for t in answer["templates"]
    ]
    print(table(["NAME", "LABEL", "STOCK", "PER PAGE", "KIND"], rows))
    return 0


def _stock(stock: Mapping[str, Any]) -> str:
    outline = ", outline" if stock.get("outline") else ""
    if stock.get("kind") == "roll":
        return f"roll{outline}"
    page = (stock.get("page_width_mm"), stock.get("page_height_mm"))
    name = "A4" if page == (210.0, 297.0) else f"{mm(page[0] or 0)}x{mm(page[1] or 0)} mm"
    return f"{name} sheet{outline}"


def _per_page(template: Mapping[str, Any]) -> str:
    per_page = int(template.get("per_page") or 0)
    if template["stock"].get("kind") == "roll":
        return str(per_page)
    return f"{per_page} ({template.get('columns')}x{template.get('rows')})"


def run_status(args: argparse.Namespace, api: Api) -> int:
    job = _job(api.get_json(f"/labels/jobs/{quote(str(args.job_id), safe='')}"))
    if args.json:
        print(json.dumps(job, ensure_ascii=False, indent=2))
    else:
        print(_describe(job, args.lang))
    if args.out is not None:
        if job["status"] != "done":
            raise CliError(f"job {job['job_id']} is {job['status']}: no PDF to save yet")
        path = _save_pdf(api, job, args.out, progress=None)
        print(f"saved     {path}")
    return 0


def _describe(job: Mapping[str, Any], language: str) -> str:
    total = int(job.get("total") or 0)
    handled = int(job.get("done") or 0) + int(job.get("skipped") or 0)
    lines = [
        f"job       {job['job_id']}",
        f"status    {job['status']}",
        f"template  {job.get('template')}",
        f"what      {_selection(job.get('selection') or {})}",
        f"progress  {count(handled)} of {count(total)} ({float(job.get('progress') or 0):.0%})",
        f"labels    {count(int(job.get('done') or 0))} on {pages(job)}",
        *_skipped_lines(job),
        f"asked     {job.get('created_at')} by {job.get('created_by')}",
    ]
    if job.get("size_bytes"):
        lines.append(f"size      {size(int(job['size_bytes']))}")
    if job.get("finished_at"):
        lines.append(f"finished  {job['finished_at']}")
    if job.get("error"):
        error = error_from_body(job["error"], None)
        lines += ["error     " + line for line in error.lines(language)[:1]]
        lines += ["          " + line for line in error.lines(language)[1:]]
    download = job.get("download")
    if isinstance(download, dict) and download.get("url"):
        lines.append(f"download  {download['url']}")
        lines.append(f"          (link valid until {download.get('expires_at')})")
    return "\n".join(lines)


def _selection(selection: Mapping[str, Any]) -> str:
    if "batch" in selection:
        return f"batch {selection['batch']}"
    if "from_serial" in selection:
        return f"serials {selection['from_serial']} to {selection['to_serial']}"
    return f"{count(int(selection.get('serials') or 0))} listed serials"


def run_jobs(args: argparse.Namespace, api: Api) -> int:
    params: dict[str, str | int] = {"limit": args.limit}
    if args.cursor:
        params["cursor"] = args.cursor
    answer = api.get_json("/labels/jobs", params)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    rows = [
        [
            str(job["job_id"]),
            str(job["status"]),
            str(job.get("template")),
            _selection(job.get("selection") or {}),
            f"{count(int(job.get('done') or 0))}/{count(int(job.get('total') or 0))}",
            str(job.get("pages") or 0),
            str(job.get("created_at")),
        ]
        for job in answer.get("jobs") or ()
    ]
    if rows:
        print(table(["JOB", "STATUS", "TEMPLATE", "WHAT", "LABELS", "PAGES", "ASKED"], rows))
    else:
        print("no label jobs")
    if answer.get("next_cursor"):
        print(f"more: garanti labels jobs --cursor {answer['next_cursor']}")
    return 0
