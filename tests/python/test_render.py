"""Offscreen rendering and the GL backend from Python (labels python, gl: under Xvfb)."""
import json
import subprocess
import unittest

import numpy as np

from support import TempDirCase, exact_denoiser, ps


class Render(TempDirCase):
    def test_render_image_draws_the_scene(self):
        image = ps.render_image(dataset="two-moons", size=(320, 200), view="top", field_lines=16,
                                particles=200)
        self.assertEqual(image.shape, (200, 320, 4))
        self.assertEqual(image.dtype, np.uint8)
        colours = np.unique(image.reshape(-1, 4), axis=0)
        self.assertGreater(len(colours), 50)  # charges, lines and particles, not a blank frame
        self.assertTrue(np.all(image[..., 3] == 255))
        clear = ps.render_image(dataset="two-moons", size="160x100", transparent=True)
        self.assertLess(clear[..., 3].min(), 255)

    def test_render_video_writes_every_frame(self):
        out = self.path("flow.mp4")
        done = ps.render_video(out, dataset="two-moons", duration=1, fps=8, size="160x120",
                               particles=100, field_lines=8)
        self.assertEqual(done["frames"], 8)
        probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams",
                                "v:0", "-show_entries", "stream=nb_read_frames,width,height",
                                "-of", "json", out], capture_output=True, text=True, check=True)
        stream = json.loads(probe.stdout)["streams"][0]
        self.assertEqual((stream["width"], stream["height"], int(stream["nb_read_frames"])),
                         (160, 120, 8))
        with self.assertRaises(ValueError):
            ps.render_video(self.path("clip.avi"), dataset="two-moons")

    def test_gl_backend_is_the_formula(self):
        rng = np.random.default_rng(5)
        charges = rng.normal(size=(200, 2))
        points = rng.normal(scale=2.0, size=(64, 2))
        weights = np.ones(200)
        # Float32 compute shaders: 1e-4 of a spread of 1, as the GL backend's own tests.
        for d in (2.0, float("inf")):
            got = ps.denoise(points, 0.5, charges, d, backend="gl")
            np.testing.assert_allclose(got, exact_denoiser(points, 0.5, charges, weights, d),
                                       atol=1e-4)


if __name__ == "__main__":
    unittest.main()
