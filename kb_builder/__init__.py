"""kb_builder: structured YAML support content -> knowledge base, help centers, search, report."""

__version__ = "0.1.0"
