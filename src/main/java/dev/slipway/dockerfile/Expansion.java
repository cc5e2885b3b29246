package dev.slipway.dockerfile;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The result of expanding one word.
 *
 * @param result the expanded text
 * @param unset  the variables the word referred to that had no value, in order of first use;
 *               the UndefinedVar lint check reports these
 */
public record Expansion(String result, Set<String> unset) {
    public Expansion {
        Objects.requireNonNull(result, "result");
        unset = Collections.unmodifiableSet(new LinkedHashSet<>(unset));
    }
}
