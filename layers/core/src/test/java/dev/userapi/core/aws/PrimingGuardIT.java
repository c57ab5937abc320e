package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.snapstart.Priming;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The priming guard on a client built by {@link AwsClients}, against DynamoDB Local: while a priming step runs, a
 * read is sent and answered, and every write is refused before it is sent, so the table is left as it was; outside
 * priming the same client writes.
 */
class PrimingGuardIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();

    private String table;
    private DynamoDbClient client;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        client = AwsClients.dynamoDb(AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", table, "ROLES", "user,admin",
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local", "DYNAMODB_ENDPOINT", DYNAMO.endpoint().toString())));
    }

    private Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("PROFILE"));
    }

    private int items() {
        return DYNAMO.client().scan(r -> r.tableName(table)).count();
    }

    @Test
    void duringPriming_readsAreSent_andEveryWriteIsRefusedBeforeItIsSent() {
        DYNAMO.client().putItem(r -> r.tableName(table).item(key("USER#existing")));
        AtomicReference<Boolean> found = new AtomicReference<>();

        boolean completed = Priming.run("test reads", () -> found.set(client.getItem(r -> r.tableName(table).key(key("USER#existing"))).hasItem()));
        assertThat(completed).isTrue();
        assertThat(found.get()).as("the read reached DynamoDB Local").isTrue();

        Priming.run("test writes", () -> {
            assertThat(Priming.active()).isTrue();
            assertThatThrownBy(() -> client.putItem(r -> r.tableName(table).item(key("USER#priming"))))
                    .isInstanceOf(SdkClientException.class).hasMessageContaining("PutItem is not a read");
            assertThatThrownBy(() -> client.updateItem(r -> r.tableName(table).key(key("USER#existing"))
                    .updateExpression("SET #n = :n").expressionAttributeNames(Map.of("#n", "name"))
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromS("changed")))))
                    .isInstanceOf(SdkClientException.class);
            assertThatThrownBy(() -> client.deleteItem(r -> r.tableName(table).key(key("USER#existing"))))
                    .isInstanceOf(SdkClientException.class);
            assertThatThrownBy(() -> client.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(key("USER#other")).build()).build(),
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key("USER#existing")).build()).build())))
                    .isInstanceOf(SdkClientException.class);
        });

        assertThat(items()).as("nothing written, nothing deleted").isEqualTo(1);
        assertThat(DYNAMO.client().getItem(r -> r.tableName(table).key(key("USER#existing"))).item()).doesNotContainKey("name");
    }

    @Test
    void afterPriming_theSameClientWritesAgain_andAFailedStepNeverThrows() {
        boolean completed = Priming.run("failing step", () -> client.putItem(r -> r.tableName(table).item(key("USER#priming"))));
        assertThat(completed).isFalse();
        assertThat(Priming.active()).isFalse();
        assertThat(items()).isZero();

        client.putItem(r -> r.tableName(table).item(key("USER#after")));

        assertThat(items()).isEqualTo(1);
    }
}
