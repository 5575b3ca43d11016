"""`python -m kb_builder.loading.schema_code`: regenerate the validator modules after editing schemas.py."""

from kb_builder.loading.schema_code import write_all

for path in write_all():
    print(f"wrote {path}")
