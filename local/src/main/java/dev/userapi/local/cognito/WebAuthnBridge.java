package dev.userapi.local.cognito;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import dev.userapi.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passkeys (WebAuthn), which cognito-local lacks entirely, with real verification by webauthn4j (never hand-written
 * CBOR/COSE parsing): {@code StartWebAuthnRegistration}, {@code CompleteWebAuthnRegistration},
 * {@code ListWebAuthnCredentials}, {@code DeleteWebAuthnCredential} with the user's own access token, and the
 * {@code USER_AUTH} flow's {@code WEB_AUTHN} challenge ({@code InitiateAuth}/{@code AdminInitiateAuth} with
 * {@code PREFERRED_CHALLENGE=WEB_AUTHN}, then {@code RespondToAuthChallenge} with {@code CREDENTIAL}).
 *
 * <p>As on Cognito: registration accepts ES256 and RS256 keys and {@code none} attestation; each registration and each
 * sign-in challenge is used once (taken before it is checked) and lives three minutes (the client's
 * {@code AuthSessionValidity}); the client data's origin must be one of the template's {@code AllowedOrigins}, the
 * authenticator data's RP id hash that of the pool's {@code WebAuthnRelyingPartyID} ({@code localhost} locally); the
 * signature counter must grow (webauthn4j refuses one that does not, unless both are zero); user verification is
 * required when the pool's {@code WebAuthnUserVerification} is {@code required}. An account with TOTP on is not
 * offered passkey sign-in (Cognito: MFA and passwordless do not mix). Credentials are kept in a file beside
 * cognito-local's own data, so a persistent local stack keeps them across restarts.
 */
final class WebAuthnBridge {
    static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(3);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

    /** Gives a user, whose passkey assertion verified, the tokens of a sign-in (as a password sign-in's). */
    @FunctionalInterface
    interface Issuer {
        JsonNode issue(CognitoLocalStore.StoredUser user) throws CognitoError;
    }

    /** A stored credential (JSON in the credentials file). */
    record Stored(String id, String sub, String attestedCredentialData, long signCount, boolean uvInitialized,
                  Boolean backupEligible, Boolean backupState, double createdAt, Double lastUsedAt) {
    }

    private record Pending(String sub, byte[] challenge, long until) {
    }

    private final CognitoCompat.Passkeys config;
    private final AccessTokens tokens;
    private final CognitoLocalStore store;
    private final Clock clock;
    private final Path file;
    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter attested = new AttestedCredentialDataConverter(new ObjectConverter());
    private final Map<String, Stored> credentials = new ConcurrentHashMap<>();
    private final Map<String, Pending> registrations = new ConcurrentHashMap<>();
    private final Map<String, Pending> signIns = new ConcurrentHashMap<>();

    WebAuthnBridge(CognitoCompat.Passkeys config, AccessTokens tokens, CognitoLocalStore store, Clock clock, Path file) {
        this.config = config;
        this.tokens = tokens;
        this.store = store;
        this.clock = clock;
        this.file = file;
        load();
    }

    void register(Map<String, Operation> operations) {
        operations.put("StartWebAuthnRegistration", this::startRegistration);
        operations.put("CompleteWebAuthnRegistration", this::completeRegistration);
        operations.put("ListWebAuthnCredentials", this::list);
        operations.put("DeleteWebAuthnCredential", this::delete);
    }

    private void requireEnabled() throws CognitoError {
        if (config.rpId() == null) {
            throw new CognitoError("WebAuthnNotEnabledException", "Passkeys are not enabled for this user pool (no WebAuthnRelyingPartyID).");
        }
    }

    private JsonNode startRegistration(ObjectNode request) throws CognitoError {
        AccessTokens.AccessToken caller = tokens.verifySelfService(request.path("AccessToken").asText(null));
        requireEnabled();
        CognitoLocalStore.StoredUser user = store.find(caller.sub()).orElseThrow(CognitoError::userNotFound);
        byte[] challenge = random(32);
        registrations.put(caller.sub(), new Pending(caller.sub(), challenge, deadline()));
        ObjectNode options = Json.mapper().createObjectNode();
        options.putObject("rp").put("id", config.rpId()).put("name", config.rpId());
        options.putObject("user").put("id", b64(caller.sub().getBytes(StandardCharsets.UTF_8)))
                .put("name", user.email()).put("displayName", user.email());
        options.put("challenge", b64(challenge));
        ArrayNode params = options.putArray("pubKeyCredParams");
        params.addObject().put("type", "public-key").put("alg", -7);
        params.addObject().put("type", "public-key").put("alg", -257);
        options.put("timeout", CHALLENGE_LIFETIME.toMillis());
        ArrayNode exclude = options.putArray("excludeCredentials");
        credentials.values().stream().filter(c -> c.sub().equals(caller.sub()))
                .forEach(c -> exclude.addObject().put("type", "public-key").put("id", c.id()));
        options.putObject("authenticatorSelection").put("residentKey", "required")
                .put("userVerification", config.userVerificationRequired() ? "required" : "preferred");
        options.put("attestation", "none");
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.set("CredentialCreationOptions", options);
        return reply;
    }

