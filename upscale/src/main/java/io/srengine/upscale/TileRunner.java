package io.srengine.upscale;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.image.Resampler;
import java.awt.Dimension;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs the model on one tile: reads the window, runs it (eight times under {@code tta}), applies the
 * colour fix, keeps the tile's core (resampled when the output scale is not the model's), produces its
 * alpha (bicubic, or through the model) and hands the result to a sink.
 */
final class TileRunner {
    private final TileModel model;
    private final int padding;
    private final Resampler.Filter scaleFilter = Resampler.Filter.LANCZOS3;
    private final Resampler.Filter alphaFilter;
    private final boolean tta;
    private final boolean alphaThroughModel;
    private final boolean colorFix;

    /**
     * The tiles of one image: spans along each axis, rows of tiles top to bottom, and how the model
     * runs them ({@link TileModel#forImage}), prepared for each view of the image the first time it is
     * needed: the image itself, its eight symmetries under TTA, its alpha as gray.
     */
    final class Plan {
        private final TileIo.Source source;
        private final List<TilePlan.Span> xs;
        private final List<TilePlan.Span> ys;
        private final List<WholeImageMeans.Cut> xCuts;
        private final List<WholeImageMeans.Cut> yCuts;
        @SuppressWarnings("unchecked")
        private final UnaryOperator<Tensor>[] views = new UnaryOperator[16];

        Plan(TileIo.Source source, Dimension size, List<TilePlan.Span> xs, List<TilePlan.Span> ys) {
            this.source = source;
            this.xs = xs;
            this.ys = ys;
            this.xCuts = cuts(xs, source.width(), size.width);
            this.yCuts = cuts(ys, source.height(), size.height);
        }

        List<TilePlan.Span> xs() {
            return xs;
        }

        List<TilePlan.Span> ys() {
            return ys;
        }

        int tiles() {
            return xs.size() * ys.size();
        }

        /** How the model runs symmetry {@code t} of the image's colour, or of its alpha. */
        UnaryOperator<Tensor> model(int t, boolean alpha) {
            int v = t + (alpha ? 8 : 0);
            if (views[v] == null) {
                TileIo.Source base = alpha ? TileIo.alphaAsGray(source) : source;
                boolean swap = (t & 4) != 0;
                List<WholeImageMeans.Cut> mx = (t & 1) != 0 ? WholeImageMeans.mirrored(xCuts, source.width()) : xCuts;
                List<WholeImageMeans.Cut> my = (t & 2) != 0 ? WholeImageMeans.mirrored(yCuts, source.height()) : yCuts;
                views[v] = model.forImage(TileIo.symmetry(base, t), swap ? my : mx, swap ? mx : my);
            }
            return views[v];
        }

        /** The windows of an axis and where each core ends, in input pixels. */
        private static List<WholeImageMeans.Cut> cuts(List<TilePlan.Span> spans, int inLen, int outLen) {
            return spans.stream().map(sp -> new WholeImageMeans.Cut(sp.win0(), sp.winLen(),
                    (int) Math.min(inLen, (long) sp.out1() * inLen / outLen))).toList();
        }
    }

