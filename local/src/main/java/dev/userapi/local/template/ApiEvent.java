package dev.userapi.local.template;

import java.util.Optional;

/**
 * A {@code Type: Api} event of a function: one method on one path template of the REST API.
 *
 * @param path       the resource path template, e.g. {@code /users/{id}}
 * @param method     upper case, or {@code ANY}
 * @param authorizer the authorizer that guards it; empty for {@code Auth: {Authorizer: NONE}}
 */
public record ApiEvent(String name, String method, String path, Optional<String> authorizer) {
}
