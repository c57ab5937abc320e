package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.ReauthenticationRequiredException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.http.Caller;
import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.user.PasskeyNames;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The passkey sign-in's uniform answers (issue 18): fake credential ids are a keyed hash of the address (stable,
 * different per address and per key), every session is a sealed envelope of one length bound to its address, a fake
 * session never reaches Cognito, and a malformed credential is a 400 before anything is looked up.
 */
class PasskeyServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Map<String, Object> CREDENTIAL = Map.of("id", "AAAA", "type", "public-key", "response", Map.of());

    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final PasskeyNames names = mock(PasskeyNames.class);
    private final Activity activity = mock(Activity.class);

    private PasskeyService service() {
        UserRepository users = mock(UserRepository.class);
        return new PasskeyService(cognito, new SignIn(cognito, users, mock(SessionRepository.class), null, clock), activity,
                new UniformTiming(Duration.ZERO), clock, Duration.ofMinutes(5), "localhost", "preferred", names);
    }

    @Test
    void fakeCredentialIds_areStablePerAddress_differBetweenAddresses_andDependOnTheKey() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        PasskeyService one = service();
        String ada = one.fakeCredentialId("ada@example.com");

        assertThat(one.fakeCredentialId("ada@example.com")).isEqualTo(ada).matches("[A-Za-z0-9_-]+");
        assertThat(one.fakeCredentialId("eve@example.com")).isNotEqualTo(ada);
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-two"));
        assertThat(service().fakeCredentialId("ada@example.com")).as("nobody without the key can compute them").isNotEqualTo(ada);
    }

    @Test
    void sessions_realAndFake_haveOneLength_openOnlyWithTheKey_andCarryTheirAddress() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        PasskeyService service = service();
        String real = service.seal("ada@example.com", "sub-ada", "c".repeat(900));
        String fake = service.seal("eve@example.com", null, null);

        assertThat(real).hasSameSizeAs(fake);
        assertThat(service.open(real)).contains(new SealedSessions.Sealed("ada@example.com", "sub-ada", "c".repeat(900), null));
        assertThat(service.open(fake)).contains(new SealedSessions.Sealed("eve@example.com", null, null, null));
        assertThat(service.open(real.substring(0, real.length() - 2) + "AA")).as("tampered").isEmpty();
        assertThat(service.open("AYABeHJ1c2Vzc2lvbg")).isEmpty();
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-two"));
        assertThat(service().open(real)).as("another key").isEmpty();
    }

    @Test
    void unknownAddress_andAccountWithoutPasskey_getOptionsShapedLikeARealOne() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        when(cognito.adminGetUser("nobody@example.com")).thenThrow(new UserNotFoundException());
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", false));
        when(cognito.startPasskeySignIn("sub-ada")).thenReturn(new CognitoGateway.AuthChallenge("SELECT_CHALLENGE", Map.of(), "s"));
        when(cognito.adminGetUser("eve@example.com")).thenReturn(new CognitoUser("sub-eve", Map.of("sub", "sub-eve"), true, "CONFIRMED", false));
        when(cognito.startPasskeySignIn("sub-eve")).thenReturn(new CognitoGateway.AuthChallenge("WEB_AUTHN", Map.of("CREDENTIAL_REQUEST_OPTIONS",
                "{\"challenge\":\"Y2hhbGxlbmdl\",\"rpId\":\"localhost\",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"cmVhbA\","
                        + "\"transports\":[\"internal\"]}],\"userVerification\":\"preferred\",\"timeout\":180000}"), "cognito-session"));
        PasskeyService service = service();

        Map<String, Object> unknown = service.signInOptions("nobody@example.com");
        Map<String, Object> without = service.signInOptions("ada@example.com");
        Map<String, Object> real = service.signInOptions("eve@example.com");

        for (Map<String, Object> answer : List.of(unknown, without, real)) {
            assertThat(answer.keySet()).containsExactly("session", "publicKey");
            @SuppressWarnings("unchecked")
            Map<String, Object> publicKey = (Map<String, Object>) answer.get("publicKey");
            assertThat(publicKey.keySet()).containsExactly("challenge", "timeout", "rpId", "allowCredentials", "userVerification");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> allow = (List<Map<String, Object>>) publicKey.get("allowCredentials");
            assertThat(allow).hasSize(1);
            assertThat(allow.get(0).keySet()).as("no transports: a fake could not say them").containsExactly("type", "id");
            assertThat(((String) answer.get("session")).length()).isEqualTo(((String) real.get("session")).length());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> realIds = (List<Map<String, Object>>) ((Map<String, Object>) real.get("publicKey")).get("allowCredentials");
        assertThat(realIds.get(0).get("id")).isEqualTo("cmVhbA");
        assertThat(service.open((String) real.get("session"))).contains(new SealedSessions.Sealed("eve@example.com", "sub-eve", "cognito-session", null));
    }

    /** Real credential ids are 16, 20, 32 or 64 bytes long; fake ones too, each address always the same length. */
    @Test
    void fakeCredentialIds_haveTheLengthsOfRealOnes_stablePerAddress() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        PasskeyService service = service();
        Set<Integer> lengths = new java.util.TreeSet<>();
        for (int i = 0; i < 200; i++) {
            String email = "user" + i + "@example.com";
            int bytes = java.util.Base64.getUrlDecoder().decode(service.fakeCredentialId(email)).length;
            assertThat(bytes).isIn(16, 20, 32, 64);
            assertThat(java.util.Base64.getUrlDecoder().decode(service.fakeCredentialId(email))).hasSize(bytes);
            lengths.add(bytes);
        }

        assertThat(lengths).as("every length occurs (200 addresses)").containsExactly(16, 20, 32, 64);
    }

    @Test
    void aFakeSession_orOneForAnotherAddress_isRefused_withoutAskingCognito() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        PasskeyService service = service();
        ClientInfo client = new ClientInfo("203.0.113.7", "test");

        assertThatThrownBy(() -> service.signIn("eve@example.com", service.seal("eve@example.com", null, null), CREDENTIAL, client))
                .isInstanceOf(InvalidCredentialsException.class);
        assertThatThrownBy(() -> service.signIn("eve@example.com", service.seal("ada@example.com", "sub-ada", "s"), CREDENTIAL, client))
                .isInstanceOf(InvalidCredentialsException.class);
        verify(cognito, never()).answerPasskey(anyString(), anyString(), anyString());
    }

    @Test
    void aMalformedCredential_isABadRequest() {
        List<Map<String, Object>> malformed = List.of(Map.of("value", "x"), Map.of("id", "not base64!", "type", "public-key",
                "response", Map.of()), Map.of("id", "AAAA", "type", "password", "response", Map.of()), Map.of("id", "AAAA", "type", "public-key",
                "response", "x"));
        for (Map<String, Object> bad : malformed) {
            assertThatThrownBy(() -> PasskeyService.requireCredentialShape(bad)).as(bad.toString()).isInstanceOf(InvalidRequestException.class);
        }
        PasskeyService.requireCredentialShape(CREDENTIAL);
    }

    @Test
    void withPasskeysOff_theOptionsAre503_forEveryAddress_beforeAnyLookUp() {
        PasskeyService off = new PasskeyService(cognito, new SignIn(cognito, mock(UserRepository.class), mock(SessionRepository.class), null,
                clock), Activity.NONE, new UniformTiming(Duration.ZERO), clock, Duration.ofMinutes(5), "", "preferred", names);

        assertThatThrownBy(() -> off.signInOptions("ada@example.com"))
                .isInstanceOf(dev.userapi.core.problem.ServiceUnavailableException.class);
        verify(cognito, never()).adminGetUser(anyString());
    }

    @Test
    void registeringOrRemoving_needsARecentSignIn() {
        PasskeyService service = service();
        Caller old = new Caller("sub-ada", "sub-ada", Set.of("user"), NOW.getEpochSecond() - 301);

        assertThatThrownBy(() -> service.registrationOptions(old, "token")).isInstanceOf(ReauthenticationRequiredException.class);
        assertThatThrownBy(() -> service.delete(old, "token", "AAAA", null)).isInstanceOf(ReauthenticationRequiredException.class);
        verify(cognito, never()).startWebAuthnRegistration(anyString());
        verify(cognito, never()).deleteWebAuthnCredential(anyString(), anyString());
    }

    private static final Caller ADA = new Caller("sub-ada", "sub-ada", Set.of("user"), NOW.getEpochSecond());
    private static final Instant CREATED = Instant.parse("2026-12-01T09:00:00Z");

    private static CognitoGateway.Passkey atCognito(String id, String friendlyName) {
        return new CognitoGateway.Passkey(id, friendlyName, CREATED);
    }

    @Test
    void theNameGivenAtRegistration_isStored_andListed_whereCognitoKeepsItsOwn() {
        PasskeyService service = service();
        when(cognito.listWebAuthnCredentials("token")).thenReturn(List.of(), List.of(atCognito("AAAA", "Chrome on Linux")));

        Map<String, Object> registered = service.register(ADA, "token", CREDENTIAL, Optional.of("Work laptop"), null);

        assertThat(registered).containsEntry("id", "AAAA").containsEntry("name", "Work laptop");
        verify(names).put("sub-ada", "AAAA", "Work laptop", CREATED);

        when(cognito.listWebAuthnCredentials("token")).thenReturn(List.of(atCognito("AAAA", "Chrome on Linux")));
        when(names.all("sub-ada")).thenReturn(Map.of("AAAA", "Work laptop"));
        assertThat(service.list(ADA, "token").get("items").toString()).contains("name=Work laptop").doesNotContain("Chrome on Linux");
        verify(names, never()).putIfAbsent(anyString(), anyString(), anyString(), any());
        verify(names, never()).delete(anyString(), anyString());
    }

    @Test
    void withoutAName_Cognitos_isStoredAndShown() {
        PasskeyService service = service();
        when(cognito.listWebAuthnCredentials("token")).thenReturn(List.of(), List.of(atCognito("AAAA", "Chrome on Linux")));

        assertThat(service.register(ADA, "token", CREDENTIAL, Optional.empty(), null)).containsEntry("name", "Chrome on Linux");
        verify(names).put("sub-ada", "AAAA", "Chrome on Linux", CREATED);
    }

    @Test
    void b31_aPasskeyAddedAtCognitoDirectly_isRemovedThere_andOneRemovedThere_isForgotten_withActivity() {
        PasskeyService service = service();
        // "BBBB" was planted with the user's own token at Cognito, outside the API; "GONE" was deleted there
        when(cognito.listWebAuthnCredentials("token")).thenReturn(List.of(atCognito("AAAA", "x"), atCognito("BBBB", "Safari on macOS")));
        when(names.all("sub-ada")).thenReturn(Map.of("AAAA", "Phone", "GONE", "Old key"));

        String items = service.list(ADA, "token").get("items").toString();

        assertThat(items).contains("name=Phone").doesNotContain("BBBB", "Safari on macOS", "Old key", "GONE");
        verify(cognito).deleteWebAuthnCredential("token", "BBBB");
        verify(names, never()).putIfAbsent(anyString(), anyString(), anyString(), any());
        verify(names, never()).put(anyString(), anyString(), anyString(), any());
        verify(names).delete("sub-ada", "GONE");
        verify(activity, never()).record(eq("sub-ada"), eq(ActivityEvent.PASSKEY_ADDED), any());
        verify(activity, times(2)).record(eq("sub-ada"), eq(ActivityEvent.PASSKEY_REMOVED), isNull());
    }

    /**
     * A stolen access token can register a passkey at Cognito directly (around the API's recent-sign-in rule): Cognito
     * accepts its assertion, the API does not. Refused like a bad assertion; the credential removed at Cognito with the
     * tokens just issued, which are then revoked (Cognito's refresh token, and the session at the authorizer).
     */
    @Test
    void b31_aPasskeyTheApiNeverRegistered_isRefusedLikeABadAssertion_removed_andItsTokensRevoked() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        UserRepository users = mock(UserRepository.class);
        dev.userapi.core.user.AuditRepository audit = mock(dev.userapi.core.user.AuditRepository.class);
        PasskeyService service = new PasskeyService(cognito, new SignIn(cognito, users, mock(SessionRepository.class), null, clock),
                activity, new UniformTiming(Duration.ZERO), clock, Duration.ofMinutes(5), "localhost", "preferred", names, audit);
        ClientInfo client = new ClientInfo("203.0.113.7", "test");
        String access = jwt("{\"sub\":\"sub-ada\",\"username\":\"sub-ada\",\"iat\":" + NOW.getEpochSecond()
                + ",\"origin_jti\":\"origin-1\"}");
        when(cognito.answerPasskey(eq("sub-ada"), eq("s"), anyString()))
                .thenReturn(new AuthOutcome.Tokens(new AuthTokens(access, "id-token", "refresh-token", 3600)));
        when(names.exists("sub-ada", "AAAA")).thenReturn(false);
        String session = service.seal("ada@example.com", "sub-ada", "s");

        assertThatThrownBy(() -> service.signIn("ada@example.com", session, CREDENTIAL, client))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessage("The passkey, e-mail or session is not valid; start again.");

        var order = org.mockito.Mockito.inOrder(cognito, users);
        order.verify(cognito).deleteWebAuthnCredential(access, "AAAA");
        order.verify(users).revokeSession(eq("sub-ada"), eq("origin-1"), org.mockito.ArgumentMatchers.anyLong());
        order.verify(cognito).revoke("refresh-token");
        verify(users, never()).findRecord(anyString()); // no sign-in was completed: no session registered
        verify(activity).record("sub-ada", ActivityEvent.PASSKEY_REMOVED, client);
        verify(activity).failedSignIn("ada@example.com", client);
        verify(activity, never()).record(anyString(), eq(ActivityEvent.SIGN_IN), any());
        verify(audit).append(org.mockito.ArgumentMatchers.argThat(e -> e.action().equals("user.passkey.refused")
                && e.target().equals("sub-ada") && e.at().equals(NOW)));
    }

    private static String jwt(String payload) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".sig";
    }

    @Test
    void aStoreThatFails_neverFailsTheListing_andCognitosNamesAreShown() {
        PasskeyService service = service();
        when(cognito.listWebAuthnCredentials("token")).thenReturn(List.of(atCognito("AAAA", "Chrome on Linux")));
        when(names.all("sub-ada")).thenThrow(new dev.userapi.core.problem.ServiceUnavailableException("down"));

        assertThat(service.list(ADA, "token").get("items").toString()).contains("id=AAAA", "name=Chrome on Linux");
    }

    @Test
    void removingAPasskey_forgetsItsName_onlyAfterCognitoRemovedIt() {
        PasskeyService service = service();
        org.mockito.Mockito.doThrow(new dev.userapi.core.problem.NotFoundException("no such passkey"))
                .when(cognito).deleteWebAuthnCredential("token", "NOT-MINE");

        assertThatThrownBy(() -> service.delete(ADA, "token", "NOT-MINE", null)).isInstanceOf(dev.userapi.core.problem.NotFoundException.class);
        verify(names, never()).delete(anyString(), anyString());

        service.delete(ADA, "token", "AAAA", null);
        verify(names).delete("sub-ada", "AAAA");
    }
}
