package dev.slipway.build.exec;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** The open-files limit a step gets: Docker's 1048576, or what this host lets us raise to. */
final class HostLimits {
    private static final int CAP_SYS_RESOURCE = 24;

    private HostLimits() {
    }

    /** The limit for this process, read once: its capabilities and limits do not change while it runs. */
    static long nofile() {
        return Once.NOFILE;
    }

    private static final class Once {
        static final long NOFILE = read();

        private static long read() {
            try {
                return nofile(Files.readString(Path.of("/proc/self/status")), Files.readString(Path.of("/proc/self/limits")));
            } catch (IOException e) {
                return OciSpec.NOFILE;
            }
        }
    }

    /**
     * Without CAP_SYS_RESOURCE (some sandboxes drop it even for root) a hard limit cannot be
     * raised, and runc would fail every step: stay at the hard limit we have.
     */
    static long nofile(String status, String limits) {
        boolean canRaise = false;
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                canRaise = new BigInteger(line.substring(7).strip(), 16).testBit(CAP_SYS_RESOURCE);
            }
        }
        if (canRaise) {
            return OciSpec.NOFILE;
        }
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).strip().split("\\s+");
                if (f.length >= 2 && f[1].chars().allMatch(Character::isDigit)) {
                    return Math.min(OciSpec.NOFILE, Long.parseLong(f[1]));
                }
            }
        }
        return OciSpec.NOFILE;
    }
}
