package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.userapi.core.problem.ServiceUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The passwordless flows' sealed sessions and keyed hashes: keyed by the app client's secret only. */
class SealedSessionsTest {
    private final CognitoGateway cognito = mock(CognitoGateway.class);

    @Test
    void aSession_keepsItsIssueTime() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        SealedSessions sessions = new SealedSessions(cognito, "email-code");

        String sealed = sessions.seal(new SealedSessions.Sealed("ada@example.com", "sub-ada", "c".repeat(900), null, 1_764_669_600_000L));

        assertThat(sessions.open(sealed)).contains(new SealedSessions.Sealed("ada@example.com", "sub-ada", "c".repeat(900), null,
                1_764_669_600_000L));
    }

    /** The user-pool id is no secret (it is in every token's issuer): a key made from it would let anyone forge sessions. */
    @Test
    void aClientWithoutASecret_isRefused_neverKeyedWithThePoolId() {
        when(cognito.clientSecret()).thenReturn(Optional.empty());
        when(cognito.userPoolId()).thenReturn("us-east-1_guessable");
        SealedSessions sessions = new SealedSessions(cognito, "email-code");

        assertThatThrownBy(() -> sessions.seal(new SealedSessions.Sealed("ada@example.com", null, null, null)))
                .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("not configured");
        assertThatThrownBy(() -> sessions.keyedHash("userapi/passkey/fake-id", "ada@example.com"))
                .isInstanceOf(ServiceUnavailableException.class);
    }
}
