"""Learned deciders: each reads candidates and features and decides (entity spans and labels,
relation types, events and their types, argument roles, modality). Weights live in
``factionmap/models`` and are rebuilt by ``factionmap train``."""
