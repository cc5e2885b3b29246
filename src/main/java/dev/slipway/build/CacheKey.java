package dev.slipway.build;

import dev.slipway.dockerfile.Instruction;
import dev.slipway.image.Digest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A build cache key: sha256 over a canonical, versioned encoding of named fields. Every value is
 * written with its type and its length, so no two different inputs share an encoding
 * ({@code ["a b"]} and {@code ["a", "b"]} differ, as do {@code null} and {@code ""}). Maps are
 * encoded sorted by key; records field by field in declaration order, skipping where an
 * instruction came from (its line numbers and raw text), which must not change a key.
 *
 * <p>Changing what goes into a key, or how, must change {@link #VERSION}: old records then simply
 * stop matching.
 */
public final class CacheKey {
    /** The encoding version, the first field of every key. */
    public static final String VERSION = "slipway.cache.v1";

    /**
     * The encoding so far, hashed in one go by {@link #digest}: feeding a digest a few bytes at a
     * time cost more in interpreted calls than the hashing, for the few hundred bytes of a key.
     */
    private byte[] buf = new byte[512];
    private int size;

    private CacheKey(String kind) {
        string(VERSION);
        string(kind);
    }

    /** A key of the given kind ({@code run}, {@code copy}, {@code image}...). */
    public static CacheKey of(String kind) {
        return new CacheKey(kind);
    }

    /** Adds a named field. Values: null, strings, booleans, numbers, enums, digests, lists, maps, records. */
    public CacheKey add(String name, Object value) {
        string(name);
        value(value);
        return this;
    }

    public Digest digest() {
        return Digest.sha256(Arrays.copyOf(buf, size));
    }

    private void room(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    private void tag(char t) {
        room(1);
        buf[size++] = (byte) t;
    }

    /** Big-endian, eight bytes. */
    private void length(long n) {
        room(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (n >>> shift);
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tag('s');
        length(b.length);
        room(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void value(Object v) {
        if (v == null) {
            tag('n');
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Boolean b) {
            tag(b ? 'T' : 'F');
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            tag('i');
            length(((Number) v).longValue());
        } else if (v instanceof Character c) {
            tag('c');
            length(c);
        } else if (v instanceof Enum<?> e) {
            tag('e');
            string(e.getDeclaringClass().getSimpleName() + "." + e.name());
        } else if (v instanceof Digest d) {
            tag('d');
            string(d.toString());
        } else if (v instanceof List<?> list) {
            tag('l');
            length(list.size());
            for (Object x : list) {
                value(x);
            }
        } else if (v instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            tag('m');
            length(sorted.size());
            sorted.forEach((k, x) -> {
                string(k);
                value(x);
            });
        } else if (v instanceof Record r) {
            record(r);
        } else {
            throw new IllegalArgumentException("no cache key encoding for " + v.getClass().getName());
        }
    }

    /** A record class's components and their accessors, looked up once per class (reflection on records is slow). */
    private record Component(String name, Method accessor, boolean origin) {
    }

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                components.add(new Component(c.getName(), accessor, c.getType() == Instruction.Origin.class));
            }
            return List.copyOf(components);
        }
    };

    private void record(Record r) {
        List<Component> components = COMPONENTS.get(r.getClass());
        tag('r');
        string(r.getClass().getSimpleName());
        length(components.size());
        for (Component c : components) {
            if (c.origin()) {
                string(c.name());
                tag('n');
                continue;
            }
            try {
                string(c.name());
                value(c.accessor().invoke(r));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.name(), e);
            }
        }
    }
}
