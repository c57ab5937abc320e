package dev.userapi.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.log.Log;
import dev.userapi.core.testing.RecordingAwsEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hooks of both triggers, called directly on handlers built by their public environment
 * constructors (the real wiring; the no-arg constructors pass {@code System.getenv()}): before the checkpoint each SDK client the trigger uses has made a call, so a restored
 * snapshot starts with loaded, initialised clients.
 */
class SnapStartPrimingTest {

    private static Map<String, String> env(RecordingAwsEndpoint dynamoDb, RecordingAwsEndpoint cognito) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("TABLE_NAME", "users");
        env.put("ROLES", "user,admin");
        env.put("DYNAMODB_ENDPOINT", dynamoDb.url());
        env.put("COGNITO_ENDPOINT", cognito.url());
        return env;
    }

    @Test
    void postConfirmation_beforeCheckpoint_callsDynamoDbAndCognito_andRunsAConfirmationThatWritesNothing() {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint(); RecordingAwsEndpoint cognito = new RecordingAwsEndpoint()) {
            PostConfirmationHandler handler = new PostConfirmationHandler(env(dynamoDb, cognito));
            assertThat(dynamoDb.operations()).as("nothing is called at construction").isEmpty();

            handler.beforeCheckpoint(null);

            // only the reads were sent: the confirmation's profile creation and the group addition were marshalled,
            // then refused by the priming guard before reaching either service
            assertThat(dynamoDb.operations()).containsExactly("DynamoDB_20120810.GetItem");
            assertThat(cognito.operations()).containsExactly("AWSCognitoIdentityProviderService.AdminListGroupsForUser");
            assertThat(logs.toString(StandardCharsets.UTF_8))
                    .contains("DynamoDb.TransactWriteItems is not a read")
                    .contains("CognitoIdentityProvider.AdminAddUserToGroup is not a read");
        } finally {
            Log.redirect(null);
        }
    }

    @Test
    void postConfirmation_beforeCheckpoint_withBothServicesDown_neverThrows() {
        RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint();
        RecordingAwsEndpoint cognito = new RecordingAwsEndpoint();
        Map<String, String> env = env(dynamoDb, cognito);
        dynamoDb.close();
        cognito.close();

        PostConfirmationHandler handler = new PostConfirmationHandler(env);

        handler.beforeCheckpoint(null); // logged, not thrown: a snapshot must still be taken
    }

    @Test
    void preTokenGeneration_beforeCheckpoint_runsAnInvocationThatReadsDynamoDb() {
        try (RecordingAwsEndpoint dynamoDb = new RecordingAwsEndpoint(); RecordingAwsEndpoint cognito = new RecordingAwsEndpoint()) {
            PreTokenGenerationHandler handler = new PreTokenGenerationHandler(env(dynamoDb, cognito));

            handler.beforeCheckpoint(null);

            assertThat(dynamoDb.operations()).containsExactly("DynamoDB_20120810.GetItem");
            assertThat(cognito.operations()).isEmpty();
        }
    }
}
