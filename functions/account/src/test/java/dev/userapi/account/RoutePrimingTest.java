package dev.userapi.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.log.Log;
import dev.userapi.core.testing.RecordingAwsEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming of the {@code /me} route functions, built by their public environment constructors (the real
 * wiring) against recording AWS endpoints: {@code beforeCheckpoint} runs the route's request path (its DynamoDB and
 * Cognito operations are marshalled), only reads are ever sent, and the answer concerns the priming caller.
 */
class RoutePrimingTest {
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(null);
    }

    private static Map<String, String> env(RecordingAwsEndpoint dynamoDb, RecordingAwsEndpoint cognito) {
        return RecordingAwsEndpoint.functionEnv(dynamoDb, cognito);
    }

    @Test
    void getMe_beforeCheckpoint_readsTheProfileAndAsksCognitoWithTheInvalidToken_andAnswers404() {
        try (RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint(); RecordingAwsEndpoint cognito = new RecordingAwsEndpoint()) {
            GetMeHandler handler = new GetMeHandler(env(dynamoDb, cognito));
            assertThat(dynamoDb.operations()).as("nothing is called at construction").isEmpty();

            handler.beforeCheckpoint(null);

            // the profile read finds nothing, so GET /me asks Cognito for the token's account (GetUser: the recording
            // endpoint's empty answer has no sub), which is the 404 of an account that does not exist
            assertThat(dynamoDb.operations()).containsExactly("DynamoDB_20120810.GetItem");
            assertThat(cognito.operations()).containsExactly("AWSCognitoIdentityProviderService.GetUser");
            String log = logs.toString(StandardCharsets.UTF_8);
            assertThat(log).contains("\"requestId\":\"snapstart-priming\"").contains("\"status\":404");
        }
    }

    @Test
    void updateMe_beforeCheckpoint_marshalsTheUpdate_butTheGuardRefusesIt_soNothingIsWritten() {
        try (RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint(); RecordingAwsEndpoint cognito = new RecordingAwsEndpoint()) {
            UpdateMeHandler handler = new UpdateMeHandler(env(dynamoDb, cognito));

            handler.beforeCheckpoint(null);

            assertThat(dynamoDb.operations()).as("no write reached DynamoDB")
                    .allMatch(op -> op.endsWith(".GetItem") || op.endsWith(".Query") || op.endsWith(".BatchGetItem"));
            assertThat(cognito.operations()).isEmpty();
            String log = logs.toString(StandardCharsets.UTF_8);
            assertThat(log).as("the route reached its write, which the guard refused")
                    .contains("UpdateItem is not a read")
                    .contains("\"requestId\":\"snapstart-priming\"").contains("\"status\":503");
        }
    }

    @Test
    void priming_withBothServicesDown_neverThrows() {
        RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint();
        RecordingAwsEndpoint cognito = new RecordingAwsEndpoint();
        Map<String, String> env = env(dynamoDb, cognito);
        dynamoDb.close();
        cognito.close();

        new GetMeHandler(env).beforeCheckpoint(null); // answered 503 inside, logged, never thrown: a snapshot must still be taken
        new UpdateMeHandler(env).beforeCheckpoint(null);
    }
}
