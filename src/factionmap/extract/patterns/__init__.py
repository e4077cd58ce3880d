"""Relation patterns, one module per construction family; each yields candidates into a context."""
