#!/usr/bin/env python3
"""The NumPy peer of the training-step benchmark: mini-batch SGD on the soft-max layer, in
float32, the way a NumPy user writes it (BLAS for the two matrix products), for the shapes of
lastlayer_bench. Prints ns per sample for batches of 32 (and of 1), the fastest of several
repetitions, as lastlayer_bench does.

    python3 bench/numpy_peer.py          # Debian: apt-get install python3-numpy libopenblas0
"""
import time

import numpy as np

SHAPES = [(64, 10), (128, 10), (256, 32), (784, 10)]


def sgd_epoch(w, b, x, onehot, lr, batch):
    n = x.shape[0]
    for start in range(0, n, batch):
        xb = x[start:start + batch]
        z = xb @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot[start:start + batch]) * np.float32(lr / xb.shape[0])
        w -= g.T @ xb
        b -= g.sum(axis=0)


def ns_per_sample(d, k, batch, samples=2048, repetitions=20):
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, size=(samples, d)).astype(np.float32)
    labels = (np.arange(samples) * 7) % k
    onehot = np.eye(k, dtype=np.float32)[labels]
    w = np.zeros((k, d), dtype=np.float32)
    b = np.zeros(k, dtype=np.float32)
    best = float("inf")
    for _ in range(repetitions):
        t0 = time.perf_counter_ns()
        sgd_epoch(w, b, x, onehot, 0.01, batch)
        best = min(best, (time.perf_counter_ns() - t0) / samples)
    return best


def main():
    print(f"NumPy {np.__version__}, float32 mini-batch SGD, ns per sample (fastest of 20 epochs "
          f"of 2048 samples)")
    print(f"  {'DxK':8} {'batch 32':>10} {'batch 1':>10}")
    for d, k in SHAPES:
        print(f"  {d}x{k:<5} {ns_per_sample(d, k, 32):10.1f} {ns_per_sample(d, k, 1, 512, 5):10.1f}")


if __name__ == "__main__":
    main()
