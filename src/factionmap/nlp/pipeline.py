"""Build the spaCy pipeline by model name and run it over articles with ``nlp.pipe``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from factionmap.config import DEFAULT_MODEL
from factionmap.nlp.cache import remember_text
from factionmap.records import Article


@cache
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load the named installed spaCy package and add our components (once per process)."""
    nlp = spacy.load(model)
    from factionmap.nlp.components import add_components

    add_components(nlp)
    return nlp


def masked_text(article: Article) -> str:
    """The text the pipeline sees: boilerplate blanked out, same length, so offsets hold."""
    text = article.text
    if not article.boilerplate:
        return text
    chars = list(text)
    for start, end in article.boilerplate:
        for i in range(start, min(end, len(chars))):
            if not chars[i].isspace():
                chars[i] = " "
    return "".join(chars)


def pipe_articles(
    nlp: Language,
    articles: Iterable[Article],
    *,
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[tuple[Article, Doc]]:
    """Parse articles in batches; yields each article with its Doc, in input order."""
    for doc, (text, article) in nlp.pipe(
        _texts_with_articles(articles), as_tuples=True, batch_size=batch_size,
        n_process=n_process,
    ):
        remember_text(doc, text)
        yield article, doc


def _texts_with_articles(articles: Iterable[Article]) -> Iterator[tuple[str, tuple[str, Article]]]:
    """(text, context) pairs for ``nlp.pipe(as_tuples=True)``; the text rides along in the
    context so each Doc can be given it back."""
    for article in articles:
        text = masked_text(article)
        yield text, (text, article)
