"""JSON responses, written as ``smesdk ... --json`` writes them (UTF-8, not ASCII-escaped)."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None
                  ) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status_code=status,
                    media_type="application/json", headers=headers)
