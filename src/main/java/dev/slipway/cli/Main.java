package dev.slipway.cli;

import dev.slipway.build.uptodate.UpToDate;
import picocli.CommandLine;

/** Entry point of the {@code slipway} launcher. */
public final class Main {
    private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    private Main() {
    }

    public static void main(String[] args) {
        // First, before the command line library or anything a build needs has loaded.
        if (UpToDate.replay(args, System.out, System.err)) {
            System.exit(0);
        }
        // Every RUN step starts mount, runc, umount and getfattr. JDK 17 spawns through posix_spawn
        // of jspawnhelper, which then execs the tool: vfork skips that extra exec (measured 1-2 ms a
        // process). Later JDKs deprecate VFORK, so only up to 21, and never over the user's choice.
        if (Runtime.version().feature() <= 21 && System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cl = SlipwayCommand.commandLine(args);
        ((SlipwayCommand) cl.getCommand()).processStreams = true;
        int exit = cl.execute(args);
        // Commands print whole tables with print(); System.exit would drop what is still buffered.
        cl.getOut().flush();
        cl.getErr().flush();
        return exit;
    }
}
