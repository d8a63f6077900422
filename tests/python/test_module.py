"""The Python module against the command line and against the formulas (label python)."""
import math
import os
import subprocess
import sys
import unittest

import numpy as np

from support import EXE, TempDirCase, cli_refusal, exact_denoiser, ps, run_cli


class Data(TempDirCase):
    def test_version_and_datasets_are_the_command_lines(self):
        _, out, _ = run_cli("--version")
        self.assertEqual(out.strip(), f"poissonscope {ps.__version__}")
        _, listing, _ = run_cli("datasets")
        names = [d["name"] for d in ps.datasets()]
        self.assertIn("two-moons", names)
        for name in names:
            self.assertIn(name, listing)

    def test_dataset_is_what_sample_flows_from(self):
        positions, weights = ps.dataset("two-moons", count=300, data_seed=4)
        self.assertEqual(positions.shape, (300, 2))
        self.assertEqual(weights.shape, (300,))
        np.savetxt(self.path("moons.csv"), positions, delimiter=",", header="x1,x2", comments="")
        loaded, _ = ps.load_data(self.path("moons.csv"))
        np.testing.assert_array_equal(loaded, positions)

    def test_libtorch_and_ffmpeg_load_only_when_needed(self):
        # The command line: the dynamic loader's own log of what `--version` and an exact
        # `sample` map.
        for args in (["--version"], ["sample", "--dataset", "two-moons", "--particles", "8",
                                     "--steps", "2", "--quiet"]):
            proc = subprocess.run([EXE, *args], capture_output=True, text=True,
                                  env={**os.environ, "LD_DEBUG": "files"}, timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stderr[-500:])
            for library in ("libtorch", "libpoissonscope-torch", "libavcodec", "libc10"):
                self.assertNotIn(library, proc.stderr, args)
        # A fresh Python: importing the module and an exact flow map neither module; the torch
        # backend maps LibTorch's.
        script = (
            "import numpy as np, poissonscope as ps\n"
            "maps = lambda: open('/proc/self/maps').read()\n"
            "c = np.random.default_rng(0).normal(size=(20, 2))\n"
            "ps.sample(c, particles=4, steps=2)\n"
            "print('torch' if 'libtorch' in maps() else 'lazy',"
            " 'ffmpeg' if 'libavcodec' in maps() else 'lazy')\n"
            "if ps.learned_fields_built_in():\n"
            "    ps.denoise(c[:2], 1.0, c, 2.0, backend='torch')\n"
            "    print('torch' if 'libpoissonscope-torch' in maps() else 'missing')\n")
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True, timeout=120).stdout.split()
        self.assertEqual(out[:2], ["lazy", "lazy"])
        if len(out) > 2:
            self.assertEqual(out[2], "torch")

    def test_bad_data_raises_the_command_lines_message(self):
        with self.assertRaises(OSError) as caught:
            ps.load_data(self.path("missing.csv"))
        self.assertEqual(str(caught.exception),
                         cli_refusal("sample", "--data", self.path("missing.csv")))
        with self.assertRaises(ValueError) as caught:
            ps.dataset("no-such-set")
        self.assertEqual(str(caught.exception), cli_refusal("sample", "--dataset", "no-such-set"))


