#!/usr/bin/env python3
"""Derives the polynomial of the vectorized exp (src/kernels/exp.hpp).

After range reduction x = n ln2 + r with |r| <= ln2/2, exp(x) = 2^n exp(r), and
exp(r) ~ 1 + r + r^2 q(r) with q of degree 4. Keeping the first two Taylor terms exact makes
exp(0) exactly 1 and the result's leading bits exact; q is fitted by the Remez exchange to
minimize the maximum relative error |(1 + r + r^2 q(r)) / exp(r) - 1| on [-ln2/2, ln2/2].
The coefficients are then rounded to float (what the kernel stores), and the relative error of
the rounded polynomial is reported. Needs mpmath (Debian: python3-mpmath).

Usage: tools/exp_coefficients.py
"""
import struct

import mpmath as mp

mp.mp.dps = 50
DEGREE = 4  # degree of q: p(r) = 1 + r + r^2 (c2 + c3 r + c4 r^2 + c5 r^3 + c6 r^4)
LO, HI = -mp.log(2) / 2, mp.log(2) / 2


def to_float(v):
    return struct.unpack("f", struct.pack("f", float(v)))[0]


def poly(c, r):
    q = mp.mpf(0)
    for coef in reversed(c):
        q = q * r + coef
    return 1 + r + r * r * q


def rel_err(c, r):
    return poly(c, r) / mp.exp(r) - 1


def remez(iterations=30):
    n = DEGREE + 1  # unknown coefficients, plus the levelled error E: n + 1 reference points
    pts = [(LO + HI) / 2 + (HI - LO) / 2 * mp.cos(mp.pi * (n - i) / n) for i in range(n + 1)]
    c = None
    for _ in range(iterations):
        # Solve 1 + r + r^2 q(r) - exp(r) = (-1)^i E exp(r) at the reference points.
        a = mp.matrix(n + 1, n + 1)
        b = mp.matrix(n + 1, 1)
        for i, r in enumerate(pts):
            for j in range(n):
                a[i, j] = r ** (j + 2)
            a[i, n] = -((-1) ** i) * mp.exp(r)
            b[i] = mp.exp(r) - 1 - r
        sol = mp.lu_solve(a, b)
        c = [sol[j] for j in range(n)]
        # New reference: the extrema of the error between sign changes, found on a fine grid.
        grid = [LO + (HI - LO) * k / 4000 for k in range(4001)]
        errs = [rel_err(c, r) for r in grid]
        ext, seg_best = [], 0
        for k in range(1, len(grid)):
            if mp.sign(errs[k]) != mp.sign(errs[seg_best]):
                ext.append(grid[seg_best])
                seg_best = k
            elif abs(errs[k]) > abs(errs[seg_best]):
                seg_best = k
        ext.append(grid[seg_best])
        if len(ext) == n + 1:
            pts = ext
    return c


def main():
    c = remez()
    cf = [to_float(v) for v in c]
    grid = [LO + (HI - LO) * k / 20000 for k in range(20001)]
    worst = max(abs(rel_err([mp.mpf(v) for v in cf], r)) for r in grid)
    for i, v in enumerate(cf):
        print(f"c{i + 2} = {v:.9e}f  (hex {struct.unpack('I', struct.pack('f', v))[0]:#010x})")
    print(f"max relative error of the float-rounded polynomial on [-ln2/2, ln2/2]: {float(worst):.3e}")
    print(f"(float epsilon / 2 = {2.0 ** -24:.3e})")


if __name__ == "__main__":
    main()
