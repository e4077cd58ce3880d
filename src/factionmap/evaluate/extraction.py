"""The pipeline an evaluation scores, built from a models folder, and its run over texts.

A folder trained without annotated news has no event or modality models (those are learned
from our annotations); the components that need a missing model are left out and named in
the report, instead of failing or falling back to other models.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from factionmap.records import Article, ArticleExtraction

# Without these nothing can be scored at all.
REQUIRED = ("fm_vectors", "fm_entities", "fm_mentions")


@dataclass
class ScoringPipeline:
    nlp: Language
    models: Path
    left_out: list[str] = field(default_factory=list)  # components without their model

    def describe(self) -> str:
        out = f"models in {self.models}"
        if self.left_out:
            out += f" (left out for want of a model: {', '.join(self.left_out)})"
        return out


def shipped_models() -> Path:
    from factionmap.extract.components import models_dir

    return models_dir()


def scoring_pipeline(models: Path | None = None, encoder: str | None = None,
                     drop: Collection[str] = ()) -> ScoringPipeline:
    """A fresh extraction pipeline with the models of ``models`` (default: the shipped ones),
    without the components in ``drop`` or whose model file the folder lacks."""
    from factionmap.extract.components import model_path
    from factionmap.extract.pipeline import MODEL_KEYS, load_extractor_from

    folder = models or shipped_models()
    if not folder.is_dir():
        raise ValueError(f"{folder}: no such models folder")
    nlp = load_extractor_from(folder, encoder=encoder)
    left_out = []
    for name in list(nlp.pipe_names):
        settings = nlp.get_pipe_config(name)
        missing = [str(model_path(v)) for key in MODEL_KEYS
                   if isinstance(v := settings.get(key), str) and v
                   and not model_path(v).is_file()]
        if missing and name in REQUIRED:
            raise ValueError(f"{missing[0]}: missing; the {name} component needs it")
        if name in drop or missing:
            nlp.remove_pipe(name)
            if missing:
                left_out.append(name)
    return ScoringPipeline(nlp, folder, left_out)


def run_pipeline(nlp: Language, articles: Iterable[Article], batch_size: int = 32,
                 progress: Callable[[int], None] | None = None) -> Iterator[ArticleExtraction]:
    """Each article's mentions, relations and events as this pipeline assigned them.

    Not ``extract.extract_articles``: it completes a Doc whose pipeline lacks the event
    component by running the shipped models over it, which would mix models into a fold.
    """
    from factionmap.nlp.pipeline import pipe_articles

    for article, doc in pipe_articles(nlp, articles, batch_size=batch_size):
        yield ArticleExtraction(article, mentions=list(doc._.fm_mentions or []),
                                relations=list(doc._.fm_relations or []),
                                events=list(doc._.fm_events or []))
        if progress is not None:
            progress(1)
