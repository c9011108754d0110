package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader that never runs anything. It understands the binary opcodes of protocols 2 to 5
 * that data (dicts, lists, tuples, strings, numbers) and PyTorch's state dicts need, and hands every
 * global, call, persistent id and {@code BUILD} to a {@link Policy}, which builds inert Java values
 * or refuses. Opcodes that create arbitrary objects ({@code INST}, {@code OBJ}, {@code NEWOBJ_EX},
 * extension codes, out-of-band buffers) and the text opcodes of protocol 0 are refused by name.
 *
 * <p>Values: dict → {@link LinkedHashMap}, list → {@link ArrayList}, tuple → {@link PyTuple}, str →
 * {@link String}, bytes → {@code byte[]}, int → {@link Long} or {@link BigInteger}, float → {@link
 * Double}, bool → {@link Boolean}, None → {@code null}. Every length is checked against the bytes
 * that remain before it is allocated; dict keys must be scalars or flat tuples of scalars, so
 * hashing a key never recurses.
 */
final class Unpickler {
    /** A Python tuple. */
    record PyTuple(List<Object> items) {
        PyTuple {
            items = List.copyOf(nullsAllowed(items));
        }

        private static List<Object> nullsAllowed(List<Object> items) {
            // List.copyOf rejects nulls; None is a legal tuple element, so wrap it.
            List<Object> out = new ArrayList<>(items.size());
            for (Object o : items) {
                out.add(o == null ? NONE : o);
            }
            return out;
        }

        Object get(int i) {
            Object o = items.get(i);
            return o == NONE ? null : o;
        }

        int size() {
            return items.size();
        }

        @Override
        public String toString() {
            return "tuple of " + items.size();
        }
    }

    /** Stands for None inside immutable lists. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** Decides what globals, calls and persistent ids mean; refuses what it does not allow. */
    interface Policy {
        /** The value of {@code GLOBAL module name}; throws when the global is not allowed. */
        Object global(String module, String name, String where);

        /** {@code callable(*args)}; throws when the call is not allowed. */
        Object reduce(Object callable, PyTuple args, String where);

        /** {@code cls.__new__(cls, *args)}. */
        Object newObj(Object cls, PyTuple args, String where);

        /** {@code BUILD}: sets {@code state} on {@code target}. */
        void build(Object target, Object state, String where);

        /** The object a persistent id stands for. */
        Object persistentLoad(Object pid, String where);
    }

    private static final Object MARK = new Object();

    private final ByteInput in;
    private final Policy policy;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long opStart;

    private Unpickler(ByteInput in, Policy policy) {
        this.in = in;
        this.policy = policy;
    }

    /** Reads one pickle (up to and including its STOP opcode) and returns its value. */
    static Object load(ByteInput in, Policy policy) {
        return new Unpickler(in, policy).run();
    }