    private JsonNode completeRegistration(ObjectNode request) throws CognitoError {
        AccessTokens.AccessToken caller = tokens.verifySelfService(request.path("AccessToken").asText(null));
        requireEnabled();
        Pending pending = registrations.remove(caller.sub()); // single use, whatever the outcome
        if (pending == null || pending.until() < clock.millis()) {
            throw new CognitoError("WebAuthnChallengeNotFoundException", "No registration was started, or it expired.");
        }
        JsonNode credential = request.path("Credential");
        if (!credential.isObject()) {
            throw CognitoError.invalidParameter("Credential must be a RegistrationResponseJSON object.");
        }
        RegistrationData data;
        try {
            data = manager.verify(manager.parseRegistrationResponseJSON(Json.write(credential)),
                    new RegistrationParameters(server(pending.challenge()), ALGORITHMS, config.userVerificationRequired(), true));
        } catch (RuntimeException e) { // webauthn4j's VerificationException, DataConversionException, and malformed input
            throw refusal(e);
        }
        var attestationObject = data.getAttestationObject();
        if (attestationObject == null || attestationObject.getAuthenticatorData().getAttestedCredentialData() == null) {
            throw CognitoError.invalidParameter("The attestation carries no credential.");
        }
        if (!NoneAttestationStatement.FORMAT.equals(attestationObject.getFormat())) {
            throw new CognitoError("WebAuthnCredentialNotSupportedException", "Only 'none' attestation is accepted locally.");
        }
        AuthenticatorData<?> authenticatorData = attestationObject.getAuthenticatorData();
        AttestedCredentialData credentialData = authenticatorData.getAttestedCredentialData();
        String id = b64(credentialData.getCredentialId());
        Stored stored = new Stored(id, caller.sub(), b64(attested.convert(credentialData)), authenticatorData.getSignCount(),
                authenticatorData.isFlagUV(), authenticatorData.isFlagBE(), authenticatorData.isFlagBS(), clock.millis() / 1000.0, null);
        if (credentials.putIfAbsent(id, stored) != null) {
            throw CognitoError.invalidParameter("This credential is registered already.");
        }
        save();
        return Json.mapper().createObjectNode();
    }

    private JsonNode list(ObjectNode request) throws CognitoError {
        AccessTokens.AccessToken caller = tokens.verifySelfService(request.path("AccessToken").asText(null));
        ObjectNode reply = Json.mapper().createObjectNode();
        ArrayNode items = reply.putArray("Credentials");
        credentials.values().stream().filter(c -> c.sub().equals(caller.sub()))
                .sorted(java.util.Comparator.comparingDouble(Stored::createdAt))
                .forEach(c -> {
                    ObjectNode item = items.addObject().put("CredentialId", c.id()).put("RelyingPartyId", config.rpId())
                            .put("CreatedAt", c.createdAt());
                    item.putArray("AuthenticatorTransports");
                });
        return reply;
    }

    private JsonNode delete(ObjectNode request) throws CognitoError {
        AccessTokens.AccessToken caller = tokens.verifySelfService(request.path("AccessToken").asText(null));
        String id = request.path("CredentialId").asText("");
        Stored stored = credentials.get(id);
        if (stored == null || !stored.sub().equals(caller.sub()) || !credentials.remove(id, stored)) {
            throw new CognitoError("ResourceNotFoundException", "The credential was not found.");
        }
        save();
        return Json.mapper().createObjectNode();
    }

    /**
     * {@code USER_AUTH}: the {@code WEB_AUTHN} challenge when it is asked for and the user can answer it (passkeys on,
     * at least one credential, no TOTP); otherwise {@code SELECT_CHALLENGE} with what the user could use.
     */
    JsonNode initiate(ObjectNode request) throws CognitoError {
        JsonNode parameters = request.path("AuthParameters");
        String username = parameters.path("USERNAME").asText("");
        CognitoLocalStore.StoredUser user = store.find(username).orElseThrow(
                () -> CognitoError.notAuthorized("Incorrect username or password."));
        if (!user.enabled()) {
            throw CognitoError.notAuthorized("User is disabled.");
        }
        boolean totp = store.credentials(user.username()).map(CognitoLocalStore.Credentials::totp).orElse(false);
        List<String> allowed = credentials.values().stream().filter(c -> c.sub().equals(user.sub())).map(Stored::id).toList();
        boolean passkey = config.rpId() != null && !allowed.isEmpty() && !totp;
        String session = b64(random(48));
        ObjectNode reply = Json.mapper().createObjectNode();
        if (passkey && "WEB_AUTHN".equals(parameters.path("PREFERRED_CHALLENGE").asText())) {
            byte[] challenge = random(32);
            signIns.put(session, new Pending(user.sub(), challenge, deadline()));
            ObjectNode options = Json.mapper().createObjectNode();
            options.put("challenge", b64(challenge));
            options.put("timeout", CHALLENGE_LIFETIME.toMillis());
            options.put("rpId", config.rpId());
            ArrayNode allow = options.putArray("allowCredentials");
            allowed.forEach(id -> allow.addObject().put("type", "public-key").put("id", id));
            options.put("userVerification", config.userVerificationRequired() ? "required" : "preferred");
            reply.put("ChallengeName", "WEB_AUTHN");
            reply.put("Session", session);
            reply.putObject("ChallengeParameters").put("CREDENTIAL_REQUEST_OPTIONS", Json.write(options))
                    .put("USERNAME", user.username());
            return reply;
        }
        reply.put("ChallengeName", "SELECT_CHALLENGE");
        reply.put("Session", session);
        reply.putObject("ChallengeParameters");
        ArrayNode available = reply.putArray("AvailableChallenges");
        available.add("PASSWORD");
        if (passkey) {
            available.add("WEB_AUTHN");
        }
        return reply;
    }

