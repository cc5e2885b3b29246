package dev.slipway.build;

import dev.slipway.SlipwayException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code --chmod} value: an octal mode up to {@code 07777}, which replaces the permission bits
 * of every copied file and directory, or a chmod(1) symbolic mode ({@code u+x}, {@code go=rX},
 * {@code g=u}) applied to each entry's own mode. Symbolic clauses without a "who" apply to all
 * (BuildKit applies no umask).
 */
public final class ChmodSpec {
    private static final Pattern OCTAL = Pattern.compile("[0-7]+");
    private static final Pattern CLAUSE = Pattern.compile("[ugoa]*([-+=]([rwxXst]*|[ugo]))+");

    private final Integer octal;
    private final List<String> clauses;

    private ChmodSpec(Integer octal, List<String> clauses) {
        this.octal = octal;
        this.clauses = clauses;
    }

    /** Parses a --chmod value; null or empty means "keep the source's modes" and gives null. */
    public static ChmodSpec parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (OCTAL.matcher(value).matches()) {
            if (value.length() > 12 || Long.parseLong(value, 8) > 07777) {
                throw invalid(value);
            }
            return new ChmodSpec(Integer.parseInt(value, 8), List.of());
        }
        List<String> clauses = new ArrayList<>();
        for (String clause : value.split(",", -1)) {
            if (!CLAUSE.matcher(clause).matches()) {
                throw invalid(value);
            }
            clauses.add(clause);
        }
        return new ChmodSpec(null, List.copyOf(clauses));
    }

    private static SlipwayException invalid(String value) {
        return new SlipwayException("invalid chmod parameter: '" + value
                + "'. it should be octal string and between 0 and 07777, or a symbolic mode like u+x");
    }

    /** The new permission bits (07777) of an entry whose current bits are {@code mode}. */
    public int apply(int mode, boolean directory) {
        if (octal != null) {
            return octal;
        }
        int m = mode & 07777;
        for (String clause : clauses) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                who |= switch (clause.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
                i++;
            }
            if (who == 0) {
                who = 07777;
            }
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                int start = i;
                while (i < clause.length() && "-+=".indexOf(clause.charAt(i)) < 0) {
                    i++;
                }
                int bits = bits(clause.substring(start, i), m, directory);
                switch (op) {
                    case '+' -> m |= bits & who;
                    case '-' -> m &= ~(bits & who);
                    default -> m = (m & ~who) | (bits & who);
                }
            }
        }
        return m;
    }

    /** The bits a permission list names, for every class; "who" masks them afterwards. */
    private static int bits(String perms, int current, boolean directory) {
        if (perms.length() == 1 && "ugo".contains(perms)) {
            int shift = switch (perms.charAt(0)) {
                case 'u' -> 6;
                case 'g' -> 3;
                default -> 0;
            };
            int p = (current >> shift) & 7;
            return p << 6 | p << 3 | p;
        }
        int bits = 0;
        for (char c : perms.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> 0444;
                case 'w' -> 0222;
                case 'x' -> 0111;
                case 'X' -> directory || (current & 0111) != 0 ? 0111 : 0;
                case 's' -> 06000;
                default -> 01000;
            };
        }
        return bits;
    }
}
