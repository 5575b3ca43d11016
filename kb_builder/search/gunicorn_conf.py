"""gunicorn settings for the search API: `gunicorn -c python:kb_builder.search.gunicorn_conf ...`.

Each worker warms its index right after it starts (SearchService.warm), so no customer's search
pays for opening the index, the spelling vocabularies or the semantic model. Every other setting
stays on the command line (workers, threads, bind address).
"""

from __future__ import annotations


def post_worker_init(worker) -> None:
    """gunicorn's hook, run in each worker once its application is loaded."""
    warm = getattr(worker.wsgi, "warm", None)  # another app under this config: nothing to do
    if callable(warm):
        warm()