    /** {@code RespondToAuthChallenge} with {@code WEB_AUTHN}: the assertion verified against the session's challenge. */
    JsonNode respond(ObjectNode request, Issuer issuer) throws CognitoError {
        Pending pending = signIns.remove(request.path("Session").asText("")); // single use, whatever the outcome
        if (pending == null || pending.until() < clock.millis()) {
            throw CognitoError.notAuthorized("Invalid session for the user, session is expired.");
        }
        JsonNode responses = request.path("ChallengeResponses");
        CognitoLocalStore.StoredUser user = store.find(responses.path("USERNAME").asText(""))
                .filter(u -> u.sub().equals(pending.sub()))
                .orElseThrow(() -> CognitoError.notAuthorized("Incorrect username or password."));
        AuthenticationData data;
        Stored stored;
        try {
            data = manager.parseAuthenticationResponseJSON(responses.path("CREDENTIAL").asText(""));
            stored = credentials.get(b64(data.getCredentialId()));
            if (stored == null || !stored.sub().equals(user.sub())) {
                throw CognitoError.notAuthorized("The passkey is not registered for this user.");
            }
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), stored.uvInitialized(),
                    stored.backupEligible(), stored.backupState(), stored.signCount(),
                    attested.convert(Base64.getUrlDecoder().decode(stored.attestedCredentialData())), null, null, null, null);
            manager.verify(data, new AuthenticationParameters(server(pending.challenge()), record,
                    List.of(data.getCredentialId()), config.userVerificationRequired(), true));
        } catch (RuntimeException e) { // webauthn4j's VerificationException, DataConversionException, and malformed input
            throw CognitoError.notAuthorized("The passkey assertion did not verify: " + e.getClass().getSimpleName());
        }
        long count = data.getAuthenticatorData() == null ? stored.signCount() : data.getAuthenticatorData().getSignCount();
        credentials.computeIfPresent(stored.id(), (id, c) -> new Stored(c.id(), c.sub(), c.attestedCredentialData(),
                Math.max(count, c.signCount()), c.uvInitialized(), c.backupEligible(), c.backupState(), c.createdAt(),
                clock.millis() / 1000.0));
        save();
        return issuer.issue(user);
    }

    private ServerProperty server(byte[] challenge) {
        Set<Origin> origins = new java.util.LinkedHashSet<>();
        config.origins().forEach(o -> origins.add(new Origin(o)));
        return new ServerProperty(origins, config.rpId(), new DefaultChallenge(challenge));
    }

    private static CognitoError refusal(Exception e) {
        if (e instanceof BadOriginException) {
            return new CognitoError("WebAuthnOriginNotAllowedException", "The credential's origin is not allowed.");
        }
        if (e instanceof BadRpIdException) {
            return new CognitoError("WebAuthnRelyingPartyMismatchException", "The credential is for another relying party.");
        }
        if (e instanceof BadChallengeException) {
            return new CognitoError("WebAuthnChallengeNotFoundException", "The credential answers another challenge.");
        }
        return new CognitoError("WebAuthnClientMismatchException", "The credential did not verify: " + e.getClass().getSimpleName());
    }

    private long deadline() {
        return clock.millis() + CHALLENGE_LIFETIME.toMillis();
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private synchronized void save() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(new ArrayList<>(credentials.values())), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[cognito-compat] cannot save the passkeys file " + file + ": " + e.getMessage());
        }
    }

    private void load() {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            List<Stored> stored = Json.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), new TypeReference<List<Stored>>() { });
            Map<String, Stored> byId = new LinkedHashMap<>();
            stored.forEach(c -> byId.put(c.id(), c));
            credentials.putAll(byId);
        } catch (IOException e) {
            System.err.println("[cognito-compat] cannot read the passkeys file " + file + ": " + e.getMessage());
        }
    }
}
