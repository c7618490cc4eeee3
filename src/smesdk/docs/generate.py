"""Which pages are generated, and writing them all in one go."""

from __future__ import annotations

from pathlib import Path

from smesdk.docs.cli_reference import cli_reference
from smesdk.docs.facts_page import facts_page
from smesdk.docs.framework_page import framework_page
from smesdk.docs.schema_tables import update_schema_tables
from smesdk.docs.services_page import services_page
from smesdk.host import PluginHost

#: Frameworks of test-only plugins get no reference page.
SKIP_FRAMEWORKS = frozenset({"hooktest"})
SCHEMA_PAGE = "schemas.md"
FACTS_PAGE = "facts.md"
SERVICES_PAGE = "service-vocabulary.md"


def documented_frameworks(host: PluginHost) -> list[str]:
    """Ids of the installed frameworks that get a page under ``docs/frameworks/``."""
    return [fid for fid in host.framework_ids() if fid not in SKIP_FRAMEWORKS]


def write_all(docs: Path, host: PluginHost | None = None) -> list[Path]:
    """Rewrite the CLI reference, every framework page, the fact and service vocabularies and
    the schema tables under ``docs``."""
    host = host or PluginHost()
    written = [docs / "cli.md"]
    written[0].write_text(cli_reference(), encoding="utf-8")
    folder = docs / "frameworks"
    folder.mkdir(parents=True, exist_ok=True)
    for fid in documented_frameworks(host):
        path = folder / f"{fid}.md"
        path.write_text(framework_page(host.load_framework(fid), "en"), encoding="utf-8")
        written.append(path)
    facts = docs / FACTS_PAGE
    facts.write_text(facts_page(host.load_framework(f) for f in documented_frameworks(host)),
                     encoding="utf-8")
    written.append(facts)
    services = docs / SERVICES_PAGE
    services.write_text(services_page(host.vocabulary(), (host.load_framework(f) for f in
                                                          documented_frameworks(host))),
                        encoding="utf-8")
    written.append(services)
    schema_page = docs / SCHEMA_PAGE
    if schema_page.exists():
        schema_page.write_text(update_schema_tables(schema_page.read_text(encoding="utf-8")),
                               encoding="utf-8")
        written.append(schema_page)
    return written
