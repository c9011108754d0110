"""Transformer super-resolution networks re-implemented in PyTorch for srengine's fixtures.

SwinIR (Liang et al. 2021), HAT (Chen et al. 2023), DAT (Chen et al. 2023) and OmniSR (Wang et al.
2023), written from the papers and the authors' public code so that (a) the parameter and buffer
names equal those of the released checkpoints, and (b) every forward pass traces to an ONNX graph
with dynamic height and width: nothing derived from the input size is ever turned into a Python
number. The maths is the authors'; where their forward reuses a mask computed for the training
size, these versions always compute it for the actual size, which gives the same result.
"""

from .swinir import SwinIR
from .hat import HAT
from .dat import DAT
from .omnisr import OmniSR

__all__ = ["SwinIR", "HAT", "DAT", "OmniSR"]
