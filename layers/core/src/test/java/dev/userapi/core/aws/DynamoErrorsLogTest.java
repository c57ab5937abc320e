package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The translation at the repository boundary writes one line per failure, with the operation. */
class DynamoErrorsLogTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        Log.redirect(null);
    }

    private String[] translate(software.amazon.awssdk.core.exception.SdkException e) {
        Log.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(DynamoErrors.translate("GetItem", e)).isInstanceOf(ServiceUnavailableException.class);
        return out.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
    }

    @Test
    void aMappedFailure_isOneWarnLine() {
        String[] lines = translate(SdkClientException.create("connect timed out"));
        assertThat(lines).hasSize(1);
        assertThat(lines[0]).contains("\"level\":\"WARN\"", "\"operation\":\"GetItem\"", "connect timed out");
    }

    @Test
    void anUnmappedFailure_isOneErrorLine() {
        String[] lines = translate(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage("bad key").build()).build());
        assertThat(lines).hasSize(1);
        assertThat(lines[0]).contains("\"level\":\"ERROR\"", "\"operation\":\"GetItem\"");
    }
}
