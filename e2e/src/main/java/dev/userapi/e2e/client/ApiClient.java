package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for end-to-end tests (java.net.http):
 * {@code api.post("/auth/login").json(Map.of("email", e, "password", p)).origin(o).send()}.
 */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final String baseUrl;
    private final boolean retryThrottled;

    public ApiClient(String baseUrl) {
        this(baseUrl, false);
    }

    /**
     * @param retryThrottled whether a 429 from the gateway's throttling is retried (a few times, with
     *                       back-off): against a deployed stack whose limits are the production ones
     */
    public ApiClient(String baseUrl, boolean retryThrottled) {
        this.baseUrl = baseUrl;
        this.retryThrottled = retryThrottled;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Request get(String path) {
        return new Request("GET", path);
    }

    public Request post(String path) {
        return new Request("POST", path);
    }

    public Request patch(String path) {
        return new Request("PATCH", path);
    }

    public Request put(String path) {
        return new Request("PUT", path);
    }

    public Request delete(String path) {
        return new Request("DELETE", path);
    }

    public Request options(String path) {
        return new Request("OPTIONS", path);
    }

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    /** One request being built. */
    public final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** A JSON body (a Map, a record, or a JSON string). */
        public Request json(Object value) {
            try {
                String text = value instanceof String string ? string : MAPPER.writeValueAsString(value);
                body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            headers.putIfAbsent("Content-Type", "application/json");
            return this;
        }

        public Request body(String raw, String contentType) {
            return body(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
        }

        /** Raw bytes (e.g. invalid UTF-8); a null content type sends no Content-Type header. */
        public Request body(byte[] raw, String contentType) {
            body = raw.clone();
            if (contentType == null) {
                headers.remove("Content-Type");
            } else {
                headers.put("Content-Type", contentType);
            }
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        public Request origin(String origin) {
            return header("Origin", origin);
        }

        public ApiResponse send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
            headers.forEach(builder::header);
            builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            try {
                HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                for (int attempt = 1; retryThrottled && response.statusCode() == 429 && attempt <= 6; attempt++) {
                    Thread.sleep(250L << attempt);
                    response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                }
                return new ApiResponse(response.statusCode(), response.headers().map(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
