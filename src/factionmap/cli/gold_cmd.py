"""factionmap gold: sample articles, write annotation packets, check and store annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from factionmap.evaluate.newsgold.corpus import DEFAULT_NEWS

app = typer.Typer(no_args_is_help=True)
console = Console()
GOLD_DIR = Path("data/annotations/news")
News = Annotated[Path, typer.Option("--news", help="The AllSides sample (.jsonl.gz).")]


@app.command("sample")
def sample(
    news: News = DEFAULT_NEWS,
    out: Annotated[Path, typer.Option("--out")] = GOLD_DIR / "sample.json",
) -> None:
    """Draw the seeded, outlet-aware sample of training and blind articles (ids only)."""
    from factionmap.evaluate.newsgold.corpus import iter_rows
    from factionmap.evaluate.newsgold.sampling import draw

    drawn = draw(list(iter_rows(news)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(drawn.to_dict(), indent=1) + "\n", encoding="utf-8")
    console.print(f"{len(drawn.train)} training and {len(drawn.blind)} blind articles "
                  f"({len(drawn.double)} to annotate twice) -> {escape(str(out))}")


@app.command("packets")
def packets(
    out: Annotated[Path, typer.Argument(help="Folder outside the repository.")],
    split: Annotated[str, typer.Option("--split", help="train or blind")] = "train",
    sample_file: Annotated[Path, typer.Option("--sample")] = GOLD_DIR / "sample.json",
    news: News = DEFAULT_NEWS,
) -> None:
    """Write one numbered-sentence text per article, and sentences.json, for annotators."""
    from factionmap.evaluate.newsgold.corpus import load_rows
    from factionmap.evaluate.newsgold.packets import render, sentence_spans

    ids = [r["id"] for r in json.loads(sample_file.read_text(encoding="utf-8"))[split]]
    rows = load_rows(ids, news)
    out.mkdir(parents=True, exist_ok=True)
    index: dict[str, list[tuple[int, int]]] = {}
    ordered = [rows[i] for i in ids]
    for row, spans in zip(ordered, sentence_spans(r.text for r in ordered), strict=True):
        (out / f"{row.id}.txt").write_text(render(row, spans), encoding="utf-8")
        index[row.id] = spans
    (out / "sentences.json").write_text(json.dumps(index), encoding="utf-8")
    console.print(f"{len(ordered)} packets -> {escape(str(out))}")


def _load_packets(packets_dir: Path) -> dict[str, list[tuple[int, int]]]:
    raw = json.loads((packets_dir / "sentences.json").read_text(encoding="utf-8"))
    return {k: [tuple(x) for x in v] for k, v in raw.items()}  # type: ignore[misc]


@app.command("check")
def check(
    files: Annotated[list[Path], typer.Argument(help="Annotator JSON files or folders.")],
    packets_dir: Annotated[Path, typer.Option("--packets")],
    news: News = DEFAULT_NEWS,
) -> None:
    """Validate annotator files: every error names the article, the field and the reason."""
    from factionmap.evaluate.newsgold.build import build, read_annotator_file
    from factionmap.evaluate.newsgold.corpus import load_rows

    sentences = _load_packets(packets_dir)
    parsed = {}
    bad = 0
    files = [f for p in files for f in (sorted(p.rglob("*.json")) if p.is_dir() else [p])]
    for path in files:
        ann = read_annotator_file(path)
        if isinstance(ann, str):
            console.print(escape(ann), markup=False)
            bad += 1
            continue
        if ann.article not in sentences:
            console.print(f"{path}: article {ann.article} has no packet in {packets_dir}",
                          markup=False)
            bad += 1
            continue
        parsed[path] = ann
    rows = load_rows({a.article for a in parsed.values()}, news)
    for path, ann in parsed.items():
        row = rows[ann.article]
        res = build(ann, row.text, sentences[ann.article], split="train", outlet=row.source)
        for msg in res.errors:
            console.print(f"{path}: error: {msg}", markup=False)
        for msg in res.warnings:
            console.print(f"{path}: warning: {msg}", markup=False)
        if res.errors:
            bad += 1
        else:
            d = res.doc
            assert d is not None
            console.print(f"{path}: ok ({len(d.entities)} entities, {len(d.relations)} "
                          f"relations, {len(d.events)} events)", markup=False)
    if bad:
        raise typer.Exit(code=1)


@app.command("build")
def build_cmd(
    annotations: Annotated[
        Path, typer.Argument(help="Folder of annotator files <id>.json (searched recursively).")
    ],
    packets_dir: Annotated[Path, typer.Option("--packets")],
    split: Annotated[str, typer.Option("--split", help="train or blind")],
    out: Annotated[Path, typer.Option("--out")],
    news: News = DEFAULT_NEWS,
) -> None:
    """Store annotator files as gold records (offsets, never text); bad files are named."""
    from factionmap.evaluate.newsgold.build import build, read_annotator_file
    from factionmap.evaluate.newsgold.corpus import load_rows

    if split not in ("train", "blind"):
        console.print(f"--split must be train or blind, not {split!r}", markup=False)
        raise typer.Exit(code=2)
    sentences = _load_packets(packets_dir)
    files = sorted(annotations.rglob("*.json"))
    anns = {}
    failed = 0
    for path in files:
        ann = read_annotator_file(path)
        if isinstance(ann, str) or ann.article not in sentences:
            console.print(ann if isinstance(ann, str) else f"{path}: no packet", markup=False)
            failed += 1
            continue
        anns[path] = ann
    rows = load_rows({a.article for a in anns.values()}, news)
    records = []
    for path, ann in anns.items():
        row = rows[ann.article]
        res = build(ann, row.text, sentences[ann.article], split=split, outlet=row.source)
        if res.doc is None:
            console.print(f"{path}: {len(res.errors)} error(s), first: {res.errors[0]}",
                          markup=False)
            failed += 1
            continue
        records.append(res.doc)
    records.sort(key=lambda d: d.article)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text("".join(d.model_dump_json(exclude_defaults=True) + "\n" for d in records),
                   encoding="utf-8")
    tmp.replace(out)
    console.print(f"{len(records)} articles -> {out}; {failed} file(s) refused", markup=False)
    if failed:
        raise typer.Exit(code=1)


@app.command("stats")
def stats(
    split: Annotated[str, typer.Option("--split")] = "train",
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
    news: News = DEFAULT_NEWS,
) -> None:
    """Counts per layer and type: articles, outlets, entities, labelled pairs, events."""
    from factionmap.evaluate.newsgold.loader import load_split
    from factionmap.evaluate.newsgold.stats import gold_stats, stats_tables

    figures = gold_stats(load_split(split, news=news))
    for table in stats_tables(figures, split):
        console.print(table)
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


@app.command("agreement")
def agreement_cmd(
    first: Annotated[Path, typer.Argument(help="Gold records of annotator A (JSONL).")],
    second: Annotated[Path, typer.Argument(help="Gold records of annotator B (JSONL).")],
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
    news: News = DEFAULT_NEWS,
) -> None:
    """Agreement per layer between two annotations of the same articles."""
    from factionmap.evaluate.newsgold.agreement import agreement
    from factionmap.evaluate.newsgold.loader import load_docs, read_gold_file

    a = load_docs(read_gold_file(first), news=news)
    b = load_docs(read_gold_file(second), news=news)
    figures = agreement(a, b)
    console.print_json(data=figures)
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="gold", help="Our annotated news: sample, packets, check, build.")
