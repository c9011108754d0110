package io.srengine.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.cuda.RawPointer;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vtable call of {@link NativeDelete} on a hand-made object: its first word points to a two-entry
 * vtable whose entry 1 is a Java upcall standing in for the deleting destructor. Shows that entry 1
 * (not 0) is called, once, with the object's own address; not that TensorRT's classes are laid out so.
 */
class NativeDeleteTest {
    static final List<Long> CALLS = new ArrayList<>();

    static void deletingDestructor(MemorySegment self) {
        CALLS.add(self.address());
    }

    static void completeDestructor(MemorySegment self) {
        throw new AssertionError("entry 0 (the complete-object destructor) must not be called");
    }

    @Test
    void callsVtableEntryOneWithTheObject() throws Exception {
        CALLS.clear();
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor fd = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);
        MethodType mt = MethodType.methodType(void.class, MemorySegment.class);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d1 = linker.upcallStub(MethodHandles.lookup().findStatic(NativeDeleteTest.class,
                    "completeDestructor", mt), fd, arena);
            MemorySegment d0 = linker.upcallStub(MethodHandles.lookup().findStatic(NativeDeleteTest.class,
                    "deletingDestructor", mt), fd, arena);
            MemorySegment vtable = arena.allocate(ValueLayout.ADDRESS, 2);
            vtable.setAtIndex(ValueLayout.ADDRESS, 0, d1);
            vtable.setAtIndex(ValueLayout.ADDRESS, 1, d0);
            MemorySegment object = arena.allocate(ValueLayout.ADDRESS, 2);
            object.set(ValueLayout.ADDRESS, 0, vtable);
            RawPointer p = new RawPointer(object.address());
            NativeDelete.delete(p);
            assertEquals(List.of(object.address()), CALLS);
            assertTrue(p.isNull(), "the Java pointer is nulled");
            NativeDelete.delete(p);
            NativeDelete.delete(null);
            assertEquals(1, CALLS.size(), "a null pointer is not deleted again");
        }
    }
}
