package dev.userapi.tokens;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;

/**
 * Fetches a JWKS over HTTP(S) with the JDK's {@link HttpURLConnection} (no extra threads, nothing to
 * start at cold start), bounded in every dimension:
 * <ul>
 *   <li>connect timeout ({@value #DEFAULT_CONNECT_MILLIS} ms) and per-read timeout
 *       ({@value #DEFAULT_READ_MILLIS} ms), plus an overall deadline so a server that drips one byte
 *       per second cannot hold a request for long;</li>
 *   <li>at most {@value #DEFAULT_MAX_BYTES} bytes (a Cognito JWKS is about 1 KiB);</li>
 *   <li>no redirects, no caches, status 200 only.</li>
 * </ul>
 * jwks-rsa's {@code UrlJwkProvider} has no timeouts unless given some and no size cap, and its
 * provider chain rate-limits in a way that can lock out a rotated key; this fetcher replaces it.
 */
public final class HttpJwksFetcher implements JwksFetcher {
    public static final int DEFAULT_CONNECT_MILLIS = 1000;
    public static final int DEFAULT_READ_MILLIS = 1500;
    public static final int DEFAULT_TOTAL_MILLIS = 2500;
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private final int connectMillis;
    private final int readMillis;
    private final long totalNanos;
    private final int maxBytes;

    public HttpJwksFetcher() {
        this(Duration.ofMillis(DEFAULT_CONNECT_MILLIS), Duration.ofMillis(DEFAULT_READ_MILLIS),
                Duration.ofMillis(DEFAULT_TOTAL_MILLIS), DEFAULT_MAX_BYTES);
    }

    public HttpJwksFetcher(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, int maxBytes) {
        this.connectMillis = positiveMillis(connectTimeout);
        this.readMillis = positiveMillis(readTimeout);
        this.totalNanos = totalTimeout.toNanos();
        if (maxBytes <= 0 || totalNanos <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] fetch(URI url) throws IOException {
        long deadline = System.nanoTime() + totalNanos;
        URLConnection opened = url.toURL().openConnection();
        if (!(opened instanceof HttpURLConnection connection)) {
            throw new IOException("not an HTTP URL");
        }
        try {
            connection.setConnectTimeout(connectMillis);
            connection.setReadTimeout(readMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("JWKS endpoint answered " + status);
            }
            long declared = connection.getContentLengthLong();
            if (declared > maxBytes) {
                throw new IOException("JWKS larger than " + maxBytes + " bytes");
            }
            try (InputStream in = connection.getInputStream()) {
                return readBounded(in, deadline);
            }
        } finally {
            connection.disconnect();
        }
    }

    private byte[] readBounded(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) {
            if (out.size() + n > maxBytes) {
                throw new IOException("JWKS larger than " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("JWKS download exceeded its deadline");
            }
        }
        return out.toByteArray();
    }

    private static int positiveMillis(Duration d) {
        long millis = d.toMillis();
        if (millis <= 0 || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout out of range: " + d);
        }
        return (int) millis;
    }
}
