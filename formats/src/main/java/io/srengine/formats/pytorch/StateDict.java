package io.srengine.formats.pytorch;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tensors of a checkpoint by name, in file order, after the training wrappers and prefixes
 * have been taken off (see {@link CheckpointReader}). Floating-point tensors are float32 whatever
 * the file stored (float16 and bfloat16 widen exactly, float64 rounds to nearest); integer tensors
 * (e.g. batch norm's {@code num_batches_tracked}) are int64. Immutable.
 *
 * <p>This is what architecture detection and the graph builders read: {@link #has}, {@link
 * #shape} and {@link #seqLength} describe the network, {@link #tensor} gives the weights.
 */
public final class StateDict {
    private final Map<String, Tensor> tensors;
    private final Map<String, ScalarType> types;
    private final String source;
    private final CheckpointFormat format;
    private final String wrapper;

    StateDict(Map<String, Tensor> tensors, Map<String, ScalarType> types, String source, CheckpointFormat format,
            String wrapper) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        this.source = source;
        this.format = format;
        this.wrapper = wrapper;
    }

    /**
     * A state dict built in code (tests, conversions): every tensor is float32 or int64 and is
     * taken as its own type.
     */
    public static StateDict of(Map<String, Tensor> tensors, String source) {
        Map<String, ScalarType> types = new LinkedHashMap<>();
        tensors.forEach((k, v) -> types.put(k, v.dataType() == DataType.FLOAT32 ? ScalarType.FLOAT32 : ScalarType.INT64));
        return new StateDict(tensors, types, source, null, "");
    }

    /** The file (or other origin) the tensors came from, for messages. */
    public String source() {
        return source;
    }

    /** The container format, or null for a state dict built in code. */
    public CheckpointFormat format() {
        return format;
    }

    /**
     * Where in the file's object the tensors were found, e.g. {@code params_ema} or
     * {@code state_dict}; empty when the object itself was the state dict. A stripped {@code module.}
     * prefix is mentioned too.
     */
    public String wrapper() {
        return wrapper;
    }

    /** Tensor names in file order. */
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }

    public int size() {
        return tensors.size();
    }

    public boolean has(String key) {
        return tensors.containsKey(key);
    }

    /** Whether every key is present. */
    public boolean hasAll(String... keys) {
        for (String k : keys) {
            if (!tensors.containsKey(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every key matches {@code pattern} whole. */
    public boolean allKeysMatch(Pattern pattern) {
        for (String k : tensors.keySet()) {
            if (!pattern.matcher(k).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Whether some key starts with {@code prefix}. */
    public boolean hasPrefix(String prefix) {
        for (String k : tensors.keySet()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tensor, float32 for weights.
     *
     * @throws SrException {@code INVALID_MODEL} naming the key when it is absent
     */
    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " lacks the tensor '" + key + "'");
        }
        return t;
    }

    /** The tensor's shape. */
    public int[] shape(String key) {
        return tensor(key).shape();
    }

    /** One dimension of the tensor's shape. */
    public int dim(String key, int axis) {
        int[] s = shape(key);
        if (axis >= s.length) {
            throw new SrException(ErrorCode.INVALID_MODEL, "tensor '" + key + "' in " + source + " has shape "
                    + java.util.Arrays.toString(s) + ", not rank " + (axis + 1) + " or more");
        }
        return s[axis];
    }

    /** The type the file stored the tensor in. */
    public ScalarType storedType(String key) {
        tensor(key);
        return types.get(key);
    }

    /** The floating-point types the file stored weights in. */
    public Set<ScalarType> floatingTypes() {
        Set<ScalarType> s = EnumSet.noneOf(ScalarType.class);
        for (ScalarType t : types.values()) {
            if (t.isFloating()) {
                s.add(t);
            }
        }
        return s;
    }

    /**
     * The length of a {@code nn.Sequential} or {@code nn.ModuleList} stored under {@code prefix}: one
     * more than the largest N of keys {@code prefix.N.*}, or 0 when there are none. Modules without
     * weights (activations, pixel shuffles) leave gaps, which is why the largest index and not the
     * count is what tells the length.
     */
    public int seqLength(String prefix) {
        Pattern p = Pattern.compile(Pattern.quote(prefix + ".") + "(\\d+)\\..*");
        int max = -1;
        for (String k : tensors.keySet()) {
            Matcher m = p.matcher(k);
            if (m.matches() && m.group(1).length() < 7) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max + 1;
    }

    /** Up to {@code n} keys, for messages. */
    public List<String> sampleKeys(int n) {
        List<String> out = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (out.size() == n) {
                break;
            }
            out.add(k);
        }
        return out;
    }

    /** The number of elements of all floating-point tensors among {@code keys}. */
    public long elements(Iterable<String> keys) {
        long n = 0;
        for (String k : keys) {
            n += tensor(k).size();
        }
        return n;
    }
}
