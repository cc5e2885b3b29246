package dev.slipway.build.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The /etc/hosts, /etc/resolv.conf and /etc/hostname a step sees, as BuildKit writes them. */
final class HostFiles {
    /** Compiled once: String.split with this regex compiles it again for every line of every step. */
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final List<String> DEFAULT_NAMESERVERS =
            List.of("8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844");

    private HostFiles() {
    }

    static String hosts(String hostname) {
        return "127.0.0.1\tlocalhost " + hostname + "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    }

    /** The host's resolv.conf, read where systemd-resolved keeps the real one when needed. */
    static String hostResolvConf() {
        String main = readOrEmpty(Path.of("/etc/resolv.conf"));
        List<String> ns = nameservers(main);
        if (ns.equals(List.of("127.0.0.53"))) {
            String upstream = readOrEmpty(Path.of("/run/systemd/resolve/resolv.conf"));
            if (!upstream.isEmpty()) {
                return upstream;
            }
        }
        return main;
    }

    /**
     * For host networking the host's file as is; in a private namespace loopback nameservers
     * cannot be reached, so they are dropped and public defaults stand in when none is left.
     */
    static String resolvConf(String hostText, Network network) {
        if (network == Network.HOST) {
            return hostText;
        }
        StringBuilder out = new StringBuilder();
        boolean any = false;
        for (String line : hostText.split("\n", -1)) {
            List<String> f = List.of(BLANKS.split(line.strip()));
            if (f.size() >= 2 && f.get(0).equals("nameserver")) {
                if (isLoopback(f.get(1))) {
                    continue;
                }
                any = true;
            }
            if (!line.isEmpty()) {
                out.append(line).append('\n');
            }
        }
        if (!any) {
            for (String ns : DEFAULT_NAMESERVERS) {
                out.append("nameserver ").append(ns).append('\n');
            }
        }
        return out.toString();
    }

    static List<String> nameservers(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = BLANKS.split(line.strip());
            if (f.length >= 2 && f[0].equals("nameserver")) {
                out.add(f[1]);
            }
        }
        return out;
    }

    private static boolean isLoopback(String addr) {
        return addr.startsWith("127.") || addr.equals("::1") || addr.equals("0:0:0:0:0:0:0:1");
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
