#!/usr/bin/env python3
"""Pillow's answer for srengine's orientation tests (upscale's OrientationTest runs it).

  orientation_reference.py IN OUT.png
      opens IN, turns it upright by its EXIF orientation with PIL.ImageOps.exif_transpose (as
      viewers show it) and saves the RGB pixels as OUT.png.
"""
import sys

from PIL import Image, ImageOps

im = ImageOps.exif_transpose(Image.open(sys.argv[1]))
im.convert("RGB").save(sys.argv[2])
