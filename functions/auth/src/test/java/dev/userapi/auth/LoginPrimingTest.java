package dev.userapi.auth;

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
 * SnapStart priming of {@code POST /auth/login}, built by its public environment constructor against recording AWS
 * endpoints: the sign-in of an address no account has runs up to Cognito's call, which the priming guard refuses
 * before it is sent (no sign-in attempt reaches Cognito), and no attempt counter is written to DynamoDB.
 */
class LoginPrimingTest {
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(null);
    }

    @Test
    void login_beforeCheckpoint_reachesTheSignIn_butNeitherCognitoNorAWriteIsSent() {
        try (RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint(); RecordingAwsEndpoint cognito = new RecordingAwsEndpoint()) {
            Map<String, String> env = RecordingAwsEndpoint.functionEnv(dynamoDb, cognito);
            LoginHandler handler = new LoginHandler(env);

            handler.beforeCheckpoint(null);

            assertThat(cognito.operations()).as("only reads reach Cognito")
                    .allMatch(op -> op.endsWith(".DescribeUserPoolClient") || op.endsWith(".GetUser"));
            assertThat(dynamoDb.operations()).as("no write reached DynamoDB")
                    .allMatch(op -> op.endsWith(".GetItem") || op.endsWith(".Query") || op.endsWith(".BatchGetItem"));
            String log = logs.toString(StandardCharsets.UTF_8);
            assertThat(log).as("the sign-in reached Cognito's call, which the guard refused").containsPattern("InitiateAuth is not a read")
                    .contains("\"requestId\":\"snapstart-priming\"");
        }
    }
}
