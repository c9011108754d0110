package io.srengine.formats.tfjs;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.List;
import java.util.Map;

/**
 * Typed access to one JSON object of a TF.js model file, with messages that say where in the file
 * a missing or mistyped field is ({@code context} is e.g. "layer 'F_0' (Conv2D) in model.json").
 */
record Cfg(Map<String, Object> map, String context) {
    @SuppressWarnings("unchecked")
    static Cfg of(Object value, String context) {
        if (value instanceof Map<?, ?> m) {
            return new Cfg((Map<String, Object>) m, context);
        }
        throw new SrException(ErrorCode.INVALID_MODEL, context + " should be a JSON object");
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    Object raw(String key) {
        return map.get(key);
    }

    Cfg obj(String key) {
        return of(require(key), context + ", field '" + key + "'");
    }

    List<Object> list(String key) {
        return asList(require(key), context + ", field '" + key + "'");
    }

    String str(String key) {
        Object v = require(key);
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string");
    }

    String str(String key, String defaultValue) {
        return has(key) ? str(key) : defaultValue;
    }

    double num(String key) {
        Object v = require(key);
        if (v instanceof Double d) {
            return d;
        }
        throw wrongType(key, "a number");
    }

    double num(String key, double defaultValue) {
        return has(key) ? num(key) : defaultValue;
    }

    int integer(String key, int defaultValue) {
        return has(key) ? toInt(map.get(key), context + ", field '" + key + "'") : defaultValue;
    }

    boolean bool(String key, boolean defaultValue) {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "true or false");
    }

    /** An int list such as {@code kernel_size}; a single number is accepted as {@code n} copies of it. */
    int[] ints(String key, int n, int defaultValue) {
        Object v = map.get(key);
        int[] out = new int[n];
        if (v == null) {
            java.util.Arrays.fill(out, defaultValue);
            return out;
        }
        if (v instanceof Double) {
            java.util.Arrays.fill(out, toInt(v, context + ", field '" + key + "'"));
            return out;
        }
        List<Object> l = asList(v, context + ", field '" + key + "'");
        if (l.size() != n) {
            throw new SrException(ErrorCode.INVALID_MODEL, context + ": field '" + key + "' should have " + n
                    + " values but has " + l.size());
        }
        for (int i = 0; i < n; i++) {
            out[i] = toInt(l.get(i), context + ", field '" + key + "'");
        }
        return out;
    }

    private Object require(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, context + " has no field '" + key + "'");
        }
        return v;
    }

    private SrException wrongType(String key, String kind) {
        return new SrException(ErrorCode.INVALID_MODEL, context + ": field '" + key + "' should be " + kind
                + " but is " + map.get(key));
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object v, String context) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new SrException(ErrorCode.INVALID_MODEL, context + " should be a JSON array");
    }

    static int toInt(Object v, String context) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
            return (int) (double) d;
        }
        throw new SrException(ErrorCode.INVALID_MODEL, context + " should be an integer but is " + v);
    }
}
