package dev.slipway.scan;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maven versions ordered as Maven's {@code ComparableVersion}: dot and dash separated items, digit
 * to letter transitions, qualifiers {@code alpha < beta < milestone < rc < snapshot < "" < sp},
 * unknown qualifiers after those (alphabetically), {@code ga}, {@code final}, {@code release}
 * equal to the bare release, trailing zero items ignored.
 */
public final class MavenVersion {
    private static final List<String> QUALIFIERS = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
    private static final Map<String, String> ALIASES = Map.of("ga", "", "final", "", "release", "", "cr", "rc");
    private static final String RELEASE_INDEX = String.valueOf(QUALIFIERS.indexOf(""));

    private MavenVersion() {
    }

    private sealed interface Item permits IntItem, StringItem, ListItem {
        int compareTo(Item other);

        boolean isNull();
    }

    private record IntItem(BigInteger value) implements Item {
        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return value.signum() == 0 ? 0 : 1;
            }
            if (other instanceof IntItem i) {
                return value.compareTo(i.value);
            }
            return 1;
        }

        @Override
        public boolean isNull() {
            return value.signum() == 0;
        }
    }

    private record StringItem(String value) implements Item {
        static StringItem of(String raw, boolean followedByDigit) {
            String v = raw;
            if (followedByDigit && v.length() == 1) {
                v = switch (v.charAt(0)) {
                    case 'a' -> "alpha";
                    case 'b' -> "beta";
                    case 'm' -> "milestone";
                    default -> v;
                };
            }
            return new StringItem(ALIASES.getOrDefault(v, v));
        }

        static String comparable(String q) {
            int i = QUALIFIERS.indexOf(q);
            return i == -1 ? QUALIFIERS.size() + "-" + q : String.valueOf(i);
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return Integer.signum(comparable(value).compareTo(RELEASE_INDEX));
            }
            if (other instanceof StringItem s) {
                return Integer.signum(comparable(value).compareTo(comparable(s.value)));
            }
            return -1;
        }

        @Override
        public boolean isNull() {
            return value.isEmpty();
        }
    }

    private static final class ListItem implements Item {
        final List<Item> items = new ArrayList<>();

        void normalize() {
            for (int i = items.size() - 1; i >= 0; i--) {
                Item last = items.get(i);
                if (last.isNull()) {
                    items.remove(i);
                } else if (!(last instanceof ListItem)) {
                    break;
                }
            }
        }

        @Override
        public int compareTo(Item other) {
            if (other == null) {
                return items.isEmpty() ? 0 : items.get(0).compareTo(null);
            }
            if (other instanceof IntItem) {
                return -1;
            }
            if (other instanceof StringItem) {
                return 1;
            }
            ListItem o = (ListItem) other;
            for (int k = 0; k < Math.max(items.size(), o.items.size()); k++) {
                Item l = k < items.size() ? items.get(k) : null;
                Item r = k < o.items.size() ? o.items.get(k) : null;
                int rc = l == null ? (r == null ? 0 : -r.compareTo(null)) : l.compareTo(r);
                if (rc != 0) {
                    return rc;
                }
            }
            return 0;
        }

        @Override
        public boolean isNull() {
            return items.isEmpty();
        }
    }

    public static int compare(String a, String b) {
        return Integer.signum(parse(a).compareTo(parse(b)));
    }

    private static ListItem parse(String text) {
        String version = text.trim().toLowerCase(Locale.ROOT);
        ListItem root = new ListItem();
        ListItem list = root;
        Deque<ListItem> stack = new ArrayDeque<>();
        stack.push(list);
        boolean isDigit = false;
        int start = 0;
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            if (c == '.') {
                list.items.add(i == start ? new IntItem(BigInteger.ZERO) : item(isDigit, version.substring(start, i)));
                start = i + 1;
            } else if (c == '-') {
                list.items.add(i == start ? new IntItem(BigInteger.ZERO) : item(isDigit, version.substring(start, i)));
                start = i + 1;
                ListItem sub = new ListItem();
                list.items.add(sub);
                list = sub;
                stack.push(list);
            } else if (c >= '0' && c <= '9') {
                if (!isDigit && i > start) {
                    list.items.add(StringItem.of(version.substring(start, i), true));
                    start = i;
                    ListItem sub = new ListItem();
                    list.items.add(sub);
                    list = sub;
                    stack.push(list);
                }
                isDigit = true;
            } else {
                if (isDigit && i > start) {
                    list.items.add(item(true, version.substring(start, i)));
                    start = i;
                    ListItem sub = new ListItem();
                    list.items.add(sub);
                    list = sub;
                    stack.push(list);
                }
                isDigit = false;
            }
        }
        if (version.length() > start) {
            list.items.add(item(isDigit, version.substring(start)));
        }
        while (!stack.isEmpty()) {
            stack.pop().normalize();
        }
        return root;
    }

    private static Item item(boolean isDigit, String buf) {
        return isDigit ? new IntItem(new BigInteger(buf)) : StringItem.of(buf, false);
    }
}
