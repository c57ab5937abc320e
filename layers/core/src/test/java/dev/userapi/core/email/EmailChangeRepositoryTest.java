package dev.userapi.core.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.testing.SdkMocks;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** A pending change reads back as written; an item without what every put writes is a 503. */
class EmailChangeRepositoryTest {
    private static final PendingEmailChange CHANGE = new PendingEmailChange("user-1", "new@example.com", "salt", "hash",
            Instant.parse("2026-12-02T10:00:00Z"));
    private final DynamoDbClient db = SdkMocks.client(DynamoDbClient.class);
    private final EmailChangeRepository repository = new EmailChangeRepository(db, "users");

    private Map<String, AttributeValue> written() {
        repository.put(CHANGE);
        ArgumentCaptor<PutItemRequest> put = ArgumentCaptor.forClass(PutItemRequest.class);
        verify(db).putItem(put.capture());
        return new HashMap<>(put.getValue().item());
    }

    private void answer(Map<String, AttributeValue> item) {
        when(db.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(item).build());
    }

    @Test
    void find_ofAChangeAsWritten_readsItBack() {
        answer(written());
        assertThat(repository.find("user-1")).contains(CHANGE);
    }

    @Test
    void find_ofAnItemMissingAnAttribute_ofAnotherType_orWithAnUnparsableTime_is503() {
        Map<String, AttributeValue> item = written();
        for (String name : new String[] {"newEmail", "salt", "codeHash", "validUntil"}) {
            Map<String, AttributeValue> missing = new HashMap<>(item);
            missing.remove(name);
            answer(missing);
            assertThatThrownBy(() -> repository.find("user-1")).as(name).isInstanceOf(ServiceUnavailableException.class);
        }
        Map<String, AttributeValue> wrongType = new HashMap<>(item);
        wrongType.put("newEmail", AttributeValue.fromN("1"));
        Map<String, AttributeValue> badTime = new HashMap<>(item);
        badTime.put("validUntil", AttributeValue.fromN("1e400"));
        for (Map<String, AttributeValue> bad : java.util.List.of(wrongType, badTime)) {
            answer(bad);
            assertThatThrownBy(() -> repository.find("user-1")).isInstanceOf(ServiceUnavailableException.class);
        }
    }
}
