"""Reading content files: YAML with positions, schema validation, model construction."""
