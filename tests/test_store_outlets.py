"""Document outlets: set on insert from the address or source, filled by migration 0006 for
documents stored before it."""

from __future__ import annotations

from sqlalchemy import text

from factionmap.store.db import make_engine, migrate, open_store
from factionmap.store.models import Document


def test_migration_0006_fills_the_outlet_of_stored_documents(empty_db_url):
    engine = make_engine(empty_db_url)
    migrate(engine, "0005")
    with engine.begin() as connection:
        for doc_id, url, source in (("d1", "https://www.reuters.com/x", None),
                                    ("d2", None, "Al Jazeera"), ("d3", None, None)):
            connection.execute(text(
                "INSERT INTO documents (id, url, source, text, date_inferred, ingested_at) "
                "VALUES (:id, :url, :source, 'x', false, CURRENT_TIMESTAMP)"),
                {"id": doc_id, "url": url, "source": source})
    migrate(engine)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT id, outlet FROM documents")).all())
    assert rows == {"d1": "reuters.com", "d2": "al jazeera", "d3": None}
    engine.dispose()


def test_a_new_document_gets_its_outlet_unless_given(db_url):
    store = open_store(db_url)
    with store.session() as session:
        session.add(Document(id="a", url="https://m.bbc.co.uk/news/1", source="BBC", text="x"))
        session.add(Document(id="b", url="https://bbc.co.uk/2", outlet="bbc", text="x"))
        session.flush()
        assert session.get(Document, "a").outlet == "bbc.co.uk"
        assert session.get(Document, "b").outlet == "bbc"
    store.close()
