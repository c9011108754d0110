"""Tests of the training pipeline: a few steps of a tiny network, so that CI catches breakage.

    /usr/bin/python3 -m unittest discover -s tools/train -p 'test_*.py'

(The models module's TrainingPipelineTest runs this as part of ``mvn verify``.)
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_model  # noqa: E402
import imresize  # noqa: E402
import train  # noqa: E402
from data import PairSampler  # noqa: E402


def photos(directory, n=2, seed=3):
    """Synthetic 'photographs': smooth gradients plus noise, so crops are not flat."""
    rng = np.random.default_rng(seed)
    os.makedirs(directory, exist_ok=True)
    for i in range(n):
        h, w = 60 + 7 * i, 52 + 5 * i
        yy, xx = np.mgrid[0:h, 0:w]
        base = np.stack([xx * 4, yy * 3, (xx + yy) * 2], axis=-1) % 256
        img = np.clip(base + rng.normal(0, 25, base.shape), 0, 255).astype(np.uint8)
        Image.fromarray(img).save(os.path.join(directory, f"p{i}.png"))


class ImresizeTest(unittest.TestCase):
    def test_rows_sum_to_one_and_constants_survive(self):
        for n, m in ((37, 12), (40, 10), (9, 27)):
            w = imresize.weight_matrix(n, m)
            np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-12)
        flat = np.full((24, 18, 3), 117.0)
        np.testing.assert_allclose(imresize.imresize(flat, 8, 6), 117.0, atol=1e-9)

    def test_shrink_by_two_of_a_linear_ramp_samples_the_pixel_pairs_midpoint(self):
        # An odd-symmetric kernel reproduces linear functions away from the borders: output pixel j
        # of a 2x shrink sits between input pixels 2j and 2j+1.
        ramp = np.tile(np.arange(40, dtype=np.float64), (3, 1))
        out = imresize.imresize(ramp, 3, 20)
        np.testing.assert_allclose(out[0, 3:-3], np.arange(3, 17) * 2 + 0.5, atol=1e-9)

    def test_shrink_crops_to_a_multiple_of_the_factor(self):
        img = np.zeros((31, 22, 3), np.uint8)
        self.assertEqual(imresize.shrink_uint8(img, 4).shape, (7, 5, 3))


class SamplerTest(unittest.TestCase):
    def test_pairs_are_aligned_and_seeded(self):
        img = np.random.default_rng(0).integers(0, 256, (64, 48, 3)).astype(np.uint8)
        a = PairSampler([img], 4, 8, seed=5)
        b = PairSampler([img], 4, 8, seed=5)
        low, high = a.batch(3)
        self.assertEqual(tuple(low.shape), (3, 3, 8, 8))
        self.assertEqual(tuple(high.shape), (3, 3, 32, 32))
        low2, high2 = b.batch(3)
        self.assertTrue(torch.equal(low, low2) and torch.equal(high, high2))
        # Shrinking each high-resolution crop again gives its low-resolution crop wherever the
        # kernel does not reach past the crop (the low-resolution image was made from the whole).
        for i in range(3):
            hr = (high[i].permute(1, 2, 0).numpy() * 255).round()
            again = np.clip(np.round(imresize.imresize(hr, 8, 8)), 0, 255)
            lr = (low[i].permute(1, 2, 0).numpy() * 255).round()
            np.testing.assert_allclose(again[2:-2, 2:-2], lr[2:-2, 2:-2], atol=1)

    def test_too_small_photographs_are_refused(self):
        with self.assertRaisesRegex(ValueError, "large enough"):
            PairSampler([np.zeros((20, 20, 3), np.uint8)], 4, 8, seed=1)


class TrainingTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = os.path.join(self.tmp.name, "hr")
        photos(self.data)

    def tearDown(self):
        self.tmp.cleanup()

    def run_train(self, run, *extra):
        return train.main(["--arch", "tiny", "--scale", "2", "--data", self.data, "--run", run, "--batch", "4",
                           "--threads", "1", "--log-every", "2", *extra])

    def weights(self, run):
        return torch.load(os.path.join(run, "model.pt"))

    def test_a_few_steps_learn_and_write_the_run(self):
        run = os.path.join(self.tmp.name, "a")
        info = self.run_train(run, "--steps", "30", "--lr", "3e-3")
        self.assertEqual(info["steps"], 30)
        with open(os.path.join(run, "train.json")) as f:
            self.assertEqual(json.load(f)["photos"], ["p0.png", "p1.png"])
        losses = [float(line.split("\t")[1]) for line in open(os.path.join(run, "log.tsv"))]
        self.assertEqual(len(losses), 15)
        self.assertTrue(all(np.isfinite(losses)))
        self.assertLess(np.mean(losses[-3:]), np.mean(losses[:3]), losses)

    def test_same_seed_same_weights_and_resume_continues_exactly(self):
        straight = os.path.join(self.tmp.name, "straight")
        resumed = os.path.join(self.tmp.name, "resumed")
        self.run_train(straight, "--steps", "8")
        self.assertIsNone(self.run_train(resumed, "--steps", "8", "--stop-after", "3"))
        self.assertFalse(os.path.exists(os.path.join(resumed, "model.pt")))
        self.run_train(resumed, "--steps", "8")
        a, b = self.weights(straight), self.weights(resumed)
        for k in a:
            self.assertTrue(torch.equal(a[k], b[k]), k)

    def test_init_from_takes_over_the_weights_of_the_same_shape(self):
        source = os.path.join(self.tmp.name, "x2")
        self.run_train(source, "--steps", "3")
        target = os.path.join(self.tmp.name, "x3")
        train.main(["--arch", "tiny", "--scale", "3", "--data", self.data, "--run", target, "--batch", "2",
                    "--threads", "1", "--steps", "1", "--lr", "1e-9", "--init-from", source])
        a, b = self.weights(source), self.weights(target)
        # c1 and c2 carry over (moved by at most the 1e-9 learning rate); c3 has 3*3^2 outputs, not 3*2^2.
        for k in ("c1.weight", "c1.bias", "c2.weight", "c2.bias"):
            self.assertTrue(torch.allclose(a[k], b[k], atol=1e-6), k)
        self.assertNotEqual(a["c3.weight"].shape, b["c3.weight"].shape)

    def test_unknown_architecture_and_missing_data_are_named(self):
        with self.assertRaises(SystemExit):
            train.main(["--arch", "resnet", "--scale", "2", "--run", self.tmp.name])
        with self.assertRaisesRegex(FileNotFoundError, "no training photographs"):
            train.main(["--arch", "tiny", "--scale", "2", "--data", os.path.join(self.tmp.name, "none"),
                        "--run", os.path.join(self.tmp.name, "r")])

    def test_export_keeps_height_and_width_free_and_writes_the_fixture(self):
        run = os.path.join(self.tmp.name, "e")
        self.run_train(run, "--steps", "2")
        fixtures = os.path.join(self.tmp.name, "fixtures")
        export_model.main(["--run", run, "--no-eval", "--no-install", "--fixtures", fixtures])
        m = onnx.load(os.path.join(run, "tiny-x2.onnx"))
        dims = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
        self.assertEqual(dims, ["N", 3, "H", "W"])
        props = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(props["scale"], "2")
        self.assertEqual(props["steps"], "2")
        self.assertIn("Clip", [n.op_type for n in m.graph.node])
        out = onnx.load_tensor(os.path.join(fixtures, "tiny-x2", "output_0.pb"))
        self.assertEqual(list(out.dims), [1, 3, 26, 34])


class CommandLineTest(unittest.TestCase):
    def test_help_runs(self):
        for script in ("train.py", "export_model.py", "prepare_data.py"):
            proc = subprocess.run([sys.executable, os.path.join(HERE, script), "--help"], capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("usage", proc.stdout)


if __name__ == "__main__":
    unittest.main()
