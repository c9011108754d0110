package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void plainLinesComeAtMostOncePerTenthWithAnEstimate() {
        StringWriter s = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), false, now::get);
        bar.start("photo.png");
        for (int done = 1; done <= 40; done++) {
            now.addAndGet(SECOND / 2);
            bar.progress(done, 40);
        }
        String[] lines = s.toString().split("\n");
        assertEquals(10, lines.length, s.toString());
        assertEquals("photo.png: 4/40 tiles (10%), ETA 0:18", lines[0]);
        assertEquals("photo.png: 40/40 tiles (100%), done in 0:20", lines[9]);
    }

    @Test
    void terminalRedrawsInPlaceAndEndsTheLine() {
        StringWriter s = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), true, now::get);
        bar.start("a.png");
        now.addAndGet(SECOND);
        bar.progress(1, 4);
        now.addAndGet(SECOND / 100);
        bar.progress(2, 4); // within 100 ms of the last draw: skipped
        now.addAndGet(SECOND);
        bar.progress(4, 4);
        String out = s.toString();
        assertTrue(out.startsWith("\ra.png [#######.......................] 1/4 tiles 25% ETA 0:03"), out);
        assertTrue(!out.contains("2/4"), out);
        assertTrue(out.contains("\ra.png [##############################] 4/4 tiles 100% done in 0:02"), out);
        assertTrue(out.endsWith(System.lineSeparator()), out);
    }

    @Test
    void durations() {
        assertEquals("0:00", ProgressBar.duration(0));
        assertEquals("1:05", ProgressBar.duration(65 * SECOND));
        assertEquals("2:03:04", ProgressBar.duration((2 * 3600 + 3 * 60 + 4) * SECOND));
    }
}
