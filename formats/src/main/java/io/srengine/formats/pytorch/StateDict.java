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
 * (e.g. batch norm's {@code num_batches_tracked}) are int64. The set of names is immutable; the
 * tensors are shared, not copied, so nobody should write into their arrays. Read from any number of
 * threads as long as nobody does.
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
     * taken as its own type (anything other than float32 is recorded as int64). The map is copied, its
     * tensors are not.
     *
     * @param tensors name to tensor, in the order {@link #keys} will give
     * @param source how messages name the origin
     * @return a state dict with no {@link #format} and an empty {@link #wrapper}
     */
    public static StateDict of(Map<String, Tensor> tensors, String source) {
        Map<String, ScalarType> types = new LinkedHashMap<>();
        tensors.forEach((k, v) -> types.put(k, v.dataType() == DataType.FLOAT32 ? ScalarType.FLOAT32 : ScalarType.INT64));
        return new StateDict(tensors, types, source, null, "");
    }

    /**
     * The file (or other origin) the tensors came from, for messages.
     *
     * @return as given to the reader or to {@link #of}
     */
    public String source() {
        return source;
    }

    /**
     * The container format.
     *
     * @return the format, or null for a state dict built in code
     */
    public CheckpointFormat format() {
        return format;
    }

    /**
     * Where in the file's object the tensors were found, e.g. {@code params_ema} or
     * {@code state_dict}; empty when the object itself was the state dict. A stripped {@code module.}
     * prefix is mentioned too.
     *
     * @return the description, never null
     */
    public String wrapper() {
        return wrapper;
    }

    /**
     * Tensor names in file order.
     *
     * @return an unmodifiable copy
     */
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }

    /**
     * The number of tensors.
     *
     * @return the count
     */
    public int size() {
        return tensors.size();
    }

    /**
     * Whether a tensor of this name is present.
     *
     * @param key the full name, e.g. {@code conv_first.weight}
     * @return true when present
     */
    public boolean has(String key) {
        return tensors.containsKey(key);
    }

    /**
     * Whether every key is present.
     *
     * @param keys full names
     * @return true when all are present (also when none is given)
     */
    public boolean hasAll(String... keys) {
        for (String k : keys) {
            if (!tensors.containsKey(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every key matches {@code pattern} whole.
     *
     * @param pattern the pattern, matched with {@link Matcher#matches()}
     * @return true when all keys match (also for an empty state dict)
     */
    public boolean allKeysMatch(Pattern pattern) {
        for (String k : tensors.keySet()) {
            if (!pattern.matcher(k).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether some key starts with {@code prefix}.
     *
     * @param prefix compared as plain text, e.g. {@code body.0.}
     * @return true when at least one does
     */
    public boolean hasPrefix(String prefix) {
        for (String k : tensors.keySet()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tensor, float32 for weights. Not a copy.
     *
     * @param key the full name
     * @return the tensor
     * @throws SrException {@code INVALID_MODEL} naming the key when it is absent
     */
    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " lacks the tensor '" + key + "'");
        }
        return t;
    }

    /**
     * The tensor's shape.
     *
     * @param key the full name
     * @return a fresh array
     * @throws SrException {@code INVALID_MODEL} naming the key when it is absent
     */
    public int[] shape(String key) {
        return tensor(key).shape();
    }

    /**
     * One dimension of the tensor's shape.
     *
     * @param key the full name
     * @param axis from 0
     * @return the size along that axis
     * @throws SrException {@code INVALID_MODEL} when the tensor is absent or has no such axis
     */
    public int dim(String key, int axis) {
        int[] s = shape(key);
        if (axis >= s.length) {
            throw new SrException(ErrorCode.INVALID_MODEL, "tensor '" + key + "' in " + source + " has shape "
                    + java.util.Arrays.toString(s) + ", not rank " + (axis + 1) + " or more");
        }
        return s[axis];
    }

    /**
     * The type the file stored the tensor in (the tensor itself is float32 or int64 whatever this is).
     *
     * @param key the full name
     * @return the stored type
     * @throws SrException {@code INVALID_MODEL} naming the key when it is absent
     */
    public ScalarType storedType(String key) {
        tensor(key);
        return types.get(key);
    }

    /**
     * The floating-point types the file stored weights in.
     *
     * @return a new, modifiable set; empty when there are no floating-point tensors
     */
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
     *
     * @param prefix the module's name, e.g. {@code body}
     * @return the length, or 0
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

    /**
     * The first {@code n} keys in file order, for messages.
     *
     * @param n how many at most
     * @return a new list of up to {@code n} names
     */
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

    /**
     * The number of elements of the tensors named, e.g. the parameters a network uses.
     *
     * @param keys full names
     * @return the sum of their element counts
     * @throws SrException {@code INVALID_MODEL} naming a key that is absent
     */
    public long elements(Iterable<String> keys) {
        long n = 0;
        for (String k : keys) {
            n += tensor(k).size();
        }
        return n;
    }
}
