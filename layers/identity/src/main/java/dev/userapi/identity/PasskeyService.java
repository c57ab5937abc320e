package dev.userapi.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.config.Env;
import dev.userapi.core.http.Caller;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ExpiredCodeException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.ReauthenticationRequiredException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.PasskeyNames;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Passkeys (issue 18 item 1): registration and removal with the caller's own access token (Cognito's
 * {@code StartWebAuthnRegistration}, {@code CompleteWebAuthnRegistration}, {@code ListWebAuthnCredentials},
 * {@code DeleteWebAuthnCredential}), and sign-in through {@code USER_AUTH} with {@code WEB_AUTHN}, completed like a
 * password sign-in ({@link SignIn#complete}: disabled accounts refused, the session registered, {@code SIGN_IN}
 * recorded).
 *
 * <p><b>Uniform sign-in options.</b> {@code POST /auth/passkey/options} answers every address alike: an unknown
 * address, an account without a passkey (or with TOTP on, which Cognito does not offer passkeys to) gets options of
 * the same shape with deterministic fake credential ids — an HMAC of the address keyed from the app client's secret,
 * which the functions read already (no new secret) — stable across calls, and a session of the same length. Every
 * session the API hands out is its own AES-GCM envelope (key also derived from the client's secret) around Cognito's
 * session, or around nothing for the fake ones, padded to one length: no one can tell them apart, and a session is
 * bound to the address it was issued for. A fake session, or an assertion Cognito refuses, answers 401
 * {@code InvalidCredentials}; so does a passkey Cognito accepts that was not registered through the API (no
 * {@code PASSKEY#<sub>} item for its credential id): Cognito's own registration calls take the user's access token
 * alone, so a stolen token could plant one there around the recent-sign-in rule (docs/SECURITY.md item 31).
 */
public final class PasskeyService {
    private static final Log LOG = Log.of(PasskeyService.class);
    /** How long the authenticator may take, in every options answer (real and fake alike). */
    static final long TIMEOUT_MILLIS = Duration.ofMinutes(3).toMillis();

    private final CognitoGateway cognito;
    private final SignIn signIn;
    private final Activity activity;
    private final UniformTiming uniform;
    private final Clock clock;
    private final Duration reauthWindow;
    private final String rpId;
    private final String userVerification;
    private final SealedSessions sessions;
    private final PasskeyNames names;
    private final AuditRepository audit;

    public PasskeyService(CognitoGateway cognito, SignIn signIn, Activity activity, UniformTiming uniform, Clock clock,
                          Duration reauthWindow, String rpId, String userVerification, PasskeyNames names) {
        this(cognito, signIn, activity, uniform, clock, reauthWindow, rpId, userVerification, names, null);
    }

    /** ... auditing a sign-in with a passkey the API never registered ({@code audit} null: not audited). */
    public PasskeyService(CognitoGateway cognito, SignIn signIn, Activity activity, UniformTiming uniform, Clock clock,
                          Duration reauthWindow, String rpId, String userVerification, PasskeyNames names, AuditRepository audit) {
        this.audit = audit;
        this.names = names;
        this.cognito = cognito;
        this.signIn = signIn;
        this.activity = activity;
        this.uniform = uniform;
        this.clock = clock;
        this.reauthWindow = reauthWindow;
        this.rpId = rpId;
        this.userVerification = userVerification;
        this.sessions = new SealedSessions(cognito, "passkey");
    }

    /**
     * From a function's components; {@code PASSKEY_RP_ID} and {@code PASSKEY_USER_VERIFICATION} (the template's
     * {@code PasskeyRelyingPartyId}, {@code PasskeyUserVerification}) shape the uniform sign-in options.
     */
    public static PasskeyService from(Components c, Map<String, String> env) {
        Activity activity = c.activity();
        return new PasskeyService(c.cognito(), new SignIn(c.cognito(), c.users(), c.sessions(), c.provisioning(),
                c.clock(), activity), activity, new UniformTiming(c.config().uniformResponseTime()), c.clock(), c.reauth().window(),
                Env.optional(env, "PASSKEY_RP_ID").orElse(""),
                Env.optional(env, "PASSKEY_USER_VERIFICATION").orElse("preferred"), c.users().passkeyNames(),
                new AuditRepository(c.db(), c.config().tableName()));
    }

    // ------------------------------------------------------------------------------------------
    // The signed-in caller's passkeys
    // ------------------------------------------------------------------------------------------

    /** {@code POST /me/passkeys/options}: recent authentication required (a stolen token cannot plant a passkey). */
    public Map<String, Object> registrationOptions(Caller caller, String accessToken) {
        requireRecentSignIn(caller);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("publicKey", cognito.startWebAuthnRegistration(accessToken));
        return body;
    }

    /**
     * {@code POST /me/passkeys}: Cognito verifies the attestation against the challenge it issued (once); its answer
     * is empty, so the new credential is the one the listing has now that it did not have before.
     */
    public Map<String, Object> register(Caller caller, String accessToken, Map<String, Object> credential, Optional<String> name,
                                        ClientInfo client) {
        requireCredentialShape(credential);
        Set<String> before = new HashSet<>();
        cognito.listWebAuthnCredentials(accessToken).forEach(p -> before.add(p.id()));
        cognito.completeWebAuthnRegistration(accessToken, credential);
        CognitoGateway.Passkey added = cognito.listWebAuthnCredentials(accessToken).stream()
                .filter(p -> !before.contains(p.id())).findFirst()
                .orElseThrow(() -> new InvalidRequestException("The passkey was registered already."));
        String chosen = name.orElse(cognitoName(added));
        try {
            names.put(caller.sub(), added.id(), chosen, createdAt(added));
        } catch (RuntimeException e) {
            // only a passkey with its item signs in (item 31): without one it would be a passkey that never works
            LOG.warn("could not store the new passkey's item; removing it at Cognito", e, "userId", caller.sub());
            try {
                cognito.deleteWebAuthnCredential(accessToken, added.id());
            } catch (RuntimeException again) {
                LOG.warn("could not remove the passkey either; the next listing removes it", again, "userId", caller.sub());
            }
            throw e;
        }
        activity.record(caller.sub(), ActivityEvent.PASSKEY_ADDED, client);
        return json(added, chosen);
    }

    /**
     * {@code GET /me/passkeys}: Cognito's passkeys, each with the name its owner gave it. The caller's own token can add
     * or delete a passkey at Cognito directly, outside the API (docs/SECURITY.md item 31): a name whose passkey is gone
     * is forgotten ({@code passkey.removed}), and a passkey the API never registered — what a stolen token would plant
     * around the recent-sign-in rule — is deleted at Cognito with the caller's token, never adopted, and not listed;
     * either is in the caller's activity ({@code PASSKEY_REMOVED}). Best effort: a failure to reconcile never fails the
     * listing (and then removes nothing).
     */
    public Map<String, Object> list(Caller caller, String accessToken) {
        List<CognitoGateway.Passkey> passkeys = cognito.listWebAuthnCredentials(accessToken);
        Optional<Map<String, String>> named = reconciled(caller.sub(), accessToken, passkeys);
        List<Map<String, Object>> items = new ArrayList<>();
        for (CognitoGateway.Passkey p : passkeys) {
            if (named.isPresent() && !named.get().containsKey(p.id())) {
                continue; // planted at Cognito, removed there
            }
            String name = named.map(n -> n.get(p.id())).orElse(null);
            items.add(json(p, name == null || name.isBlank() ? cognitoName(p) : name));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        return body;
    }

    /** The API's names of the caller's passkeys, after reconciling with Cognito; empty when the names cannot be read. */
    private Optional<Map<String, String>> reconciled(String sub, String accessToken, List<CognitoGateway.Passkey> passkeys) {
        Map<String, String> named;
        try {
            named = names.all(sub);
        } catch (RuntimeException e) {
            LOG.warn("could not read the passkey names; Cognito's are shown", e, "userId", sub);
            return Optional.empty();
        }
        Set<String> atCognito = new HashSet<>();
        for (CognitoGateway.Passkey p : passkeys) {
            atCognito.add(p.id());
            if (!named.containsKey(p.id())) {
                try {
                    cognito.deleteWebAuthnCredential(accessToken, p.id());
                    activity.record(sub, ActivityEvent.PASSKEY_REMOVED, null);
                    LOG.warn("passkey added at Cognito outside the API; removed there", "userId", sub);
                } catch (RuntimeException e) {
                    LOG.warn("could not remove a passkey added at Cognito outside the API; it cannot sign in", e, "userId", sub);
                }
            }
        }
        for (String id : named.keySet()) {
            if (!atCognito.contains(id)) {
                try {
                    names.delete(sub, id);
                    activity.record(sub, ActivityEvent.PASSKEY_REMOVED, null);
                    LOG.info("passkey removed at Cognito outside the API; reconciled", "userId", sub);
                } catch (RuntimeException e) {
                    LOG.warn("could not forget a passkey removed at Cognito", e, "userId", sub);
                }
            }
        }
        return Optional.of(named);
    }

    /** {@code DELETE /me/passkeys/{id}}: recent authentication required; 404 for an id the caller has no passkey by. */
    public void delete(Caller caller, String accessToken, String id, ClientInfo client) {
        requireRecentSignIn(caller);
        cognito.deleteWebAuthnCredential(accessToken, id);
        activity.record(caller.sub(), ActivityEvent.PASSKEY_REMOVED, client);
        try {
            names.delete(caller.sub(), id);
        } catch (RuntimeException e) {
            // the passkey is gone at Cognito; the next listing forgets its name
            LOG.warn("could not forget the removed passkey's name", e, "userId", caller.sub());
        }
    }

    private static final java.util.regex.Pattern BASE64URL = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,1366}");

    /**
     * A WebAuthn credential as a browser serializes it ({@code RegistrationResponseJSON} or
     * {@code AuthenticationResponseJSON}): a base64url {@code id}, {@code type} {@code public-key} and a
     * {@code response} object; anything else is a malformed request (400), before any account is looked at.
     * What the response holds is checked by Cognito's WebAuthn verification.
     */
    static void requireCredentialShape(Map<String, Object> credential) {
        if (!(credential.get("id") instanceof String id) || !BASE64URL.matcher(id).matches()
                || !"public-key".equals(credential.get("type")) || !(credential.get("response") instanceof Map<?, ?>)) {
            throw new InvalidRequestException("'credential' must be a WebAuthn credential in its JSON form: "
                    + "{id (base64url), rawId, type: \"public-key\", response: {...}}.");
        }
    }

    private void requireRecentSignIn(Caller caller) {
        if (!caller.authenticatedWithin(reauthWindow.toSeconds(), clock.instant().getEpochSecond())) {
            throw new ReauthenticationRequiredException();
        }
    }

    private static String cognitoName(CognitoGateway.Passkey passkey) {
        return passkey.name() == null || passkey.name().isBlank() ? "Passkey" : passkey.name();
    }

    private Instant createdAt(CognitoGateway.Passkey passkey) {
        return passkey.createdAt() == null ? clock.instant() : passkey.createdAt();
    }

    private static Map<String, Object> json(CognitoGateway.Passkey passkey, String name) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", passkey.id());
        item.put("name", name);
        item.put("createdAt", passkey.createdAt() == null ? null : passkey.createdAt().toString());
        return item;
    }

    // ------------------------------------------------------------------------------------------
    // Signing in with a passkey
    // ------------------------------------------------------------------------------------------

    /** {@code POST /auth/passkey/options}: uniform (see the class comment), in at least the uniform time. */
    public Map<String, Object> signInOptions(String email) {
        if (rpId.isBlank()) {
            // passkeys off (no PasskeyRelyingPartyId): the same 503 for every address, before any look-up
            throw new dev.userapi.core.problem.ServiceUnavailableException("Passkeys are not enabled for this deployment.");
        }
        return uniform.run(() -> {
            Optional<String> sub = Optional.empty();
            Optional<CognitoGateway.AuthChallenge> started = Optional.empty();
            try {
                CognitoUser user = cognito.adminGetUser(email);
                sub = Optional.of(user.sub());
                started = Optional.of(cognito.startPasskeySignIn(user.sub()));
            } catch (UserNotFoundException | InvalidCredentialsException | InvalidRequestException e) {
                LOG.info("passkey sign-in options for an address that cannot use one", "reason", e.code().name());
            }
            Map<String, Object> publicKey = new LinkedHashMap<>();
            List<String> ids = List.of(fakeCredentialId(email));
            String challenge = SealedSessions.b64(SealedSessions.random(32));
            String session = null;
            if (started.isPresent() && "WEB_AUTHN".equals(started.get().name())) {
                try {
                    JsonNode options = Json.readTree(started.get().parameters().getOrDefault("CREDENTIAL_REQUEST_OPTIONS", "{}"));
                    List<String> real = new ArrayList<>();
                    options.path("allowCredentials").forEach(c -> real.add(c.path("id").asText()));
                    if (!real.isEmpty() && options.hasNonNull("challenge")) {
                        ids = real;
                        challenge = options.path("challenge").asText();
                        session = seal(email, sub.get(), started.get().session());
                    }
                } catch (IOException e) {
                    LOG.warn("Cognito's passkey options are not JSON; answering the uniform ones", "userId", sub.get());
                }
            }
            publicKey.put("challenge", challenge);
            publicKey.put("timeout", TIMEOUT_MILLIS);
            publicKey.put("rpId", rpId);
            List<Map<String, Object>> allow = new ArrayList<>();
            ids.forEach(id -> {
                Map<String, Object> credential = new LinkedHashMap<>();
                credential.put("type", "public-key");
                credential.put("id", id);
                allow.add(credential);
            });
            publicKey.put("allowCredentials", allow);
            publicKey.put("userVerification", userVerification);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("session", session != null ? session : seal(email, null, null));
            body.put("publicKey", publicKey);
            return body;
        });
    }

    /** {@code POST /auth/passkey}: 401 {@code InvalidCredentials} for anything that does not verify. */
    public AuthOutcome signIn(String email, String session, Map<String, Object> credential, ClientInfo client) {
        requireCredentialShape(credential);
        // in at least the uniform time: a fake session's refusal takes as long as Cognito's (no timing oracle)
        return uniform.run(() -> signInNow(email, session, credential, client));
    }

    private AuthOutcome signInNow(String email, String session, Map<String, Object> credential, ClientInfo client) {
        Optional<SealedSessions.Sealed> opened = open(session).filter(s -> s.email().equals(email));
        if (opened.isEmpty() || opened.get().sub() == null) {
            activity.failedSignIn(email, client);
            throw new InvalidCredentialsException("The passkey, e-mail or session is not valid; start again.");
        }
        AuthOutcome outcome;
        try {
            outcome = cognito.answerPasskey(opened.get().sub(), opened.get().cognitoSession(), Json.write(credential));
        } catch (InvalidCredentialsException | InvalidRequestException | CodeMismatchException | ExpiredCodeException
                 | UserNotFoundException e) {
            activity.failedSignIn(email, client);
            throw new InvalidCredentialsException("The passkey, e-mail or session is not valid; start again.");
        }
        if (!(outcome instanceof AuthOutcome.Tokens tokens)) {
            throw new InvalidCredentialsException("The passkey, e-mail or session is not valid; start again.");
        }
        String sub = opened.get().sub();
        String credentialId = (String) credential.get("id");
        boolean registered;
        try {
            registered = names.exists(sub, credentialId);
        } catch (RuntimeException e) {
            signIn.revokeIssued(tokens.tokens()); // fail closed: no tokens for a passkey the API cannot vouch for
            throw e;
        }
        if (!registered) {
            refuseUnregistered(sub, credentialId, tokens.tokens(), email, client);
        }
        return signIn.complete(outcome, email, Optional.empty(), client);
    }

    /**
     * A passkey Cognito accepted that the API never registered: planted at Cognito with the user's own (perhaps stolen)
     * access token, around the recent-sign-in rule (docs/SECURITY.md item 31). Refused with the answer of a bad
     * assertion; the credential is deleted at Cognito with the tokens just issued, which are then revoked.
     */
    private void refuseUnregistered(String sub, String credentialId, AuthTokens issued, String email, ClientInfo client) {
        LOG.warn("passkey sign-in with a credential the API never registered; refused and removed", "userId", sub);
        try {
            cognito.deleteWebAuthnCredential(issued.accessToken(), credentialId);
            activity.record(sub, ActivityEvent.PASSKEY_REMOVED, client);
        } catch (RuntimeException e) {
            LOG.warn("could not remove the unregistered passkey at Cognito; it still cannot sign in", e, "userId", sub);
        }
        signIn.revokeIssued(issued);
        activity.failedSignIn(email, client);
        if (audit != null) {
            try {
                audit.append(new AuditEntry(clock.instant(), sub, "user.passkey.refused", sub,
                        Map.of("reason", "a passkey registered at Cognito outside the API; deleted there")));
            } catch (RuntimeException e) {
                LOG.warn("could not audit the refused passkey sign-in", e, "userId", sub);
            }
        }
        throw new InvalidCredentialsException("The passkey, e-mail or session is not valid; start again.");
    }

    // ------------------------------------------------------------------------------------------
    // Fake ids and sealed sessions
    // ------------------------------------------------------------------------------------------

    /**
     * Lengths of real credential ids, in bytes (U2F-era security keys 64; platform authenticators and passkey providers
     * 16, 20 or 32): a fake id takes one of them, so its length does not tell it from a real one.
     */
    static final int[] CREDENTIAL_ID_LENGTHS = {16, 20, 32, 64};

    /**
     * A deterministic credential id for an address: keyed hashes of it (key from the client's secret), its length
     * drawn from {@link #CREDENTIAL_ID_LENGTHS} by a keyed hash too — stable per address, unpredictable without the key.
     */
    String fakeCredentialId(String email) {
        byte[] pick = sessions.keyedBytes("userapi/passkey/fake-credential-length", email);
        int length = CREDENTIAL_ID_LENGTHS[Byte.toUnsignedInt(pick[0]) % CREDENTIAL_ID_LENGTHS.length];
        byte[] first = sessions.keyedBytes("userapi/passkey/fake-credential", email);
        byte[] second = sessions.keyedBytes("userapi/passkey/fake-credential/2", email);
        byte[] id = new byte[length];
        System.arraycopy(first, 0, id, 0, Math.min(length, first.length));
        if (length > first.length) {
            System.arraycopy(second, 0, id, first.length, length - first.length);
        }
        return SealedSessions.b64(id);
    }

    String seal(String email, String sub, String cognitoSession) {
        return sessions.seal(new SealedSessions.Sealed(email, sub, cognitoSession, null));
    }

    Optional<SealedSessions.Sealed> open(String session) {
        return sessions.open(session);
    }
}