    TileRunner(TileModel model, int padding, Resampler.Filter alphaFilter, boolean tta, boolean alphaThroughModel,
            boolean colorFix) {
        this.model = model;
        this.padding = padding;
        this.alphaFilter = alphaFilter;
        this.tta = tta;
        this.alphaThroughModel = alphaThroughModel;
        this.colorFix = colorFix;
        if (tta && model.fixedWidth() != model.fixedHeight()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, model.name() + " takes a fixed " + model.fixedWidth() + "x"
                    + model.fixedHeight() + " input, which the transposed passes of test-time augmentation cannot feed");
        }
    }

    /** Cuts the image into tiles of at most {@code tileX x tileY} input pixels. */
    Plan plan(TileIo.Source source, Dimension size, int tileX, int tileY) {
        int s = model.scale();
        boolean alpha = source.hasAlpha() && !alphaThroughModel;
        return new Plan(source, size,
                TilePlan.plan(source.width(), size.width, s, tileX, padding, model.fixedWidth(), model.alignment(),
                        scaleFilter, alphaFilter, alpha, "width"),
                TilePlan.plan(source.height(), size.height, s, tileY, padding, model.fixedHeight(), model.alignment(),
                        scaleFilter, alphaFilter, alpha, "height"));
    }

    /** The number of tiles {@link #plan} cuts a {@code width x height} image into (without preparing the model). */
    int tiles(int width, int height, Dimension size, int tileX, int tileY) {
        int s = model.scale();
        return TilePlan.plan(width, size.width, s, tileX, padding, model.fixedWidth(), model.alignment(), scaleFilter,
                alphaFilter, false, "width").size()
                * TilePlan.plan(height, size.height, s, tileY, padding, model.fixedHeight(), model.alignment(), scaleFilter,
                alphaFilter, false, "height").size();
    }

    void runTile(Plan plan, TileIo.Sink sink, TilePlan.Span x, TilePlan.Span y) {
        TileIo.Source source = plan.source;
        int s = model.scale();
        int ww = x.winLen();
        int wh = y.winLen();
        float[] window = new float[3 * ww * wh];
        float[] alphaWindow = alphaThroughModel && source.hasAlpha() ? new float[ww * wh] : null;
        TileIo.readWindow(source, x.win0(), y.win0(), ww, wh, window, alphaWindow);
        float[] out = infer(plan, false, window, ww, wh);
        if (colorFix) {
            ColorFix.apply(out, window, ww, wh, s);
        }
        int rw = x.out1() - x.out0();
        int rh = y.out1() - y.out0();
        float[][] rgb = new float[3][];
        for (int c = 0; c < 3; c++) {
            rgb[c] = core(out, c * ww * s * wh * s, x, y, source);
        }
        float[] a = null;
        if (alphaWindow != null) {
            float[] gray = new float[3 * ww * wh];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(alphaWindow, 0, gray, c * ww * wh, ww * wh);
            }
            float[] ao = infer(plan, true, gray, ww, wh);
            int plane = ww * s * wh * s;
            float[] luma = new float[plane];
            for (int i = 0; i < plane; i++) {
                luma[i] = 0.299f * ao[i] + 0.587f * ao[plane + i] + 0.114f * ao[2 * plane + i];
            }
            a = core(luma, 0, x, y, source);
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.clamp(a[i], 0f, 1f);
            }
        } else if (x.alpha() != null && y.alpha() != null) {
            a = TileIo.resampleAlpha(source, x.alpha(), y.alpha());
        }
        sink.write(x.out0(), y.out0(), rw, rh, rgb[0], rgb[1], rgb[2], a);
    }

    /** The model's output for a {@code [3, wh, ww]} window; under TTA the mean over the eight symmetries. */
    private float[] infer(Plan plan, boolean alpha, float[] window, int ww, int wh) {
        if (!tta) {
            return run(plan.model(0, alpha), window, ww, wh);
        }
        int s = model.scale();
        float[] sum = new float[3 * ww * s * wh * s];
        for (int t = 0; t < 8; t++) {
            boolean swap = (t & 4) != 0;
            float[] in = Dihedral.apply(window, 3, ww, wh, t);
            float[] out = run(plan.model(t, alpha), in, swap ? wh : ww, swap ? ww : wh);
            float[] back = Dihedral.invert(out, 3, ww * s, wh * s, t);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += back[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= 0.125f;
        }
        return sum;
    }

    private float[] run(UnaryOperator<Tensor> net, float[] window, int ww, int wh) {
        int s = model.scale();
        Tensor result = net.apply(Tensor.of(window, 1, 3, wh, ww));
        int ow = ww * s;
        int oh = wh * s;
        if (!Arrays.equals(result.shape(), new int[] {1, 3, oh, ow})) {
            throw new SrException(ErrorCode.INVALID_SHAPE, model.name() + " returned " + Arrays.toString(result.shape())
                    + " for a tile of " + Arrays.toString(new int[] {1, 3, wh, ww}) + "; an x" + s + " model should return "
                    + Arrays.toString(new int[] {1, 3, oh, ow}));
        }
        return result.dataType() == DataType.FLOAT32 ? result.floats() : result.to(DataType.FLOAT32).floats();
    }

    /** The core of one output plane (starting at {@code plane} in {@code out}), resampled when the scale differs. */
    private float[] core(float[] out, int plane, TilePlan.Span x, TilePlan.Span y, TileIo.Source source) {
        int s = model.scale();
        int ow = x.winLen() * s;
        int oh = y.winLen() * s;
        int rw = x.out1() - x.out0();
        int rh = y.out1() - y.out0();
        if (x.resample() == null && y.resample() == null) {
            float[] p = new float[rw * rh];
            int ox = x.out0() - x.win0() * s;
            int oy = y.out0() - y.win0() * s;
            for (int row = 0; row < rh; row++) {
                System.arraycopy(out, plane + (oy + row) * ow + ox, p, row * rw, rw);
            }
            return p;
        }
        return Resampler.resample(out, plane, x.win0() * s, y.win0() * s, ow, oh, axis(x, source.width()),
                axis(y, source.height()));
    }

    /** The resampling weights of a span; an axis whose size came out exact uses the identity. */
    private Resampler.Axis axis(TilePlan.Span span, int inLen) {
        if (span.resample() != null) {
            return span.resample();
        }
        int len = inLen * model.scale();
        return Resampler.axis(Resampler.Filter.BICUBIC, len, len, span.out0(), span.out1(), false);
    }
}
