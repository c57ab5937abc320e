package dev.userapi.core.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import java.util.HashMap;
import java.util.Map;

/** Builders and readers for REST proxy events in handler tests. */
public final class ApiEvents {
    public static final String ORIGIN = "https://app.example.com";

    private ApiEvents() {
    }

    public static APIGatewayProxyRequestEvent post(String resource, String jsonBody) {
        return request("POST", resource, jsonBody);
    }

    public static APIGatewayProxyRequestEvent request(String method, String resource, String jsonBody) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Origin", ORIGIN);
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp("203.0.113.7").withUserAgent("JUnit");
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-1").withIdentity(identity)
                .withResourcePath(resource).withHttpMethod(method).withStage("test");
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(resource)
                .withHeaders(headers).withBody(jsonBody).withRequestContext(context);
    }

    /** Adds the authorizer context API Gateway passes for a signed-in caller. */
    public static APIGatewayProxyRequestEvent signedIn(APIGatewayProxyRequestEvent event, String sub, String roles) {
        Map<String, Object> authorizer = new HashMap<>();
        authorizer.put("principalId", sub);
        authorizer.put("sub", sub);
        authorizer.put("username", sub);
        authorizer.put("roles", roles);
        event.getRequestContext().setAuthorizer(authorizer);
        event.getHeaders().put("Authorization", "Bearer header.payload.signature");
        return event;
    }

    public static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return Json.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    public static String header(APIGatewayProxyResponseEvent response, String name) {
        return response.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
