package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BufferPlannerTest {
    @Test
    void aChainNeedsOnlyTwoBuffers() {
        List<BufferPlanner.Request> r = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            r.add(new BufferPlanner.Request(1000, i, i + 1));
        }
        BufferPlanner.Plan p = BufferPlanner.plan(r);
        assertEquals(2 * 1024, p.arenaBytes(), "ping-pong between two 256-aligned slots");
    }

    @Test
    void buffersLiveAtTheSameStepNeverShareBytes() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            List<BufferPlanner.Request> r = new ArrayList<>();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                int a = rnd.nextInt(30);
                r.add(new BufferPlanner.Request(1 + rnd.nextInt(100_000), a, a + rnd.nextInt(10)));
            }
            BufferPlanner.Plan p = BufferPlanner.plan(r);
            long peak = 0;
            for (int step = 0; step < 40; step++) {
                long live = 0;
                for (BufferPlanner.Request q : r) {
                    if (q.first() <= step && step <= q.last()) {
                        live += BufferPlanner.align(q.bytes());
                    }
                }
                peak = Math.max(peak, live);
            }
            assertTrue(p.arenaBytes() >= peak);
            for (int i = 0; i < n; i++) {
                assertEquals(0, p.offsets()[i] % BufferPlanner.ALIGNMENT);
                assertTrue(p.offsets()[i] + r.get(i).bytes() <= p.arenaBytes());
                for (int j = i + 1; j < n; j++) {
                    BufferPlanner.Request a = r.get(i);
                    BufferPlanner.Request b = r.get(j);
                    boolean timeOverlap = a.first() <= b.last() && b.first() <= a.last();
                    boolean spaceOverlap = p.offsets()[i] < p.offsets()[j] + b.bytes()
                            && p.offsets()[j] < p.offsets()[i] + a.bytes();
                    assertFalse(timeOverlap && spaceOverlap && a.bytes() > 0 && b.bytes() > 0,
                            "trial " + trial + ": buffers " + i + " and " + j + " collide");
                }
            }
        }
    }

    @Test
    void emptyPlan() {
        assertEquals(0, BufferPlanner.plan(List.of()).arenaBytes());
    }
}
