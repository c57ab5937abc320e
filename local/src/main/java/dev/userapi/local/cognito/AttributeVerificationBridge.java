package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.outbox.Outbox;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Self-service attribute changes as Cognito makes them in a pool with {@code AttributesRequireVerificationBeforeUpdate:
 * [email]} (the template's), which cognito-local does not model: its {@code UpdateUserAttributes} replaces the address
 * at once and leaves {@code email_verified} as it was, so a user could make the pool hold a "verified" address they
 * never proved — exactly what the pre-token-generation trigger's e-mail drift (docs/SECURITY.md item 31) must never
 * adopt on AWS.
 * <ul>
 *   <li>{@code UpdateUserAttributes} with a new {@code email}: the account keeps its address (and still signs in with
 *       it); a code goes to the <em>new</em> address (outbox kind {@code VERIFY_EMAIL}); an address another account
 *       holds is {@code AliasExistsException}. Other attributes are forwarded as they are.</li>
 *   <li>{@code GetUserAttributeVerificationCode} for {@code email}: a fresh code for the pending address (or, with
 *       none pending, for the current one).</li>
 *   <li>{@code VerifyUserAttribute} for {@code email}: the right code applies the pending address as verified
 *       ({@code AdminUpdateUserAttributes} at cognito-local); a wrong one is {@code CodeMismatchException}, after five
 *       {@code LimitExceededException}; a code is valid 24 hours and used once.</li>
 * </ul>
 * An attribute outside the app client's {@code WriteAttributes} is {@code NotAuthorizedException} (cognito-local
 * writes any). Every operation verifies the caller's access token first (signature, expiry, revocation, scope), as
 * Cognito does.
 * Pending changes are kept in memory: a restart forgets them (the user asks for a new code).
 */
final class AttributeVerificationBridge {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Pending(String email, String code) {
    }

    private final CognitoUpstream upstream;
    private final CognitoLocalStore store;
    private final AccessTokens tokens;
    private final Outbox outbox;
    private final String poolId;
    private final boolean verifyEmailBeforeUpdate;
    private final Set<String> writable;
    private final CodeLimits codes;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    AttributeVerificationBridge(CognitoUpstream upstream, CognitoLocalStore store, AccessTokens tokens, Outbox outbox, String poolId,
                                boolean verifyEmailBeforeUpdate, Set<String> writable, CodeLimits codes) {
        this.writable = Set.copyOf(writable);
        this.upstream = upstream;
        this.store = store;
        this.tokens = tokens;
        this.outbox = outbox;
        this.poolId = poolId;
        this.verifyEmailBeforeUpdate = verifyEmailBeforeUpdate;
        this.codes = codes;
    }

    void register(Map<String, Operation> operations) {
        operations.put("UpdateUserAttributes", this::updateUserAttributes);
        operations.put("GetUserAttributeVerificationCode", this::getUserAttributeVerificationCode);
        operations.put("VerifyUserAttribute", this::verifyUserAttribute);
    }

    private CognitoLocalStore.StoredUser caller(ObjectNode request) throws CognitoError {
        AccessTokens.AccessToken token = tokens.verifySelfService(request.path("AccessToken").asText(null));
        return store.find(token.sub()).orElseThrow(CognitoError::userNotFound);
    }

    private JsonNode updateUserAttributes(ObjectNode request) throws CognitoError {
        CognitoLocalStore.StoredUser user = caller(request);
        Optional<String> newEmail = Optional.empty();
        ArrayNode others = Json.mapper().createArrayNode();
        for (JsonNode attribute : request.path("UserAttributes")) {
            String name = attribute.path("Name").asText();
            if (!writable.isEmpty() && !writable.contains(name)) {
                // the app client's WriteAttributes (the template's: email and name; never email_verified)
                throw CognitoError.notAuthorized("A client attempted to write unauthorized attribute");
            }
            if ("email".equals(name) && verifyEmailBeforeUpdate) {
                newEmail = Optional.of(attribute.path("Value").asText().trim().toLowerCase(Locale.ROOT));
            } else {
                others.add(attribute);
            }
        }
        if (!others.isEmpty()) {
            ObjectNode forward = request.deepCopy();
            forward.set("UserAttributes", others);
            upstream.call("UpdateUserAttributes", forward).orThrow();
        }
        ObjectNode reply = Json.mapper().createObjectNode();
        ArrayNode deliveries = reply.putArray("CodeDeliveryDetailsList");
        if (newEmail.isPresent() && !newEmail.get().equalsIgnoreCase(user.email())) {
            requireFree(newEmail.get(), user);
            pending.put(user.username(), new Pending(newEmail.get(), null));
            deliveries.add(send(user, newEmail.get()));
        }
        return reply;
    }

    private JsonNode getUserAttributeVerificationCode(ObjectNode request) throws CognitoError {
        CognitoLocalStore.StoredUser user = caller(request);
        if (!"email".equals(request.path("AttributeName").asText())) {
            throw CognitoError.invalidParameter("Only the email attribute is verified in this pool.");
        }
        String to = Optional.ofNullable(pending.get(user.username())).map(Pending::email).orElse(user.email());
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.set("CodeDeliveryDetails", send(user, to));
        return reply;
    }

    private JsonNode verifyUserAttribute(ObjectNode request) throws CognitoError {
        CognitoLocalStore.StoredUser user = caller(request);
        if (!"email".equals(request.path("AttributeName").asText())) {
            throw CognitoError.invalidParameter("Only the email attribute is verified in this pool.");
        }
        Pending change = pending.get(user.username());
        boolean matches = change != null && change.code() != null && change.code().equals(request.path("Code").asText());
        codes.attempt(user.username(), CodeLimits.Purpose.VERIFY_ATTRIBUTE, matches);
        requireFree(change.email(), user);
        ObjectNode update = Json.mapper().createObjectNode().put("UserPoolId", poolId).put("Username", user.username());
        ArrayNode attributes = update.putArray("UserAttributes");
        attributes.addObject().put("Name", "email").put("Value", change.email());
        attributes.addObject().put("Name", "email_verified").put("Value", "true");
        upstream.call("AdminUpdateUserAttributes", update).orThrow();
        pending.remove(user.username(), change);
        codes.used(user.username());
        return Json.mapper().createObjectNode();
    }

    /** An address another account has (as its e-mail) cannot become this one's: Cognito's alias rule. */
    private void requireFree(String email, CognitoLocalStore.StoredUser user) throws CognitoError {
        Optional<CognitoLocalStore.StoredUser> holder = store.find(email);
        if (holder.isPresent() && !holder.get().sub().equals(user.sub())) {
            throw new CognitoError("AliasExistsException", "An account with the given email already exists.");
        }
    }

    private ObjectNode send(CognitoLocalStore.StoredUser user, String to) {
        String code = String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
        pending.compute(user.username(), (k, old) -> new Pending(old == null ? to : old.email(), code));
        codes.issued(user.username(), CodeLimits.Purpose.VERIFY_ATTRIBUTE);
        outbox.deliver(to, "VERIFY_EMAIL", code, "Your verification code is " + code);
        ObjectNode delivery = Json.mapper().createObjectNode();
        delivery.put("AttributeName", "email").put("DeliveryMedium", "EMAIL").put("Destination", CodeDeliveryBridge.mask(to));
        return delivery;
    }
}
