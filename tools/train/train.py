"""Trains a PSNR-oriented super-resolution network on bicubic-shrunk photographs.

    /usr/bin/python3 tools/train/train.py --arch srvgg --scale 4 --steps 6000 --run tools/train/runs/srvgg-x4

L1 loss, Adam (betas 0.9/0.99), learning rate on a cosine schedule from ``--lr`` to 1% of it over
``--steps``; seeded (the same seed, data and torch version give the same weights on the same
device). A checkpoint (weights, optimizer, schedule, step, data-sampler state) is written to
``RUN/checkpoint.pt`` every ``--checkpoint-minutes`` and at the end; running the same command
again resumes from it. The final weights go to ``RUN/model.pt`` with a ``RUN/train.json``
describing the run, which ``export_model.py`` reads.

Runs on the GPU with ``--device cuda`` (a newer PyTorch is fine); on the CPU, ``--threads`` sets
torch's intra-op threads.
"""

import argparse
import datetime
import glob
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from data import PairSampler, load_rgb  # noqa: E402
import sr_architectures as arch  # noqa: E402

# Architecture presets: constructor, default learning rate, default low-resolution crop size.
ARCHS = {
    # Shi et al.: 5x5 (64) -> 3x3 (32) -> 3x3 (3 r^2), tanh, pixel shuffle.
    "espcn": (lambda s, w: arch.ESPCN(channels=3, f1=64, f2=32, scale=s), 1e-3, 32),
    # Dong et al.: d=56, s=12, m=4, 9x9 transposed convolution, PReLU; RGB in and out.
    "fsrcnn": (lambda s, w: arch.FSRCNN(channels=3, d=56, s=12, m=4, scale=s), 1e-3, 32),
    # Real-ESRGAN's compact VGG-style network with a nearest-upsampled skip; --width sets features.
    "srvgg": (lambda s, w: arch.SRVGGNetCompact(num_feat=w or 48, num_conv=12, scale=s), 5e-4, 32),
    # A tiny network for the pipeline's own tests.
    "tiny": (lambda s, w: arch.ESPCN(channels=3, f1=8, f2=8, scale=s), 1e-3, 8),
}