    private Object run() {
        while (true) {
            opStart = in.position();
            int op = in.read();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = in.read();
                    if (proto > 5) {
                        throw bad("pickle protocol " + proto + " is newer than the 5 this reader knows");
                    }
                }
                case 0x95 -> { // FRAME: a length hint only
                    long n = in.readLongLe("a FRAME length");
                    in.require(n, "a FRAME");
                }
                case 0x2e -> { // STOP
                    Object v = pop();
                    if (!stack.isEmpty() || !marks.isEmpty()) {
                        throw bad("STOP with " + stack.size() + " values left on the stack");
                    }
                    return v;
                }
                case 0x28 -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case 0x30 -> pop(); // POP
                case 0x31 -> popMark(); // POP_MARK
                case 0x32 -> push(peek()); // DUP
                case 0x4e -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 0x4a -> push((long) (int) readUnsigned(4)); // BININT
                case 0x4b -> push((long) in.read()); // BININT1
                case 0x4d -> push(readUnsigned(2)); // BININT2
                case 0x8a -> push(readLong(in.read())); // LONG1
                case 0x8b -> push(readLong(readUnsigned(4))); // LONG4
                case 0x47 -> push(Double.longBitsToDouble(readBigEndian8())); // BINFLOAT
                case 0x58 -> push(utf8(in.readBytes(readUnsigned(4), "a string"))); // BINUNICODE
                case 0x8c -> push(utf8(in.readBytes(in.read(), "a string"))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(in.readBytes(in.readLongLe("a string length"), "a string"))); // BINUNICODE8
                // BINSTRING / SHORT_BINSTRING: Python 2 str, read as Latin-1 like pickle's default.
                case 0x54 -> push(latin1(in.readBytes((int) readUnsigned(4), "a string")));
                case 0x55 -> push(latin1(in.readBytes(in.read(), "a string")));
                case 0x42 -> push(in.readBytes(readUnsigned(4), "a bytes object")); // BINBYTES
                case 0x43 -> push(in.readBytes(in.read(), "a bytes object")); // SHORT_BINBYTES
                case 0x8e -> push(in.readBytes(in.readLongLe("a bytes length"), "a bytes object")); // BINBYTES8
                case 0x96 -> push(in.readBytes(in.readLongLe("a bytearray length"), "a bytearray")); // BYTEARRAY8
                case 0x29 -> push(new PyTuple(List.of())); // EMPTY_TUPLE
                case 0x85 -> push(tupleOf(1)); // TUPLE1
                case 0x86 -> push(tupleOf(2)); // TUPLE2
                case 0x87 -> push(tupleOf(3)); // TUPLE3
                case 0x74 -> push(new PyTuple(popMark())); // TUPLE
                case 0x5d -> push(new ArrayList<>()); // EMPTY_LIST
                case 0x6c -> push(new ArrayList<>(popMark())); // LIST
                case 0x7d -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 0x64 -> { // DICT
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, popMark());
                    push(d);
                }
                case 0x8f -> push(new ArrayList<>()); // EMPTY_SET: kept as a list of its items
                case 0x90 -> { // ADDITEMS
                    List<Object> items = popMark();
                    list(peek(), "ADDITEMS").addAll(items);
                }
                case 0x91 -> push(new ArrayList<>(popMark())); // FROZENSET
                case 0x61 -> { // APPEND
                    Object v = pop();
                    list(peek(), "APPEND").add(v);
                }
                case 0x65 -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), "APPENDS").addAll(items);
                }
                case 0x73 -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(peek(), "SETITEM").put(key(k), v);
                }
                case 0x75 -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek(), "SETITEMS"), items);
                }
                case 0x71 -> memo.put((long) in.read(), peek()); // BINPUT
                case 0x72 -> memo.put(readUnsigned(4), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 0x68 -> push(memoGet(in.read())); // BINGET
                case 0x6a -> push(memoGet(readUnsigned(4))); // LONG_BINGET
                case 0x63 -> { // GLOBAL module\nname\n
                    String module = line();
                    String name = line();
                    push(policy.global(module, name, where()));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("STACK_GLOBAL needs two strings");
                    }
                    push(policy.global(m, n, where()));
                }
                case 0x52 -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(policy.reduce(callable, tuple(args, "REDUCE"), where()));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    push(policy.newObj(cls, tuple(args, "NEWOBJ"), where()));
                }
                case 0x62 -> { // BUILD
                    Object state = pop();
                    policy.build(peek(), state, where());
                }
                case 0x51 -> push(policy.persistentLoad(pop(), where())); // BINPERSID
                default -> throw bad("opcode " + opcodeName(op) + " is not allowed in a checkpoint"
                        + " (srengine reads data only: dicts, lists, tuples, strings, numbers and tensors)");
            }
        }
    }

    private String where() {
        return in.source + " at byte " + opStart;
    }

    private SrException bad(String detail) {
        return new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where() + ": " + detail);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw bad("the stack is empty");
        }
        Object o = stack.removeLast();
        if (o == MARK) {
            throw bad("a value was expected but a MARK was found");
        }
        return o;
    }

    private Object peek() {
        if (stack.isEmpty() || stack.getLast() == MARK) {
            throw bad("the stack is empty");
        }
        return stack.getLast();
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw bad("no MARK to pop to");
        }
        int m = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private PyTuple tupleOf(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return new PyTuple(java.util.Arrays.asList(items));
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw bad("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String op) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw bad(op + " on " + typeName(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, String op) {
        if (o instanceof LinkedHashMap<?, ?> d) {
            return (Map<Object, Object>) d;
        }
        throw bad(op + " on " + typeName(o) + ", not a dict");
    }

    private PyTuple tuple(Object o, String op) {
        if (o instanceof PyTuple t) {
            return t;
        }
        throw bad(op + " needs a tuple of arguments, not " + typeName(o));
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw bad("an odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(key(items.get(i)), items.get(i + 1));
        }
    }

    /** A dict key: scalars and flat tuples of scalars only, so hashing it cannot recurse deeply. */
    private Object key(Object k) {
        if (scalar(k)) {
            return k;
        }
        if (k instanceof PyTuple t && t.items().stream().allMatch(e -> e == NONE || scalar(e))) {
            return t;
        }
        throw bad("a dict key of type " + typeName(k) + " is not supported");
    }

    private static boolean scalar(Object o) {
        return o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Double
                || o instanceof Boolean;
    }

    static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        return switch (o) {
            case String s -> "str";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case Boolean b -> "bool";
            case byte[] b -> "bytes";
            case PyTuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            default -> o.toString();
        };
    }

    private long readUnsigned(int bytes) {
        in.require(bytes, "an integer");
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) in.read() << (8 * i);
        }
        return v;
    }

    private long readBigEndian8() {
        in.require(8, "a float");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | in.read();
        }
        return v;
    }

    /** LONG1/LONG4: little-endian two's complement of {@code n} bytes. */
    private Object readLong(long n) {
        if (n > 1 << 16) {
            throw bad("an integer of " + n + " bytes");
        }
        byte[] le = in.readBytes(n, "an integer");
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == '\n') {
                return sb.toString();
            }
            if (sb.length() > 256 || c < 0x20 || c > 0x7e) {
                throw bad("a GLOBAL name that is not a short printable line");
            }
            sb.append((char) c);
        }
    }

    private String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw bad("a string that is not valid UTF-8");
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String opcodeName(int op) {
        String name = switch (op) {
            case 0x69 -> "INST";
            case 0x6f -> "OBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 0x82, 0x83, 0x84 -> "EXT" + (op == 0x82 ? 1 : op == 0x83 ? 2 : 4);
            case 0x97 -> "NEXT_BUFFER";
            case 0x98 -> "READONLY_BUFFER";
            case 0x50 -> "PERSID (text protocol)";
            case 0x49 -> "INT (text protocol)";
            case 0x4c -> "LONG (text protocol)";
            case 0x46 -> "FLOAT (text protocol)";
            case 0x53 -> "STRING (text protocol)";
            case 0x56 -> "UNICODE (text protocol)";
            case 0x67 -> "GET (text protocol)";
            case 0x70 -> "PUT (text protocol)";
            default -> "unknown";
        };
        return String.format("0x%02x (%s)", op, name);
    }
}
