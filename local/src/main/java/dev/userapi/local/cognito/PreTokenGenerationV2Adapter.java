package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.lambda.PayloadAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The pool's pre-token-generation trigger is configured for V2 events ({@code LambdaVersion: V2_0}),
 * but cognito-local sends V1-shaped events and reads V1 answers. This turns the event into the V2
 * shape AWS sends ({@code version: "2"}, {@code request.scopes}) and the function's V2 answer
 * ({@code claimsAndScopeOverrideDetails.idTokenGeneration}) back into the V1 field cognito-local
 * applies ({@code claimsOverrideDetails}). Access-token claims cannot be passed on: cognito-local
 * builds the access token itself (its {@code cognito:groups} come from real group membership).
 */
public final class PreTokenGenerationV2Adapter implements PayloadAdapter {
    @Override
    public byte[] request(byte[] payload) {
        JsonNode event = parse(payload);
        if (!(event instanceof ObjectNode root) || !root.path("triggerSource").asText().startsWith("TokenGeneration_")
                || "2".equals(root.path("version").asText())) {
            return payload;
        }
        root.put("version", "2");
        ObjectNode request = root.withObjectProperty("request");
        if (!request.has("scopes")) {
            request.putArray("scopes").add("aws.cognito.signin.user.admin");
        }
        root.putObject("response").putNull("claimsAndScopeOverrideDetails");
        return Json.write(root).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] response(byte[] payload) {
        JsonNode answer = parse(payload);
        if (!(answer instanceof ObjectNode root) || !(root.path("response") instanceof ObjectNode response)) {
            return payload;
        }
        JsonNode details = response.path("claimsAndScopeOverrideDetails");
        if (details.isObject() && !response.has("claimsOverrideDetails")) {
            ObjectNode v1 = response.putObject("claimsOverrideDetails");
            JsonNode id = details.path("idTokenGeneration");
            if (id.has("claimsToAddOrOverride")) {
                v1.set("claimsToAddOrOverride", id.get("claimsToAddOrOverride"));
            }
            if (id.has("claimsToSuppress")) {
                v1.set("claimsToSuppress", id.get("claimsToSuppress"));
            }
            if (details.has("groupOverrideDetails")) {
                v1.set("groupOverrideDetails", details.get("groupOverrideDetails"));
            }
        }
        return Json.write(root).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return Json.mapper().readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }
}
