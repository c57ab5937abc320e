package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.outbox.Outbox;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything that makes Cognito send a code or a password: each one lands in the local outbox,
 * and the operations cognito-local lacks are made from ones it has.
 *
 * <ul>
 *   <li>{@code SignUp}, {@code ForgotPassword}: forwarded; the code cognito-local generated is read
 *       from its data file and delivered to the outbox.</li>
 *   <li>{@code ResendConfirmationCode} (missing): cognito-local's {@code ForgotPassword} generates
 *       and stores a fresh code in the same field {@code ConfirmSignUp} checks, so it is used to
 *       issue the new code; the account stays unconfirmed.</li>
 *   <li>{@code AdminResetUserPassword} (missing): the account is marked reset-required (sign-in
 *       with the old password answers {@code PasswordResetRequiredException}, {@code AdminGetUser}
 *       reports {@code RESET_REQUIRED}) and a reset code is issued the same way; the user finishes
 *       with {@code ConfirmForgotPassword}.</li>
 *   <li>{@code AdminCreateUser}: like Cognito, a temporary password that satisfies the pool's
 *       policy is generated (cognito-local's is six characters) and delivered.</li>
 *   <li>{@code ConfirmSignUp}: marks the e-mail verified, as Cognito does for an auto-verified
 *       attribute, before the post-confirmation trigger runs (cognito-local does not); a confirmed
 *       account answers {@code NotAuthorizedException} as on AWS.</li>
 *   <li>With {@code PreventUserExistenceErrors}, an unknown user gets the same answer as a known
 *       one from the code-sending operations.</li>
 * </ul>
 */
final class CodeDeliveryBridge {
    private final CognitoUpstream upstream;
    private final CognitoLocalStore store;
    private final PasswordPolicy policy;
    private final Outbox outbox;
    private final String poolId;
    private final String clientId;
    private final boolean autoVerifyEmail;
    private final boolean preventUserExistenceErrors;
    private final Set<String> resetRequired;
    private final CodeLimits codes;

    CodeDeliveryBridge(CognitoUpstream upstream, CognitoLocalStore store, PasswordPolicy policy, Outbox outbox, String poolId,
                       String clientId, boolean autoVerifyEmail, boolean preventUserExistenceErrors, Set<String> resetRequired,
                       CodeLimits codes) {
        this.codes = codes;
        this.upstream = upstream;
        this.store = store;
        this.policy = policy;
        this.outbox = outbox;
        this.poolId = poolId;
        this.clientId = clientId;
        this.autoVerifyEmail = autoVerifyEmail;
        this.preventUserExistenceErrors = preventUserExistenceErrors;
        this.resetRequired = resetRequired;
    }

    void register(Map<String, Operation> operations) {
        operations.put("SignUp", this::signUp);
        operations.put("ResendConfirmationCode", this::resendConfirmationCode);
        operations.put("ForgotPassword", this::forgotPassword);
        operations.put("ConfirmSignUp", this::confirmSignUp);
        operations.put("ConfirmForgotPassword", this::confirmForgotPassword);
        operations.put("AdminResetUserPassword", this::adminResetUserPassword);
        operations.put("AdminCreateUser", this::adminCreateUser);
        operations.put("AdminGetUser", this::adminGetUser);
        operations.put("AdminUpdateUserAttributes", this::adminUpdateUserAttributes);
    }

    private JsonNode signUp(ObjectNode request) throws CognitoError {
        policy.check(request.path("Password").asText(null));
        // cognito-local checks "username exists" and stores the user in two asynchronous steps, so two
        // sign-ups of one address at once can both pass the check; Cognito makes that atomic, and so
        // does this lock (per address, so different users never wait for each other).
        synchronized (creationLock(request.path("Username").asText(""))) {
            JsonNode reply = upstream.call("SignUp", request).orThrow();
            // (under concurrent sign-ups cognito-local's file can lag its answer: wait for the user to appear)
            CognitoLocalStore.StoredUser user = store.await(reply.path("UserSub").asText(), u -> true, FILE_LAG).orElseThrow(
                    () -> new CognitoError("InternalErrorException", "cognito-local did not store the new user"));
            deliverCode(user, "SIGN_UP", "Your confirmation code is %s");
            return reply;
        }
    }

    private final java.util.concurrent.ConcurrentMap<String, Object> creationLocks = new java.util.concurrent.ConcurrentHashMap<>();

    private Object creationLock(String username) {
        return creationLocks.computeIfAbsent(username.trim().toLowerCase(java.util.Locale.ROOT), k -> new Object());
    }

    private JsonNode resendConfirmationCode(ObjectNode request) throws CognitoError {
        // one code at a time per address: the code delivered last must be the one cognito-local holds
        synchronized (creationLock(request.path("Username").asText(""))) {
            return resendConfirmationCodeNow(request);
        }
    }

    private JsonNode resendConfirmationCodeNow(ObjectNode request) throws CognitoError {
        Optional<CognitoLocalStore.StoredUser> found = store.find(request.path("Username").asText());
        if (found.isEmpty()) {
            if (preventUserExistenceErrors) {
                return delivery(request.path("Username").asText());
            }
            throw CognitoError.userNotFound();
        }
        CognitoLocalStore.StoredUser user = found.get();
        if (!"UNCONFIRMED".equals(user.status())) {
            throw CognitoError.invalidParameter("User is already confirmed.");
        }
        issueCode(user);
        deliverCode(reread(user), "RESEND_CODE", "Your new confirmation code is %s");
        return delivery(user.email());
    }

    private JsonNode forgotPassword(ObjectNode request) throws CognitoError {
        synchronized (creationLock(request.path("Username").asText(""))) {
            return forgotPasswordNow(request);
        }
    }

    private JsonNode forgotPasswordNow(ObjectNode request) throws CognitoError {
        Optional<CognitoLocalStore.StoredUser> found = store.find(request.path("Username").asText());
        if (found.isEmpty()) {
            if (preventUserExistenceErrors) {
                return delivery(request.path("Username").asText());
            }
            throw CognitoError.userNotFound();
        }
        if (!found.get().enabled()) {
            throw CognitoError.notAuthorized("User is disabled.");
        }
        if ("UNCONFIRMED".equals(found.get().status())) {
            throw CognitoError.invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
        }
        JsonNode reply = upstream.call("ForgotPassword", request).orThrow();
        deliverCode(reread(found.get()), "FORGOT_PASSWORD", "Your password reset code is %s");
        return reply;
    }

    private JsonNode confirmSignUp(ObjectNode request) throws CognitoError {
        Optional<CognitoLocalStore.StoredUser> found = store.find(request.path("Username").asText());
        if (found.isPresent()) {
            CognitoLocalStore.StoredUser user = found.get();
            if ("CONFIRMED".equals(user.status())) {
                throw CognitoError.notAuthorized("User cannot be confirmed. Current status is CONFIRMED");
            }
            boolean codeMatches = user.confirmationCode().filter(request.path("ConfirmationCode").asText()::equals).isPresent();
            codes.attempt(user.username(), CodeLimits.Purpose.CONFIRM_SIGN_UP, codeMatches);
            if (autoVerifyEmail && codeMatches) {
                ObjectNode verify = Json.mapper().createObjectNode().put("UserPoolId", poolId).put("Username", user.username());
                var attributes = verify.putArray("UserAttributes");
                // cognito-local insists on the address alongside its verified flag (the same address: nothing changes)
                attributes.addObject().put("Name", "email").put("Value", user.email());
                attributes.addObject().put("Name", "email_verified").put("Value", "true");
                upstream.call("AdminUpdateUserAttributes", verify).orThrow();
            }
        }
        JsonNode reply = upstream.call("ConfirmSignUp", request).orThrow();
        found.ifPresent(user -> codes.used(user.username()));
        return reply;
    }

    private JsonNode confirmForgotPassword(ObjectNode request) throws CognitoError {
        policy.check(request.path("Password").asText(null));
        Optional<CognitoLocalStore.StoredUser> found = store.find(request.path("Username").asText());
        if (found.isPresent() && "UNCONFIRMED".equals(found.get().status())) {
            throw new CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.");
        }
        if (found.isPresent() && !found.get().enabled()) {
            throw CognitoError.notAuthorized("User is disabled.");
        }
        if (found.isPresent()) {
            boolean codeMatches = found.get().confirmationCode().filter(request.path("ConfirmationCode").asText()::equals).isPresent();
            codes.attempt(found.get().username(), CodeLimits.Purpose.RESET_PASSWORD, codeMatches);
        }
        JsonNode reply = upstream.call("ConfirmForgotPassword", request).orThrow();
        found.ifPresent(user -> {
            resetRequired.remove(user.username());
            codes.used(user.username());
        });
        return reply;
    }

    private JsonNode adminResetUserPassword(ObjectNode request) throws CognitoError {
        CognitoLocalStore.StoredUser user = store.find(request.path("Username").asText()).orElseThrow(CognitoError::userNotFound);
        issueCode(user);
        resetRequired.add(user.username());
        deliverCode(reread(user), "ADMIN_RESET_PASSWORD", "An administrator reset your password; your reset code is %s");
        return Json.mapper().createObjectNode();
    }

    private JsonNode adminCreateUser(ObjectNode request) throws CognitoError {
        boolean suppress = "SUPPRESS".equals(request.path("MessageAction").asText());
        if (request.hasNonNull("TemporaryPassword")) {
            policy.check(request.path("TemporaryPassword").asText());
        } else {
            request.put("TemporaryPassword", policy.temporaryPassword());
        }
        if (!request.has("DesiredDeliveryMediums")) {
            request.putArray("DesiredDeliveryMediums").add("EMAIL");
        }
        JsonNode reply;
        synchronized (creationLock(request.path("Username").asText(""))) {
            reply = upstream.call("AdminCreateUser", request).orThrow();
        }
        if (!suppress) {
            String email = attribute(reply.path("User").path("Attributes"), "email").orElse(request.path("Username").asText());
            String password = request.path("TemporaryPassword").asText();
            outbox.deliver(email, "TEMPORARY_PASSWORD", password,
                    "Your username is " + email + " and your temporary password is " + password);
        }
        return reply;
    }

    private JsonNode adminGetUser(ObjectNode request) throws CognitoError {
        JsonNode reply = upstream.call("AdminGetUser", request).orThrow();
        if (reply instanceof ObjectNode user && resetRequired.contains(user.path("Username").asText())) {
            user.put("UserStatus", "RESET_REQUIRED");
        }
        return reply;
    }

    /**
     * AdminUpdateUserAttributes: in a pool whose username is the e-mail, an address another user has is refused with
     * {@code AliasExistsException} (the API's e-mail change, issue 18, answers 409 on it); cognito-local lets two
     * users share it.
     */
    private JsonNode adminUpdateUserAttributes(ObjectNode request) throws CognitoError {
        for (JsonNode attribute : request.path("UserAttributes")) {
            if ("email".equals(attribute.path("Name").asText())) {
                var holder = store.find(attribute.path("Value").asText().toLowerCase(java.util.Locale.ROOT));
                var target = store.find(request.path("Username").asText());
                if (holder.isPresent() && (target.isEmpty() || !holder.get().sub().equals(target.get().sub()))) {
                    throw new CognitoError("AliasExistsException", "An account with the given email already exists.");
                }
            }
        }
        return upstream.call("AdminUpdateUserAttributes", request).orThrow();
    }

    /** cognito-local's ForgotPassword generates a code and stores it where ConfirmSignUp and ConfirmForgotPassword check it. */
    private void issueCode(CognitoLocalStore.StoredUser user) throws CognitoError {
        ObjectNode forgot = Json.mapper().createObjectNode().put("ClientId", clientId).put("Username", user.username());
        upstream.call("ForgotPassword", forgot).orThrow();
    }

    /**
     * The user after a new code was issued: waits (briefly) until the file holds a code other than the
     * one read before and the one delivered last (the file may still show either).
     */
    private CognitoLocalStore.StoredUser reread(CognitoLocalStore.StoredUser user) throws CognitoError {
        Optional<String> delivered = Optional.ofNullable(lastDelivered.get(user.username()));
        return store.await(user.username(), u -> u.confirmationCode().isPresent() && !u.confirmationCode().equals(user.confirmationCode())
                && !u.confirmationCode().equals(delivered), FILE_LAG).orElseThrow(CognitoError::userNotFound);
    }

    /** How long a read waits for cognito-local's file to catch up with an answer it already gave. */
    private static final java.time.Duration FILE_LAG = java.time.Duration.ofSeconds(3);

    private void deliverCode(CognitoLocalStore.StoredUser user, String kind, String text) throws CognitoError {
        String code = user.confirmationCode().orElseThrow(
                () -> new CognitoError("InternalErrorException", "cognito-local stored no code for the user"));
        outbox.deliver(user.email(), kind, code, String.format(text, code));
        lastDelivered.put(user.username(), code);
        codes.issued(user.username(), kind.equals("SIGN_UP") || kind.equals("RESEND_CODE")
                ? CodeLimits.Purpose.CONFIRM_SIGN_UP : CodeLimits.Purpose.RESET_PASSWORD);
    }

    /** The code delivered last to each user (by cognito-local username). */
    private final java.util.concurrent.ConcurrentMap<String, String> lastDelivered = new java.util.concurrent.ConcurrentHashMap<>();

    private static JsonNode delivery(String email) {
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.putObject("CodeDeliveryDetails").put("AttributeName", "email").put("DeliveryMedium", "EMAIL")
                .put("Destination", mask(email));
        return reply;
    }

    /** Cognito shows where a code went without revealing the address: {@code j***@e***}. */
    static String mask(String email) {
        int at = email.indexOf('@');
        if (at < 1) {
            return "***";
        }
        String domain = email.substring(at + 1);
        return email.charAt(0) + "***@" + (domain.isEmpty() ? "" : domain.charAt(0)) + "***";
    }

    private static Optional<String> attribute(JsonNode attributes, String name) {
        for (JsonNode attribute : attributes) {
            if (name.equals(attribute.path("Name").asText())) {
                return Optional.of(attribute.path("Value").asText());
            }
        }
        return Optional.empty();
    }
}