class Sample(TempDirCase):
    OPTIONS = dict(dataset="two-moons", count=400, particles=64, seed=5, D=8.0, steps=12)

    def cli_sample(self, *extra):
        out = self.path("cli.npy")
        run_cli("sample", "--dataset", "two-moons", "--count", 400, "--particles", 64, "--seed", 5,
                "--D", 8, "--steps", 12, "--out", out, "--quiet", *extra)
        return np.load(out)

    def test_sample_equals_the_command_line_bit_for_bit(self):
        for backend in ("cpu", "reference"):
            with self.subTest(backend=backend):
                result = ps.sample(backend=backend, **self.OPTIONS)
                np.testing.assert_array_equal(result.points, self.cli_sample("--backend", backend))
                self.assertEqual(result.status, "completed")
                self.assertEqual(result.D, 8.0)

    def test_charges_as_arrays_equal_the_named_data_set(self):
        positions, weights = ps.dataset("two-moons", count=400)
        named = ps.sample(**self.OPTIONS)
        options = {k: v for k, v in self.OPTIONS.items() if k not in ("dataset", "count")}
        given = ps.sample(positions, weights, **options)
        # The weights come back normalised and are normalised again: one rounding apart.
        np.testing.assert_allclose(given.points, named.points, rtol=0, atol=1e-12)

    def test_trajectory_runs_from_the_prior_to_the_samples(self):
        result = ps.sample(trajectory=True, **self.OPTIONS)
        frames = result.frames
        self.assertEqual(frames["x"].shape[1:], (64, 2))
        np.testing.assert_array_equal(frames["x"][0], result.start)
        np.testing.assert_array_equal(frames["x"][-1], result.points)
        self.assertTrue(np.all(np.diff(frames["sigma"]) < 0))
        self.assertEqual(frames["sigma"][0], 80.0)
        self.assertEqual(frames["sigma"][-1], 0.0)

    def test_infinite_d_is_edm(self):
        result = ps.sample(dataset="two-moons", count=200, particles=16, D=math.inf, steps=8)
        self.assertTrue(math.isinf(result.D))
        out = self.path("inf.npy")
        run_cli("sample", "--dataset", "two-moons", "--count", 200, "--particles", 16, "--D", "inf",
                "--steps", 8, "--out", out, "--quiet")
        np.testing.assert_array_equal(result.points, np.load(out))

    def test_refusals_are_the_command_lines(self):
        for option, value in (("D", 0.5), ("steps", 0), ("sigma_max", -1.0), ("solver", "magic")):
            with self.subTest(option=option):
                with self.assertRaises(ValueError) as caught:
                    ps.sample(**{**self.OPTIONS, option: value})
                flag = "--" + option.replace("_", "-")
                text = format(value, ".17g") if isinstance(value, float) else str(value)
                self.assertEqual(str(caught.exception),
                                 cli_refusal("sample", "--dataset", "two-moons", flag, text))
        with self.assertRaises(ValueError) as caught:
            ps.sample(no_such_option=1)
        self.assertIn("no-such-option", str(caught.exception))
        with self.assertRaises(TypeError):
            ps.sample(model=42, **self.OPTIONS)
        with self.assertRaises(ValueError):
            ps.sample(np.zeros((5, 2)), **self.OPTIONS)  # charges and a data set both

    def test_progress_reports_and_cancels(self):
        seen = []
        ps.sample(progress=seen.append, **self.OPTIONS)
        self.assertGreater(len(seen), 3)
        self.assertAlmostEqual(seen[-1], 1.0)
        self.assertEqual(seen, sorted(seen))
        cancelled = ps.sample(progress=lambda f: f < 0.3, **self.OPTIONS)
        self.assertEqual(cancelled.status, "cancelled")

        def fail(fraction):
            raise KeyError("stop here")

        with self.assertRaises(KeyError):
            ps.sample(progress=fail, **self.OPTIONS)

    def test_out_writes_what_it_returns(self):
        out = self.path("points.npy")
        result = ps.sample(out=out, **self.OPTIONS)
        np.testing.assert_array_equal(np.load(out), result.points)


