"""The 39 certification industry categories of seed 004, annex 2: kept in the core
(:mod:`smesdk.industries`), since ``enterprise.industry`` of every answer set uses them."""

from __future__ import annotations

from smesdk.industries import INDUSTRIES, industry_name

__all__ = ["INDUSTRIES", "industry_name"]
