"""Our own gold standard on real news: sampling, annotation files, loading and scoring.

Annotations are stored as article ids, character offsets and labels (never article text);
``loader`` joins them with the shared AllSides sample and refuses any span whose text no
longer matches. The written guidelines are ``docs/annotation.md``.
"""
