"""Command line for the index lifecycle: status, upgrade (create or upgrade), reindex, prune.

The commands need an Elasticsearch client, the index prefix and the embedding model; a caller supplies them
through `make_indices_group(context_factory)`, so this package never imports the web app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import click
from elasticsearch import Elasticsearch

from indexer import aliases
from indexer.mappings import DEFINITIONS, IndexDefinition, ModelInfo, definition


@dataclass
class IndexerContext:
    """What the index commands work with."""

    es: Elasticsearch
    prefix: str
    model_name: str
    model_info: Callable[[], ModelInfo]  # loads the model; called only when vectors are written
    embed: Callable[[Sequence[str]], list[list[float]]]
    transform: aliases.Transform | None = None  # brings derived fields up to date while copying


def _selected(names: Sequence[str]) -> list[IndexDefinition]:
    try:
        return [definition(n) for n in names] if names else list(DEFINITIONS)
    except KeyError as exc:
        raise click.BadParameter(f"unknown index {exc.args[0]!r}; known: {[d.name for d in DEFINITIONS]}") from exc


def make_indices_group(context_factory: Callable[[], IndexerContext]) -> click.Group:
    """Build the `indices` command group bound to a way of getting an IndexerContext."""

    @click.group("indices")
    def indices() -> None:
        """Create, upgrade, reindex and inspect the Elasticsearch indices."""

    @indices.command("status")
    def status() -> None:
        """Show each alias, its physical index, mapping version, model and document count."""
        ctx = context_factory()
        for item in DEFINITIONS:
            state = aliases.read_state(ctx.es, ctx.prefix, item)
            if not state.exists:
                click.echo(f"{state.alias:28} missing (code v{item.version})")
                continue
            model = f" model={state.model} dims={state.dims}" if item.embedded else ""
            flag = "" if state.version == item.version else f"  <- code is v{item.version}: run `indices upgrade`"
            click.echo(f"{state.alias:28} {state.index} v{state.version} docs={state.docs}{model}{flag}")

    @indices.command("upgrade")
    @click.argument("names", nargs=-1)
    def upgrade(names: tuple[str, ...]) -> None:
        """Create missing indices and move outdated ones to the current mapping version."""
        ctx = context_factory()
        try:
            for alias, what in aliases.ensure(ctx.es, ctx.prefix, _selected(names), ctx.model_info, ctx.model_name,
                                              transform=ctx.transform):
                click.echo(f"{alias:28} {what}")
        except aliases.IndexLifecycleError as exc:
            raise click.ClickException(str(exc)) from exc

    @indices.command("reindex")
    @click.argument("names", nargs=-1)
    @click.option("--yes", is_flag=True, help="Confirm: builds new indices and swaps the aliases.")
    def reindex(names: tuple[str, ...], yes: bool) -> None:
        """Rebuild indices with the configured model (re-embedding every record) and swap the aliases."""
        if not yes:
            raise click.UsageError("reindex builds new indices and swaps aliases: add --yes to confirm")
        ctx = context_factory()
        model = ctx.model_info()
        for item in _selected(names):
            try:
                old, new, count = aliases.rebuild(ctx.es, ctx.prefix, item, model if item.embedded else None,
                                                  embed=ctx.embed if item.embedded else None, transform=ctx.transform)
            except aliases.IndexLifecycleError as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"{aliases.alias_name(ctx.prefix, item.name):28} {old} -> {new} ({count} docs)")

    @indices.command("prune")
    @click.option("--yes", is_flag=True, help="Confirm: deletes physical indices no alias points at.")
    def prune(yes: bool) -> None:
        """Delete old physical indices left behind by upgrades and reindexes."""
        if not yes:
            raise click.UsageError("prune deletes indices: add --yes to confirm")
        ctx = context_factory()
        for name in aliases.prune(ctx.es, ctx.prefix, DEFINITIONS):
            click.echo(f"deleted {name}")

    return indices
