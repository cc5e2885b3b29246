package dev.slipway.build.exec;

import java.util.List;

/** The ids a step's process runs with, and the home directory for HOME. */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
    }

    public static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(), "/root");
}
