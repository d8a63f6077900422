"""Shared by the Python tests: the module from the build tree, the command line beside it."""
import os
import subprocess
import tempfile
import unittest

import numpy as np

import poissonscope as ps

EXE = os.environ["POISSONSCOPE"]


def run_cli(*args, check=True):
    """Runs the command line; returns (exit code, stdout, stderr)."""
    proc = subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"poissonscope {' '.join(map(str, args))}: {proc.stderr}")
    return proc.returncode, proc.stdout, proc.stderr


def cli_refusal(command, *args):
    """The one-line message the command line refuses these arguments with, without its prefix."""
    code, _, err = run_cli(command, *args, check=False)
    assert code != 0, f"the command line accepted {args}"
    line = err.strip().splitlines()[-1]
    prefix = f"poissonscope {command}: "
    assert line.startswith(prefix), line
    return line[len(prefix):]


class TempDirCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)


def exact_denoiser(points, sigma, charges, weights, d):
    """x̂ written straight from the formula in double precision: the test's own oracle."""
    n = charges.shape[1]
    d2 = ((points[:, None, :] - charges[None, :, :]) ** 2).sum(-1)
    if np.isinf(d):
        log_k = -d2 / (2 * sigma**2)
    else:
        log_k = -0.5 * (n + d) * np.log1p(d2 / (sigma**2 * d))
    log_w = np.log(weights)[None, :] + log_k
    log_w -= log_w.max(axis=1, keepdims=True)
    w = np.exp(log_w)
    return (w @ charges) / w.sum(axis=1, keepdims=True)
