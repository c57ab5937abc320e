package dev.userapi.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.lambda.LambdaFunctions;
import dev.userapi.local.lambda.SampleHandlers;
import dev.userapi.local.template.FunctionDefinition;
import dev.userapi.local.template.TokenAuthorizerDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenAuthorizerTest {
    private static final String GET_ARN = "arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/me";
    private static final String POST_ARN = "arn:aws:execute-api:us-east-1:123456789012:api/dev/POST/me/password";
    private static final Pattern BEARER = Pattern.compile("^[Bb]earer [-0-9A-Za-z._~+/]+=*$");

    private final LambdaFunctions functions = new LambdaFunctions("us-east-1", "123456789012");
    private LambdaFunction function;
    private AtomicInteger calls;

    @BeforeEach
    void setUp() {
        function = functions.register(new FunctionDefinition("AuthorizerFunction",
                SampleHandlers.Authorizer.class.getName() + "::handleRequest", "x", "java21", 3, 512, Map.of(), List.of()), Map.of());
        calls = SampleHandlers.Authorizer.CALLS;
        calls.set(0);
    }

    @AfterEach
    void close() {
        functions.close();
    }

    private TokenAuthorizer authorizer(int ttl) {
        return new TokenAuthorizer(new TokenAuthorizerDefinition("Auth", "AuthorizerFunction", "Authorization", Optional.of(BEARER), ttl),
                function);
    }

    @Test
    void aMissingOrMalformedToken_isUnauthorized_withoutCallingTheFunction() {
        TokenAuthorizer authorizer = authorizer(0);

        assertThat(authorizer.authorize(Optional.empty(), GET_ARN)).isInstanceOf(TokenAuthorizer.Unauthorized.class);
        assertThat(authorizer.authorize(Optional.of("Basic abc"), GET_ARN)).isInstanceOf(TokenAuthorizer.Unauthorized.class);
        assertThat(authorizer.authorize(Optional.of("Bearer has spaces"), GET_ARN)).isInstanceOf(TokenAuthorizer.Unauthorized.class);
        assertThat(calls.get()).isZero();
    }

    @Test
    void theFunctionsUnauthorizedError_isUnauthorized() {
        assertThat(authorizer(0).authorize(Optional.of("Bearer nope"), GET_ARN)).isInstanceOf(TokenAuthorizer.Unauthorized.class);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void thePolicy_isEvaluatedAgainstTheMethod_andTheContextPassedAsStrings() {
        TokenAuthorizer authorizer = authorizer(0);

        TokenAuthorizer.Outcome get = authorizer.authorize(Optional.of("Bearer allow-1"), GET_ARN);
        TokenAuthorizer.Outcome post = authorizer.authorize(Optional.of("Bearer allow-1"), POST_ARN);

        assertThat(get).isEqualTo(new TokenAuthorizer.Allowed("user-1", Map.of("sub", "allow-1", "admin", "false", "count", "3")));
        assertThat(post).isEqualTo(new TokenAuthorizer.Denied(false));
        assertThat(authorizer.authorize(Optional.of("Bearer deny"), GET_ARN)).isEqualTo(new TokenAuthorizer.Denied(true));
    }

    @Test
    void decisionsAreCachedPerToken_forTheTtl_andEvaluatedAgainstEachMethod() {
        TokenAuthorizer cached = authorizer(300);

        cached.authorize(Optional.of("Bearer allow-2"), GET_ARN);
        TokenAuthorizer.Outcome again = cached.authorize(Optional.of("Bearer allow-2"), POST_ARN);
        cached.authorize(Optional.of("Bearer allow-3"), GET_ARN);

        assertThat(again).isEqualTo(new TokenAuthorizer.Denied(false));
        assertThat(calls.get()).as("one call per distinct token").isEqualTo(2);
    }

    @Test
    void withoutCache_everyRequestCallsTheFunction() {
        TokenAuthorizer uncached = authorizer(0);

        uncached.authorize(Optional.of("Bearer allow-4"), GET_ARN);
        uncached.authorize(Optional.of("Bearer allow-4"), GET_ARN);

        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aContextValueThatIsNotAScalar_isAConfigurationError() {
        assertThat(authorizer(0).authorize(Optional.of("Bearer bad-context"), GET_ARN))
                .isInstanceOfSatisfying(TokenAuthorizer.Failed.class,
                        f -> assertThat(f.type()).isEqualTo(GatewayResponses.Type.AUTHORIZER_CONFIGURATION_ERROR));
    }
}
