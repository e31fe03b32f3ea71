"""A fixture cluster with a year of history: changes of every kind, an annulment, a carry-over,
an invoice, a credit note, a payment and a refund, written as the record files the tool writes.

Used by the export, log and applications tests (``record_history(fixture_copy / "vesterhavet")``).
"""

from __future__ import annotations

from pathlib import Path

FILES = {
    "changes/2023-09-01-sundhedsteam-tillaeg.toml": '''
id = "2023-09-01-sundhedsteam-tillaeg"
kind = "top-up"
grant = "faelles-sundhedsteam"
amount = 50000
reason = "Udvidet til Sandby"
decision = { level = "politisk", date = 2023-09-01, body = "Politisk niveau" }
''',
    "changes/2023-10-01-forebyggelse-nedsat.toml": '''
id = "2023-10-01-forebyggelse-nedsat"
kind = "reduction"
grant = "forebyggelse"
amount = 25000
decision = { level = "fagligt strategisk", date = 2023-10-01 }
''',
    "changes/2023-11-01-akutteam-til-palliation.toml": '''
id = "2023-11-01-akutteam-til-palliation"
kind = "transfer"
grant = "akutteam"
to_grant = "palliation"
amount = "10000.50"
decision = { level = "politisk", date = 2023-11-01 }
''',
    "annulments/2023-12-01-nedsaettelse-fejl.toml": '''
id = "2023-12-01-nedsaettelse-fejl"
record = "changes/2023-10-01-forebyggelse-nedsat"
date = 2023-12-01
reason = "Nedsættelsen var registreret på den forkerte bevilling"
''',
    "grants/vaerktoej.toml": '''
id = "vaerktoej"
name = "Fælles værktøj; \\"pilot\\""
owner = "havby"
year = 2023
applied = 40000
granted = 30000
decision = { level = "administrativ", date = 2023-11-15 }

[financing]
model = "solidarity"
''',
    "changes/2023-12-10-vaerktoej-tilbage.toml": '''
id = "2023-12-10-vaerktoej-tilbage"
kind = "withdrawal"
grant = "vaerktoej"
decision = { level = "politisk", date = 2023-12-10 }
''',
    "carryovers/2023-12-15-rest-til-2024.toml": '''
id = "2023-12-15-rest-til-2024"
from_year = 2023
to_year = 2024
decision = { level = "politisk", date = 2023-12-15 }
''',
    "invoices/havby-2024-0001.toml": '''
number = "havby-2024-0001"
kind = "invoice"
issuer = "havby"
recipient = "klitby"
grant = "faelles-sundhedsteam"
amount = "92307.69"
issue_date = 2024-02-01
due_date = 2024-03-01
''',
    "payments/havby-2024-0001-1.toml": '''
id = "havby-2024-0001-1"
invoice = "havby-2024-0001"
date = 2024-02-20
amount = 90000
''',
    "invoices/havby-2024-0002.toml": '''
number = "havby-2024-0002"
kind = "credit_note"
issuer = "havby"
recipient = "klitby"
grant = "faelles-sundhedsteam"
amount = 5000
credits = "havby-2024-0001"
issue_date = 2024-03-05
due_date = 2024-04-05
''',
    "refunds/havby-2024-0001-r1.toml": '''
id = "havby-2024-0001-r1"
invoice = "havby-2024-0001"
date = 2024-03-20
amount = 1000
''',
}


def record_history(cluster: Path) -> Path:
    for name, content in FILES.items():
        path = cluster / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content.lstrip(), encoding="utf-8")
    return cluster
