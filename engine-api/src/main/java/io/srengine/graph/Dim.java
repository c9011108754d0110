package io.srengine.graph;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One dimension of a shape: a known integer or a symbolic expression over named dimensions such as
 * {@code N}, {@code H} and {@code W}. Symbolic dimensions let a model exported with dynamic axes be
 * checked once at load time and then run at any input size.
 *
 * <p>An expression is kept as a polynomial with integer coefficients over <em>atoms</em>: a named
 * symbol, or an operation that is not polynomial (floor division by a constant, scaling by a
 * non-integer factor, division by another symbolic dimension). Additions, subtractions and
 * multiplications stay exact and simplify ({@code (H + 2 - 3) / 1 + 1} is {@code H}); a floor
 * division whose every coefficient divides evenly stays a polynomial too ({@code (2*H) / 2} is
 * {@code H}). Immutable; equality is structural on the simplified form.
 */
public final class Dim {
    private static final AtomicInteger UNKNOWN_IDS = new AtomicInteger();

    /** Monomial key (atoms joined by '*', "" for the constant term) to term. TreeMap for a canonical order. */
    private final TreeMap<String, Term> terms;

    private record Term(List<Atom> atoms, long coefficient) {}

    private sealed interface Atom {
        String key();

        long eval(Map<String, Long> bindings);
    }

    private record Symbol(String name) implements Atom {
        public String key() {
            return name;
        }

        public long eval(Map<String, Long> bindings) {
            Long v = bindings.get(name);
            if (v == null) {
                throw new SrException(ErrorCode.INVALID_SHAPE, "dimension '" + name + "' has no value");
            }
            return v;
        }
    }

    private record Unknown(int id) implements Atom {
        public String key() {
            return "?" + id;
        }

        public long eval(Map<String, Long> bindings) {
            throw new SrException(ErrorCode.INVALID_SHAPE, "a dimension depends on data and cannot be computed here");
        }
    }

    private record FloorDiv(Dim numerator, Dim denominator, boolean ceil) implements Atom {
        public String key() {
            return (ceil ? "ceil((" : "floor((") + numerator + ")/(" + denominator + "))";
        }

        public long eval(Map<String, Long> bindings) {
            long n = numerator.eval(bindings);
            long d = denominator.eval(bindings);
            if (d == 0) {
                throw new SrException(ErrorCode.INVALID_SHAPE, "division by zero in dimension " + key());
            }
            return ceil ? -Math.floorDiv(-n, d) : Math.floorDiv(n, d);
        }
    }

    private record ScaleFloor(Dim base, double factor) implements Atom {
        public String key() {
            return "floor((" + base + ")*" + factor + ")";
        }

        public long eval(Map<String, Long> bindings) {
            return (long) Math.floor(base.eval(bindings) * factor);
        }
    }

    private Dim(TreeMap<String, Term> terms) {
        this.terms = terms;
    }

    // ---- construction ---------------------------------------------------------------------------

    /**
     * A known dimension.
     *
     * @param value its size
     * @return the dimension
     */
    public static Dim of(long value) {
        TreeMap<String, Term> t = new TreeMap<>();
        if (value != 0) {
            t.put("", new Term(List.of(), value));
        }
        return new Dim(t);
    }

    /**
     * A named symbolic dimension, such as the {@code dim_param} of an ONNX input.
     *
     * @param name the symbol's name
     * @return the dimension
     * @throws NullPointerException if {@code name} is null
     */
    public static Dim symbol(String name) {
        Objects.requireNonNull(name, "name");
        return atom(new Symbol(name));
    }

    /**
     * A fresh dimension that nothing is known about (data-dependent or unnamed); unequal to every
     * other.
     *
     * @return the dimension
     */
    public static Dim unknown() {
        return atom(new Unknown(UNKNOWN_IDS.incrementAndGet()));
    }

    private static Dim atom(Atom a) {
        TreeMap<String, Term> t = new TreeMap<>();
        t.put(a.key(), new Term(List.of(a), 1));
        return new Dim(t);
    }

    // ---- queries ----------------------------------------------------------------------------------

    /**
     * Whether this dimension is a plain integer.
     *
     * @return true when it has no symbolic part
     */
    public boolean isKnown() {
        return terms.isEmpty() || (terms.size() == 1 && terms.containsKey(""));
    }

