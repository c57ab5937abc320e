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
 * {@code InvalidCredentials}.
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

    public PasskeyService(CognitoGateway cognito, SignIn signIn, Activity activity, UniformTiming uniform, Clock clock,
                          Duration reauthWindow, String rpId, String userVerification, PasskeyNames names) {
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
                Env.optional(env, "PASSKEY_USER_VERIFICATION").orElse("preferred"), c.users().passkeyNames());
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
        activity.record(caller.sub(), ActivityEvent.PASSKEY_ADDED, client);
        String chosen = name.orElse(cognitoName(added));
        try {
            names.put(caller.sub(), added.id(), chosen, createdAt(added));
        } catch (RuntimeException e) {
            // the passkey is registered at Cognito, which is what the caller asked for; the list shows Cognito's name
            LOG.warn("could not store the passkey's name", e, "userId", caller.sub());
        }
        return json(added, chosen);
    }

    /**
     * {@code GET /me/passkeys}: Cognito's passkeys, each with the name its owner gave it. Cognito is the authority on
     * which passkeys exist, and the caller's own token can add or delete one there directly, outside the API
     * (docs/SECURITY.md item 31): a name whose passkey is gone is forgotten, and a passkey without a name gets
     * Cognito's, so the change stream reports either change ({@code passkey.removed}, {@code passkey.added}) and the
     * caller's activity shows it. Best effort: a failure to reconcile never fails the listing.
     */
    public Map<String, Object> list(Caller caller, String accessToken) {
        List<CognitoGateway.Passkey> passkeys = cognito.listWebAuthnCredentials(accessToken);
        Map<String, String> named = reconciled(caller.sub(), passkeys);
        List<Map<String, Object>> items = new ArrayList<>();
        for (CognitoGateway.Passkey p : passkeys) {
            String name = named.get(p.id());
            items.add(json(p, name == null || name.isBlank() ? cognitoName(p) : name));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        return body;
    }

    private Map<String, String> reconciled(String sub, List<CognitoGateway.Passkey> passkeys) {
        try {
            Map<String, String> named = names.all(sub);
            Set<String> atCognito = new HashSet<>();
            for (CognitoGateway.Passkey p : passkeys) {
                atCognito.add(p.id());
                if (!named.containsKey(p.id()) && names.putIfAbsent(sub, p.id(), cognitoName(p), createdAt(p))) {
                    activity.record(sub, ActivityEvent.PASSKEY_ADDED, null);
                    LOG.info("passkey added at Cognito outside the API; reconciled", "userId", sub);
                }
            }
            for (String id : named.keySet()) {
                if (!atCognito.contains(id)) {
                    names.delete(sub, id);
                    activity.record(sub, ActivityEvent.PASSKEY_REMOVED, null);
                    LOG.info("passkey removed at Cognito outside the API; reconciled", "userId", sub);
                }
            }
            return named;
        } catch (RuntimeException e) {
            LOG.warn("could not read or reconcile the passkey names; Cognito's are shown", e, "userId", sub);
            return Map.of();
        }
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
        if (!(outcome instanceof AuthOutcome.Tokens)) {
            throw new InvalidCredentialsException("The passkey, e-mail or session is not valid; start again.");
        }
        return signIn.complete(outcome, email, Optional.empty(), client);
    }

    // ------------------------------------------------------------------------------------------
    // Fake ids and sealed sessions
    // ------------------------------------------------------------------------------------------

    /** A deterministic credential id for an address: HMAC-SHA256 of it, keyed from the client's secret. */
    String fakeCredentialId(String email) {
        return sessions.keyedHash("userapi/passkey/fake-credential", email);
    }

    String seal(String email, String sub, String cognitoSession) {
        return sessions.seal(new SealedSessions.Sealed(email, sub, cognitoSession, null));
    }

    Optional<SealedSessions.Sealed> open(String session) {
        return sessions.open(session);
    }
}
