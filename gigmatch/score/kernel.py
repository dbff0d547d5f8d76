"""The compiled block scorer: one pass per project over the people who hold its skills.

The numpy engine (`engine.dense_scores`) fills a dense projects x people array and then looks
for each row's best cells; most of those cells are not candidates at all (a candidate must hold
one of the project's required skills). This kernel turns the loop round: for each project it
walks the index of who holds each required skill (a CSC credit matrix), so it touches only
candidates, scores each one with every term in one go (skill and related credit, nice-to-have,
rating and reliability, rate, hours, time zone, free text), applies the hard filters and keeps a
running top-k. No block-sized array is ever built.

It is compiled with numba, imported only by `engine` when a run is big enough to repay the
import and the (cached) compile, and it releases the GIL, so blocks run on a thread pool.
Scores here are float64; like the numpy pass they only choose which pairs go on to be scored
exactly (`engine.score_block`), with `MARGIN` for rounding, so both give the same output.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Status of a pair after the loose filters: out, in only if the exact score says so, surely in.
_OUT, _MAYBE, _SURE = 0, 1, 2


@njit(cache=True, nogil=True)
def _heap_push(heap, size, k, value):
    """Keep the k largest values seen in a min-heap `heap[:size]`; returns the new size."""
    if size < k:
        i = size
        heap[i] = value
        size += 1
        while i > 0:
            parent = (i - 1) // 2
            if heap[parent] <= heap[i]:
                break
            heap[parent], heap[i] = heap[i], heap[parent]
            i = parent
        return size
    if value <= heap[0]:
        return size
    heap[0] = value
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and heap[left + 1] < heap[left]:
            child = left + 1
        if heap[i] <= heap[child]:
            break
        heap[i], heap[child] = heap[child], heap[i]
        i = child
    return size


@njit(cache=True, nogil=True)
def _grow(array, need):
    if need <= len(array):
        return array
    bigger = np.empty(max(need, 2 * len(array)), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


@njit(cache=True, nogil=True)
def score_projects(  # noqa: C901 - one fused loop is the point of this module
    block,  # project indices (int64)
    # skills: weights (columns x projects, CSC) and credit (people x columns, CSC)
    req_ptr, req_col, req_w, nice_ptr, nice_col, nice_w,
    same_ptr, same_who, same_val, rel_ptr, rel_who, rel_val,
    share, nice_b, n_required,
    # per person
    base, rate, hours, zone_index,
    # per project
    budget, needed, limit, zone_table,  # zone_table: block rows x distinct zones
    # free text (has_text False: none)
    has_text, text_ptr, text_col, text_val, word_ptr, word_who, word_val,
    person_has, project_has, neutral,
    # weights (x100), rate slope, filters, top-k
    w_skill, w_rate, w_hours, w_zone, w_text, over_f,
    require_all, min_score, min_skill, margin, skill_margin, k,
):  # fmt: skip
    """(row in block, person) of every pair that may be among its project's best `k` (0 =
    all): the pairs that pass the filters and whose score is within `2 * margin` of the k-th
    best sure pass. Pairs too close to `min_score` or `min_skill` to be sure are kept too, for
    the exact pass to decide."""
    n_people = len(base)
    stamp = np.full(n_people, -1, dtype=np.int32)
    cov = np.zeros(n_people, dtype=np.float64)
    count = np.zeros(n_people, dtype=np.int32)
    cos = np.zeros(n_people, dtype=np.float64)
    touched = np.empty(n_people, dtype=np.int64)
    value = np.empty(n_people, dtype=np.float64)
    status = np.empty(n_people, dtype=np.int8)
    heap = np.empty(max(k, 1), dtype=np.float64)
    out_row = np.empty(len(block) * (k + 8) + 16, dtype=np.int64)
    out_who = np.empty(len(block) * (k + 8) + 16, dtype=np.int64)
    n_out = 0
    for row in range(len(block)):
        p = block[row]
        sh = share[p]
        n_touched = 0
        open_project = n_required[p] == 0
        if open_project:  # asks for no skill: everyone is a candidate, with full coverage
            for i in range(n_people):
                stamp[i] = row
                cov[i] = sh
                count[i] = 0
                touched[n_touched] = i
                n_touched += 1
        else:
            for j in range(req_ptr[p], req_ptr[p + 1]):
                c = req_col[j]
                w = req_w[j] * sh
                for h in range(same_ptr[c], same_ptr[c + 1]):
                    i = same_who[h]
                    if stamp[i] != row:
                        stamp[i] = row
                        cov[i] = 0.0
                        count[i] = 0
                        touched[n_touched] = i
                        n_touched += 1
                    cov[i] += w * same_val[h]
                    if require_all:
                        count[i] += 1
            for j in range(req_ptr[p], req_ptr[p + 1]):
                c = req_col[j]
                w = req_w[j] * sh
                for h in range(rel_ptr[c], rel_ptr[c + 1]):
                    i = rel_who[h]
                    if stamp[i] == row:
                        cov[i] += w * rel_val[h]
        for j in range(nice_ptr[p], nice_ptr[p + 1]):
            c = nice_col[j]
            w = nice_w[j] * nice_b
            for h in range(same_ptr[c], same_ptr[c + 1]):
                i = same_who[h]
                if stamp[i] == row:
                    cov[i] += w * same_val[h]
            for h in range(rel_ptr[c], rel_ptr[c + 1]):
                i = rel_who[h]
                if stamp[i] == row:
                    cov[i] += w * rel_val[h]
        text_known = has_text and project_has[p]
        if text_known:
            for t in range(n_touched):
                cos[touched[t]] = 0.0
            for j in range(text_ptr[p], text_ptr[p + 1]):
                word = text_col[j]
                a = text_val[j]
                for h in range(word_ptr[word], word_ptr[word + 1]):
                    i = word_who[h]
                    if stamp[i] == row:
                        cos[i] += a * word_val[h]
        b = budget[p]
        need = needed[p]
        lim = limit[p]
        size = 0
        # the most the terms after skill can add: a pair whose skill and base fall short of the
        # k-th best by more than this is out without being scored (the k-th only rises)
        rest = w_rate + w_hours + w_zone + w_text + 2 * margin
        for t in range(n_touched):
            i = touched[t]
            if size == k and k > 0 and cov[i] * w_skill + base[i] + rest < heap[0]:
                status[t] = _OUT
                continue
            state = _SURE
            if require_all and count[i] < n_required[p]:
                state = _OUT
            if rate[i] > lim:  # NaN on either side compares False: no evidence, kept
                state = _OUT
            skill = min(max(cov[i], 0.0), 1.0)
            if skill < min_skill - skill_margin:
                state = _OUT
            elif skill < min_skill + skill_margin and state == _SURE:
                state = _MAYBE
            r = rate[i]
            if np.isnan(r) or np.isnan(b):
                rate_s = 1.0
            elif b > 0:
                over = max(r / b - 1.0, 0.0)
                rate_s = min(max(1.0 - over / over_f, 0.0), 1.0)
            else:
                rate_s = 0.0 if r > 0 else 1.0
            hv = hours[i]
            if np.isnan(hv) or not need > 0:
                hours_s = 1.0
            else:
                hours_s = min(max(hv / need, 0.0), 1.0)
            score = skill * w_skill + base[i] + rate_s * w_rate + hours_s * w_hours
            score += zone_table[row, zone_index[i]] * w_zone
            if has_text:
                if text_known and person_has[i]:
                    text_s = min(max(cos[i], 0.0), 1.0)
                else:
                    text_s = min(max(neutral[p], 0.0), 1.0)
                score += text_s * w_text
            if score < min_score - margin:
                state = _OUT
            elif score < min_score + margin and state == _SURE:
                state = _MAYBE
            value[t] = score
            status[t] = state
            if state == _SURE and k > 0:
                size = _heap_push(heap, size, k, score)
        floor = -np.inf
        if k > 0 and size == k:
            floor = heap[0] - 2 * margin
        out_row = _grow(out_row, n_out + n_touched)
        out_who = _grow(out_who, n_out + n_touched)
        for t in range(n_touched):
            if status[t] != _OUT and value[t] >= floor:
                out_row[n_out] = row
                out_who[n_out] = touched[t]
                n_out += 1
    return out_row[:n_out].copy(), out_who[:n_out].copy()
