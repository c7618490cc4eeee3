"""Generated documentation: framework reference pages, the CLI reference, schema field tables.

Everything here is a pure function returning Markdown, so tests can regenerate a page and
compare it with the checked-in copy. ``python -m smesdk.docs`` rewrites every generated page.
"""

from __future__ import annotations

from smesdk.docs.cli_reference import cli_reference
from smesdk.docs.framework_page import framework_page, gate_text
from smesdk.docs.schema_tables import schema_table, update_schema_tables

__all__ = ["cli_reference", "framework_page", "gate_text", "schema_table", "update_schema_tables"]
