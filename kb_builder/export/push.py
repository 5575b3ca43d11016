"""`kb export TARGET --push`: create or update the exported resources in a helpdesk by stable key.

The base URL and credentials come from environment variables only, never from content files:

| target | variables | authentication |
|---|---|---|
| zendesk | KB_ZENDESK_URL, KB_ZENDESK_USER (agent email), KB_ZENDESK_TOKEN | Basic `user/token:TOKEN` |
| gorgias | KB_GORGIAS_URL, KB_GORGIAS_USER, KB_GORGIAS_TOKEN | Basic `user:TOKEN` |
| freshdesk | KB_FRESHDESK_URL, KB_FRESHDESK_TOKEN | Basic `TOKEN:X` |

Each resource is looked up first (Zendesk macro: `kb key: ...` in its description; dynamic
content item: its name; Gorgias macro: `external_id`; Freshdesk folder: its name; canned
response: its title in its folder), then updated, or created when it is not there. `--dry-run`
only reads and prints what it would change. Help-center articles: Zendesk categories and
sections by `kb key: ...` in their description, articles by their key in `label_names`,
translations by locale; Freshdesk solution categories and folders by name, articles by their key
in `tags`, translations by language.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Iterator

from kb_builder.errors import KbError, UsageError

from .resources import Export, Resource

ENV = {
    "zendesk": ("KB_ZENDESK_URL", "KB_ZENDESK_USER", "KB_ZENDESK_TOKEN"),
    "gorgias": ("KB_GORGIAS_URL", "KB_GORGIAS_USER", "KB_GORGIAS_TOKEN"),
    "freshdesk": ("KB_FRESHDESK_URL", None, "KB_FRESHDESK_TOKEN"),
}
TIMEOUT = 30


class PushError(KbError):
    """The helpdesk refused a request or could not be reached."""


@dataclass
class Api:
    """A helpdesk's REST API at a base URL, with its authorization header."""

    base: str
    authorization: str
    sent: list[tuple[str, str]] = field(default_factory=list)

    def call(self, method: str, path: str, body: dict | None = None, missing_ok: bool = False):
        """Send one request; return the decoded JSON answer (None when empty, or on 404 when
        missing_ok)."""
        url = path if path.startswith(("http://", "https://")) else self.base.rstrip("/") + path
        data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8") if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": self.authorization, "Accept": "application/json",
            **({"Content-Type": "application/json"} if data is not None else {})})
        self.sent.append((method, path))
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                return None
            detail = exc.read()[:300].decode("utf-8", errors="replace")
            raise PushError(f"{method} {url}: HTTP {exc.code} {detail}".rstrip()) from None
        except (urllib.error.URLError, OSError) as exc:
            raise PushError(f"{method} {url}: {getattr(exc, 'reason', exc)}") from None
        return json.loads(raw) if raw.strip() else None


def api_from_env(target: str, environ=os.environ) -> Api:
    """The target's API from KB_<TARGET>_URL and its credentials; a missing one is a usage error."""
    if target not in ENV:
        raise UsageError(f"--push: {target} is a file format, not a helpdesk; push zendesk, gorgias or freshdesk")
    url_var, user_var, token_var = ENV[target]
    missing = [v for v in (url_var, user_var, token_var) if v and not environ.get(v)]
    if missing:
        raise UsageError(f"--push {target}: set {', '.join(missing)} in the environment (never in content files)")
    base = environ[url_var]
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise UsageError(f"{url_var}={base!r} is not an http(s) URL")
    token = environ[token_var]
    if target == "zendesk":
        secret = f"{environ[user_var]}/token:{token}"
    elif target == "gorgias":
        secret = f"{environ[user_var]}:{token}"
    else:
        secret = f"{token}:X"
    return Api(base, "Basic " + base64.b64encode(secret.encode("utf-8")).decode("ascii"))


def _pages(api: Api, path: str, key: str) -> Iterator[dict]:
    """Every object of a list endpoint: Freshdesk's plain lists by `?page=` (key ''), else the
    objects under `key`, following Zendesk's `next_page` and Gorgias's `meta.next_cursor`."""
    if not key:
        for page in range(1, 1001):
            items = api.call("GET", _with_query(path, per_page=100, page=page)) or []
            yield from items
            if len(items) < 100:
                return
        return
    url: str | None = path
    for _ in range(1000):
        answer = api.call("GET", url) or {}
        yield from answer.get(key) or []
        cursor = (answer.get("meta") or {}).get("next_cursor")
        url = answer.get("next_page") or (_with_query(path, cursor=cursor) if cursor else None)
        if not url:
            return


