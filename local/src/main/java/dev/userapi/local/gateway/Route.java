package dev.userapi.local.gateway;

import java.util.Optional;

/**
 * One method on one resource of the REST API, served by one function.
 *
 * @param resource   the path template, e.g. {@code /users/{id}}
 * @param authorizer the authorizer's name; empty for a public route
 */
public record Route(String method, String resource, String functionId, Optional<String> authorizer) {
}
