package dev.userapi.auth;

import static org.mockito.Mockito.mock;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Cors;
import dev.userapi.core.testing.ApiEvents;
import dev.userapi.core.testing.SdkMocks;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.CognitoGateway;
import dev.userapi.identity.Provisioning;
import dev.userapi.identity.UniformTiming;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/**
 * The auth service wired as in production, with Cognito mocked at the SDK boundary and the
 * DynamoDB repositories mocked (DynamoDB behaviour is proved against DynamoDB Local elsewhere).
 */
final class AuthFixture {
    static final String SUB = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    static final Instant NOW = Instant.parse("2026-11-22T09:15:00Z");

    final CognitoIdentityProviderClient cognito = SdkMocks.client(CognitoIdentityProviderClient.class);
    final UserRepository users = mock(UserRepository.class);
    final SessionRepository sessions = mock(SessionRepository.class);
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final AppConfig config = AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin"));
    final CognitoGateway gateway = new CognitoGateway(cognito, "us-east-1_pool", "client-1");
    final AuthService auth = new AuthService(gateway, users, sessions, new Provisioning(users, config, clock),
            new UniformTiming(Duration.ZERO), clock);
    final Cors cors = new Cors(List.of(ApiEvents.ORIGIN, "http://localhost:3000"));

    void profileIs(UserStatus status, OptionalLong revokedBefore) {
        org.mockito.Mockito.when(users.findRecord(SUB))
                .thenReturn(Optional.of(new UserRecord(SUB, status, List.of("user"), revokedBefore)));
    }

    static String accessToken(String sub, long iat) {
        return accessToken(sub, iat, null);
    }

    /** An access token of the session {@code originJti} (its {@code origin_jti} claim; none when null). */
    static String accessToken(String sub, long iat, String originJti) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"username\":\"" + sub + "\",\"iat\":" + iat
                + ",\"token_use\":\"access\"" + (originJti == null ? "" : ",\"origin_jti\":\"" + originJti + "\"")
                + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".c2ln";
    }

    static AuthenticationResultType tokens() {
        return AuthenticationResultType.builder()
                .accessToken(accessToken(SUB, NOW.getEpochSecond()))
                .idToken("id.token.value")
                .refreshToken("refresh-token-value")
                .expiresIn(1800)
                .tokenType("Bearer")
                .build();
    }
}
