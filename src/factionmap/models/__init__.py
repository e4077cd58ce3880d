"""Trained weights shipped with factionmap (small files; rebuild with ``factionmap train re3d``)."""
