package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A parsed Einsum equation such as {@code "bhid,bhjd->bhij"}: one term of subscript letters per input,
 * optionally with an ellipsis ({@code ...}) standing for broadcast leading axes, and the output term
 * (when {@code ->} is absent: the ellipsis, then every letter that occurs once, alphabetically). A
 * letter repeated within a term takes a diagonal; letters absent from the output are summed over.
 */
public final class EinsumSpec {
    /** The label of the ellipsis in a term. */
    static final int ELLIPSIS = -1;

    private final int[][] inputs;
    private final int[] output;

    private EinsumSpec(int[][] inputs, int[] output) {
        this.inputs = inputs;
        this.output = output;
    }

    /**
     * @throws io.srengine.SrException {@code INVALID_MODEL} naming the node for a malformed equation or
     *     a term count other than {@code inputCount}
     */
    public static EinsumSpec parse(Node node, String equation, int inputCount) {
        if (equation == null) {
            throw OpErrors.attribute(node, "required attribute 'equation' is missing");
        }
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != inputCount) {
            throw OpErrors.attribute(node, "equation '" + equation + "' has " + terms.length + " input terms for "
                    + inputCount + " inputs");
        }
        int[][] in = new int[terms.length][];
        for (int i = 0; i < terms.length; i++) {
            in[i] = term(node, equation, terms[i]);
        }
        int[] out;
        if (arrow >= 0) {
            out = term(node, equation, eq.substring(arrow + 2));
            for (int k = 0; k < out.length; k++) {
                for (int j = k + 1; j < out.length; j++) {
                    if (out[k] == out[j]) {
                        throw OpErrors.attribute(node, "equation '" + equation + "' repeats a label in its output");
                    }
                }
                if (out[k] != ELLIPSIS && count(in, out[k]) == 0) {
                    throw OpErrors.attribute(node, "equation '" + equation + "' has output label '" + (char) out[k]
                            + "' that no input has");
                }
            }
        } else {
            TreeSet<Integer> once = new TreeSet<>();
            for (int[] t : in) {
                for (int l : t) {
                    if (l != ELLIPSIS && count(in, l) == 1) {
                        once.add(l);
                    }
                }
            }
            boolean ellipsis = count(in, ELLIPSIS) > 0;
            out = new int[once.size() + (ellipsis ? 1 : 0)];
            int k = 0;
            if (ellipsis) {
                out[k++] = ELLIPSIS;
            }
            for (int l : once) {
                out[k++] = l;
            }
        }
        return new EinsumSpec(in, out);
    }

    private static int[] term(Node node, String equation, String t) {
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.') {
                if (!t.startsWith("...", i) || labels.contains(ELLIPSIS)) {
                    throw OpErrors.attribute(node, "equation '" + equation + "' has a malformed ellipsis in '" + t + "'");
                }
                labels.add(ELLIPSIS);
                i += 2;
            } else if (Character.isLetter(c) && c < 128) {
                labels.add((int) c);
            } else {
                throw OpErrors.attribute(node, "equation '" + equation + "' has '" + c + "', not a letter");
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int count(int[][] terms, int label) {
        int n = 0;
        for (int[] t : terms) {
            for (int l : t) {
                n += l == label ? 1 : 0;
            }
        }
        return n;
    }

    /** The terms of the inputs: letters as chars, {@link #ELLIPSIS} for the ellipsis. */
    public int[][] inputTerms() {
        return inputs.clone();
    }

    public int[] outputTerm() {
        return output.clone();
    }

    /**
     * The output shape for inputs of {@code shapes}.
     *
     * @throws io.srengine.SrException {@code INVALID_SHAPE} when a term does not fit its input's rank or
     *     one letter gets two different known sizes
     */
    public Shape outputShape(Node node, List<Shape> shapes) {
        Dim[] letter = new Dim[128];
        Shape ellipsis = Shape.of(new Dim[0]);
        for (int i = 0; i < inputs.length; i++) {
            Shape s = shapes.get(i);
            int[] t = inputs[i];
            int explicit = t.length - (contains(t, ELLIPSIS) ? 1 : 0);
            int ellRank = s.rank() - explicit;
            if (ellRank < 0 || ellRank > 0 && !contains(t, ELLIPSIS)) {
                throw OpErrors.shape(node, "input " + i + " of shape " + s + " does not fit its term of " + explicit
                        + " labels");
            }
            int axis = 0;
            for (int l : t) {
                if (l == ELLIPSIS) {
                    ellipsis = Broadcast.shape(node.describe() + " (ellipsis axes)", ellipsis,
                            Shape.of(s.dims().subList(axis, axis + ellRank)));
                    axis += ellRank;
                    continue;
                }
                Dim d = s.dim(axis++);
                Dim prev = letter[l];
                if (prev == null || !prev.isKnown()) {
                    letter[l] = d;
                } else if (d.isKnown() && d.value() != prev.value()) {
                    throw OpErrors.shape(node, "label '" + (char) l + "' has sizes " + prev + " and " + d);
                }
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int l : output) {
            if (l == ELLIPSIS) {
                out.addAll(ellipsis.dims());
            } else {
                out.add(letter[l]);
            }
        }
        return Shape.of(out);
    }

    /** Whether the term of input {@code i} contains the ellipsis. */
    public boolean hasEllipsis(int i) {
        return contains(inputs[i], ELLIPSIS);
    }

    private static boolean contains(int[] t, int label) {
        return Arrays.stream(t).anyMatch(l -> l == label);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            sb.append(i == 0 ? "" : ",").append(termString(inputs[i]));
        }
        return sb.append("->").append(termString(output)).toString();
    }

    private static String termString(int[] t) {
        StringBuilder sb = new StringBuilder();
        for (int l : t) {
            sb.append(l == ELLIPSIS ? "..." : String.valueOf((char) l));
        }
        return sb.toString();
    }
}
