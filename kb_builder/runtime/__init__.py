"""Machinery under the pipeline that is not about content: the installation check and the
worker pool. Nothing here knows about markets, entries or pages."""
