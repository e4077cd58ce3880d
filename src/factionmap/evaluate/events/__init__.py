"""Scorers for event coding against the CAMEO / PLOVER / PETRARCH gold sets."""