def init_fsrcnn(model):
    """FSRCNN's own initialisation (Dong et al. 2016): He-normal convolutions for the PReLU layers and
    N(0, 0.001) for the deconvolution. With PyTorch's defaults the 9x9 deconvolution starts far too
    large and the network spends thousands of steps undoing it (4 dB below bicubic after 2,000)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.normal_(m.weight, 0.0, math.sqrt(2.0 / (m.out_channels * m.kernel_size[0] * m.kernel_size[1])))
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.ConvTranspose2d):
            nn.init.normal_(m.weight, 0.0, 0.001)
            nn.init.zeros_(m.bias)
    return model


def build(name, scale, width=None):
    if name not in ARCHS:
        raise ValueError(f"unknown architecture {name!r}; one of {', '.join(sorted(ARCHS))}")
    model = ARCHS[name][0](scale, width)
    return init_fsrcnn(model) if name == "fsrcnn" else model


def load_photos(directory):
    files = sorted(glob.glob(os.path.join(directory, "*.png")))
    if not files:
        raise FileNotFoundError(f"no training photographs (*.png) in {directory}; run prepare_data.py first")
    return files, [load_rgb(f) for f in files]


def cosine_lr(step, steps, lr):
    return lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(step, steps) / steps)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, choices=sorted(ARCHS))
    ap.add_argument("--scale", type=int, required=True, choices=(2, 3, 4))
    ap.add_argument("--run", required=True, help="run directory (checkpoint, model.pt, train.json, log)")
    ap.add_argument("--data", default=os.path.join(HERE, ".data", "hr"), help="directory of training PNGs")
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, help="low-resolution crop size (default per architecture)")
    ap.add_argument("--lr", type=float, help="peak learning rate (default per architecture)")
    ap.add_argument("--width", type=int, help="feature channels (srvgg only)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--checkpoint-minutes", type=float, default=3.0)
    ap.add_argument("--log-every", type=int, default=100)
    ap.add_argument("--init-from", help="start from the weights of another run (RUN/model.pt): FSRCNN's "
                    "paper trains one scale and fine-tunes the others from it")
    ap.add_argument("--stop-after", type=int, help="stop (with a checkpoint) after this step, as if interrupted")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    _, lr0, patch0 = ARCHS[args.arch]
    lr0 = args.lr or lr0
    patch = args.patch or patch0
    os.makedirs(args.run, exist_ok=True)
    files, photos = load_photos(args.data)
    sampler = PairSampler(photos, args.scale, patch, seed=args.seed)
    model = build(args.arch, args.scale, args.width).to(args.device)
    if args.init_from:
        # Every tensor of the same name and shape is taken over (for FSRCNN all of them: the
        # deconvolution's weights do not depend on its stride).
        source = torch.load(os.path.join(args.init_from, "model.pt"), map_location=args.device)
        own = model.state_dict()
        taken = {k: v for k, v in source.items() if k in own and own[k].shape == v.shape}
        if not taken:
            raise ValueError(f"{args.init_from}/model.pt shares no weights with {args.arch}")
        own.update(taken)
        model.load_state_dict(own)
        print(f"initialised {len(taken)} of {len(own)} tensors from {args.init_from}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=lr0, betas=(0.9, 0.99))
    loss_fn = nn.L1Loss()

    ckpt_path = os.path.join(args.run, "checkpoint.pt")
    step, elapsed = 0, 0.0
    if os.path.exists(ckpt_path):
        ckpt = torch.load(ckpt_path, map_location=args.device)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        sampler.restore(ckpt["sampler"])
        torch.set_rng_state(ckpt["torch_rng"])
        step, elapsed = ckpt["step"], ckpt["elapsed"]
        print(f"resumed at step {step} ({elapsed / 60:.1f} min trained)", flush=True)

    def save_checkpoint():
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "sampler": sampler.state(),
                    "torch_rng": torch.get_rng_state(), "step": step, "elapsed": elapsed}, tmp)
        os.replace(tmp, ckpt_path)

    log = open(os.path.join(args.run, "log.tsv"), "a", encoding="utf-8")
    model.train()
    last_save = time.time()
    running = 0.0
    start = time.time() - elapsed
    while step < args.steps:
        if args.stop_after is not None and step >= args.stop_after:
            elapsed = time.time() - start
            save_checkpoint()
            log.close()
            print(f"stopped at step {step} as asked; run again to resume", flush=True)
            return None
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, args.steps, lr0)
        low, high = sampler.batch(args.batch)
        low, high = low.to(args.device), high.to(args.device)
        loss = loss_fn(model(low), high)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        running += loss.item()
        if not math.isfinite(loss.item()):
            sys.exit(f"loss became {loss.item()} at step {step}; lower --lr")
        if step % args.log_every == 0 or step == args.steps:
            n = args.log_every if step % args.log_every == 0 else step % args.log_every
            elapsed = time.time() - start
            line = f"{step}\t{running / n:.5f}\t{opt.param_groups[0]['lr']:.2e}\t{elapsed:.0f}"
            print(line, flush=True)
            log.write(line + "\n")
            log.flush()
            running = 0.0
        if time.time() - last_save > args.checkpoint_minutes * 60:
            elapsed = time.time() - start
            save_checkpoint()
            last_save = time.time()
    elapsed = time.time() - start
    save_checkpoint()
    log.close()

    model.eval().cpu()
    torch.save(model.state_dict(), os.path.join(args.run, "model.pt"))
    info = {
        "arch": args.arch, "scale": args.scale, "width": args.width, "steps": args.steps, "batch": args.batch,
        "init_from": os.path.basename(os.path.normpath(args.init_from)) if args.init_from else None,
        "patch": patch, "lr": lr0, "seed": args.seed, "device": args.device, "torch": torch.__version__,
        "minutes": round(elapsed / 60, 1),
        "parameters": sum(p.numel() for p in model.parameters()),
        "photos": [os.path.basename(f) for f in files],
        "date": datetime.date.today().isoformat(),
    }
    with open(os.path.join(args.run, "train.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
    print(f"done: {args.steps} steps in {elapsed / 60:.1f} min -> {args.run}/model.pt", flush=True)
    return info


if __name__ == "__main__":
    main()
