#!/usr/bin/python3
"""Writes the scikit-learn collection's small real data sets as Poissonscope CSV files.

Run once with Debian 12's python3-sklearn installed (1.2.1):
    /usr/bin/python3 assets/data/sklearn/extract.py
The outputs are committed; Poissonscope compiles them into its binary, so no Python is needed at
run time. Coordinates only, under their feature names; the class labels are not charges.
"""
import csv
import pathlib

from sklearn import datasets

HERE = pathlib.Path(__file__).resolve().parent


def clean(name):
    # CSV headers: no commas or quotes; the loader takes any other text as a column name.
    return name.replace(",", ";").replace('"', "").strip()


def write(stem, bunch, names, fmt):
    with open(HERE / f"{stem}.csv", "w", newline="") as out:
        out.write(f"# {stem}: {bunch.data.shape[0]} points, {bunch.data.shape[1]} coordinates; "
                  "from scikit-learn 1.2.1 (BSD-3-Clause), see README.md\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([clean(n) for n in names])
        for row in bunch.data:
            writer.writerow([fmt % v for v in row])


write("iris", datasets.load_iris(), datasets.load_iris().feature_names, "%.1f")
write("wine", datasets.load_wine(), datasets.load_wine().feature_names, "%.6g")
bc = datasets.load_breast_cancer()
write("breast-cancer", bc, bc.feature_names, "%.6g")
digits = datasets.load_digits()
write("digits", digits, [f"p{r}{c}" for r in range(8) for c in range(8)], "%d")
