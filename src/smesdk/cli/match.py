"""``smesdk match``: the services an enterprise needs and the catalogue offers that deliver them;
with ``--demand``, demand by service × region over a whole enterprise file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from smesdk import default_host
from smesdk.cli.options import (
    assess_file,
    framework_lang,
    json_option,
    lang_option,
    output_lang,
    profile_option,
)
from smesdk.cli.render import label as terminal_label
from smesdk.cli.render import screen_width, wrapped
from smesdk.convert import unstructure
from smesdk.dates import as_date
from smesdk.errors import SmesdkError
from smesdk.numbers import fmt
from smesdk.report.labels import label as report_label
from smesdk.services.catalogue import Offer, load_catalogue
from smesdk.services.match import ServiceMatch, gap_text
from smesdk.services.offers import OfferRanking, rank_offers
from smesdk.text import Labels, Lang

label = Labels({
    "needs": ("所需服务（按可弥补的缺口分排序）",
              "Services that would help (by the gap points they address)"),
    "none": ("无：没有带服务标签的指标存在缺口", "none: no indicator tagged with a service has a gap"),
    "points": ("缺口{n}分", "{n} gap points"),
    "because": ("依据", "because of"),
    "offers": ("可提供服务的机构与产品（目录 {file}）", "Offers that deliver them (catalogue {file})"),
    "no_offers": ("目录中没有面向该企业的相关产品", "no offer of the catalogue serves this enterprise"),
    "excluded": ("不面向该企业的相关产品", "Offers of needed services not open to this enterprise"),
    "demand": ("需求：{rows}行（服务×地区），{n}家企业，{bad}行有误 → {out}",
               "demand: {rows} rows (service × region) from {n} enterprises, {bad} rows with "
               "errors → {out}"),
})
SHOWN_INDICATORS = 3


def _need_lines(needs: list[ServiceMatch], lang: Lang) -> list[str]:
    lines = [label("needs", lang) + ":"]
    if not needs:
        lines.append("  " + label("none", lang))
    for k, need in enumerate(needs, start=1):
        lines.append(f"  {k}. {need.title.get(lang)} — {need.area_title.get(lang)} "
                     f"[{need.source.doc} {need.source.clause}] · "
                     f"{label('points', lang, n=gap_text(need.gap_points))} "
                     f"({report_label(need.status, lang)})")
        lines.append(f"     {label('because', lang)}: {need.why(SHOWN_INDICATORS).get(lang)}")
    return lines


def _offer_lines(ranking: OfferRanking, catalogue: Path, lang: Lang) -> list[str]:
    lines = ["", label("offers", lang, file=catalogue) + ":"]
    if not ranking.offers:
        lines.append("  " + label("no_offers", lang))
    for k, match in enumerate(ranking.offers, start=1):
        lines.append(f"  {k}. {match.offer.provider} — {match.offer.title}")
        lines.append(f"     {match.explanation.get(lang)}")
    if ranking.excluded:
        lines += ["", label("excluded", lang) + ":"]
        sep = "；" if lang == "zh" else "; "
        for item in ranking.excluded:
            lines.append(f"  - {item.offer.provider} — {item.offer.title}: "
                         + sep.join(r.get(lang) for r in item.reasons))
    return lines


@click.command()
@click.argument("framework")
@click.argument("answers", type=click.Path(exists=True, path_type=Path))
@click.option("--catalog", "catalogue", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path),
              default=None, help="The platform's offers (YAML/JSON, CSV or Parquet).")
@click.option("--demand", "demand_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Batch mode: ANSWERS is an enterprise file or folder (as for "
                                 "`smesdk batch`); write demand by service × region here "
                                 "(.csv or .parquet).")
@click.option("--date", "as_of", default=None, metavar="YYYY-MM-DD",
              help="Batch mode: assessment date for rows without one.")
@profile_option
@json_option
@lang_option
def match(framework: str, answers: Path, catalogue: Path | None, demand_out: Path | None,
          as_of: str | None, profile: str | None, as_json: bool, lang: str | None) -> None:
    """Rank the services an enterprise needs and the catalogue's offers that deliver them."""
    host = default_host()
    vocabulary = host.vocabulary()
    offers: list[Offer] = load_catalogue(catalogue, vocabulary) if catalogue else []
    if demand_out is not None:
        _demand(framework, answers, offers, demand_out, as_of, profile, output_lang(lang))
        return
    if answers.is_dir():
        raise SmesdkError([f"{answers}: a folder is an enterprise file for --demand; give one "
                           "answer file to match one enterprise"])
    fw, result = assess_file(framework, answers, profile)
    shown = framework_lang(fw, lang)
    needs = result.matched_services(fw)
    ranking = rank_offers(needs, result.enterprise, offers) if catalogue else None
    if as_json:
        import json

        data = {"enterprise": unstructure(result.enterprise),
                "framework": unstructure(result.provenance), "services": unstructure(needs),
                "offers": unstructure(ranking.offers) if ranking else None,
                "excluded": unstructure(ranking.excluded) if ranking else None}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [f"{result.enterprise.name} · {fw.spec.title.get(shown)} · "
             f"{terminal_label('total', shown)} {fmt(result.total, 2)} / 100", *_need_lines(needs, shown)]
    if ranking is not None and catalogue is not None:
        lines += _offer_lines(ranking, catalogue, shown)
    click.echo("\n".join(wrapped(lines, screen_width())))


def _demand(framework: str, source: Path, offers: list[Offer], out: Path, as_of: str | None,
            profile: str | None, lang: Lang) -> None:
    from smesdk.services.demand import demand, write_demand

    host = default_host()
    fw = host.load_framework(framework, profile)
    date: dt.date | None = None
    if as_of is not None:
        date = as_date(as_of)
        if date is None:
            raise SmesdkError([f"--date: {as_of!r} is not a date (YYYY-MM-DD)"])
    table = demand(fw, host.vocabulary(), source, offers, date)
    write_demand(table, host.vocabulary(), out)
    for problem in table.problems:
        who = f" ({problem.enterprise_id})" if problem.enterprise_id else ""
        click.echo(f"row {problem.row}{who}: {problem.message}", err=True)
    click.echo(label("demand", lang, rows=len(table.rows), n=table.enterprises,
                     bad=len(table.problems), out=out))
