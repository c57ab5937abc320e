package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sign-in and passwords, with cognito-local's differences from Cognito removed:
 * <ul>
 *   <li>a wrong password answers {@code NotAuthorizedException "Incorrect username or password."}
 *       (cognito-local: {@code InvalidPasswordException}), as does an unknown user;</li>
 *   <li>a disabled user cannot sign in or refresh ({@code NotAuthorizedException "User is disabled."});
 *       cognito-local lets them (its issue #381), so the tokens it issued are revoked at once;</li>
 *   <li>a user whose password an administrator reset answers {@code PasswordResetRequiredException};</li>
 *   <li>new passwords must satisfy the pool's policy ({@code InvalidPasswordException}), which
 *       cognito-local never checks;</li>
 *   <li>every access token issued is recorded in the {@link TokenLedger}, so revocations reach it,
 *       and carries its session's {@code origin_jti} and original {@code auth_time} ({@link SessionClaims});</li>
 *   <li>failed passwords and MFA codes lead to Cognito's temporary lockout ({@link Lockout}).</li>
 * </ul>
 */
final class SignInBridge {
    private static final String BAD_CREDENTIALS = "Incorrect username or password.";

    private final CognitoUpstream upstream;
    private final CognitoLocalStore store;
    private final PasswordPolicy policy;
    private final AccessTokens tokens;
    private final TokenLedger ledger;
    private final String clientId;
    private final Set<String> resetRequired;
    private final ChallengeRefreshBridge challenges;
    private final Lockout lockout;
    private final SessionClaims sessions;
    private WebAuthnBridge webAuthn;
    private EmailOtpBridge emailOtp;

    /** E-mail one-time codes ({@code USER_AUTH} with {@code EMAIL_OTP}). */
    SignInBridge emailCodes(EmailOtpBridge bridge) {
        this.emailOtp = bridge;
        return this;
    }

    /** Passkey sign-in ({@code USER_AUTH} with {@code WEB_AUTHN}); without it that flow is refused as unsupported. */
    SignInBridge passkeys(WebAuthnBridge bridge) {
        this.webAuthn = bridge;
        return this;
    }

    SignInBridge(CognitoUpstream upstream, CognitoLocalStore store, PasswordPolicy policy, AccessTokens tokens, TokenLedger ledger,
                 String clientId, Set<String> resetRequired, ChallengeRefreshBridge challenges, Lockout lockout, SessionClaims sessions) {
        this.challenges = challenges;
        this.lockout = lockout;
        this.sessions = sessions;
        this.upstream = upstream;
        this.store = store;
        this.policy = policy;
        this.tokens = tokens;
        this.ledger = ledger;
        this.clientId = clientId;
        this.resetRequired = resetRequired;
    }

    void register(Map<String, Operation> operations) {
        operations.put("InitiateAuth", this::authenticate);
        operations.put("AdminInitiateAuth", this::authenticate);
        operations.put("RespondToAuthChallenge", this::respondToAuthChallenge);
        operations.put("AdminRespondToAuthChallenge", this::respondToAuthChallenge);
        operations.put("ChangePassword", this::changePassword);
        operations.put("AdminSetUserPassword", this::adminSetUserPassword);
    }

    private JsonNode authenticate(ObjectNode request) throws CognitoError {
        String flow = request.path("AuthFlow").asText();
        if ("USER_AUTH".equals(flow) && emailOtp != null
                && "EMAIL_OTP".equals(request.path("AuthParameters").path("PREFERRED_CHALLENGE").asText())) {
            return emailOtp.initiate(request);
        }
        if ("USER_AUTH".equals(flow)) {
            if (webAuthn == null) {
                throw new CognitoError("UnsupportedOperationException", "USER_AUTH is not available in this local stack");
            }
            return webAuthn.initiate(request);
        }
        boolean refresh = flow.startsWith("REFRESH_TOKEN");
        String lockKey = refresh ? null : lockKey(request.path("AuthParameters").path("USERNAME").asText(null));
        if (lockKey != null) {
            lockout.check(lockKey);
        }
        CognitoUpstream.Reply reply = upstream.call("InitiateAuth", asInitiateAuth(request));
        if (lockKey != null) {
            boolean wrongPassword = reply.errorType().equals("InvalidPasswordException") || reply.errorType().equals("NotAuthorizedException");
            if (wrongPassword) {
                lockout.failed(lockKey);
            } else if (reply.ok() && !reply.body().hasNonNull("ChallengeName")) {
                lockout.succeeded(lockKey);
            }
        }
        if (!reply.ok()) {
            switch (reply.errorType()) {
                case "InvalidPasswordException", "UserNotFoundException" -> throw CognitoError.notAuthorized(BAD_CREDENTIALS);
                case "NotAuthorizedException" -> throw CognitoError.notAuthorized(refresh ? "Invalid Refresh Token" : BAD_CREDENTIALS);
                default -> reply.orThrow();
            }
        }
        String refreshToken = refresh ? request.path("AuthParameters").path("REFRESH_TOKEN").asText(null) : null;
        if (reply.body().hasNonNull("ChallengeName")) {
            challenges.challenged(reply.body().path("Session").asText(null), request.path("AuthParameters").path("USERNAME").asText(null),
                    request.path("AuthParameters").path("PASSWORD").asText(null));
        }
        return admit(reply.body(), request.path("AuthParameters").path("USERNAME").asText(null), refreshToken);
    }

    /**
     * The request cognito-local is asked: {@code AdminInitiateAuth} becomes {@code InitiateAuth}, as
     * cognito-local's own {@code ADMIN_USER_PASSWORD_AUTH} never asks for MFA or a new password (on AWS it
     * does, like {@code USER_PASSWORD_AUTH}); which flows the client allows was checked before
     * ({@link ClientSecrets}).
     */
    private static ObjectNode asInitiateAuth(ObjectNode request) {
        ObjectNode forwarded = request.deepCopy();
        forwarded.remove("UserPoolId");
        String flow = forwarded.path("AuthFlow").asText();
        if (flow.equals("ADMIN_USER_PASSWORD_AUTH") || flow.equals("ADMIN_NO_SRP_AUTH")) {
            forwarded.put("AuthFlow", "USER_PASSWORD_AUTH");
        }
        return forwarded;
    }

    private JsonNode respondToAuthChallenge(ObjectNode request) throws CognitoError {
        if ("EMAIL_OTP".equals(request.path("ChallengeName").asText()) && emailOtp != null) {
            return emailOtp.respond(request, this::issuePasswordless);
        }
        if ("WEB_AUTHN".equals(request.path("ChallengeName").asText()) && webAuthn != null) {
            return webAuthn.respond(request, this::issuePasswordless);
        }
        if ("NEW_PASSWORD_REQUIRED".equals(request.path("ChallengeName").asText())) {
            policy.check(request.path("ChallengeResponses").path("NEW_PASSWORD").asText(null));
        }
        String username = request.path("ChallengeResponses").path("USERNAME").asText(null);
        actualUsername(username);
        boolean mfa = "SOFTWARE_TOKEN_MFA".equals(request.path("ChallengeName").asText());
        String lockKey = mfa ? lockKey(username) : null;
        if (lockKey != null) {
            lockout.check(lockKey);
        }
        ObjectNode forwarded = request.deepCopy(); // AdminRespondToAuthChallenge, which cognito-local lacks: the same answer
        forwarded.remove("UserPoolId");
        CognitoUpstream.Reply answered = upstream.call("RespondToAuthChallenge", forwarded);
        if (lockKey != null) {
            if (answered.errorType().equals("CodeMismatchException")) {
                lockout.failed(lockKey);
            } else if (answered.ok()) {
                lockout.succeeded(lockKey);
            }
        }
        JsonNode reply = answered.orThrow();
        var password = challenges.passwordFor(request);
        if (reply.has("AuthenticationResult") && username != null && password.isPresent()) {
            // cognito-local would not refresh this sign-in's refresh token: answer with tokens it does store
            var reissued = challenges.reissue(username, password.get());
            if (reissued.isPresent()) {
                revokeQuietly(reply.path("AuthenticationResult").path("RefreshToken").asText(null));
                ObjectNode replaced = ((ObjectNode) reply).deepCopy();
                replaced.set("AuthenticationResult", reissued.get());
                reply = replaced;
            }
        }
        return admit(reply, username, null);
    }

    /**
     * After cognito-local accepted the credentials: refuse what Cognito would refuse (disabled,
     * reset required), then record the access token.
     */
    private JsonNode admit(JsonNode reply, String username, String refreshTokenUsed) throws CognitoError {
        JsonNode result = reply.path("AuthenticationResult");
        String accessToken = result.path("AccessToken").asText(null);
        Optional<CognitoLocalStore.StoredUser> user = accessToken != null
                ? store.find(tokens.claimsOf(accessToken).path("sub").asText())
                : username == null ? Optional.empty() : store.find(username);
        String issuedRefreshToken = result.path("RefreshToken").asText(null);
        if (user.isPresent() && !user.get().enabled()) {
            revokeQuietly(issuedRefreshToken);
            throw CognitoError.notAuthorized("User is disabled.");
        }
        if (user.isPresent() && resetRequired.contains(user.get().username()) && refreshTokenUsed == null) {
            revokeQuietly(issuedRefreshToken);
            throw new CognitoError("PasswordResetRequiredException", "Password reset required for the user");
        }
        if (accessToken != null) {
            JsonNode claims = tokens.claimsOf(accessToken);
            ledger.issued(claims.path("sub").asText(), claims.path("jti").asText(),
                    issuedRefreshToken != null ? issuedRefreshToken : refreshTokenUsed);
            TokenLedger.Session session = sessions.sessionFor(accessToken, refreshTokenUsed, issuedRefreshToken, null);
            if (session != null) {
                ObjectNode rewritten = ((ObjectNode) reply).deepCopy();
                rewritten.set("AuthenticationResult", sessions.result(result, session));
                return rewritten;
            }
        }
        return reply;
    }

    /**
     * The tokens of a sign-in whose passwordless factor the layer verified: cognito-local (which has no such flow)
     * signs the user in with the password it keeps, so its triggers run and it stores the refresh token, and the
     * answer goes through {@link #admit} like a password sign-in's (disabled and reset-required refused, the access
     * token in the ledger, the session's {@code origin_jti} and {@code auth_time}).
     */
    private JsonNode issuePasswordless(CognitoLocalStore.StoredUser user) throws CognitoError {
        String password = store.credentials(user.username()).flatMap(CognitoLocalStore.Credentials::password)
                .orElseThrow(() -> CognitoError.notAuthorized(BAD_CREDENTIALS));
        ObjectNode signIn = Json.mapper().createObjectNode().put("AuthFlow", "USER_PASSWORD_AUTH").put("ClientId", clientId);
        signIn.putObject("AuthParameters").put("USERNAME", user.username()).put("PASSWORD", password);
        CognitoUpstream.Reply reply = upstream.call("InitiateAuth", signIn);
        if (!reply.ok() || !reply.body().has("AuthenticationResult")) {
            throw CognitoError.notAuthorized(BAD_CREDENTIALS);
        }
        ObjectNode body = ((ObjectNode) reply.body()).deepCopy();
        body.remove("ChallengeName");
        return admit(body, user.username(), null);
    }

    /** Whom a lockout applies to: the user cognito-local knows by that name (unknown names are not tracked). */
    /**
     * Cognito wants a challenge answer's {@code USERNAME} to be the user's actual username — the one the challenge
     * named in {@code USER_ID_FOR_SRP}, in this pool the {@code sub} — never the e-mail the user signs in with
     * (AdminRespondToAuthChallenge's reference); cognito-local would take the e-mail too.
     */
    private void actualUsername(String username) throws CognitoError {
        Optional<CognitoLocalStore.StoredUser> user = username == null ? Optional.empty() : store.find(username);
        if (user.isPresent() && !user.get().username().equals(username)) {
            throw CognitoError.notAuthorized("Unable to verify secret hash for client " + clientId);
        }
    }

    private String lockKey(String username) {
        return username == null ? null : store.find(username).map(CognitoLocalStore.StoredUser::sub).orElse(null);
    }

    private JsonNode changePassword(ObjectNode request) throws CognitoError {
        tokens.verifySelfService(request.path("AccessToken").asText(null));
        policy.check(request.path("ProposedPassword").asText(null));
        CognitoUpstream.Reply reply = upstream.call("ChangePassword", request);
        if ("InvalidPasswordException".equals(reply.errorType())) {
            throw CognitoError.notAuthorized(BAD_CREDENTIALS);
        }
        return reply.orThrow();
    }

    private JsonNode adminSetUserPassword(ObjectNode request) throws CognitoError {
        policy.check(request.path("Password").asText(null));
        JsonNode reply = upstream.call("AdminSetUserPassword", request).orThrow();
        if (request.path("Permanent").asBoolean(false)) {
            store.find(request.path("Username").asText()).ifPresent(user -> resetRequired.remove(user.username()));
        }
        return reply;
    }

    private void revokeQuietly(String refreshToken) {
        if (refreshToken != null) {
            upstream.call("RevokeToken", Json.mapper().createObjectNode().put("ClientId", clientId).put("Token", refreshToken));
        }
    }
}
