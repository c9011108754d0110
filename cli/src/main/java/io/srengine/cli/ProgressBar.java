package io.srengine.cli;

import io.srengine.upscale.ProgressListener;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Shows tile progress on stderr: a bar redrawn in place on a terminal, or plain lines (at most one
 * per tenth of the work) when stderr goes to a file or a pipe, with an estimate of the time left.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier clock;
    private String label = "";
    private long start;
    private long lastDraw;
    private int lastTenth;

    ProgressBar(PrintWriter err, boolean terminal, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.clock = nanoClock;
    }

    /** Begins a new image. */
    void start(String what) {
        this.label = what;
        this.start = clock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS;
        this.lastTenth = 0;
    }

    @Override
    public void progress(int done, int total) {
        long now = clock.getAsLong();
        int pct = (int) (100L * done / total);
        String eta = done == total ? "done in " + duration(now - start) : "ETA " + duration((now - start) / done * (total - done));
        if (terminal) {
            if (done < total && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) WIDTH * done / total);
            String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
            err.print("\r" + label + " [" + bar + "] " + done + "/" + total + " tiles " + pct + "% " + eta + "   ");
            if (done == total) {
                err.println();
            }
        } else {
            int tenth = (int) (10L * done / total);
            if (done < total && tenth <= lastTenth) {
                return;
            }
            lastTenth = tenth;
            err.println(label + ": " + done + "/" + total + " tiles (" + pct + "%), " + eta);
        }
        err.flush();
    }

    /** h:mm:ss or m:ss. */
    static String duration(long nanos) {
        long s = Math.max(0, Math.round(nanos / 1e9));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
