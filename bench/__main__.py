"""`make bench`: prints every figure the issues name, measured in this run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from bench import (
        claims,
        cold_import,
        dashboard,
        exports,
        funnel,
        imports,
        journal,
        labels,
        maintenance,
        payouts,
        portal,
        privacy,
        reconciliation,
        reports,
        rewards,
        sender,
        shipments,
        workload,
    )

    print("cold import (median of 10 fresh processes) …", flush=True)
    cold = cold_import.measure()
    print(json.dumps(cold, indent=2, ensure_ascii=False), flush=True)
    print("round trips and throughput against the emulator …", flush=True)
    work = workload.run()
    print(json.dumps(work, indent=2, ensure_ascii=False), flush=True)
    print("the devstack's journal: cost per write, with / without (one run) …", flush=True)
    print(json.dumps(journal.run(), indent=2, ensure_ascii=False), flush=True)
    print("installer rewards: DynamoDB calls the reward step adds per activation …", flush=True)
    print(json.dumps(rewards.run(), indent=2, ensure_ascii=False), flush=True)
    print("the reconciliation: a month's totals, first page and Excel export, 10,000 …", flush=True)
    print(json.dumps(reconciliation.run(), indent=2, ensure_ascii=False), flush=True)
    print("payouts: a batch of 1,000 partners / 10,000 entries against 100 / 1,000 …", flush=True)
    print(json.dumps(payouts.run(), indent=2, ensure_ascii=False), flush=True)
    print("the notification sender against fake Zalo and eSMS servers …", flush=True)
    print(json.dumps(sender.run(), indent=2, ensure_ascii=False), flush=True)
    print("the portal's landing page in Chromium, slow 3G …", flush=True)
    print(json.dumps(portal.run(), indent=2, ensure_ascii=False), flush=True)
    print(
        "the console: first load (gzip), sign-in FCP; GET /dashboard reads by units …", flush=True
    )
    print(json.dumps(dashboard.run(), indent=2, ensure_ascii=False), flush=True)
    print("the dealer funnel: GET /funnel reads with 1,000 and 10,000 shipped units …", flush=True)
    print(json.dumps(funnel.run(), indent=2, ensure_ascii=False), flush=True)
    print(
        "maintenance: the daily job's calls with 10,000 and 100,000 lines, 100 due; a ticket's "
        "calls per request …",
        flush=True,
    )
    print(json.dumps(maintenance.run(), indent=2, ensure_ascii=False), flush=True)
    print("QR stickers and label sheets: PNG, SVG, PDF; qrcode vs segno; peak memory …", flush=True)
    print(json.dumps(labels.run(), indent=2, ensure_ascii=False), flush=True)
    print("units exports to Excel: time and peak memory, 1,000 vs 100,000 units …", flush=True)
    print(json.dumps(exports.run(), indent=2, ensure_ascii=False))
    print("unit imports: an Excel file of 1,000 rows against 100,000, time and peak memory …")
    print(json.dumps(imports.run(), indent=2, ensure_ascii=False))
    print("shipments: scans per second, a carton of 100 confirmed, calls to confirm 2,000 …")
    print(json.dumps(shipments.run(), indent=2, ensure_ascii=False))
    print("service requests: calls to file and move one; the board with 10,000 requests …")
    print(json.dumps(claims.run(), indent=2, ensure_ascii=False))
    print("warranty reports: GET /reports/{kind} reads with 10,000 and 100,000 units, a year …")
    print(json.dumps(reports.run(), indent=2, ensure_ascii=False))
    print("personal data: one customer's erasure (time, calls) with 0 and 5,000 others; export …")
    print(json.dumps(privacy.run(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
