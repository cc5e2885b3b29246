package dev.slipway.registry;

import dev.slipway.image.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blob's bytes from a registry, picking up where they stopped when the connection drops: the
 * request is sent again with {@code Range: bytes=N-}, and when the registry ignores ranges the
 * first N bytes of the new answer are skipped. A blob longer than its descriptor says is cut off
 * with an error, so a hostile registry cannot fill the disk.
 */
final class BlobStream extends InputStream {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final RegistryTransport transport;
    private final RegistryTransport.Endpoint endpoint;
    private final String repository;
    private final Descriptor blob;
    private final List<String> scopes;
    private InputStream current;
    private long position;
    private int resumes;
    private int rangedResumes;

    BlobStream(RegistryTransport transport, RegistryTransport.Endpoint endpoint, String repository, Descriptor blob,
            List<String> scopes) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.repository = repository;
        this.blob = blob;
        this.scopes = scopes;
    }

    /** How many times the transfer resumed with a range request the registry honoured. */
    int rangedResumes() {
        return rangedResumes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        while (true) {
            if (current == null) {
                open();
            }
            int n;
            try {
                n = current.read(buf, off, (int) Math.min(len, Math.max(1, blob.size() - position + 1)));
            } catch (IOException e) {
                dropped(e);
                continue;
            }
            if (n < 0) {
                if (position < blob.size()) {
                    dropped(new IOException("the connection closed after " + position + " of " + blob.size() + " bytes"));
                    continue;
                }
                return -1;
            }
            position += n;
            if (position > blob.size()) {
                throw new RegistryException("blob " + blob.digest() + " from " + endpoint.registry
                        + " is longer than the " + blob.size() + " bytes its manifest declares", 0, null);
            }
            return n;
        }
    }

    private void dropped(IOException e) {
        closeCurrent();
        if (++resumes >= transport.config().maxAttempts()) {
            throw new RegistryException(endpoint.registry + ": downloading blob " + blob.digest() + " failed after "
                    + resumes + " tries: " + RegistryTransport.reason(e), e);
        }
        RegistryTransport.sleep(transport.backoff(resumes, null));
    }

    private void open() throws IOException {
        Map<String, String> headers = position > 0 ? Map.of("Range", "bytes=" + position + "-") : Map.of();
        RegistryTransport.Call call = RegistryTransport.Call.get(
                "/v2/" + repository + "/blobs/" + blob.digest(), scopes, headers);
        RegistryTransport.Response r = transport.send(endpoint, call);
        if (r.status() == 206 && position > 0) {
            Matcher m = CONTENT_RANGE.matcher(r.header("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != position) {
                r.close();
                throw new RegistryException(endpoint.registry + " answered a range request for blob " + blob.digest()
                        + " with the wrong range", 206, null);
            }
            rangedResumes++;
            current = r.body();
            return;
        }
        if (r.status() != 200) {
            throw transport.failure(endpoint, call, "downloading blob " + blob.digest(), r);
        }
        current = r.body();
        long skip = position;
        // The registry ignored the range: read past what is already written.
        byte[] scratch = new byte[1 << 16];
        while (skip > 0) {
            int n;
            try {
                n = current.read(scratch, 0, (int) Math.min(scratch.length, skip));
            } catch (IOException e) {
                dropped(e);
                return;
            }
            if (n < 0) {
                dropped(new IOException("the connection closed while skipping to byte " + position));
                return;
            }
            skip -= n;
        }
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // The connection is being abandoned anyway.
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeCurrent();
    }
}
