"""The assessment store (``pip install 'smesdk[store]'``): enterprises, answer sets, results
with their provenance, and the framework specs behind them, in SQLite or PostgreSQL.

    from smesdk.store import open_store
    store = open_store("assessments.sqlite")          # or "postgresql://user@host/db"
    store.record(framework, answers)
    for entry in store.history("91330200MA2XXXXXXX", framework="digital"):
        print(entry.assessed_on, entry.total, entry.level)
"""

from __future__ import annotations

from smesdk.store.connect import STORE_ENV, store_url
from smesdk.store.database import Assessment, HistoryEntry, Store, enterprise_key, open_store

__all__ = ["STORE_ENV", "Assessment", "HistoryEntry", "Store", "enterprise_key", "open_store",
           "store_url"]
