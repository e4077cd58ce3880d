"""REST API (FastAPI): actors, relations, events, dyads, network, documents, briefs, corrections."""