    /**
     * The integer value of a known dimension.
     *
     * @return its value
     * @throws SrException {@code INVALID_SHAPE} when it is not known
     */
    public long value() {
        if (!isKnown()) {
            throw new SrException(ErrorCode.INVALID_SHAPE, "dimension " + this + " is not known");
        }
        Term c = terms.get("");
        return c == null ? 0 : c.coefficient;
    }

    /**
     * The value under the given symbol bindings.
     *
     * @param bindings symbol name to value
     * @return the value
     * @throws SrException {@code INVALID_SHAPE} when a symbol has no binding, the dimension depends on
     *     data, or a division by zero occurs
     */
    public long eval(Map<String, Long> bindings) {
        long sum = 0;
        for (Term term : terms.values()) {
            long p = term.coefficient;
            for (Atom a : term.atoms) {
                p = Math.multiplyExact(p, a.eval(bindings));
            }
            sum = Math.addExact(sum, p);
        }
        return sum;
    }

    /**
     * This dimension evaluated under {@code bindings} when every symbol in it is bound; otherwise
     * this dimension unchanged.
     *
     * @param bindings symbol name to value
     * @return a known dimension, or this one
     */
    public Dim bind(Map<String, Long> bindings) {
        if (isKnown()) {
            return this;
        }
        try {
            return of(eval(bindings));
        } catch (SrException e) {
            return this;
        }
    }

    // ---- arithmetic ------------------------------------------------------------------------------

    /**
     * The sum.
     *
     * @param other the addend
     * @return {@code this + other}
     */
    public Dim plus(Dim other) {
        TreeMap<String, Term> t = new TreeMap<>(terms);
        for (Map.Entry<String, Term> e : other.terms.entrySet()) {
            addTerm(t, e.getKey(), e.getValue().atoms, e.getValue().coefficient);
        }
        return new Dim(t);
    }

    /**
     * The sum.
     *
     * @param c the constant addend
     * @return {@code this + c}
     */
    public Dim plus(long c) {
        return plus(of(c));
    }

    /**
     * The difference.
     *
     * @param other the subtrahend
     * @return {@code this - other}
     */
    public Dim minus(Dim other) {
        return plus(other.times(-1));
    }

    /**
     * The difference.
     *
     * @param c the constant subtrahend
     * @return {@code this - c}
     */
    public Dim minus(long c) {
        return plus(of(-c));
    }

    /**
     * The product.
     *
     * @param c the constant factor
     * @return {@code this * c}
     * @throws ArithmeticException when a coefficient overflows a long
     */
    public Dim times(long c) {
        TreeMap<String, Term> t = new TreeMap<>();
        if (c != 0) {
            for (Map.Entry<String, Term> e : terms.entrySet()) {
                t.put(e.getKey(), new Term(e.getValue().atoms, Math.multiplyExact(e.getValue().coefficient, c)));
            }
        }
        return new Dim(t);
    }

    /**
     * The product.
     *
     * @param other the factor
     * @return {@code this * other}
     * @throws ArithmeticException when a coefficient overflows a long
     */
    public Dim times(Dim other) {
        TreeMap<String, Term> t = new TreeMap<>();
        for (Term a : terms.values()) {
            for (Term b : other.terms.values()) {
                List<Atom> atoms = new ArrayList<>(a.atoms);
                atoms.addAll(b.atoms);
                atoms.sort((x, y) -> x.key().compareTo(y.key()));
                addTerm(t, monomialKey(atoms), List.copyOf(atoms), Math.multiplyExact(a.coefficient, b.coefficient));
            }
        }
        return new Dim(t);
    }

    /**
     * {@code floor(this / d)} for a positive constant {@code d}.
     *
     * @param d the divisor, positive
     * @return the quotient
     * @throws SrException {@code INVALID_SHAPE} when {@code d} is not positive
     */
    public Dim floorDiv(long d) {
        return divide(d, false);
    }

    /**
     * {@code ceil(this / d)} for a positive constant {@code d}.
     *
     * @param d the divisor, positive
     * @return the quotient
     * @throws SrException {@code INVALID_SHAPE} when {@code d} is not positive
     */
    public Dim ceilDiv(long d) {
        return divide(d, true);
    }

