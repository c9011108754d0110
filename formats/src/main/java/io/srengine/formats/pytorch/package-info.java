/**
 * PyTorch checkpoints ({@code .pth}, {@code .pt}, {@code .ckpt}: zip and legacy formats) and
 * safetensors files, read safely and built into srengine graphs by detected architecture.
 *
 * <h2>Reading</h2>
 * {@link io.srengine.formats.pytorch.CheckpointReader#read(java.nio.file.Path)} returns a
 * {@link io.srengine.formats.pytorch.StateDict}: the tensors of the checkpoint's state dict by name
 * (wrappers such as {@code params_ema} and a {@code module.} prefix removed), float32 whatever the
 * file stored, with their stored {@link io.srengine.formats.pytorch.ScalarType}. Pickles are read by
 * a restricted unpickler that runs nothing and refuses every global a state dict does not need;
 * every size is checked against the file before allocation. Failures are
 * {@link io.srengine.SrException}s naming the problem.
 *
 * <h2>Building</h2>
 * {@link io.srengine.formats.pytorch.Architectures#build} detects the
 * {@link io.srengine.formats.pytorch.Architecture} (a registry of classes, one per architecture,
 * each deciding from key names and shapes) and returns a {@link io.srengine.formats.pytorch.Network}:
 * the graph with its scale, channels and description. Builders use
 * {@link io.srengine.formats.pytorch.NetBuilder}, which checks each weight against what it is applied
 * to and refuses state dicts with tensors the architecture leaves unused. Hyper-parameters no
 * checkpoint records come from {@link io.srengine.formats.pytorch.BuildOptions}.
 *
 * <h2>As a model</h2>
 * {@link io.srengine.formats.pytorch.PytorchModelFormat} is the {@link io.srengine.spi.ModelFormat}
 * that {@code Model.load(Path)} finds by content; it wraps the network in srengine's image convention
 * (RGB in [0, 1] in and out, output clipped) with metadata. docs/models.md describes the
 * architectures, what is refused and why.
 */
package io.srengine.formats.pytorch;