def _with_query(path: str, **params) -> str:
    return path + ("&" if "?" in path else "?") + urllib.parse.urlencode(params)


Say = Callable[[str], None]


class Pusher:
    """Creates or updates one target's resources in order, remembering the ids of those it saw."""

    def __init__(self, export: Export, api: Api, dry_run: bool, say: Say):
        self.export, self.api, self.dry_run, self.say = export, api, dry_run, say
        self.ids: dict[str, object] = {}
        self.created = self.updated = 0
        self._lists: dict[str, list[dict]] = {}

    def listed(self, path: str, key: str) -> list[dict]:
        """A list endpoint's objects, read once per push."""
        if path not in self._lists:
            self._lists[path] = list(_pages(self.api, path, key))
        return self._lists[path]

    def apply(self, r: Resource, found: dict | None, create, update) -> None:
        """Update `found` or create the resource; print what happens (or would)."""
        verb = "update" if found else "create"
        if self.dry_run:
            self.say(f"would {verb} {r.kind} {r.key}: {r.name}")
            self.ids[r.key] = found.get("id") if found else None
        else:
            answer = update(found) if found else create()
            self.ids[r.key] = found.get("id") if found else _id_of(answer)
            self.say(f"{verb}d {r.kind} {r.key}: {r.name} (id {self.ids[r.key]})")
        if found:
            self.updated += 1
        else:
            self.created += 1

    def ref(self, r: Resource, name: str):
        """The id of the resource a field refers to (None in a dry run when it does not exist yet)."""
        return self.ids.get(r.refs[name])


def _id_of(answer) -> object:
    if isinstance(answer, dict):
        if "id" in answer:
            return answer["id"]
        for value in answer.values():
            if isinstance(value, dict) and "id" in value:
                return value["id"]
    return None


def _zendesk(p: Pusher, r: Resource) -> None:
    api = p.api
    if r.kind == "macro":
        found = next((m for m in p.listed("/api/v2/macros", "macros")
                      if (m.get("description") or "").endswith(f"kb key: {r.key}")), None)
        p.apply(r, found, lambda: api.call("POST", "/api/v2/macros", r.payload),
                lambda f: api.call("PUT", f"/api/v2/macros/{f['id']}", r.payload))
    elif r.kind == "dynamic_content_item":
        found = next((i for i in p.listed("/api/v2/dynamic_content/items", "items")
                      if i.get("name") == r.payload["item"]["name"]), None)

        def update(f):
            have = {v.get("locale_id"): v for v in f.get("variants") or []}
            for v in r.payload["item"]["variants"]:
                old = have.get(v["locale_id"])
                if old is None:
                    api.call("POST", f"/api/v2/dynamic_content/items/{f['id']}/variants", {"variant": v})
                elif any(old.get(k) != v[k] for k in v):
                    api.call("PUT", f"/api/v2/dynamic_content/items/{f['id']}/variants/{old['id']}", {"variant": v})
            return f
        p.apply(r, found, lambda: api.call("POST", "/api/v2/dynamic_content/items", r.payload), update)
    elif r.kind == "hc_category":
        found = next((c for c in p.listed("/api/v2/help_center/categories", "categories")
                      if (c.get("description") or "").endswith(f"kb key: {r.key}")), None)
        p.apply(r, found, lambda: api.call("POST", "/api/v2/help_center/categories", r.payload),
                lambda f: api.call("PUT", f"/api/v2/help_center/categories/{f['id']}", r.payload))
    elif r.kind == "hc_section":
        category = p.ref(r, "category_id")
        found = next((c for c in p.listed("/api/v2/help_center/sections", "sections")
                      if (c.get("description") or "").endswith(f"kb key: {r.key}")), None)
        p.apply(r, found, lambda: api.call("POST", f"/api/v2/help_center/categories/{category}/sections", r.payload),
                lambda f: api.call("PUT", f"/api/v2/help_center/sections/{f['id']}", r.payload))
    elif r.kind == "hc_article":
        section = p.ref(r, "section_id")
        article = r.payload["article"]
        found = next((a for a in p.listed("/api/v2/help_center/articles", "articles")
                      if r.key in (a.get("label_names") or [])), None)
        # an article's own fields are metadata; its title and body live in its translation
        p.apply(r, found, lambda: api.call("POST", f"/api/v2/help_center/sections/{section}/articles", r.payload),
                lambda f: api.call("PUT", f"/api/v2/help_center/articles/{f['id']}/translations/{article['locale']}",
                                   {"translation": {"title": article["title"], "body": article["body"]}}))
    elif r.kind == "hc_translation":
        parent = p.ids.get(r.parent)
        locale = r.payload["translation"]["locale"]
        have = p.listed(f"/api/v2/help_center/articles/{parent}/translations", "translations") if parent else []
        found = next((t for t in have if t.get("locale") == locale), None)
        p.apply(r, found, lambda: api.call("POST", f"/api/v2/help_center/articles/{parent}/translations", r.payload),
                lambda f: api.call("PUT", f"/api/v2/help_center/articles/{parent}/translations/{locale}", r.payload))


