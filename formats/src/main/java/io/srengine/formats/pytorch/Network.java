package io.srengine.formats.pytorch;

import io.srengine.graph.Graph;

/**
 * A network built from a state dict, before srengine's image convention is applied: input
 * {@code "input"} {@code [N, inChannels, H, W]}, output {@code "network_output"}
 * {@code [N, outChannels, H*scale, W*scale]}, both float32 in the value range the architecture
 * works in (the images' [0, 1] for every architecture here).
 *
 * @param graph the graph (owned by the caller)
 * @param architecture the architecture's name, e.g. {@code ESRGAN}
 * @param description the architecture with its detected hyper-parameters, e.g.
 *     {@code ESRGAN (RRDBNet, 64 features, 23 blocks, growth 32, old key layout)}
 * @param scale the upscaling factor (1 for restoration networks)
 * @param inChannels image channels the network takes
 * @param outChannels image channels it returns
 * @param parameters elements of the state dict's tensors that the network uses
 */
public record Network(Graph graph, String architecture, String description, int scale, int inChannels,
        int outChannels, long parameters) {}
