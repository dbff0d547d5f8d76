"""`score/csr.py` against scipy.sparse: the same matrices, values and products.

`match` scores with these numpy-only matrices so that it need not import scipy; every
operation must give what scipy gives on the same input (sums to the last bit where scipy adds
in column order), on random shapes including empty rows, columns and matrices.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from gigmatch.score.csr import Csr, chunks, spans


@st.composite
def cells(draw, rows: int | None = None, columns: int | None = None):
    """Distinct (row, column) cells with values, in random order, and the shape."""
    n_rows = draw(st.integers(0, 12)) if rows is None else rows
    n_cols = draw(st.integers(0, 12)) if columns is None else columns
    cell = st.tuples(st.integers(0, max(n_rows - 1, 0)), st.integers(0, max(n_cols - 1, 0)))
    chosen = draw(st.sets(cell, max_size=n_rows * n_cols)) if n_rows and n_cols else set()
    ordered = draw(st.permutations(sorted(chosen)))
    row = np.array([c[0] for c in ordered], dtype=np.int64)
    col = np.array([c[1] for c in ordered], dtype=np.int64)
    value = st.floats(-4, 4, allow_nan=False, width=32)
    values = draw(st.lists(value, min_size=len(ordered), max_size=len(ordered)))
    return row, col, np.array(values, dtype=np.float64), (n_rows, n_cols)


def reference(row, col, data, shape) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((data, (row, col)), shape=shape)
    matrix.sort_indices()
    return matrix


def same(ours: Csr, theirs: sparse.spmatrix) -> None:
    """Equal stored structure and values, in canonical order."""
    theirs = sparse.csr_matrix(theirs)
    theirs.sort_indices()
    assert ours.shape == theirs.shape
    assert ours.indptr.tolist() == theirs.indptr.tolist()
    assert ours.indices.tolist() == theirs.indices.tolist()
    assert ours.data.tolist() == theirs.data.tolist()


@given(cells())
def test_built_from_cells_in_any_order_it_is_scipys_canonical_matrix(found):
    same(Csr.from_cells(*found), reference(*found))


@given(cells())
def test_sorted_cells_build_the_same_matrix(found):
    row, col, data, shape = found
    cell = row * max(shape[1], 1) + col
    order = np.argsort(cell)
    ours = Csr.from_sorted_cells(data[order], col[order], cell[order], shape)
    same(ours, reference(*found))


def indices(data, size: int, **kwargs) -> np.ndarray:
    """Drawn row or column numbers below `size` (none when it is 0)."""
    if not size:
        return np.zeros(0, dtype=np.int64)
    drawn = data.draw(st.lists(st.integers(0, size - 1), max_size=8, **kwargs))
    return np.array(drawn, dtype=np.int64)


@given(cells(), st.data())
def test_rows_and_columns_pick_as_scipy_indexing_does(found, data):
    matrix, ref = Csr.from_cells(*found), reference(*found)
    n_rows, n_cols = found[3]
    rows = indices(data, n_rows)
    same(matrix.rows(rows), ref[rows])
    columns = np.sort(indices(data, n_cols, unique=True))
    same(matrix.columns(columns), ref[:, columns])


@given(cells())
def test_the_transpose_is_scipys(found):
    same(Csr.from_cells(*found).transposed(), reference(*found).T)


def test_the_transpose_of_a_wide_matrix_sorts_by_full_columns():
    """Past 65,536 columns the 16-bit radix sort does not apply; columns must not wrap."""
    row = np.array([0, 1, 2, 0])
    col = np.array([70_000, 4, 70_000, 4])
    found = (row, col, np.array([1.0, 2.0, 3.0, 4.0]), (3, 70_001))
    same(Csr.from_cells(*found).transposed(), reference(*found).T)


@given(st.integers(0, 6), st.integers(0, 6), st.floats(0, 1), st.data())
def test_a_scaled_sum_is_scipys_to_the_last_bit(n_rows, n_cols, factor, data):
    a = data.draw(cells(rows=n_rows, columns=n_cols))
    b = data.draw(cells(rows=n_rows, columns=n_cols))
    share = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n_rows, max_size=n_rows)))
    ours = Csr.from_cells(*a).scaled(share).plus(Csr.from_cells(*b).scaled(factor))
    theirs = (sparse.diags(share) @ reference(*a)) + factor * reference(*b)
    dense = np.zeros(ours.shape)
    dense[ours.row_of_values(), ours.indices] = ours.data
    assert dense.tolist() == theirs.toarray().tolist()
    assert all(np.diff(ours.indices[lo:hi]).min(initial=1) > 0
               for lo, hi in zip(ours.indptr[:-1], ours.indptr[1:], strict=True))  # fmt: skip


@given(cells(columns=4), st.data())
@settings(max_examples=50)
def test_the_dense_product_is_scipys(found, data):
    values = data.draw(st.lists(st.floats(-2, 2, width=32), min_size=4 * 7, max_size=4 * 7))
    dense = np.array(values, dtype=np.float32).reshape(4, 7)
    matrix = Csr.from_cells(*found).astype(np.float32)
    ours = matrix.dot_dense(dense)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, reference(*found).astype(np.float32) @ dense, atol=1e-5)


@given(cells(columns=5), cells(rows=5), st.data())
def test_the_product_terms_add_up_to_scipys_product(left, right, data):
    a, b = Csr.from_cells(*left), Csr.from_cells(*right)
    row, column, value = a.product_terms(b)
    ours = np.zeros((a.shape[0], b.shape[1]))
    np.add.at(ours, (row, column), value)
    np.testing.assert_allclose(ours, (reference(*left) @ reference(*right)).toarray(), atol=1e-9)


@given(cells())
def test_scipy_gets_the_same_matrix(found):
    same(Csr.from_cells(*found), Csr.from_cells(*found).scipy())


def test_spans_are_the_runs_of_positions():
    assert spans(np.array([5, 0, 2]), np.array([2, 0, 3])).tolist() == [5, 6, 2, 3, 4]
    assert spans(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []


def test_a_cell_given_twice_is_refused():
    """scipy would add the two; every reader of a `Csr` relies on one value per cell."""
    with pytest.raises(ValueError, match="twice"):
        Csr.from_cells(np.array([0, 0]), np.array([1, 1]), np.array([1.0, 2.0]), (1, 2))


@given(st.lists(st.integers(0, 9), max_size=30), st.integers(1, 12))
def test_chunks_cover_every_item_once_within_the_bound(counts, most):
    runs = chunks(np.array(counts, dtype=np.int64), most)
    assert [i for lo, hi in runs for i in range(lo, hi)] == list(range(len(counts)))
    assert all(sum(counts[lo:hi]) <= most or hi - lo == 1 for lo, hi in runs)
