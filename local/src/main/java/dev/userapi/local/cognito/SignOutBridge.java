package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Sign-out and token revocation.
 * <ul>
 *   <li>{@code GlobalSignOut} and {@code AdminUserGlobalSignOut} (missing in cognito-local): every
 *       refresh token cognito-local stored for the user is revoked with {@code RevokeToken}, and the
 *       user's access tokens are marked revoked.</li>
 *   <li>{@code AdminDisableUser}: Cognito also revokes the user's tokens; cognito-local does not.</li>
 *   <li>{@code RevokeToken}: the access tokens issued with that refresh token are revoked too.</li>
 *   <li>Operations that act with the user's access token check it first (signature, expiry,
 *       revocation of the token or of the refresh token it came from, the
 *       {@code aws.cognito.signin.user.admin} scope), as Cognito does; cognito-local only decodes it.</li>
 * </ul>
 */
final class SignOutBridge {
    /** Operations authorised by the caller's own access token (when they carry one). */
    static final List<String> ACCESS_TOKEN_OPERATIONS = List.of("GetUser", "UpdateUserAttributes", "DeleteUser",
            "DeleteUserAttributes", "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference",
            "GetUserAttributeVerificationCode", "VerifyUserAttribute", "ListDevices", "ForgetDevice");

    private final CognitoUpstream upstream;
    private final CognitoLocalStore store;
    private final AccessTokens tokens;
    private final TokenLedger ledger;
    private final String clientId;

    SignOutBridge(CognitoUpstream upstream, CognitoLocalStore store, AccessTokens tokens, TokenLedger ledger, String clientId) {
        this.upstream = upstream;
        this.store = store;
        this.tokens = tokens;
        this.ledger = ledger;
        this.clientId = clientId;
    }

    void register(Map<String, Operation> operations) {
        operations.put("GlobalSignOut", this::globalSignOut);
        operations.put("AdminUserGlobalSignOut", this::adminUserGlobalSignOut);
        operations.put("AdminDisableUser", this::adminDisableUser);
        operations.put("RevokeToken", this::revokeToken);
        for (String operation : ACCESS_TOKEN_OPERATIONS) {
            operations.put(operation, request -> {
                if (request.hasNonNull("AccessToken")) {
                    tokens.verifySelfService(request.path("AccessToken").asText());
                }
                return upstream.call(operation, request).orThrow();
            });
        }
    }

    private JsonNode globalSignOut(ObjectNode request) throws CognitoError {
        AccessTokens.AccessToken token = tokens.verifySelfService(request.path("AccessToken").asText(null));
        signOut(token.sub());
        return Json.mapper().createObjectNode();
    }

    private JsonNode adminUserGlobalSignOut(ObjectNode request) throws CognitoError {
        CognitoLocalStore.StoredUser user = store.find(request.path("Username").asText()).orElseThrow(CognitoError::userNotFound);
        signOut(user.sub());
        return Json.mapper().createObjectNode();
    }

    private JsonNode adminDisableUser(ObjectNode request) throws CognitoError {
        JsonNode reply = upstream.call("AdminDisableUser", request).orThrow();
        store.find(request.path("Username").asText()).ifPresent(user -> signOut(user.sub()));
        return reply;
    }

    private JsonNode revokeToken(ObjectNode request) throws CognitoError {
        JsonNode reply = upstream.call("RevokeToken", request).orThrow();
        ledger.revokeRefreshToken(request.path("Token").asText());
        return reply;
    }

    /** Revokes every refresh token cognito-local holds for the user, and every access token the ledger saw issued. */
    private void signOut(String sub) {
        store.find(sub).ifPresent(user -> {
            for (String refreshToken : user.refreshTokens()) {
                upstream.call("RevokeToken", Json.mapper().createObjectNode().put("ClientId", clientId).put("Token", refreshToken));
                ledger.revokeRefreshToken(refreshToken);
            }
        });
        ledger.revokeUser(sub);
    }
}