    private Dim divide(long d, boolean ceil) {
        if (d <= 0) {
            throw new SrException(ErrorCode.INVALID_SHAPE, "division of dimension " + this + " by " + d);
        }
        if (d == 1) {
            return this;
        }
        if (isKnown()) {
            long v = value();
            return of(ceil ? -Math.floorDiv(-v, d) : Math.floorDiv(v, d));
        }
        boolean exact = true;
        for (Term term : terms.values()) {
            exact &= term.coefficient % d == 0;
        }
        if (exact) {
            TreeMap<String, Term> t = new TreeMap<>();
            for (Map.Entry<String, Term> e : terms.entrySet()) {
                t.put(e.getKey(), new Term(e.getValue().atoms, e.getValue().coefficient / d));
            }
            return new Dim(t);
        }
        return atom(new FloorDiv(this, of(d), ceil));
    }

    /**
     * {@code floor(this / other)}. Exact when {@code other} is a single term that divides every term
     * of this one ({@code (N*C*H*W) / (C*H)} is {@code N*W}); otherwise a new atom.
     *
     * @param other the divisor
     * @return the quotient
     * @throws SrException {@code INVALID_SHAPE} when {@code other} is a known non-positive value
     */
    public Dim floorDiv(Dim other) {
        if (other.isKnown()) {
            return floorDiv(other.value());
        }
        if (other.terms.size() == 1) {
            Term divisor = other.terms.values().iterator().next();
            TreeMap<String, Term> t = new TreeMap<>();
            boolean exact = true;
            for (Term term : terms.values()) {
                List<Atom> rest = removeAll(term.atoms, divisor.atoms);
                if (rest == null || term.coefficient % divisor.coefficient != 0) {
                    exact = false;
                    break;
                }
                addTerm(t, monomialKey(rest), rest, term.coefficient / divisor.coefficient);
            }
            if (exact) {
                return new Dim(t);
            }
        }
        return atom(new FloorDiv(this, other, false));
    }

    /**
     * {@code floor(this * factor)}, as ONNX Resize computes output sizes from scales.
     *
     * @param factor the scale
     * @return the scaled dimension
     */
    public Dim scaleFloor(double factor) {
        if (factor == Math.rint(factor) && Math.abs(factor) < 1 << 30) {
            return times((long) factor);
        }
        if (isKnown()) {
            return of((long) Math.floor(value() * factor));
        }
        return atom(new ScaleFloor(this, factor));
    }

    private static List<Atom> removeAll(List<Atom> from, List<Atom> remove) {
        List<Atom> rest = new ArrayList<>(from);
        for (Atom a : remove) {
            boolean found = false;
            for (int i = 0; i < rest.size(); i++) {
                if (rest.get(i).key().equals(a.key())) {
                    rest.remove(i);
                    found = true;
                    break;
                }
            }
            if (!found) {
                return null;
            }
        }
        return List.copyOf(rest);
    }

    private static void addTerm(TreeMap<String, Term> t, String key, List<Atom> atoms, long c) {
        Term old = t.get(key);
        long sum = old == null ? c : Math.addExact(old.coefficient, c);
        if (sum == 0) {
            t.remove(key);
        } else {
            t.put(key, new Term(atoms, sum));
        }
    }

    private static String monomialKey(List<Atom> atoms) {
        StringBuilder sb = new StringBuilder();
        for (Atom a : atoms) {
            sb.append(sb.isEmpty() ? "" : "*").append(a.key());
        }
        return sb.toString();
    }

    // ---- identity ----------------------------------------------------------------------------------

    @Override
    public boolean equals(Object o) {
        return o instanceof Dim d && toString().equals(d.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        if (terms.isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        Term constant = null;
        for (Map.Entry<String, Term> e : terms.entrySet()) {
            if (e.getKey().isEmpty()) {
                constant = e.getValue();
                continue;
            }
            long c = e.getValue().coefficient;
            if (!sb.isEmpty()) {
                sb.append(c < 0 ? "-" : "+");
            } else if (c < 0) {
                sb.append('-');
            }
            if (Math.abs(c) != 1) {
                sb.append(Math.abs(c)).append('*');
            }
            sb.append(e.getKey());
        }
        if (constant != null) {
            long c = constant.coefficient;
            if (!sb.isEmpty()) {
                sb.append(c < 0 ? "-" : "+").append(Math.abs(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
