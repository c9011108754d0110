package io.srengine.graph;

import io.srengine.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of a node: an immutable map from name to a value of one of the ONNX attribute
 * kinds, held as {@link Long} (INT), {@code long[]} (INTS), {@link Float} (FLOAT), {@code float[]}
 * (FLOATS), {@link String} (STRING), {@code String[]} (STRINGS) or {@link Tensor} (TENSOR). Typed
 * access with messages that name the node goes through {@link Node}.
 */
public final class Attributes {
    private static final Attributes EMPTY = new Attributes(Map.of());

    private final Map<String, Object> values;

    private Attributes(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * The empty attribute set.
     *
     * @return a shared empty instance
     */
    public static Attributes empty() {
        return EMPTY;
    }

    /**
     * Attributes from a map, in its iteration order. {@link Integer}, {@code int[]} and {@link Double}
     * values are widened or narrowed to the stored kinds ({@code Long}, {@code long[]}, {@code Float});
     * arrays are not copied, so callers must not change them afterwards.
     *
     * @param values attribute name to value
     * @return the attributes
     * @throws IllegalArgumentException for a null value or one of no ONNX attribute kind
     */
    public static Attributes of(Map<String, ?> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, check(k, v)));
        return new Attributes(Collections.unmodifiableMap(m));
    }

    private static Object check(String name, Object v) {
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof Double d) {
            return (float) (double) d;
        }
        if (v instanceof int[] a) {
            long[] l = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                l[i] = a[i];
            }
            return l;
        }
        if (v instanceof Long || v instanceof long[] || v instanceof Float || v instanceof float[]
                || v instanceof String || v instanceof String[] || v instanceof Tensor) {
            return v;
        }
        throw new IllegalArgumentException("attribute " + name + " has unsupported value type "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    /**
     * Whether an attribute is set.
     *
     * @param name the attribute name
     * @return true when it is present
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The raw value, in one of the kinds listed in the class description.
     *
     * @param name the attribute name
     * @return the value, or null when absent
     */
    public Object get(String name) {
        return values.get(name);
    }

    /**
     * The attribute names.
     *
     * @return an unmodifiable set, in insertion order
     */
    public Set<String> names() {
        return values.keySet();
    }

    /**
     * All attributes.
     *
     * @return an unmodifiable map from name to value
     */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * Whether no attribute is set.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * A copy with {@code name} set to {@code value} (or removed when {@code value} is null).
     *
     * @param name the attribute name
     * @param value the new value, converted as by {@link #of}; null to remove
     * @return the new attributes; this instance is unchanged
     * @throws IllegalArgumentException for a value of no ONNX attribute kind
     */
    public Attributes with(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        if (value == null) {
            m.remove(name);
        } else {
            m.put(name, check(name, value));
        }
        return new Attributes(Collections.unmodifiableMap(m));
    }

    /**
     * A copy without {@code name}.
     *
     * @param name the attribute name
     * @return the new attributes; this instance is unchanged
     */
    public Attributes without(String name) {
        return with(name, null);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            sb.append(sb.length() == 1 ? "" : ", ").append(k).append('=');
            if (v instanceof long[] a) {
                sb.append(java.util.Arrays.toString(a));
            } else if (v instanceof float[] a) {
                sb.append(java.util.Arrays.toString(a));
            } else if (v instanceof String[] a) {
                sb.append(java.util.Arrays.toString(a));
            } else {
                sb.append(v);
            }
        });
        return sb.append('}').toString();
    }
}
