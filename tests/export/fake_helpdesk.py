"""A fake helpdesk API on 127.0.0.1 (threaded http.server) for push tests: it implements the
documented endpoints `kb export --push` uses, keeps what it was sent, and records every request."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeHelpdesk:
    """Stores objects per collection; `requests` lists (method, path, body, authorization)."""

    def __init__(self, page_size: int = 2):
        self.page_size = page_size  # small, so pagination is exercised
        self.store: dict[str, dict[int, dict]] = {}
        self.requests: list[tuple[str, str, dict | None, str]] = []
        self.next_id = 100
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def objects(self, collection: str) -> list[dict]:
        return list(self.store.get(collection, {}).values())

    # -- routing ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, body: dict | None):
        with self.lock:
            for pattern, verb, fn in ROUTES:
                m = re.fullmatch(pattern, path)
                if m and verb == method:
                    return fn(self, query, body, *m.groups())
        return 404, {"error": f"no route {method} {path}"}

    def page(self, items: list[dict], query: dict, key: str, style: str):
        if style == "freshdesk":
            per = int(query.get("per_page", 30))
            n = int(query.get("page", 1))
            return 200, items[(n - 1) * per:n * per]
        start = int(query.get("cursor" if style == "gorgias" else "page", 0 if style == "gorgias" else 1))
        if style == "zendesk":
            start = (start - 1) * self.page_size
        chunk = items[start:start + self.page_size]
        more = start + self.page_size < len(items)
        if style == "gorgias":
            return 200, {key: chunk, "meta": {"next_cursor": str(start + self.page_size) if more else None}}
        nxt = f"{self.url}{self.current_path}?page={start // self.page_size + 2}" if more else None
        return 200, {key: chunk, "next_page": nxt}


def _list(collection, key, style):
    def fn(fake, query, body):
        return fake.page(fake.objects(collection), query, key, style)
    return fn


def _create(collection, wrapper):
    def fn(fake, query, body, *parents):
        obj = dict(body[wrapper]) if wrapper else dict(body)
        obj["id"] = fake.new_id()
        if collection == "dc_items":
            obj["variants"] = [dict(v, id=fake.new_id()) for v in obj.get("variants", [])]
        fake.store.setdefault(collection, {})[obj["id"]] = obj
        return 201, {wrapper: obj} if wrapper else obj
    return fn


def _update(collection, wrapper):
    def fn(fake, query, body, ident):
        obj = fake.store.get(collection, {}).get(int(ident))
        if obj is None:
            return 404, {"error": "not found"}
        obj.update(body[wrapper] if wrapper else body)
        return 200, {wrapper: obj} if wrapper else obj
    return fn


def _dc_variant_create(fake, query, body, item):
    obj = fake.store["dc_items"][int(item)]
    variant = dict(body["variant"], id=fake.new_id())
    obj["variants"].append(variant)
    return 201, {"variant": variant}


def _dc_variant_update(fake, query, body, item, vid):
    obj = fake.store["dc_items"][int(item)]
    variant = next(v for v in obj["variants"] if v["id"] == int(vid))
    variant.update(body["variant"])
    return 200, {"variant": variant}


def _create_in(collection, wrapper, parent_field):
    def fn(fake, query, body, parent):
        status, answer = _create(collection, wrapper)(fake, query, body)
        obj = answer[wrapper] if wrapper else answer
        obj[parent_field] = int(parent)
        if collection == "hc_articles":  # Zendesk makes the article's first translation from it
            fake.store.setdefault("hc_translations", {})[fake.new_id()] = {
                "article_id": obj["id"], "locale": obj["locale"], "title": obj["title"], "body": obj["body"]}
        return status, answer
    return fn


def _list_in(collection, parent_field, key, style):
    def fn(fake, query, body, parent):
        items = [o for o in fake.objects(collection) if o.get(parent_field) == int(parent)]
        return fake.page(items, query, key, style)
    return fn


def _hc_translation_create(fake, query, body, article):
    tr = dict(body["translation"], article_id=int(article))
    if any(t["article_id"] == int(article) and t["locale"] == tr["locale"] for t in fake.objects("hc_translations")):
        return 400, {"error": "translation exists"}
    tr["id"] = fake.new_id()
    fake.store.setdefault("hc_translations", {})[tr["id"]] = tr
    return 201, {"translation": tr}


def _hc_translation_update(fake, query, body, article, locale):
    tr = next((t for t in fake.objects("hc_translations") if t["article_id"] == int(article)
               and t["locale"] == locale), None)
    if tr is None:
        return 404, {"error": "not found"}
    tr.update(body["translation"])
    return 200, {"translation": tr}


def _fd_translation(fake, query, body, article, lang):
    key = (int(article), lang)
    store = fake.store.setdefault("fd_translations", {})
    found = next((t for t in store.values() if (t["article_id"], t["lang"]) == key), None)
    if fake.method == "GET":
        return (200, found) if found else (404, {"code": "not_found"})
    if fake.method == "POST":
        if found:
            return 409, {"code": "duplicate"}
        obj = dict(body, article_id=int(article), lang=lang, id=fake.new_id())
        store[obj["id"]] = obj
        return 201, obj
    if found is None:
        return 404, {"code": "not_found"}
    found.update(body)
    return 200, found


def _folder_responses(fake, query, body, folder):
    items = [c for c in fake.objects("canned") if c["folder_id"] == int(folder)]
    return fake.page(items, query, "", "freshdesk")


ROUTES = [
    (r"/api/v2/macros", "GET", _list("zd_macros", "macros", "zendesk")),
    (r"/api/v2/macros", "POST", _create("zd_macros", "macro")),
    (r"/api/v2/macros/(\d+)", "PUT", _update("zd_macros", "macro")),
    (r"/api/v2/dynamic_content/items", "GET", _list("dc_items", "items", "zendesk")),
    (r"/api/v2/dynamic_content/items", "POST", _create("dc_items", "item")),
    (r"/api/v2/dynamic_content/items/(\d+)/variants", "POST", _dc_variant_create),
    (r"/api/v2/dynamic_content/items/(\d+)/variants/(\d+)", "PUT", _dc_variant_update),
    (r"/api/macros", "GET", _list("gorgias_macros", "data", "gorgias")),
    (r"/api/macros", "POST", _create("gorgias_macros", None)),
    (r"/api/macros/(\d+)", "PUT", _update("gorgias_macros", None)),
    (r"/api/v2/canned_response_folders", "GET", _list("folders", "", "freshdesk")),
    (r"/api/v2/canned_response_folders", "POST", _create("folders", None)),
    (r"/api/v2/canned_response_folders/(\d+)/responses", "GET", _folder_responses),
    (r"/api/v2/canned_responses", "POST", _create("canned", None)),
    (r"/api/v2/canned_responses/(\d+)", "PUT", _update("canned", None)),
    (r"/api/v2/help_center/categories", "GET", _list("hc_categories", "categories", "zendesk")),
    (r"/api/v2/help_center/categories", "POST", _create("hc_categories", "category")),
    (r"/api/v2/help_center/categories/(\d+)", "PUT", _update("hc_categories", "category")),
    (r"/api/v2/help_center/sections", "GET", _list("hc_sections", "sections", "zendesk")),
    (r"/api/v2/help_center/categories/(\d+)/sections", "POST", _create_in("hc_sections", "section", "category_id")),
    (r"/api/v2/help_center/sections/(\d+)", "PUT", _update("hc_sections", "section")),
    (r"/api/v2/help_center/articles", "GET", _list("hc_articles", "articles", "zendesk")),
    (r"/api/v2/help_center/sections/(\d+)/articles", "POST", _create_in("hc_articles", "article", "section_id")),
    (r"/api/v2/help_center/articles/(\d+)/translations", "GET",
     _list_in("hc_translations", "article_id", "translations", "zendesk")),
    (r"/api/v2/help_center/articles/(\d+)/translations", "POST", _hc_translation_create),
    (r"/api/v2/help_center/articles/(\d+)/translations/([\w-]+)", "PUT", _hc_translation_update),
    (r"/api/v2/solutions/categories", "GET", _list("fd_categories", "", "freshdesk")),
    (r"/api/v2/solutions/categories", "POST", _create("fd_categories", None)),
    (r"/api/v2/solutions/categories/(\d+)", "PUT", _update("fd_categories", None)),
    (r"/api/v2/solutions/categories/(\d+)/folders", "GET", _list_in("fd_folders", "category_id", "", "freshdesk")),
    (r"/api/v2/solutions/categories/(\d+)/folders", "POST", _create_in("fd_folders", None, "category_id")),
    (r"/api/v2/solutions/folders/(\d+)", "PUT", _update("fd_folders", None)),
    (r"/api/v2/solutions/folders/(\d+)/articles", "GET", _list_in("fd_articles", "folder_id", "", "freshdesk")),
    (r"/api/v2/solutions/folders/(\d+)/articles", "POST", _create_in("fd_articles", None, "folder_id")),
    (r"/api/v2/solutions/articles/(\d+)", "PUT", _update("fd_articles", None)),
    (r"/api/v2/solutions/articles/(\d+)/([\w-]+)", "GET", _fd_translation),
    (r"/api/v2/solutions/articles/(\d+)/([\w-]+)", "POST", _fd_translation),
    (r"/api/v2/solutions/articles/(\d+)/([\w-]+)", "PUT", _fd_translation),
]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeHelpdesk

    def log_message(self, *args):  # keep test output quiet
        pass

    def _serve(self):
        from urllib.parse import parse_qsl, urlsplit

        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.fake.requests.append((self.command, parts.path, body, self.headers.get("Authorization", "")))
        self.fake.current_path = parts.path
        self.fake.method = self.command
        status, answer = self.fake.handle(self.command, parts.path, dict(parse_qsl(parts.query)), body)
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _serve
