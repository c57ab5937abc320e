package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;

/**
 * An error as Cognito's JSON protocol reports it ({@code {"__type": "NotAuthorizedException",
 * "message": "..."}}, HTTP 400), so the SDK in the functions raises the same exception class it
 * would get from AWS.
 */
final class CognitoError extends Exception {
    private final String type;
    private final int status;

    CognitoError(String type, String message) {
        this(type, message, 400);
    }

    CognitoError(String type, String message, int status) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    String toJson() {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("__type", type);
        body.put("message", getMessage());
        return Json.write(body);
    }

    static CognitoError notAuthorized(String message) {
        return new CognitoError("NotAuthorizedException", message);
    }

    static CognitoError userNotFound() {
        return new CognitoError("UserNotFoundException", "User does not exist.");
    }

    static CognitoError invalidParameter(String message) {
        return new CognitoError("InvalidParameterException", message);
    }
}
