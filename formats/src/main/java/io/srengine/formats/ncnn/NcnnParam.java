package io.srengine.formats.ncnn;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text form of an ncnn network ({@code .param}): the magic line {@value #MAGIC}, a line with the
 * layer and blob counts, then one line per layer:
 *
 * <pre>
 * Type  name  bottom_count top_count  bottoms...  tops...  id=value ...
 * </pre>
 *
 * A value is an integer, a float (it contains {@code .} or {@code e}), a comma-separated array
 * (written {@code -233NN=count,v1,v2...} for array id {@code NN}, or {@code NN=v1,v2...}), or a string.
 * Ids run from 0 to 31, as in ncnn's {@code ParamDict}.
 *
 * <p>The file is untrusted: the declared counts are checked against the lines actually present
 * before anything is sized by them, every blob a layer reads must have been produced by an earlier
 * layer, and no blob is produced twice.
 */
final class NcnnParam {
    /** The first number of every text {@code .param} file ncnn still reads. */
    static final int MAGIC = 7767517;
    /** ncnn's {@code NCNN_MAX_PARAM_COUNT}: parameter ids are 0..31. */
    static final int MAX_PARAM_ID = 31;

    /** One layer line. */
    record Layer(int index, String type, String name, List<String> bottoms, List<String> tops, Params params) {
        String describe() {
            return "layer '" + name + "' (" + type + ")";
        }
    }

    /** A layer's parameters by id. Values are Integer, Float, int[], float[] or String. */
    static final class Params {
        private final Map<Integer, Object> values;
        private final String owner;

        Params(Map<Integer, Object> values, String owner) {
            this.values = values;
            this.owner = owner;
        }

        boolean has(int id) {
            return values.containsKey(id);
        }

        Set<Integer> ids() {
            return Collections.unmodifiableSet(values.keySet());
        }

        int getInt(int id, int def) {
            Object v = values.get(id);
            if (v == null) {
                return def;
            }
            if (v instanceof Integer i) {
                return i;
            }
            throw new SrException(ErrorCode.INVALID_MODEL, owner + ": parameter " + id + " should be an integer, is " + show(v));
        }

        float getFloat(int id, float def) {
            Object v = values.get(id);
            if (v == null) {
                return def;
            }
            if (v instanceof Float f) {
                return f;
            }
            if (v instanceof Integer i) {
                // ncnn writes floats with a point or exponent; a bare integer here is read as its value
                return i;
            }
            throw new SrException(ErrorCode.INVALID_MODEL, owner + ": parameter " + id + " should be a number, is " + show(v));
        }

        /** An array parameter as integers, or null when absent. */
        int[] getInts(int id) {
            Object v = values.get(id);
            if (v == null) {
                return null;
            }
            if (v instanceof int[] a) {
                return a.clone();
            }
            if (v instanceof Integer i) {
                return new int[] {i};
            }
            throw new SrException(ErrorCode.INVALID_MODEL, owner + ": parameter " + id + " should be integers, is " + show(v));
        }

        /** An array parameter as floats (integers converted), or null when absent. */
        float[] getFloats(int id) {
            Object v = values.get(id);
            if (v == null) {
                return null;
            }
            if (v instanceof float[] a) {
                return a.clone();
            }
            if (v instanceof int[] a) {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    f[i] = a[i];
                }
                return f;
            }
            if (v instanceof Float f) {
                return new float[] {f};
            }
            if (v instanceof Integer i) {
                return new float[] {i};
            }
            throw new SrException(ErrorCode.INVALID_MODEL, owner + ": parameter " + id + " should be numbers, is " + show(v));
        }

        private static String show(Object v) {
            if (v instanceof int[] a) {
                return "the array " + java.util.Arrays.toString(a);
            }
            if (v instanceof float[] a) {
                return "the array " + java.util.Arrays.toString(a);
            }
            if (v instanceof String s) {
                return "the string \"" + s + "\"";
            }
            return String.valueOf(v);
        }
    }

    final List<Layer> layers;
    final String source;

    private NcnnParam(List<Layer> layers, String source) {
        this.layers = layers;
        this.source = source;
    }

    /**
     * Parses a {@code .param} file's text.
     *
     * @param source how messages name the file
     * @throws SrException {@code INVALID_MODEL} naming the line and what is wrong with it
     */
    static NcnnParam parse(String text, String source) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            lines.add(line.strip());
        }
        int li = 0;
        while (li < lines.size() && lines.get(li).isEmpty()) {
            li++;
        }
        if (li >= lines.size()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is empty; an ncnn .param file starts with " + MAGIC);
        }
        String first = lines.get(li);
        if (!first.equals(Integer.toString(MAGIC))) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " does not start with the ncnn magic number " + MAGIC
                    + " (first line: \"" + abbreviate(first) + "\"); it is not an ncnn .param file, or one from before 2018"
                    + " that ncnn itself no longer reads");
        }
        li++;
        if (li >= lines.size()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " ends after the magic number; the layer and blob counts are missing");
        }
        String[] counts = lines.get(li).split("\\s+");
        int layerCount;
        int blobCount;
        try {
            if (counts.length != 2) {
                throw new NumberFormatException();
            }
            layerCount = Integer.parseInt(counts[0]);
            blobCount = Integer.parseInt(counts[1]);
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " line " + (li + 1) + ": expected the layer and blob counts,"
                    + " found \"" + abbreviate(lines.get(li)) + "\"");
        }
        if (layerCount <= 0 || blobCount <= 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " line " + (li + 1) + ": layer count " + layerCount
                    + " and blob count " + blobCount + " must both be positive");
        }
        li++;
        List<Layer> layers = new ArrayList<>();
        Set<String> produced = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (; li < lines.size(); li++) {
            String line = lines.get(li);
            if (line.isEmpty()) {
                continue;
            }
            if (layers.size() == layerCount) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " line " + (li + 1) + ": more layers than the "
                        + layerCount + " the header declares");
            }
            Layer layer = parseLayer(line, layers.size(), source + " line " + (li + 1));
            if (!names.add(layer.name())) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " line " + (li + 1) + ": a second layer is named '"
                        + layer.name() + "'");
            }
            for (String b : layer.bottoms()) {
                if (!produced.contains(b)) {
                    throw new SrException(ErrorCode.INVALID_MODEL, source + " line " + (li + 1) + ": " + layer.describe()
                            + " reads blob '" + b + "', which no earlier layer produces");
                }
            }
            for (String t : layer.tops()) {
                if (!produced.add(t)) {
                    throw new SrException(ErrorCode.INVALID_MODEL, source + " line " + (li + 1) + ": " + layer.describe()
                            + " produces blob '" + t + "', which an earlier layer already produces");
                }
            }
            layers.add(layer);
        }
        if (layers.size() != layerCount) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " declares " + layerCount + " layers but has "
                    + layers.size() + " (is it truncated?)");
        }
        int blobs = 0;
        for (Layer l : layers) {
            blobs += l.tops().size();
        }
        if (blobs != blobCount) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " declares " + blobCount + " blobs but its layers produce "
                    + blobs);
        }
        return new NcnnParam(List.copyOf(layers), source);
    }

    private static Layer parseLayer(String line, int index, String where) {
        String[] tok = line.split("\\s+");
        if (tok.length < 4) {
            throw new SrException(ErrorCode.INVALID_MODEL, where + ": expected \"type name bottom_count top_count ...\","
                    + " found \"" + abbreviate(line) + "\"");
        }
        String type = tok[0];
        String name = tok[1];
        int nb;
        int nt;
        try {
            nb = Integer.parseInt(tok[2]);
            nt = Integer.parseInt(tok[3]);
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, where + ": bottom and top counts of layer '" + name
                    + "' are not integers: \"" + tok[2] + "\", \"" + tok[3] + "\"");
        }
        if (nb < 0 || nt < 0 || 4L + nb + nt > tok.length) {
            throw new SrException(ErrorCode.INVALID_MODEL, where + ": layer '" + name + "' declares " + nb + " bottoms and "
                    + nt + " tops but the line has " + (tok.length - 4) + " more fields");
        }
        List<String> bottoms = List.of(java.util.Arrays.copyOfRange(tok, 4, 4 + nb));
        List<String> tops = List.of(java.util.Arrays.copyOfRange(tok, 4 + nb, 4 + nb + nt));
        String owner = "layer '" + name + "' (" + type + ")";
        Map<Integer, Object> values = new HashMap<>();
        int i = 4 + nb + nt;
        while (i < tok.length) {
            String item = tok[i];
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": expected id=value, found \""
                        + abbreviate(item) + "\"");
            }
            int id;
            try {
                id = Integer.parseInt(item.substring(0, eq));
            } catch (NumberFormatException e) {
                throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": parameter id \""
                        + abbreviate(item.substring(0, eq)) + "\" is not an integer");
            }
            boolean oldArray = id <= -23300;
            if (oldArray) {
                id = -id - 23300;
            }
            if (id < 0 || id > MAX_PARAM_ID) {
                throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": parameter id " + item.substring(0, eq)
                        + " is outside 0.." + MAX_PARAM_ID);
            }
            String value = item.substring(eq + 1);
            i++;
            if (!oldArray && isString(value)) {
                // a string runs to the closing quote, possibly across spaces
                StringBuilder sb = new StringBuilder(value);
                if (value.startsWith("\"")) {
                    while ((sb.length() < 2 || sb.charAt(sb.length() - 1) != '"') && i < tok.length) {
                        sb.append(' ').append(tok[i++]);
                    }
                }
                String s = sb.toString();
                if (s.startsWith("\"")) {
                    s = s.substring(1, s.endsWith("\"") && s.length() > 1 ? s.length() - 1 : s.length());
                }
                values.put(id, s);
                continue;
            }
            String[] parts = value.split(",", -1);
            if (oldArray) {
                int len;
                try {
                    len = Integer.parseInt(parts[0]);
                } catch (NumberFormatException e) {
                    throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": array " + id
                            + " does not start with its length: \"" + abbreviate(value) + "\"");
                }
                if (len != parts.length - 1) {
                    throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": array " + id + " declares "
                            + len + " elements but has " + (parts.length - 1));
                }
                values.put(id, parseArray(java.util.Arrays.copyOfRange(parts, 1, parts.length), where, owner, id));
            } else if (parts.length > 1) {
                values.put(id, parseArray(parts, where, owner, id));
            } else {
                values.put(id, parseScalar(value, where, owner, id));
            }
        }
        return new Layer(index, type, name, bottoms, tops, new Params(values, owner));
    }

    private static boolean isString(String v) {
        return !v.isEmpty() && (Character.isLetter(v.charAt(0)) || v.charAt(0) == '"')
                && !v.equalsIgnoreCase("inf") && !v.equalsIgnoreCase("nan");
    }

    private static boolean isFloat(String v) {
        return v.indexOf('.') >= 0 || v.indexOf('e') >= 0 || v.indexOf('E') >= 0
                || v.equalsIgnoreCase("inf") || v.equalsIgnoreCase("-inf") || v.equalsIgnoreCase("nan");
    }

    private static Object parseScalar(String v, String where, String owner, int id) {
        try {
            return isFloat(v) ? (Object) Float.parseFloat(v) : (Object) Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": parameter " + id + " has value \""
                    + abbreviate(v) + "\", which is not a number");
        }
    }

    private static Object parseArray(String[] parts, String where, String owner, int id) {
        boolean anyFloat = false;
        for (String p : parts) {
            anyFloat |= isFloat(p);
        }
        try {
            if (anyFloat) {
                float[] f = new float[parts.length];
                for (int k = 0; k < parts.length; k++) {
                    f[k] = Float.parseFloat(parts[k]);
                }
                return f;
            }
            int[] a = new int[parts.length];
            for (int k = 0; k < parts.length; k++) {
                a[k] = Integer.parseInt(parts[k]);
            }
            return a;
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, where + ": " + owner + ": array parameter " + id
                    + " has an element that is not a number: " + abbreviate(String.join(",", parts)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
