package dev.userapi.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.userapi.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer; {@link ApiHandler} adds the headers every answer carries. */
public final class ApiResponse {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final String body;

    private ApiResponse(int status, String contentType, String body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, "application/json", Json.write(body));
    }

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse accepted(Object body) {
        return json(202, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null);
    }

    /** A redirect ({@code 302 Found}) to an absolute URL the caller has checked. */
    public static ApiResponse found(String location) {
        return new ApiResponse(302, null, null).header("Location", location);
    }

    /** A problem+json body; built by {@link Problems}. */
    static ApiResponse problem(int status, String body) {
        return new ApiResponse(status, "application/problem+json", body);
    }

    /** Responses that hold tokens or personal data must not be cached by browsers or proxies. */
    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** A strong entity tag from the profile's version: {@code "<version>"}. */
    public ApiResponse etag(long version) {
        return header("ETag", "\"" + version + "\"");
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String body() {
        return body;
    }

    APIGatewayProxyResponseEvent toEvent() {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.copyOf(headers))
                .withBody(body == null ? "" : body)
                .withIsBase64Encoded(false);
    }
}
