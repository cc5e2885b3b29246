package dev.slipway.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters, e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"}.
 *
 * @param scheme the scheme in lower case ({@code bearer}, {@code basic})
 * @param params the auth-params, names in lower case, values unquoted
 */
public record WwwAuthenticate(String scheme, Map<String, String> params) {

    public WwwAuthenticate {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name);
    }

    public boolean isBearer() {
        return "bearer".equals(scheme);
    }

    public boolean isBasic() {
        return "basic".equals(scheme);
    }

    /**
     * Parses every challenge of a header value. A header may hold several challenges separated by
     * commas, as may the parameters of one, so a new challenge starts at a token not followed by {@code =}.
     * Malformed parts end the parse; what was read before them is kept.
     */
    public static List<WwwAuthenticate> parse(String header) {
        List<WwwAuthenticate> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Lexer lx = new Lexer(header);
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            lx.skipSpaceAndCommas();
            if (lx.atEnd()) {
                break;
            }
            String token = lx.token();
            if (token.isEmpty()) {
                break;
            }
            lx.skipSpace();
            if (lx.peek() == '=' && scheme != null) {
                lx.next();
                lx.skipSpace();
                String value = lx.peek() == '"' ? lx.quoted() : lx.token68();
                if (value == null) {
                    break;
                }
                params.put(token.toLowerCase(Locale.ROOT), value);
            } else if (lx.peek() == '=') {
                break;
            } else {
                if (scheme != null) {
                    challenges.add(new WwwAuthenticate(scheme, params));
                }
                scheme = token.toLowerCase(Locale.ROOT);
                params = new LinkedHashMap<>();
            }
        }
        if (scheme != null) {
            challenges.add(new WwwAuthenticate(scheme, params));
        }
        return challenges;
    }

    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(i);
        }

        void next() {
            i++;
        }

        void skipSpace() {
            while (!atEnd() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        void skipSpaceAndCommas() {
            while (!atEnd() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
                i++;
            }
        }

        /** An RFC 7230 token: visible characters except separators. */
        String token() {
            int start = i;
            while (!atEnd() && "!#$%&'*+-.^_`|~".indexOf(s.charAt(i)) >= 0 || !atEnd() && Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        /** An unquoted value: everything up to the next comma or space (token68 allows {@code / = +}). */
        String token68() {
            int start = i;
            while (!atEnd() && s.charAt(i) != ',' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
            return s.substring(start, i);
        }

        /** A quoted-string with backslash escapes; null when it never closes. */
        String quoted() {
            StringBuilder out = new StringBuilder();
            i++;
            while (!atEnd()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && !atEnd()) {
                    c = s.charAt(i++);
                }
                out.append(c);
            }
            return null;
        }
    }
}
