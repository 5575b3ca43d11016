"""Benchmarks for kb_builder: a content generator and a runner (see README.md)."""