class Field(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.charges = rng.normal(size=(300, 2))
        self.weights = rng.uniform(0.1, 2.0, size=300)
        self.points = rng.normal(scale=2.0, size=(50, 2))

    def test_denoise_is_the_formula(self):
        # Double-precision backends to 1e-12; the float SIMD path and the tree to their float
        # rounding and certified tolerance (1e-4 of the spread), with margin: 1e-4.
        for d in (1.0, 3.5, 64.0, math.inf):
            for sigma in (0.05, 0.7, 20.0):
                want = exact_denoiser(self.points, sigma, self.charges, self.weights, d)
                for backend, tol in (("reference", 1e-12), ("cpu", 1e-4)):
                    with self.subTest(d=d, sigma=sigma, backend=backend):
                        got = ps.denoise(self.points, sigma, self.charges, d, self.weights,
                                         backend=backend)
                        np.testing.assert_allclose(got, want, rtol=0, atol=tol)
        tree = ps.denoise(self.points, 0.7, self.charges, 3.5, self.weights, method="tree")
        np.testing.assert_allclose(
            tree, exact_denoiser(self.points, 0.7, self.charges, self.weights, 3.5), atol=1e-4)

    def test_denoise_takes_a_sigma_per_point_and_one_point(self):
        sigmas = np.linspace(0.1, 5.0, len(self.points))
        got = ps.denoise(self.points, sigmas, self.charges, 4.0, backend="reference")
        for p in (0, 17, 49):
            one = ps.denoise(self.points[p], sigmas[p], self.charges, 4.0, backend="reference")
            self.assertEqual(one.shape, (2,))
            np.testing.assert_array_equal(got[p], one)

    def test_bad_arguments_are_value_errors(self):
        with self.assertRaises(ValueError):
            ps.denoise(self.points, 1.0, self.charges, 0.5)
        with self.assertRaises(ValueError):
            ps.denoise(np.zeros((3, 3)), 1.0, self.charges, 2.0)
        with self.assertRaises(ValueError):
            ps.denoise(self.points, 1.0, self.charges, 2.0, backend="abacus")
        with self.assertRaises(ValueError):
            ps.denoise(self.points, -1.0, self.charges, 2.0)

    def test_the_field_in_n_plus_d_dimensions_points_along_the_flow(self):
        # Field lines are the flow: with r = σ√D, dx/dσ = √D·E_x/E_r = (x − x̂)/σ.
        for d in (1.0, 3.5, 64.0):
            sigma = 0.8
            e = ps.augmented_field(self.points, sigma * math.sqrt(d), self.charges, d, self.weights)
            xhat = ps.denoise(self.points, sigma, self.charges, d, self.weights, backend="reference")
            np.testing.assert_allclose(math.sqrt(d) * e[:, :2] / e[:, 2:],
                                       (self.points - xhat) / sigma, rtol=1e-9, atol=1e-12)

    def test_log_density_is_normalised(self):
        # ∫ p_σ = 1: a grid sum over a wide square at D = ∞ (a Gaussian mixture) in 2-D.
        charges = np.array([[0.0, 0.0], [1.0, 0.5]])
        h = 0.05
        axis = np.arange(-4, 5, h)
        grid = np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2)
        p = np.exp(ps.log_density(grid, 0.6, charges, math.inf))
        self.assertAlmostEqual(p.sum() * h * h, 1.0, places=4)

    def test_field_lines_come_down_onto_the_charges(self):
        lines = ps.field_lines(self.charges[:40], 3.0, count=16, threads=1)
        self.assertEqual(len(lines), 16)
        for line in lines:
            self.assertEqual(line["sigma"][-1], 0.0)
            self.assertEqual(line["x"].shape, (len(line["sigma"]), 2))
            self.assertIn(line["stop"],
                          ("reached a charge", "reached the data plane between charges"))

    def test_kernel_draws_have_the_laws_second_moment(self):
        # E|x − y|² = σ²·D·n/(D − 2) for D > 2 (R² = σ²D·u/(1 − u), u ~ Beta(n/2, D/2));
        # n·σ² at D = ∞. 40,000 draws: the standard error is under 1%; 3% is 4 of them.
        for d, want in ((64.0, 0.25 * 64 * 3 / 62), (math.inf, 0.25 * 3)):
            draws = ps.sample_kernel(3, 0.5, d, 40000, seed=2)
            self.assertAlmostEqual((draws**2).sum(1).mean() / want, 1.0, delta=0.03)

    def test_drawing_without_opengl_is_an_exception(self):
        # CTest runs this file on Qt's offscreen platform, which has no OpenGL with Debian's Qt
        # and Mesa: an exception that says so, not a crash. (Where it has, it draws.)
        try:
            image = ps.render_image(dataset="two-moons", size=(64, 48))
            self.assertEqual(image.shape, (48, 64, 4))
        except RuntimeError as e:
            self.assertIn("OpenGL", str(e))

    def test_prior_and_metrics(self):
        prior = ps.sample_prior(self.charges, 1e-6, 2.0, 500, self.weights, seed=1)
        self.assertEqual(prior.shape, (500, 2))
        self.assertEqual(ps.sliced_wasserstein(self.charges, self.charges), 0.0)
        self.assertEqual(ps.mmd(self.charges, self.charges), 0.0)
        # At σ → 0 the prior is the data: every draw copies a charge.
        self.assertEqual(ps.memorisation_ratio(prior, self.charges), 1.0)


if __name__ == "__main__":
    unittest.main()
