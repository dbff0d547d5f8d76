"""Benchmark gigmatch.skills: load the knowledge base, resolve many distinct spellings.

Usage: python benchmarks/bench_skillkb.py [N] [--load-only]

Spellings are made from the knowledge base itself, as exports write them: a third as known
spellings with case and separator changes, a third with one typo, a third unknown phrases
(the long tail), all distinct. Prints the load time (sections are read on first use, so the
indexes a resolution needs are timed apart), the resolution time, how many resolved
each way, and the peak resident memory of the process.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections import Counter

from gigmatch.skills import Resolver, load_knowledge

WORDS = "alpha beta gamma delta omega nova terra flux quill sable cobalt ember".split()


def spellings(n: int, seed: int = 1) -> list[str]:
    """n distinct export-like spellings."""
    kb = load_knowledge()
    rng = random.Random(seed)
    known = sorted({s for c in kb for s in c.spellings})
    out: set[str] = set()
    while len(out) < n:
        base = rng.choice(known)
        kind = rng.randrange(3)
        if kind == 0:
            text = rng.choice([base.upper(), base.lower(), base.replace(" ", "-"), base + "s"])
        elif kind == 1 and len(base) > 5:
            i = rng.randrange(1, len(base) - 1)
            text = base[:i] + base[i + 1 :]
        else:
            text = f"{rng.choice(WORDS)} {base} {rng.randrange(1000)}"
        out.add(text)
    return sorted(out)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 50_000
    t0 = time.perf_counter()
    kb = load_knowledge()
    t1 = time.perf_counter()
    print(f"load: {t1 - t0:.3f} s, {len(kb)} concepts")
    kb.find("Pyhton"), kb.fold_tokens, kb.english, kb.typo_targets(), kb.broader("django")
    print(f"indexes, on first use: {time.perf_counter() - t1:.3f} s")
    if "--load-only" in sys.argv:
        return 0
    data = spellings(n)
    t2 = time.perf_counter()
    results = Resolver(kb).resolve_many(data)
    t3 = time.perf_counter()
    hows = Counter(r.how.split()[0] for r in results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"resolve {len(data)} distinct spellings: {t3 - t2:.2f} s  {dict(sorted(hows.items()))}")
    print(f"peak resident memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
