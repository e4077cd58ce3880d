"""factionmap.store: the evidence store.

``models`` (schema), ``db`` (``open_store``, engine, Alembic migrations), ``ingest``
(``ingest_extraction``, the batched ``BatchWriter``, ``remove_document``), ``actors``
(resolving actor keys to rows), ``happenings`` (one happening per real-world event),
``summaries`` (summary tables), ``export`` (PLOVER JSONL/CSV/Parquet). The read side every
face uses is ``analysis.queries``.
"""
