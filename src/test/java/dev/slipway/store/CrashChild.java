package dev.slipway.store;

import dev.slipway.image.ImageReference;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Run in child JVMs by {@link CrashSafetyTest}, which kills them while they write. */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Store store = new Store(new StoreRoot(Path.of(args[0])), Clock.systemUTC());
        switch (args[1]) {
            case "blob" -> store.content().put(endless(), null);
            case "tags" -> {
                int i = 0;
                while (true) {
                    TestImages.Written image = TestImages.image(store, "layer " + i);
                    store.references().set(ImageReference.parse("app:" + (i % 5)), image.manifest());
                    if (i++ == 3) {
                        ready();
                    }
                }
            }
            case "unpack" -> store.layers().unpack(dev.slipway.image.Digest.sha256("l".getBytes()), d -> {
                for (int i = 0; ; i++) {
                    Files.writeString(d.resolve("f" + i), "x".repeat(1000));
                    if (i == 100) {
                        ready();
                    }
                }
            });
            case "tag-many" -> {
                Blob manifest = store.content().put("{}".getBytes());
                for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                    store.references().set(ImageReference.parse(args[2] + ":" + i), manifest.digest());
                }
            }
            case "session" -> {
                try (Store.Session session = store.session()) {
                    ready();
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            default -> throw new IllegalArgumentException(args[1]);
        }
    }

    private static void ready() {
        System.out.println("ready");
        System.out.flush();
    }

    private static InputStream endless() {
        return new InputStream() {
            long n;
            boolean announced;

            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                // The store writes what one read returns before reading again, so by the first read
                // after 1 MiB was handed out, at least 1 MiB is in the temp file.
                if (n >= (1 << 20) && !announced) {
                    announced = true;
                    ready();
                }
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                n += len;
                return len;
            }
        };
    }
}
