"""Write the JSON Schema of rasd.document/1 from the pydantic models (schema/rasd.document.v1.json)."""

import json
from pathlib import Path

from rasd.schema import json_schema

OUT = Path(__file__).resolve().parents[1] / "schema" / "rasd.document.v1.json"

if __name__ == "__main__":
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
