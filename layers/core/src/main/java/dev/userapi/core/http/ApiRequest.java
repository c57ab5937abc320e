package dev.userapi.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.userapi.core.problem.ForbiddenException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.problem.UnauthorizedException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A REST API proxy request, with the accessors handlers need and nothing they should not use. */
public final class ApiRequest {
    private final APIGatewayProxyRequestEvent event;

    public ApiRequest(APIGatewayProxyRequestEvent event) {
        this.event = event == null ? new APIGatewayProxyRequestEvent() : event;
    }

    public APIGatewayProxyRequestEvent event() {
        return event;
    }

    public Optional<String> header(String name) {
        return Headers.get(event.getHeaders(), name);
    }

    public String requestId() {
        var ctx = event.getRequestContext();
        return ctx != null && ctx.getRequestId() != null ? ctx.getRequestId() : "unknown";
    }

    /**
     * The client's address as API Gateway saw it ({@code requestContext.identity.sourceIp}); never
     * {@code X-Forwarded-For}, which the client controls.
     */
    public String sourceIp() {
        var ctx = event.getRequestContext();
        if (ctx == null || ctx.getIdentity() == null || ctx.getIdentity().getSourceIp() == null) {
            return "unknown";
        }
        return ctx.getIdentity().getSourceIp();
    }

    public String userAgent() {
        var ctx = event.getRequestContext();
        String ua = ctx != null && ctx.getIdentity() != null ? ctx.getIdentity().getUserAgent() : null;
        if (ua == null) {
            ua = header("User-Agent").orElse("");
        }
        return Text.clip(Text.stripControl(ua), 256);
    }

    /**
     * A path parameter ({@code {id}}): a blank one names no resource, so the answer is 404 NotFound, as
     * for an unknown id (issue 16 finding 11: {@code /users/%20} answered 400).
     */
    public String pathParameter(String name) {
        Map<String, String> params = event.getPathParameters();
        String value = params == null ? null : params.get(name);
        if (value == null || value.isBlank()) {
            throw new NotFoundException("The resource does not exist.");
        }
        return value;
    }

    public Optional<String> queryParameter(String name) {
        Map<String, String> params = event.getQueryStringParameters();
        return Optional.ofNullable(params == null ? null : params.get(name));
    }

    public Map<String, String> queryParameters() {
        Map<String, String> params = event.getQueryStringParameters();
        return params == null ? Map.of() : params;
    }

    /** A cookie sent by the browser (first occurrence), from the {@code Cookie} header(s). */
    public Optional<String> cookie(String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        header("Cookie").ifPresent(values::add);
        Map<String, java.util.List<String>> multi = event.getMultiValueHeaders();
        if (multi != null) {
            multi.forEach((k, v) -> {
                if (k != null && k.equalsIgnoreCase("Cookie") && v != null) {
                    values.addAll(v);
                }
            });
        }
        for (String header : values) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    /** The raw bearer token of the request, for calls that act as the user (Cognito checks it again). */
    public String bearerToken() {
        String value = header("Authorization").orElseThrow(UnauthorizedException::new).trim();
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException();
        }
        String token = value.substring(7).trim();
        if (token.isEmpty()) {
            throw new UnauthorizedException();
        }
        return token;
    }

    /**
     * The caller established by the authorizer. A protected route without an authorizer context is
     * a deployment mistake; it is refused rather than served anonymously.
     */
    public Caller caller() {
        var ctx = event.getRequestContext();
        Map<String, Object> authorizer = ctx == null ? null : ctx.getAuthorizer();
        if (authorizer == null) {
            throw new UnauthorizedException();
        }
        String sub = string(authorizer.get("sub"));
        if (sub == null || sub.isBlank()) {
            throw new UnauthorizedException();
        }
        String username = Optional.ofNullable(string(authorizer.get("username"))).orElse(sub);
        String roles = Optional.ofNullable(string(authorizer.get("roles"))).orElse("");
        Set<String> roleSet = Arrays.stream(roles.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return new Caller(sub, username, roleSet, authTime(string(authorizer.get("authTime"))));
    }

    /** The authorizer's {@code authTime} (epoch seconds); absent or malformed counts as unknown (0). */
    private static long authTime(String value) {
        if (value == null || value.isEmpty() || value.length() > 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0L;
        }
        return Long.parseLong(value);
    }

    /** The caller, who must be an administrator (the authorizer's policy already says so; this is defence in depth). */
    public Caller admin() {
        Caller caller = caller();
        if (!caller.isAdmin()) {
            throw new ForbiddenException("This route needs the admin role.");
        }
        return caller;
    }

    /**
     * The version an {@code If-Match} header requires: empty when the header is absent or {@code *};
     * a strong entity tag {@code "<version>"} otherwise (as {@code ETag} gave it). Anything else is a 400.
     */
    public java.util.OptionalLong ifMatchVersion() {
        Optional<String> header = header("If-Match").map(String::trim);
        if (header.isEmpty() || header.get().equals("*")) {
            return java.util.OptionalLong.empty();
        }
        String value = header.get();
        if (value.length() < 3 || value.length() > 24 || !value.startsWith("\"") || !value.endsWith("\"")) {
            throw new InvalidRequestException("If-Match must be the ETag of the profile, e.g. \"3\".");
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(value.substring(1, value.length() - 1)));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("If-Match must be the ETag of the profile, e.g. \"3\".");
        }
    }

    /** The JSON body, parsed and checked against the contract's conventions. */
    public JsonBody body() {
        return JsonBody.parse(this);
    }

    /** For routes that take no body: an absent body, or an empty JSON object. */
    public void requireNoBody() {
        String body = event.getBody();
        if (body != null && !body.isBlank()) {
            body().allowOnly();
        }
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
