#!/usr/bin/env python3
"""Converts a data set CSV (label first, then the features, no header) into a C++ header that
compiles the data into a program, so demos and on-target tests need no file system.

Features are stored as unsigned bytes times a power-of-ten scale (digits and satellite are
integers in 0..255, iris has one decimal), which keeps the firmware images small.

    tools/csv_to_header.py data/digits.csv digits > data/digits.hpp
"""
import sys
from decimal import Decimal


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: csv_to_header.py FILE.csv NAME > NAME.hpp")
    path, name = sys.argv[1], sys.argv[2]
    rows = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            fields = line.split(",")
            try:
                rows.append((int(fields[0]), [Decimal(v) for v in fields[1:]]))
            except Exception as e:
                sys.exit(f"{path}:{number}: not a number: {e}")
    if not rows:
        sys.exit(f"{path}: no rows")
    width = len(rows[0][1])
    for number, (_, values) in enumerate(rows, 1):
        if len(values) != width:
            sys.exit(f"{path}:{number}: {len(values)} features, expected {width}")
    decimals = max(max(-v.as_tuple().exponent, 0) for _, vs in rows for v in vs)
    factor = 10 ** decimals
    scaled = [[int(v * factor) for v in vs] for _, vs in rows]
    if min(min(r) for r in scaled) < 0 or max(max(r) for r in scaled) > 255:
        sys.exit(f"{path}: features do not fit in a byte after scaling by {factor}")
    labels = [label for label, _ in rows]
    classes = max(labels) + 1
    ident = "k" + name.capitalize()

    def block(values):
        out = []
        for i in range(0, len(values), 24):
            out.append("    " + ",".join(str(v) for v in values[i:i + 24]) + ",")
        return "\n".join(out)

    print(f"// The {name} data set compiled in ({len(rows)} samples, {width} features, {classes} "
          f"classes).\n// Generated from data/{name}.csv by tools/csv_to_header.py; "
          "origin and licence in data/README.md.")
    print("#pragma once\n\n#include \"lastlayer_protocol/dataset.hpp\"\n")
    print("namespace lastlayer::data {\n")
    print(f"inline constexpr unsigned char {ident}Labels[{len(rows)}] = {{\n{block(labels)}\n}};\n")
    flat = [v for r in scaled for v in r]
    print(f"inline constexpr unsigned char {ident}Features[{len(flat)}] = {{\n{block(flat)}\n}};\n")
    print(f"inline constexpr Dataset {name}{{{ident}Features, {ident}Labels, {len(rows)}, {width}, "
          f"{classes}, {factor}}};\n")
    print("}  // namespace lastlayer::data")


if __name__ == "__main__":
    main()