def _gorgias(p: Pusher, r: Resource) -> None:
    if r.kind == "macro":
        found = next((m for m in p.listed("/api/macros", "data") if m.get("external_id") == r.key), None)
        p.apply(r, found, lambda: p.api.call("POST", "/api/macros", r.payload),
                lambda f: p.api.call("PUT", f"/api/macros/{f['id']}", r.payload))


def _freshdesk(p: Pusher, r: Resource) -> None:
    api = p.api
    if r.kind == "canned_response_folder":
        found = next((f for f in p.listed("/api/v2/canned_response_folders", "")
                      if f.get("name") == r.payload["name"]), None)
        p.apply(r, found, lambda: api.call("POST", "/api/v2/canned_response_folders", r.payload), lambda f: f)
    elif r.kind == "canned_response":
        folder = p.ref(r, "folder_id")
        payload = {**r.payload, "folder_id": folder}
        existing = p.listed(f"/api/v2/canned_response_folders/{folder}/responses", "") if folder is not None else []
        found = next((c for c in existing if c.get("title") == r.payload["title"]), None)
        p.apply(r, found, lambda: api.call("POST", "/api/v2/canned_responses", payload),
                lambda f: api.call("PUT", f"/api/v2/canned_responses/{f['id']}", payload))
    elif r.kind == "solution_category":
        found = next((c for c in p.listed("/api/v2/solutions/categories", "") if c.get("name") == r.payload["name"]),
                     None)
        p.apply(r, found, lambda: api.call("POST", "/api/v2/solutions/categories", r.payload),
                lambda f: api.call("PUT", f"/api/v2/solutions/categories/{f['id']}", r.payload))
    elif r.kind == "solution_folder":
        category = p.ref(r, "category_id")
        have = p.listed(f"/api/v2/solutions/categories/{category}/folders", "") if category is not None else []
        found = next((f for f in have if f.get("name") == r.payload["name"]), None)
        p.apply(r, found, lambda: api.call("POST", f"/api/v2/solutions/categories/{category}/folders", r.payload),
                lambda f: api.call("PUT", f"/api/v2/solutions/folders/{f['id']}", r.payload))
    elif r.kind == "solution_article":
        folder = p.ref(r, "folder_id")
        have = p.listed(f"/api/v2/solutions/folders/{folder}/articles", "") if folder is not None else []
        found = next((a for a in have if r.key in (a.get("tags") or [])), None)
        p.apply(r, found, lambda: api.call("POST", f"/api/v2/solutions/folders/{folder}/articles", r.payload),
                lambda f: api.call("PUT", f"/api/v2/solutions/articles/{f['id']}", r.payload))
    elif r.kind == "solution_translation":
        parent = p.ids.get(r.parent)
        path = f"/api/v2/solutions/articles/{parent}/{r.lang}"
        found = api.call("GET", path, missing_ok=True) if parent is not None else None
        p.apply(r, found, lambda: api.call("POST", path, r.payload), lambda f: api.call("PUT", path, r.payload))


PUSHERS = {"zendesk": _zendesk, "gorgias": _gorgias, "freshdesk": _freshdesk}


def push_export(export: Export, dry_run: bool = False, environ=os.environ, say: Say | None = None) -> list[str]:
    """Push every resource of an export in order; return the lines printed (or to print)."""
    lines: list[str] = []
    out = say or lines.append
    api = api_from_env(export.target, environ)
    pusher = Pusher(export, api, dry_run, out)
    for r in export.resources:
        PUSHERS[export.target](pusher, r)
    tail = f"{pusher.created} {'to create' if dry_run else 'created'}, {pusher.updated} {'to update' if dry_run else 'updated'}"
    out(("dry run: " if dry_run else "pushed: ") + tail)
    return lines
