package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.formats.pytorch.Unpickler.PyTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What a PyTorch state dict's pickle may contain, and what each allowed global becomes. The
 * whitelist is the globals {@code torch.save(model.state_dict())} and the usual training wrappers
 * write: {@code collections.OrderedDict}, the tensor and parameter rebuilders of {@code torch._utils},
 * the storage classes ({@code torch.FloatStorage}, ...), {@code torch.Size}, and the builtins that
 * encode sets and Python 3 bytes. Every other global is refused by name before anything is built; no
 * global is ever looked up or called, each allowed one is interpreted here in Java.
 */
final class TorchPickle implements Unpickler.Policy {
    /** An allowed global, standing for itself on the pickle stack. */
    record PyGlobal(String module, String name) {
        String qualified() {
            return module + "." + name;
        }

        @Override
        public String toString() {
            return qualified();
        }
    }

    private static final Set<String> CALLABLES = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
            "torch._tensor._rebuild_from_type_v2",
            "torch.Size",
            "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset",
            "_codecs.encode");
    /** Classes that appear only as arguments (of {@code _rebuild_from_type_v2}). */
    private static final Set<String> TYPES = Set.of("torch.Tensor", "torch.nn.parameter.Parameter");

    private final BiFunction<PyTuple, String, TensorRef.Storage> storages;

    /**
     * @param storages resolves a persistent id (a tuple starting with {@code 'storage'}) to its
     *     storage, checking it against the file
     */
    TorchPickle(BiFunction<PyTuple, String, TensorRef.Storage> storages) {
        this.storages = storages;
    }

    @Override
    public Object global(String module, String name, String where) {
        String q = module + "." + name;
        if (CALLABLES.contains(q) || TYPES.contains(q) || storageType(module, name) != null) {
            return new PyGlobal(module, name);
        }
        String hint = module.startsWith("__torch__")
                ? " (this is a TorchScript module; srengine reads state dicts, not scripted code)"
                : Character.isUpperCase(name.isEmpty() ? 'a' : name.charAt(0)) && !module.startsWith("torch")
                        ? " (a pickled Python object, perhaps a whole model; save its state_dict() instead)"
                        : "";
        throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " refers to the global '" + q
                + "', which srengine refuses to load" + hint + ": checkpoints are read as data, and only the"
                + " globals a state dict needs (OrderedDict, torch._utils tensor rebuilders, storage types) are allowed");
    }

    /** The element type of a storage class global such as {@code torch.HalfStorage}, or null. */
    static ScalarType storageType(String module, String name) {
        return module.equals("torch") || module.equals("torch.cuda") ? ScalarType.ofStorageClass(name) : null;
    }

    @Override
    public Object reduce(Object callable, PyTuple args, String where) {
        if (!(callable instanceof PyGlobal g) || !CALLABLES.contains(g.qualified())) {
            throw refuse(where, "calls " + describe(callable) + ", which is not allowed");
        }
        return switch (g.qualified()) {
            case "collections.OrderedDict" -> orderedDict(args, where);
            case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2" -> rebuildTensor(args, where);
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                arity(args, 3, 4, g, where);
                yield tensorArg(args.get(0), g, where);
            }
            case "torch._tensor._rebuild_from_type_v2" -> {
                arity(args, 4, 4, g, where);
                Object func = args.get(0);
                Object type = args.get(1);
                if (!(type instanceof PyGlobal t && TYPES.contains(t.qualified()))
                        || !(func instanceof PyGlobal f && f.name().startsWith("_rebuild_tensor"))
                        || !(args.get(2) instanceof PyTuple inner)) {
                    throw refuse(where, "rebuilds a tensor of type " + describe(type) + " with " + describe(func)
                            + "; only plain tensors and parameters are allowed");
                }
                yield reduce(func, inner, where);
            }
            case "torch.Size" -> {
                arity(args, 1, 1, g, where);
                if (!(args.get(0) instanceof PyTuple t)) {
                    throw refuse(where, "calls torch.Size with " + describe(args.get(0)));
                }
                yield t;
            }
            case "_codecs.encode" -> {
                arity(args, 2, 2, g, where);
                if (!(args.get(0) instanceof String s) || !(args.get(1) instanceof String enc)
                        || !(enc.equals("latin1") || enc.equals("latin-1"))) {
                    throw refuse(where, "calls _codecs.encode with other than a string and 'latin1'");
                }
                yield s.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> { // set, frozenset: kept as a list of their items
                arity(args, 0, 1, g, where);
                yield args.size() == 0 ? new ArrayList<>() : new ArrayList<>(listArg(args.get(0), g, where));
            }
        };
    }

    @Override
    public Object newObj(Object cls, PyTuple args, String where) {
        if (cls instanceof PyGlobal g && g.qualified().equals("collections.OrderedDict")) {
            return new LinkedHashMap<>();
        }
        throw refuse(where, "creates an object of " + describe(cls) + " with NEWOBJ, which is not allowed");
    }

    @Override
    public void build(Object target, Object state, String where) {
        // OrderedDict state dicts carry their '_metadata' (module versions) as attribute state, and
        // tensors may carry Python attributes; neither matters for inference.
        if (!(target instanceof Map<?, ?>) && !(target instanceof TensorRef)) {
            throw refuse(where, "sets state on " + describe(target) + ", which is not allowed");
        }
    }

    @Override
    public Object persistentLoad(Object pid, String where) {
        if (pid instanceof PyTuple t && t.size() > 0 && "storage".equals(t.get(0))) {
            return storages.apply(t, where);
        }
        if (pid instanceof PyTuple t && t.size() > 1 && "module".equals(t.get(0))) {
            throw refuse(where, "holds a whole pickled model (module class " + describe(t.get(1))
                    + "); srengine reads state dicts: save model.state_dict() instead");
        }
        throw refuse(where, "has a persistent id that is not a tensor storage");
    }

    /** The element type named by a persistent id's storage-type global. */
    static ScalarType storageTypeOf(Object o, String where) {
        if (o instanceof PyGlobal g) {
            ScalarType t = storageType(g.module(), g.name());
            if (t != null) {
                return t;
            }
        }
        throw refuse(where, "has a storage of type " + describe(o) + ", which srengine does not read");
    }

    private static Map<Object, Object> orderedDict(PyTuple args, String where) {
        Map<Object, Object> d = new LinkedHashMap<>();
        if (args.size() == 0) {
            return d;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (p instanceof PyTuple kv && kv.size() == 2 && kv.get(0) instanceof String k) {
                    d.put(k, kv.get(1));
                } else {
                    throw refuse(where, "builds an OrderedDict from something other than (str, value) pairs");
                }
            }
            return d;
        }
        throw refuse(where, "builds an OrderedDict from " + args.size() + " arguments");
    }

    private TensorRef rebuildTensor(PyTuple args, String where) {
        if (args.size() < 4 || args.size() > 7) {
            throw refuse(where, "rebuilds a tensor from " + args.size() + " arguments");
        }
        if (!(args.get(0) instanceof TensorRef.Storage storage)) {
            throw refuse(where, "rebuilds a tensor from " + describe(args.get(0)) + " instead of a storage");
        }
        if (!(args.get(1) instanceof Long offset)) {
            throw refuse(where, "rebuilds a tensor with a storage offset of " + describe(args.get(1)));
        }
        long[] shape = longs(args.get(2), "size", where);
        long[] stride = longs(args.get(3), "stride", where);
        return TensorRef.of(storage, offset, shape, stride, "pickle in " + where);
    }

    private static long[] longs(Object o, String what, String where) {
        if (!(o instanceof PyTuple t)) {
            throw refuse(where, "rebuilds a tensor whose " + what + " is " + describe(o) + ", not a tuple");
        }
        long[] v = new long[t.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(t.get(i) instanceof Long l)) {
                throw refuse(where, "rebuilds a tensor whose " + what + " holds " + describe(t.get(i)));
            }
            v[i] = l;
        }
        return v;
    }

    private static TensorRef tensorArg(Object o, PyGlobal g, String where) {
        if (o instanceof TensorRef t) {
            return t;
        }
        throw refuse(where, "calls " + g + " with " + describe(o) + " instead of a tensor");
    }

    private static List<?> listArg(Object o, PyGlobal g, String where) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw refuse(where, "calls " + g + " with " + describe(o) + " instead of a list");
    }

    private static void arity(PyTuple args, int min, int max, PyGlobal g, String where) {
        if (args.size() < min || args.size() > max) {
            throw refuse(where, "calls " + g + " with " + args.size() + " arguments");
        }
    }

    private static String describe(Object o) {
        if (o instanceof PyGlobal g) {
            return "'" + g.qualified() + "'";
        }
        return Unpickler.typeName(o);
    }

    private static SrException refuse(String where, String detail) {
        return new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " " + detail);
    }
}
