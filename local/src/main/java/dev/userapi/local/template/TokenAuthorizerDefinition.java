package dev.userapi.local.template;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Lambda {@code TOKEN} authorizer of the REST API ({@code Auth.Authorizers.<name>}).
 *
 * @param functionId           the logical ID of the authorizer function
 * @param identityHeader       the header carrying the token ({@code Identity.Header}, default {@code Authorization})
 * @param validationExpression when present, a header that does not match is refused with 401 before the function runs
 * @param ttlSeconds           {@code Identity.ReauthorizeEvery}: how long a decision is cached per token (0 = never)
 */
public record TokenAuthorizerDefinition(
        String name,
        String functionId,
        String identityHeader,
        Optional<Pattern> validationExpression,
        int ttlSeconds) {
}
