"""factionmap.store: the evidence store.

``models`` (schema), ``db`` (``open_store``, engine, Alembic migrations), ``ingest``
(``ingest_extraction``, ``remove_document``), ``queries`` (read side for every face),
``export`` (PLOVER JSONL/CSV/Parquet).
"""
