"""Turning the catalog into Markdown pages: one Jinja environment, page builders, templates/*.j2."""
