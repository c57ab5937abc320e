package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls cognito-local in Cognito's JSON protocol ({@code X-Amz-Target: AWSCognitoIdentityProviderService.<Op>}). */
final class CognitoUpstream {
    static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";

    /** cognito-local's answer: the HTTP status, the JSON body, and the error type when it is an error. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        String errorType() {
            String type = body.path("__type").asText("");
            int hash = type.lastIndexOf('#');
            return hash >= 0 ? type.substring(hash + 1) : type;
        }

        String message() {
            return body.path("message").asText("");
        }

        /** The reply body, or the reply's error as a {@link CognitoError}. */
        JsonNode orThrow() throws CognitoError {
            if (ok()) {
                return body;
            }
            throw new CognitoError(errorType().isEmpty() ? "InternalErrorException" : errorType(), message(), status >= 500 ? 500 : 400);
        }
    }

    private final URI endpoint;
    private final HttpClient http;

    CognitoUpstream(URI endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    }

    URI endpoint() {
        return endpoint;
    }

    Reply call(String operation, ObjectNode request) {
        return send(operation, Json.write(request).getBytes(StandardCharsets.UTF_8));
    }

    Reply call(String operation) {
        return call(operation, Json.mapper().createObjectNode());
    }

    /** Sends a request as it came, and returns cognito-local's answer. */
    Reply send(String operation, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", TARGET_PREFIX + operation)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json;
            try {
                json = response.body().length == 0 ? NullNode.getInstance() : Json.mapper().readTree(response.body());
            } catch (IOException e) {
                json = Json.mapper().createObjectNode().put("__type", "InternalErrorException")
                        .put("message", "cognito-local answered something that is not JSON");
            }
            return new Reply(response.statusCode(), json);
        } catch (IOException e) {
            return new Reply(503, Json.mapper().createObjectNode().put("__type", "InternalErrorException")
                    .put("message", "cognito-local is not reachable: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(503, Json.mapper().createObjectNode().put("__type", "InternalErrorException").put("message", "interrupted"));
        }
    }

    /** Any other request (JWKS, OpenID configuration, OAuth2 endpoints), passed through. */
    HttpResponse<byte[]> raw(String method, String pathAndQuery, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        builder.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
