"""PyTorch models exported with torch.jit as learned fields: Poissonscope's x̂ and flows equal
PyTorch's own to float tolerance; wrong modules are refused with a reason (labels python, torch)."""
import json
import math
import os
import unittest
import zipfile

import numpy as np

from support import TempDirCase, cli_refusal, ps, run_cli

try:
    import torch
except ImportError:  # python3-torch missing: the module's side is still tested by the C++ tests
    torch = None


def edm_denoiser(n, sigma_data=0.5):
    """A small x̂ network with EDM's preconditioning inside, as the authors' code exports one."""

    class Edm(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.sigma_data = sigma_data
            self.net = torch.nn.Sequential(torch.nn.Linear(n + 1, 32), torch.nn.SiLU(),
                                           torch.nn.Linear(32, 32), torch.nn.SiLU(),
                                           torch.nn.Linear(32, n))

        def forward(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
            sd = self.sigma_data
            s = sigma[:, None]
            c_skip = sd**2 / (s**2 + sd**2)
            c_out = s * sd / torch.sqrt(s**2 + sd**2)
            c_in = 1.0 / torch.sqrt(s**2 + sd**2)
            f = self.net(torch.cat([c_in * x, torch.log(s) / 4], dim=1))
            return c_skip * x + c_out * f

    torch.manual_seed(0)
    return Edm().eval()


class OnlyX(torch.nn.Module if torch else object):
    def forward(self, x):
        return x


class WrongShape(torch.nn.Module if torch else object):
    def forward(self, x, sigma):
        return x[:, :1]


@unittest.skipUnless(torch is not None and ps.learned_fields_built_in(),
                     "needs python3-torch and a build with LibTorch")
class TorchScript(TempDirCase):
    def setUp(self):
        super().setUp()
        torch.set_num_threads(1)
        self.model = edm_denoiser(2)
        self.scripted = self.path("edm.pt")
        torch.jit.save(torch.jit.script(self.model), self.scripted,
                       _extra_files={"poissonscope.json": json.dumps({"D": 4, "N": 2})})
        rng = np.random.default_rng(1)
        self.x = rng.normal(scale=3.0, size=(40, 2))
        self.sigmas = np.exp(rng.uniform(-4, 4, size=40))

    def torch_denoise(self, x, sigma):
        with torch.no_grad():
            out = self.model(torch.from_numpy(x).float(),
                             torch.full((len(x),), float(sigma)).float()
                             if np.isscalar(sigma) else torch.from_numpy(sigma).float())
        return out.double().numpy()

    def test_outputs_equal_pytorchs(self):
        traced = self.path("traced.pt")
        torch.jit.save(torch.jit.trace(self.model, (torch.zeros(3, 2), torch.ones(3))), traced)
        for path, options in ((self.scripted, {}), (traced, {"N": 2, "D": 4.0})):
            with self.subTest(path=os.path.basename(path)):
                field = ps.load_field(path, **options)
                self.assertEqual((field.N, field.D, field.format), (2, 4.0, "torchscript"))
                # The same float32 network on the same inputs; 1e-6 allows for a different order
                # of the batch's reductions.
                np.testing.assert_allclose(field.denoise(self.x, self.sigmas),
                                           self.torch_denoise(self.x, self.sigmas), atol=1e-6)

    def pytorch_flow(self, start, sigmas, solver):
        """EDM's Euler or Heun steps through the given σ schedule, x̂ from the PyTorch model."""
        x = start.copy()
        frames = [x.copy()]
        for s, t in zip(sigmas[:-1], sigmas[1:]):
            d = (x - self.torch_denoise(x, s)) / s
            x_next = x + (t - s) * d
            if solver == "heun" and t > 0:
                d_next = (x_next - self.torch_denoise(x_next, t)) / t
                x_next = x + (t - s) * 0.5 * (d + d_next)
            x = x_next
            frames.append(x.copy())
        return np.stack(frames)

    def test_flows_equal_pytorchs(self):
        field = ps.load_field(self.scripted)
        start = np.random.default_rng(2).normal(scale=40.0, size=(32, 2))
        for solver in ("euler", "heun"):
            with self.subTest(solver=solver):
                run = ps.sample(model=field, start=start, solver=solver, steps=10,
                                trajectory=True)
                frames = run.frames
                self.assertEqual(frames["sigma"][0], 80.0)
                want = self.pytorch_flow(start, frames["sigma"], solver)
                # Float32 evaluations of x̂ (relative 1e-7) on points of size 100, through 11
                # steps: 1e-4 absolute is a hundred times the rounding, far below any real
                # difference in the flow.
                np.testing.assert_allclose(frames["x"], want, rtol=0, atol=1e-4)

    def test_command_line_flows_the_same_module(self):
        start = np.random.default_rng(3).normal(scale=40.0, size=(16, 2))
        np.save(self.path("start.npy"), start)
        out = self.path("out.npy")
        run_cli("sample", "--model", self.scripted, "--start", self.path("start.npy"), "--steps", 8,
                "--out", out, "--quiet")
        module = ps.sample(model=self.scripted, start=start, steps=8)
        np.testing.assert_array_equal(np.load(out), module.points)

    def test_metadata_or_options_give_n_and_d(self):
        bare = self.path("bare.pt")
        torch.jit.save(torch.jit.script(self.model), bare)
        with self.assertRaisesRegex(OSError, "does not say its N"):
            ps.load_field(bare)
        with self.assertRaisesRegex(OSError, "does not say its D"):
            ps.load_field(bare, N=2)
        field = ps.load_field(bare, N=2, D=math.inf)
        self.assertTrue(math.isinf(field.D))
        # Saved by Poissonscope, the module keeps what it was given.
        field.save(self.path("kept.pt"))
        again = ps.load_field(self.path("kept.pt"))
        self.assertTrue(math.isinf(again.D))
        np.testing.assert_array_equal(again.denoise(self.x, 1.0), field.denoise(self.x, 1.0))
        coarse = field.quantized(6)
        self.assertFalse(np.array_equal(coarse.denoise(self.x, 1.0), field.denoise(self.x, 1.0)))

    def test_wrong_modules_are_refused_with_a_reason(self):
        only_x = self.path("only_x.pt")
        torch.jit.save(torch.jit.script(OnlyX()), only_x)
        with self.assertRaisesRegex(OSError, r"forward must take \(x, sigma\); this module's "
                                             r"takes \(x\)"):
            ps.load_field(only_x, N=2, D=4.0)
        wrong = self.path("wrong.pt")
        torch.jit.save(torch.jit.script(WrongShape()), wrong)
        with self.assertRaisesRegex(OSError, r"returned \[2, 1\] for 2 points of 3 coordinates"):
            ps.load_field(wrong, N=3, D=4.0)
        junk = self.path("junk.pt")
        with open(junk, "wb") as f:
            f.write(os.urandom(4096))
        with self.assertRaisesRegex(OSError, "neither a Poissonscope model nor a TorchScript"):
            ps.load_field(junk)
        # A file from a PyTorch newer than 1.13 declares a newer format version.
        newer = self.path("newer.pt")
        with zipfile.ZipFile(self.scripted) as src, zipfile.ZipFile(newer, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename.endswith("/version"):
                    data = b"99\n"
                dst.writestr(item, data)
        with self.assertRaisesRegex(OSError, "cannot read"):
            ps.load_field(newer)
        # The command line says the same, word for word.
        data = self.path("three.csv")
        np.savetxt(data, np.ones((4, 3)), delimiter=",")
        with self.assertRaises(OSError) as caught:
            ps.load_field(wrong, N=3, D=4.0)
        self.assertEqual(str(caught.exception),
                         cli_refusal("sample", "--model", wrong, "--data", data, "--D", "4"))

if __name__ == "__main__":
    unittest.main()
