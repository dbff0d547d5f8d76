"""TF-IDF baseline: job title + skills against profile headline + skills, cosine, top k.

The yardstick issue 11 compares ``gigmatch match`` with. Usage::

    python benchmarks/realdata/tfidf_baseline.py PROJECTS PEOPLE [--top 10] > baseline.csv
"""

import argparse
import csv
import re
import sys
from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix


def words(text: str) -> list[str]:
    """Lower-case tokens; keeps c++, c#, node.js, drops a sentence's trailing dot."""
    return [w.strip(".") for w in re.findall(r"[a-z0-9+#.]+", text.lower()) if w.strip(".")]


def read(path: str, id_col: str, cols: list[str]) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r[id_col] for r in rows], [words(" ".join(r[c] for c in cols)) for r in rows]


def unit_tfidf(docs: list[list[str]], vocab: dict[str, int], idf: np.ndarray) -> csr_matrix:
    """Sublinear tf x idf, each row scaled to unit length (so a dot product is the cosine)."""
    cells = [
        (i, vocab[w], 1 + np.log(n)) for i, d in enumerate(docs) for w, n in Counter(d).items()
    ]
    i, j, tf = (np.array(x) for x in zip(*cells, strict=True))
    m = csr_matrix((tf * idf[j], (i, j)), shape=(len(docs), len(vocab)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1))).ravel()
    return csr_matrix(m.multiply(1 / np.maximum(norms, 1e-12)[:, None]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("projects")
    ap.add_argument("people")
    ap.add_argument("--top", type=int, default=10)
    a = ap.parse_args()
    jids, jdocs = read(a.projects, "project_id", ["title", "required_skills"])
    pids, pdocs = read(a.people, "person_id", ["headline", "skills"])
    df = Counter(w for d in jdocs + pdocs for w in set(d))
    vocab = {w: k for k, w in enumerate(sorted(df))}
    idf = np.log((1 + len(jdocs) + len(pdocs)) / (1 + np.array([df[w] for w in vocab]))) + 1
    sims = (unit_tfidf(jdocs, vocab, idf) @ unit_tfidf(pdocs, vocab, idf).T).toarray()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["project_id", "rank", "person_id", "score"])
    for j, jid in enumerate(jids):  # ties broken by person order, so runs are repeatable
        for rank, p in enumerate(np.lexsort((np.arange(len(pids)), -sims[j]))[: a.top], 1):
            out.writerow([jid, rank, pids[p], f"{sims[j, p]:.4f}"])


if __name__ == "__main__":
    main()
