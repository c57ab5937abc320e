package dev.userapi.e2e.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every route of {@code template.yaml} with what a well-formed request to it looks like: who may
 * call it, its JSON body (fields and a valid value for each), which fields are required, which
 * are e-mail addresses, which query parameters it reads. Tests derive bad requests from these
 * (wrong types, nulls, missing and unknown fields, ...).
 *
 * <p>{@link #routes(Template)} reads the routes from the stack's template and fails when
 * a route has no entry here, so a new route cannot escape the tests that iterate over all of them.
 */
public final class RouteCatalog {
    /** Who may call a route. */
    public enum Access { PUBLIC, USER, ADMIN }

    /**
     * @param body        the fields of a valid body and a valid value for each; null when the route takes no body
     * @param required    fields that must be present
     * @param emails      fields that hold an e-mail address
     * @param nullable    fields for which JSON {@code null} is valid (it clears them)
     * @param query       query parameters the route reads
     */
    public record Route(String functionId, String method, String path, Access access, Map<String, Object> body,
                        Set<String> required, Set<String> emails, Set<String> nullable, Set<String> query) {
        public boolean takesBody() {
            return body != null;
        }

        /** The path with {@code {id}} replaced. */
        public String pathFor(String id) {
            return path.replace("{id}", id).replace("{orgId}", id).replace("{userId}", id).replace("{deliveryId}", id);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final String EMAIL = "someone@example.com";
    /** A credential of the right shape (a WebAuthn response JSON) that verifies nowhere. */
    private static final Map<String, Object> PASSKEY_CREDENTIAL = Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
            "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"), "clientExtensionResults", Map.of());
    private static final String PASSWORD = TestUsers.PASSWORD;
    private static final Set<String> PROFILE_FIELDS = Set.of("name", "locale", "picture", "phoneNumber");
    private static final Map<String, Object> PROFILE_BODY = ordered("name", "Ada", "locale", "en-GB",
            "picture", "https://img.example/ada.png", "phoneNumber", "+14155550123");

    /** What a valid request to each function's route looks like, by the function's logical ID. */
    private static final Map<String, Route> BY_FUNCTION = new LinkedHashMap<>();

    static {
        publicRoute("HealthFunction", null, Set.of(), Set.of());
        publicRoute("SignUpFunction", ordered("email", EMAIL, "password", PASSWORD, "name", "Ada"), Set.of("email", "password"),
                Set.of("email"));
        publicRoute("ConfirmSignUpFunction", ordered("email", EMAIL, "code", "123456", "password", PASSWORD), Set.of("email", "code", "password"),
                Set.of("email"));
        publicRoute("ResendCodeFunction", ordered("email", EMAIL), Set.of("email"), Set.of("email"));
        publicRoute("LoginFunction", ordered("email", EMAIL, "password", PASSWORD), Set.of("email", "password"), Set.of("email"));
        publicRoute("LoginMfaFunction", ordered("email", EMAIL, "session", "AYABeHJ1c2Vzc2lvbg", "code", "123456"),
                Set.of("email", "session", "code"), Set.of("email"));
        publicRoute("LoginNewPasswordFunction", ordered("email", EMAIL, "session", "AYABeHJ1c2Vzc2lvbg", "newPassword", PASSWORD),
                Set.of("email", "session", "newPassword"), Set.of("email"));
        publicRoute("RefreshFunction", ordered("refreshToken", "eyJjdHkiOiJKV1QifQ.e30.c2ln"), Set.of("refreshToken"), Set.of());
        publicRoute("LogoutFunction", ordered("refreshToken", "eyJjdHkiOiJKV1QifQ.e30.c2ln"), Set.of("refreshToken"), Set.of());
        publicRoute("ForgotPasswordFunction", ordered("email", EMAIL), Set.of("email"), Set.of("email"));
        BY_FUNCTION.put("OAuthLoginFunction", new Route("OAuthLoginFunction", null, null, Access.PUBLIC, null, Set.of(), Set.of(),
                Set.of(), Set.of("redirect")));
        BY_FUNCTION.put("OAuthCallbackFunction", new Route("OAuthCallbackFunction", null, null, Access.PUBLIC, null, Set.of(), Set.of(),
                Set.of(), Set.of("code", "state", "error")));
        publicRoute("ResetPasswordFunction", ordered("email", EMAIL, "code", "123456", "newPassword", PASSWORD),
                Set.of("email", "code", "newPassword"), Set.of("email"));

        route("GetMeFunction", Access.USER, null, Set.of(), Set.of(), Set.of());
        route("UpdateMeFunction", Access.USER, PROFILE_BODY, Set.of(), PROFILE_FIELDS, Set.of());
        route("DeleteMeFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("ChangePasswordFunction", Access.USER, ordered("currentPassword", PASSWORD, "newPassword", PASSWORD + "2"),
                Set.of("currentPassword", "newPassword"), Set.of(), Set.of());
        route("StartTotpFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("VerifyTotpFunction", Access.USER, ordered("code", "123456"), Set.of("code"), Set.of(), Set.of());
        route("DisableMfaFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("ListSessionsFunction", Access.USER, null, Set.of(), Set.of(), Set.of());
        route("SignOutEverywhereFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("ReauthenticateFunction", Access.USER, ordered("password", PASSWORD), Set.of("password"), Set.of(), Set.of());
        // Passwordless account center (issue 18)
        route("RevokeSessionFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("ListActivityFunction", Access.USER, null, Set.of(), Set.of(), Set.of("limit", "cursor"));
        route("AdminGetActivityFunction", Access.ADMIN, null, Set.of(), Set.of(), Set.of("limit", "cursor"));
        BY_FUNCTION.put("ChangeEmailFunction", new Route("ChangeEmailFunction", null, null, Access.USER,
                ordered("newEmail", EMAIL, "password", PASSWORD), Set.of("newEmail", "password"), Set.of("newEmail"), Set.of(), Set.of()));
        route("VerifyEmailChangeFunction", Access.USER, ordered("code", "12345678"), Set.of("code"), Set.of(), Set.of());
        route("StartPasskeyRegistrationFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("RegisterPasskeyFunction", Access.USER, ordered("credential", PASSKEY_CREDENTIAL, "name", "Laptop"), Set.of("credential"),
                Set.of(), Set.of());
        route("ListPasskeysFunction", Access.USER, null, Set.of(), Set.of(), Set.of());
        route("DeletePasskeyFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        publicRoute("EmailCodeLoginFunction", ordered("email", EMAIL), Set.of("email"), Set.of("email"));
        publicRoute("EmailCodeVerifyFunction", ordered("email", EMAIL, "session", "AYABeHJ1c2Vzc2lvbg", "code", "12345678"),
                Set.of("email", "session", "code"), Set.of("email"));
        publicRoute("PasskeyOptionsFunction", ordered("email", EMAIL), Set.of("email"), Set.of("email"));
        publicRoute("PasskeySignInFunction", ordered("email", EMAIL, "session", "AYABeHJ1c2Vzc2lvbg", "credential", PASSKEY_CREDENTIAL),
                Set.of("email", "session", "credential"), Set.of("email"));

        route("AdminListUsersFunction", Access.ADMIN, null, Set.of(), Set.of(), Set.of("limit", "cursor", "email", "role", "status"));
        BY_FUNCTION.put("AdminCreateUserFunction", new Route("AdminCreateUserFunction", null, null, Access.ADMIN,
                ordered("email", EMAIL, "name", "Ada", "roles", List.of("user")), Set.of("email"), Set.of("email"), Set.of(), Set.of()));
        route("AdminGetUserFunction", Access.ADMIN, null, Set.of(), Set.of(), Set.of());
        route("AdminUpdateUserFunction", Access.ADMIN, PROFILE_BODY, Set.of(), PROFILE_FIELDS, Set.of());
        route("AdminSetRolesFunction", Access.ADMIN, ordered("roles", List.of("user")), Set.of("roles"), Set.of(), Set.of());
        route("AdminDisableUserFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("AdminEnableUserFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("AdminResetPasswordFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("AdminSignOutUserFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("AdminDeleteUserFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("AdminGetAuditFunction", Access.ADMIN, null, Set.of(), Set.of(), Set.of("limit", "cursor"));

        // organizations and invitations (issue 19): any signed-in user; the functions authorize per organization
        route("CreateOrgFunction", Access.USER, ordered("name", "Acme"), Set.of("name"), Set.of(), Set.of());
        route("ListMyOrgsFunction", Access.USER, null, Set.of(), Set.of(), Set.of("limit", "cursor"));
        route("GetOrgFunction", Access.USER, null, Set.of(), Set.of(), Set.of());
        route("UpdateOrgFunction", Access.USER, ordered("name", "Acme"), Set.of("name"), Set.of(), Set.of());
        route("DeleteOrgFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        route("ListOrgMembersFunction", Access.USER, null, Set.of(), Set.of(), Set.of("limit", "cursor"));
        route("SetOrgMemberRoleFunction", Access.USER, ordered("role", "member"), Set.of("role"), Set.of(), Set.of());
        route("RemoveOrgMemberFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        BY_FUNCTION.put("CreateOrgInvitationFunction", new Route("CreateOrgInvitationFunction", null, null, Access.USER,
                ordered("email", EMAIL, "role", "member"), Set.of("email", "role"), Set.of("email"), Set.of(), Set.of()));
        route("ListOrgInvitationsFunction", Access.USER, null, Set.of(), Set.of(), Set.of());
        route("RevokeOrgInvitationFunction", Access.USER, Map.of(), Set.of(), Set.of(), Set.of());
        // lifecycle events and webhooks (issue 20): administrators only
        route("CreateWebhookFunction", Access.ADMIN, ordered("url", "https://hooks.example.com/user-api", "events", List.of("user.created")),
                Set.of("url", "events"), Set.of(), Set.of());
        route("ListWebhooksFunction", Access.ADMIN, null, Set.of(), Set.of(), Set.of());
        route("DeleteWebhookFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("ListWebhookDeliveriesFunction", Access.ADMIN, null, Set.of(), Set.of(), Set.of("limit", "cursor"));
        route("RetryWebhookDeliveryFunction", Access.ADMIN, Map.of(), Set.of(), Set.of(), Set.of());
        route("AcceptInvitationFunction", Access.USER, ordered("token", "q3Jm0yXH8c2v9bqTQe5sR1uWnA7kLd4gPzF6oVtY0hE"), Set.of("token"),
                Set.of(), Set.of());
    }

    /** Functions with API events that are not routes of the API's contract (CORS preflight answers OPTIONS on every path). */
    private static final Set<String> NOT_CONTRACT_ROUTES = Set.of("CorsPreflightFunction");

    private RouteCatalog() {
    }

    private static void publicRoute(String function, Map<String, Object> body, Set<String> required, Set<String> emails) {
        BY_FUNCTION.put(function, new Route(function, null, null, Access.PUBLIC, body, required, emails, Set.of(), Set.of()));
    }

    private static void route(String function, Access access, Map<String, Object> body, Set<String> required,
                              Set<String> nullable, Set<String> query) {
        BY_FUNCTION.put(function, new Route(function, null, null, access, body, required, Set.of(), nullable, query));
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /**
     * Every route of the stack's template (method and path from its {@code Api} events), with the
     * request shape above; fails if a route is missing from this catalogue.
     */
    public static List<Route> routes(Template template) {
        List<Route> routes = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        for (Template.Route event : template.routes()) {
            if (NOT_CONTRACT_ROUTES.contains(event.functionId())) {
                continue;
            }
            Route shape = BY_FUNCTION.get(event.functionId());
            if (shape == null) {
                missing.add(event.functionId() + " (" + event.method() + " " + event.resource() + ")");
                continue;
            }
            Access access = event.authorizer().isEmpty() ? Access.PUBLIC : shape.access() == Access.PUBLIC ? Access.USER : shape.access();
            routes.add(new Route(event.functionId(), event.method(), event.resource(), access, shape.body(), shape.required(),
                    shape.emails(), shape.nullable(), shape.query()));
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("Routes without an entry in RouteCatalog (add one): " + missing);
        }
        return routes;
    }
}
