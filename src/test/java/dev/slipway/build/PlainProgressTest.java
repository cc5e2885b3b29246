package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** BuildKit's {@code --progress=plain} log, which CI logs and scripts read: it must not change. */
class PlainProgressTest {
    @Test
    void stepsOutputDetailsCacheAndErrorsInBuildkitsFormat() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.plain(new PrintWriter(out))) {
            int from = p.start("[1/3] FROM docker.io/library/busybox:latest");
            p.done(from);
            int copy = p.start("[2/3] COPY . /app");
            p.cached(copy);
            int run = p.start("[3/3] RUN make");
            p.output(run, "cc -o app main.c");
            p.error(run, "process \"/bin/sh -c make\" did not complete successfully: exit code: 2");
            int export = p.start("exporting to image");
            p.detail(export, "writing image sha256:abc done");
            p.done(export);
            p.note("WARNING: build argument X is not consumed by any stage");
        }
        assertThat(out.toString().replace(System.lineSeparator(), "\n")).matches("""
                #1 \\[1/3\\] FROM docker.io/library/busybox:latest
                #1 DONE \\d+\\.\\ds

                #2 \\[2/3\\] COPY \\. /app
                #2 CACHED

                #3 \\[3/3\\] RUN make
                #3 \\d+\\.\\d{3} cc -o app main\\.c
                #3 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2

                #4 exporting to image
                #4 writing image sha256:abc done
                #4 DONE \\d+\\.\\ds

                WARNING: build argument X is not consumed by any stage
                """);
    }

    @Test
    void aCanceledStepEndsWithBuildkitsCanceledLineAndNoErrorOfItsOwn() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.plain(new PrintWriter(out))) {
            int run = p.start("[slow 2/2] RUN sleep 60");
            p.canceled(run);
        }
        assertThat(out.toString().replace(System.lineSeparator(), "\n"))
                .isEqualTo("#1 [slow 2/2] RUN sleep 60\n#1 CANCELED\n\n");
    }

    @Test
    void transfersPrintOneLineForEachBlobDoneAsPullPrintsThem() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.plain(new PrintWriter(out))) {
            int from = p.start("[1/2] FROM 127.0.0.1:5000/base:1");
            String layer = "sha256:3f4a1c2b9d0e" + "7".repeat(52);
            p.transfers().started(layer, "Downloading", 45_600_000);
            p.transfers().progressed(layer, 45_600_000);
            p.transfers().finished(layer, "Pull complete (45.6MB)");
            p.done(from);
        }
        assertThat(out.toString().replace(System.lineSeparator(), "\n")).matches("""
                #1 \\[1/2\\] FROM 127\\.0\\.0\\.1:5000/base:1
                3f4a1c2b9d0e: Pull complete \\(45\\.6MB\\)
                #1 DONE \\d+\\.\\ds

                """);
    }
}
