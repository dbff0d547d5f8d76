"""Sparse matrices in compressed-row form, in plain numpy: the few operations `match` needs.

A pool without free text needs only these from a sparse-matrix library: building the credit
and weight matrices from triples, picking rows and columns, adding two matrices, turning one
on its side, and a product with dense rows. Importing scipy.sparse costs about 0.1 s of a
one-second `match` at 1,000 x 10,000 (scipy 1.17's array-API layer imports numpy.testing and
numpy.f2py on the way), as much as scoring every pair. So the skill model and the numpy pass
use `Csr`; the past-work model converts the weights with `Csr.scipy`, and the code that needs
more of scipy (the text model, `SkillIndex.incidence` for skills, check, forecast and price)
builds scipy's own matrices, importing scipy only then.

Every `Csr` is canonical: within a row, columns are sorted and distinct. Code that looks a
cell up by binary search (`components.stored_positions`) relies on it, and sums over a row
add its values in column order, as scipy does, so results are the same to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True)
class Csr:
    """A canonical compressed-sparse-row matrix: the values of row i are
    `data[indptr[i]:indptr[i + 1]]`, in the columns `indices[...]` (sorted, distinct)."""

    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # the column of each value
    data: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def from_cells(
        cls, row: np.ndarray, column: np.ndarray, data: np.ndarray, shape: tuple[int, int]
    ) -> Csr:
        """From (row, column, value) triples of distinct cells, in any order. A repeated
        cell is refused: scipy would add the two, and every reader of a `Csr` relies on one
        value per cell, so it is a mistake of the caller, not something to fix up here."""
        row = np.asarray(row, dtype=np.int64)
        cell = row * max(shape[1], 1) + column
        order = np.argsort(cell, kind="stable")
        if len(order) > 1 and not np.all(np.diff(cell[order])):
            raise ValueError("Csr.from_cells: a cell is given twice")
        return cls(_pointer(np.bincount(row, minlength=shape[0])), column[order],
                   data[order], shape)  # fmt: skip

    @classmethod
    def from_sorted_cells(cls, data: np.ndarray, column: np.ndarray, cells: np.ndarray,
                          shape: tuple[int, int]) -> Csr:  # fmt: skip
        """From values already in order of their distinct cells (row x width + column)."""
        width = max(shape[1], 1)
        indptr = np.searchsorted(cells, np.arange(shape[0] + 1, dtype=np.int64) * width)
        return cls(indptr.astype(np.int64), column, data, shape)

    @property
    def nnz(self) -> int:
        return len(self.data)

    def row_of_values(self) -> np.ndarray:
        """The row of each stored value."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def rows(self, which: np.ndarray) -> Csr:
        """The matrix of rows `which`, in that order."""
        counts = np.diff(self.indptr)[which]
        at = spans(self.indptr[which], counts)
        return Csr(_pointer(counts), self.indices[at], self.data[at],
                   (len(which), self.shape[1]))  # fmt: skip

    def columns(self, which: np.ndarray) -> Csr:
        """The matrix of columns `which` (sorted, distinct), numbered 0, 1, ... in that order."""
        number = np.full(self.shape[1], -1, dtype=np.int64)
        number[which] = np.arange(len(which))
        new = number[self.indices]
        keep = new >= 0
        counts = np.bincount(self.row_of_values()[keep], minlength=self.shape[0])
        return Csr(_pointer(counts), new[keep].astype(self.indices.dtype), self.data[keep],
                   (self.shape[0], len(which)))  # fmt: skip

    def transposed(self) -> Csr:
        """The transpose. One stable sort by column keeps each new row's columns (the old
        rows) in increasing order; numpy sorts 16-bit keys by radix, in linear time (0.16 s
        for 6 million values, against 0.8 s for 32-bit ones), so columns are sorted as such
        whenever they fit."""
        key = self.indices.astype(np.uint16) if self.shape[1] <= 1 << 16 else self.indices
        order = np.argsort(key, kind="stable")
        counts = np.bincount(self.indices, minlength=self.shape[1])
        rows = self.row_of_values()[order].astype(self.indices.dtype)
        return Csr(_pointer(counts), rows, self.data[order], (self.shape[1], self.shape[0]))

    def plus(self, other: Csr) -> Csr:
        """The sum of two matrices of one shape (a cell stored in both is added, this one's
        value first)."""
        row = np.concatenate([self.row_of_values(), other.row_of_values()])
        column = np.concatenate([self.indices, other.indices])
        data = np.concatenate([self.data, other.data])
        cell = row * max(self.shape[1], 1) + column
        order = np.argsort(cell, kind="stable")
        cell, column, data = cell[order], column[order], data[order]
        first = np.flatnonzero(np.diff(cell, prepend=-1))  # cells are never negative
        summed = np.add.reduceat(data, first) if len(first) else data
        return Csr.from_sorted_cells(summed, column[first], cell[first], self.shape)

    def scaled(self, factor: float | np.ndarray) -> Csr:
        """Every value times `factor`: a number, or one per row."""
        if isinstance(factor, np.ndarray):
            factor = factor[self.row_of_values()]
        return Csr(self.indptr, self.indices, self.data * factor, self.shape)

    def astype(self, dtype: type) -> Csr:
        """The values as `dtype`."""
        return Csr(self.indptr, self.indices, self.data.astype(dtype), self.shape)

    def product_terms(self, other: Csr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The terms of self @ other before they are added up: (row, column, value) of the
        product of each stored value of self with each value of the row of `other` it names.
        Sized by those products, never by the shape."""
        counts = np.diff(other.indptr)[self.indices]
        at = spans(other.indptr[self.indices], counts)
        value = np.repeat(self.data, counts) * other.data[at]
        return np.repeat(self.row_of_values(), counts), other.indices[at], value

    def dot_dense(self, dense: np.ndarray) -> np.ndarray:
        """self @ dense, for a few values per row: each output row is the sum of the dense
        rows it names, each scaled by its value, added one at a time as scipy's product adds
        them. The dense rows are read in place (views), never gathered into a copy first:
        at 100,000 columns the copy made the product 2.4 times slower than scipy's, this is
        within a fifth of it. Rows without values are 0."""
        out = np.zeros((self.shape[0], dense.shape[1]), dtype=np.result_type(self.data, dense))
        scaled = np.empty(dense.shape[1], dtype=out.dtype)
        bounds, columns, values = self.indptr.tolist(), self.indices.tolist(), self.data.tolist()
        for i in np.flatnonzero(np.diff(self.indptr)).tolist():
            row, lo, hi = out[i], bounds[i], bounds[i + 1]
            np.multiply(dense[columns[lo]], values[lo], out=row)
            for at in range(lo + 1, hi):
                row += np.multiply(dense[columns[at]], values[at], out=scaled)
        return out

    def scipy(self) -> sparse.csr_matrix:
        """The same matrix as scipy's, for the commands that need more than this module."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def spans(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ..., start + count - 1 of each span, concatenated.

    >>> spans(np.array([5, 0, 2]), np.array([2, 0, 3])).tolist()
    [5, 6, 2, 3, 4]
    """
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets


def chunks(counts: np.ndarray, most: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) runs of items whose counts add up to at most `most` (an item
    with more is a run of its own): how work sized per item is cut to bound memory.

    >>> chunks(np.array([2, 2, 5, 1, 1]), 4)
    [(0, 2), (2, 3), (3, 5)]
    """
    ends = np.cumsum(counts)
    runs, start = [], 0
    while start < len(counts):
        reached = ends[start - 1] if start else 0
        end = max(int(np.searchsorted(ends, reached + most, side="right")), start + 1)
        runs.append((start, end))
        start = end
    return runs


def _pointer(counts: np.ndarray) -> np.ndarray:
    """Row pointers from the number of values in each row."""
    pointer = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=pointer[1:])
    return pointer
