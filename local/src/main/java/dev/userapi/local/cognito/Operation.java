package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One Cognito operation as the compatibility layer answers it: the request in, the 200 body out, or a {@link CognitoError}. */
@FunctionalInterface
interface Operation {
    JsonNode handle(ObjectNode request) throws CognitoError;
}
