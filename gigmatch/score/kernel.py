"""The compiled block scorer: one pass per project over the people who hold its skills.

The numpy engine (`engine.dense_scores`) fills a dense projects x people array and then looks
for each row's best cells; most of those cells are not candidates at all (a candidate must hold
one of the project's required skills). This kernel turns the loop round: for each project it
walks the index of who holds each skill it asks for (one list per column and kind: the same
skill, or a related one), so it touches only people with some credit, scores each one with
every term in one go (skill and related credit, nice-to-have, rating and reliability, rate,
hours, time zone, free text), applies the hard filters and keeps a running top-k. No
block-sized array is ever built.

Real vocabularies have a Zipf head: one concept can be held by most of the pool, so walking its
list touches most people for every project that asks for it, while only a few of them can
reach the k-th best. So the long lists ("big", `KernelInputs`) are not walked at first: they
are also kept as bitsets with a rank per 64-bit word, which give one person's credit in a list
in constant time. A project first walks its short lists, completes the credit of the people
found there from the bitsets, and scores them; that fills the top-k heap. Someone found in no
short list earns credit from the big lists only, at most their summed weight times their best
credit; while that bound, with the best possible other terms, cannot reach the heap's k-th best
(less the margin), nobody else is walked at all. Otherwise one more big list is walked (the
most weight per holder first), its new holders scored (those the bound rules out are skipped),
and the bound checked again (MaxScore, as in text retrieval).
Pruned people are exactly those whose score is below the cut the output keeps anyway, so the
pairs chosen are the same as walking everything.

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
# A bound compared with the heap is summed in another order than the score it bounds.
_SLACK = 1e-9

_ONE = np.uint64(1)
_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


@njit(cache=True, nogil=True, inline="always")
def _popcount(x):
    """Set bits of a uint64 (SWAR; LLVM turns it into one instruction where there is one)."""
    x = x - ((x >> _ONE) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return (x * _H01) >> np.uint64(56)


@njit(cache=True, nogil=True)
def build_bitsets(ptr, who, lists, n_people):
    """The bitsets of `lists`, row b for list `lists[b]`: word 2w holds bits 64w.. (bit i set:
    person i is in the list) and word 2w + 1 counts the members before them, so a member's
    position in its list (holders sorted, as in a canonical CSC matrix) is that count plus one
    popcount, both read from one cache line."""
    n_words = (n_people + 63) // 64
    bitrank = np.zeros((len(lists), 2 * max(n_words, 1)), dtype=np.uint64)
    for b in range(len(lists)):
        lst = lists[b]
        for h in range(ptr[lst], ptr[lst + 1]):
            i = who[h]
            bitrank[b, 2 * (i >> 6)] |= _ONE << np.uint64(i & 63)
        total = np.uint64(0)
        for w in range(n_words):
            bitrank[b, 2 * w + 1] = total
            total += _popcount(bitrank[b, 2 * w])
    return bitrank


@njit(cache=True, nogil=True)
def build_lists(indptr, indices, data, related, n_columns):
    """(ptr, who, val) of the holders of each column's same skill (list 2c) and related
    skills (list 2c + 1) from a canonical CSR credit matrix (people x columns) and its
    `related` flags: one counting pass and one scatter, people in order so each list is
    sorted; credit as float32, stored zeros left out."""
    counts = np.zeros(2 * n_columns + 1, dtype=np.int64)
    for r in range(len(indptr) - 1):
        for e in range(indptr[r], indptr[r + 1]):
            if np.float32(data[e]) != 0:
                counts[2 * indices[e] + (1 if related[e] else 0) + 1] += 1
    ptr = np.cumsum(counts)
    fill = ptr[:-1].copy()
    who = np.empty(ptr[-1], dtype=np.int32)
    val = np.empty(ptr[-1], dtype=np.float32)
    for r in range(len(indptr) - 1):
        for e in range(indptr[r], indptr[r + 1]):
            v = np.float32(data[e])
            if v != 0:
                lst = 2 * indices[e] + (1 if related[e] else 0)
                who[fill[lst]] = r
                val[fill[lst]] = v
                fill[lst] += 1
    return ptr, who, val


@njit(cache=True, nogil=True, inline="always")
def _position(bitrank, b, i):
    """Where person i is in bitset list b, -1 when not in it."""
    w = 2 * (i >> 6)
    word = bitrank[b, w]
    bit = _ONE << np.uint64(i & 63)
    if word & bit == 0:
        return -1
    return np.int64(bitrank[b, w + 1] + _popcount(word & (bit - _ONE)))


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
    # skills: weights (columns x projects, CSC); lists: holders of column c's same skill
    # (list 2c) and of a related one (2c + 1), with their credit, its best, and bitset rows
    req_ptr, req_col, req_w, nice_ptr, nice_col, nice_w,
    list_ptr, list_who, list_val, list_max, list_big, bitrank,
    share, nice_b, n_required,
    # per person, one row each (one cache line): base, rate, hours, zone index
    person,
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
    n_people = len(person)
    stamp = np.full(n_people, -1, dtype=np.int32)
    acc = np.zeros((n_people, 2), dtype=np.float64)  # credit and same skills, side by side
    text_stamp = np.full(n_people, -1, dtype=np.int32)
    cos = np.zeros(n_people, dtype=np.float64)
    touched = np.empty(n_people, dtype=np.int64)
    value = np.empty(n_people, dtype=np.float64)
    status = np.empty(n_people, dtype=np.int8)
    heap = np.empty(max(k, 1), dtype=np.float64)
    out_row = np.empty(len(block) * (k + 8) + 16, dtype=np.int64)
    out_who = np.empty(len(block) * (k + 8) + 16, dtype=np.int64)
    n_out = 0
    # the best any person can get outside skill: what a bound on skill is added to
    top_base = -np.inf
    for i in range(n_people):
        if not person[i, 0] <= top_base:  # NaN: no bound, so nothing is pruned
            top_base = person[i, 0] if not np.isnan(person[i, 0]) else np.inf
    rest = w_rate + w_hours + w_zone + w_text + 2 * margin + _SLACK
    most = 0
    for p in block:
        most = max(most, 2 * (req_ptr[p + 1] - req_ptr[p] + nice_ptr[p + 1] - nice_ptr[p]))
    slot_list = np.empty(most, dtype=np.int64)
    slot_w = np.empty(most, dtype=np.float64)
    slot_req = np.empty(most, dtype=np.bool_)
    slot_walk = np.empty(most, dtype=np.bool_)  # walked (short lists, then chosen big ones)
    for row in range(len(block)):
        p = block[row]
        sh = share[p]
        first = row  # stamp of the people seen for this project
        # the project's lists: required same skill (makes a candidate), required related,
        # nice-to-have same and related
        n_slots = 0
        for j in range(req_ptr[p], req_ptr[p + 1]):
            for kind in range(2):
                slot_list[n_slots] = 2 * req_col[j] + kind
                slot_w[n_slots] = req_w[j] * sh
                slot_req[n_slots] = kind == 0
                n_slots += 1
        for j in range(nice_ptr[p], nice_ptr[p + 1]):
            for kind in range(2):
                slot_list[n_slots] = 2 * nice_col[j] + kind
                slot_w[n_slots] = nice_w[j] * nice_b
                slot_req[n_slots] = False
                n_slots += 1
        text_known = has_text and project_has[p]
        if text_known:
            for j in range(text_ptr[p], text_ptr[p + 1]):
                word = text_col[j]
                a = text_val[j]
                for h in range(word_ptr[word], word_ptr[word + 1]):
                    i = word_who[h]
                    if text_stamp[i] != row:
                        text_stamp[i] = row
                        cos[i] = 0.0
                    cos[i] += a * word_val[h]
        b = budget[p]
        need = needed[p]
        lim = limit[p]
        n_touched = 0
        size = 0
        open_project = n_required[p] == 0
        if open_project:  # asks for no skill: everyone is a candidate, with full coverage
            for i in range(n_people):
                stamp[i] = first
                acc[i, 0] = sh
                acc[i, 1] = 0
                touched[n_touched] = i
                n_touched += 1
            for s in range(n_slots):
                lst, w = slot_list[s], slot_w[s]
                for h in range(list_ptr[lst], list_ptr[lst + 1]):
                    acc[list_who[h], 0] += w * list_val[h]
            for s in range(n_slots):
                slot_walk[s] = True
        else:
            for s in range(n_slots):
                slot_walk[s] = list_big[slot_list[s]] < 0
        # phase 1: walk the short lists; the people found are completed from the bitsets
        unwalked = 0.0  # the most credit the lists not walked can give one person
        for s in range(n_slots):
            lst, w = slot_list[s], slot_w[s]
            if not slot_walk[s]:
                unwalked += w * list_max[lst]
                continue
            if open_project:
                continue
            req = slot_req[s]
            for h in range(list_ptr[lst], list_ptr[lst + 1]):
                i = list_who[h]
                if stamp[i] != first:
                    stamp[i] = first
                    acc[i, 0] = 0.0
                    acc[i, 1] = 0
                    touched[n_touched] = i
                    n_touched += 1
                acc[i, 0] += w * list_val[h]
                if req:
                    acc[i, 1] += 1
        start = 0
        while True:  # score the people found, then walk one more big list if need be
            for t in range(start, n_touched):
                i = touched[t]
                if (
                    size == k
                    and k > 0
                    and (acc[i, 0] + unwalked) * w_skill + person[i, 0] + rest < heap[0]
                ):
                    status[t] = _OUT
                    continue
                for s in range(n_slots):
                    if slot_walk[s]:
                        continue
                    lst = slot_list[s]
                    at = _position(bitrank, list_big[lst], i)
                    if at >= 0:
                        acc[i, 0] += slot_w[s] * list_val[list_ptr[lst] + at]
                        if slot_req[s]:
                            acc[i, 1] += 1
                state = _SURE
                if not (open_project or acc[i, 1] > 0):
                    state = _OUT
                if require_all and acc[i, 1] < n_required[p]:
                    state = _OUT
                if person[i, 1] > lim:  # NaN on either side compares False: no evidence, kept
                    state = _OUT
                skill = min(max(acc[i, 0], 0.0), 1.0)
                if skill < min_skill - skill_margin:
                    state = _OUT
                elif skill < min_skill + skill_margin and state == _SURE:
                    state = _MAYBE
                r = person[i, 1]
                if np.isnan(r) or np.isnan(b):
                    rate_s = 1.0
                elif b > 0:
                    over = max(r / b - 1.0, 0.0)
                    rate_s = min(max(1.0 - over / over_f, 0.0), 1.0)
                else:
                    rate_s = 0.0 if r > 0 else 1.0
                hv = person[i, 2]
                if np.isnan(hv) or not need > 0:
                    hours_s = 1.0
                else:
                    hours_s = min(max(hv / need, 0.0), 1.0)
                score = skill * w_skill + person[i, 0] + rate_s * w_rate + hours_s * w_hours
                score += zone_table[row, np.int64(person[i, 3])] * w_zone
                if has_text:
                    if text_known and person_has[i]:
                        text_s = 0.0
                        if text_stamp[i] == row:
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
                if state == _SURE and k > 0 and (size < k or score > heap[0]):
                    size = _heap_push(heap, size, k, score)
            # someone in no walked list earns at most `unwalked` (a list that weighs nothing
            # still makes candidates): walk one more big list, the most weight per holder
            # first, while that bound with the best other terms can reach the k-th best
            if size == k and k > 0 and min(unwalked, 1.0) * w_skill + top_base + rest < heap[0]:
                break
            best, best_cost = -1, np.inf
            for s in range(n_slots):
                if not slot_walk[s]:
                    lst = slot_list[s]
                    gain = slot_w[s] * list_max[lst]
                    cost = (list_ptr[lst + 1] - list_ptr[lst]) / gain if gain > 0 else np.inf
                    if best < 0 or cost < best_cost:
                        best, best_cost = s, cost
            if best < 0:  # every list walked
                break
            slot_walk[best] = True
            unwalked = 0.0  # summed again, not subtracted: no drift
            for s in range(n_slots):
                if not slot_walk[s]:
                    unwalked += slot_w[s] * list_max[slot_list[s]]
            # its holders not seen yet, each with its credit here; the rest is looked up
            # (lists walked before do not hold them), unless the bound rules them out now
            start = n_touched
            lst, w, req = slot_list[best], slot_w[best], slot_req[best]
            full = size == k and k > 0
            for h in range(list_ptr[lst], list_ptr[lst + 1]):
                i = list_who[h]
                if stamp[i] == first:
                    continue
                stamp[i] = first
                acc[i, 0] = w * list_val[h]
                if full and (acc[i, 0] + unwalked) * w_skill + person[i, 0] + rest < heap[0]:
                    continue  # never output: below the cut
                acc[i, 1] = 1 if req else 0
                touched[n_touched] = i
                n_touched += 1
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
