#!/usr/bin/env python3
"""LittleCMS's answer for srengine's colour tests (upscale's ColorManagementTest runs it).

  lcms_reference.py profile NAME OUT.icc
      writes an ICC profile built by LittleCMS: prophoto (ROMM RGB: D50, gamma 1.8), adobergb
      (Adobe RGB 1998: D65, gamma 563/256), widegamut-linear (wide primaries, gamma 1.0), or
      gray-gamma22 (a gray profile with gamma 2.2, like Adobe's "Gray Gamma 2.2").
  lcms_reference.py convert IN.png OUT.txt [GAMMA [WX WY RX RY GX GY BX BY]]
      decodes IN.png with Pillow and converts its 8-bit pixels to sRGB with LittleCMS, relative
      colorimetric intent without black point compensation (what browsers do), to 16 bits: from the PNG's own ICC profile when it has one, else from a profile built
      from GAMMA (the gAMA value, e.g. 1.0) and the cHRM chromaticities (sRGB's when absent). Writes
      one line per pixel, "R G B" in 0..65535, rows top to bottom.

Uses liblcms2 through ctypes (the library Pillow's ImageCms is built on), so that the reference is
LittleCMS itself, not srengine's use of the JDK's copy of it.
"""
import ctypes
import io
import sys

from PIL import Image

lcms = ctypes.CDLL("liblcms2.so.2")


class XyY(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double), ("Y", ctypes.c_double)]


class XyYTriple(ctypes.Structure):
    _fields_ = [("Red", XyY), ("Green", XyY), ("Blue", XyY)]


lcms.cmsBuildGamma.restype = ctypes.c_void_p
lcms.cmsBuildGamma.argtypes = [ctypes.c_void_p, ctypes.c_double]
lcms.cmsCreateRGBProfile.restype = ctypes.c_void_p
lcms.cmsCreateRGBProfile.argtypes = [ctypes.POINTER(XyY), ctypes.POINTER(XyYTriple), ctypes.c_void_p * 3]
lcms.cmsCreateGrayProfile.restype = ctypes.c_void_p
lcms.cmsCreateGrayProfile.argtypes = [ctypes.POINTER(XyY), ctypes.c_void_p]
lcms.cmsCreate_sRGBProfile.restype = ctypes.c_void_p
lcms.cmsOpenProfileFromMem.restype = ctypes.c_void_p
lcms.cmsOpenProfileFromMem.argtypes = [ctypes.c_char_p, ctypes.c_uint32]
lcms.cmsSaveProfileToMem.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32)]
lcms.cmsCreateTransform.restype = ctypes.c_void_p
lcms.cmsCreateTransform.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_uint32,
                                    ctypes.c_uint32, ctypes.c_uint32]
lcms.cmsDoTransform.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32]

TYPE_RGB_8 = (4 << 16) | (3 << 3) | 1
TYPE_RGB_16 = (4 << 16) | (3 << 3) | 2
TYPE_GRAY_8 = (3 << 16) | (1 << 3) | 1
# Relative colorimetric: for the matrix-shaper profiles used here the same as perceptual, except
# that LittleCMS would scale v4 profiles' black to the perceptual reference black, which browsers
# (and the JDK's use of LittleCMS) do not.
INTENT_RELATIVE_COLORIMETRIC = 1


def rgb_profile(white, primaries, gamma):
    curve = lcms.cmsBuildGamma(None, gamma)
    curves = (ctypes.c_void_p * 3)(curve, curve, curve)
    w = XyY(white[0], white[1], 1.0)
    p = XyYTriple(XyY(primaries[0], primaries[1], 1.0), XyY(primaries[2], primaries[3], 1.0),
                  XyY(primaries[4], primaries[5], 1.0))
    return lcms.cmsCreateRGBProfile(ctypes.byref(w), ctypes.byref(p), curves)


def named(name):
    if name == "prophoto":
        return rgb_profile((0.3457, 0.3585), (0.7347, 0.2653, 0.1596, 0.8404, 0.0366, 0.0001), 1.8)
    if name == "adobergb":
        return rgb_profile((0.3127, 0.3290), (0.64, 0.33, 0.21, 0.71, 0.15, 0.06), 563 / 256)
    if name == "widegamut-linear":
        return rgb_profile((0.3457, 0.3585), (0.7347, 0.2653, 0.1152, 0.8264, 0.1566, 0.0177), 1.0)
    if name == "gray-gamma22":
        w = XyY(0.3457, 0.3585, 1.0)
        return lcms.cmsCreateGrayProfile(ctypes.byref(w), lcms.cmsBuildGamma(None, 2.2))
    raise SystemExit("unknown profile " + name)


def save(profile):
    n = ctypes.c_uint32(0)
    lcms.cmsSaveProfileToMem(profile, None, ctypes.byref(n))
    buf = ctypes.create_string_buffer(n.value)
    lcms.cmsSaveProfileToMem(profile, buf, ctypes.byref(n))
    return buf.raw[: n.value]


def convert(path, out, args):
    im = Image.open(path)
    icc = im.info.get("icc_profile")
    gray = im.mode in ("L", "LA", "I;16", "I")
    if icc:
        src = lcms.cmsOpenProfileFromMem(icc, len(icc))
    else:
        gamma = float(args[0])
        chrm = [float(v) for v in args[1:9]] if len(args) >= 9 else [0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06]
        src = rgb_profile(chrm[0:2], chrm[2:8], 1.0 / gamma)
    im = im.convert("L" if gray else "RGB")
    data = im.tobytes()
    n = im.width * im.height
    dst = lcms.cmsCreate_sRGBProfile()
    xform = lcms.cmsCreateTransform(src, TYPE_GRAY_8 if gray else TYPE_RGB_8, dst, TYPE_RGB_16, INTENT_RELATIVE_COLORIMETRIC, 0)
    if not xform:
        raise SystemExit("LittleCMS made no transform")
    result = (ctypes.c_uint16 * (3 * n))()
    lcms.cmsDoTransform(xform, data, result, n)
    with open(out, "w") as f:
        for i in range(n):
            f.write("%d %d %d\n" % (result[3 * i], result[3 * i + 1], result[3 * i + 2]))


if __name__ == "__main__":
    if sys.argv[1] == "profile":
        with open(sys.argv[3], "wb") as f:
            f.write(save(named(sys.argv[2])))
    elif sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        raise SystemExit(__doc__)
