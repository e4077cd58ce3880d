"""Training: the corpora our learned deciders learn from, and the commands that fit them.

Every committed model is rebuilt from data paths by ``factionmap train ...``,
deterministically (fixed seeds, sorted inputs, single-threaded solvers).
"""
