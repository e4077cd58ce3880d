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
    """The named installed spaCy package with our tokenizer and sentence settings (once per
    process). ``extract.pipeline.load_extractor`` adds the extraction components."""
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
    """Run the pipeline over articles in batches; yields each article with its Doc, in input
    order. Each Doc carries its article (``doc.user_data["fm_article"]``) from before the
    first component runs, so components can read its date and boilerplate."""
    for doc, (text, article) in nlp.pipe(
        _docs_with_articles(nlp, articles), as_tuples=True, batch_size=batch_size,
        n_process=n_process,
    ):
        remember_text(doc, text)
        yield article, doc


def _docs_with_articles(
    nlp: Language, articles: Iterable[Article]
) -> Iterator[tuple[Doc, tuple[str, Article]]]:
    for article in articles:
        text = masked_text(article)
        doc = nlp.make_doc(text)
        doc.user_data["fm_article"] = article
        yield doc, (text, article)
