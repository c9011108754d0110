package io.srengine.tensorrt;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.Pointer;

/**
 * {@code delete} for TensorRT's objects. TensorRT 10+ frees what it returns (builders, networks,
 * configs, timing caches, host memory, runtimes, engines, execution contexts) with C++ {@code
 * delete}, but JavaCPP attaches no deallocator to a pointer a native function returns, so its
 * {@code deallocate()} does nothing for them and every engine would keep its device memory until the
 * JVM exits.
 *
 * <p>All those classes derive from {@code nvinfer1::INoCopy}, whose only virtual function is its
 * destructor; under the Itanium C++ ABI (Linux x86-64, GCC and Clang) the object's first word points
 * to its vtable, whose first two entries are the complete-object destructor and the deleting
 * destructor. Calling entry 1 with the object's address is exactly what {@code delete p} compiles
 * to. The parser ({@code nvonnxparser::IParser}) does not derive from INoCopy, so where its
 * destructor sits in its vtable is not known here; it is not deleted (it is small, one per build).
 *
 * <p>Never run against a real TensorRT. The system property {@code srengine.tensorrt.delete=false}
 * turns it off (objects then leak, as with JavaCPP's own {@code deallocate()}).
 */
@SuppressWarnings("restricted") // native access is enabled by the launcher and the test JVMs (--enable-native-access)
final class NativeDelete {
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("srengine.tensorrt.delete"));
    private static final MethodHandle CALL = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private NativeDelete() {}

    /** Deletes the INoCopy-derived object {@code p} points to, then makes {@code p} null. Null pointers are ignored. */
    static void delete(Pointer p) {
        if (p == null || p.isNull()) {
            return;
        }
        if (ENABLED) {
            deleteAt(p.address());
        }
        p.setNull();
    }

    /** Calls the deleting destructor (vtable entry 1) of the object at {@code address}. */
    static void deleteAt(long address) {
        MemorySegment self = MemorySegment.ofAddress(address).reinterpret(ValueLayout.ADDRESS.byteSize());
        MemorySegment vtable = self.get(ValueLayout.ADDRESS, 0).reinterpret(2 * ValueLayout.ADDRESS.byteSize());
        MemorySegment deleting = vtable.getAtIndex(ValueLayout.ADDRESS, 1);
        try {
            CALL.invokeExact(deleting, self);
        } catch (Throwable t) {
            throw new IllegalStateException("calling the deleting destructor at " + deleting + " failed", t);
        }
    }
}
