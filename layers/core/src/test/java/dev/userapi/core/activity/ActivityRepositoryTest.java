package dev.userapi.core.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An event a newer version wrote is left out; an item without its instant or event name is a 503. */
class ActivityRepositoryTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final ActivityEvent EVENT = ActivityEvent.values()[0];

    private static Map<String, AttributeValue> item() {
        return new HashMap<>(Map.of("pk", Attr.s("ACTIVITY#u"), "sk", Attr.s("s"), "at", Attr.s(AT.toString()), "event", Attr.s(EVENT.name()),
                "sourceIp", Attr.s("203.0.113.7")));
    }

    @Test
    void anItemAsWritten_readsBack_andAnEventThisVersionDoesNotKnow_isLeftOut() {
        assertThat(ActivityRepository.toItem(item())).contains(new ActivityItem(AT, EVENT, "203.0.113.7", null));
        Map<String, AttributeValue> newer = item();
        newer.put("event", Attr.s("SOMETHING_NEWER"));
        assertThat(ActivityRepository.toItem(newer)).isEmpty();
    }

    @Test
    void anItemWithoutItsInstant_orEvent_orWithAnUnparsableInstant_is503() {
        Map<String, AttributeValue> noAt = item();
        noAt.remove("at");
        Map<String, AttributeValue> noEvent = item();
        noEvent.remove("event");
        Map<String, AttributeValue> badAt = item();
        badAt.put("at", Attr.s("yesterday"));
        Map<String, AttributeValue> numberEvent = item();
        numberEvent.put("event", Attr.n(1));
        for (Map<String, AttributeValue> bad : java.util.List.of(noAt, noEvent, badAt, numberEvent)) {
            assertThatThrownBy(() -> ActivityRepository.toItem(bad)).isInstanceOf(ServiceUnavailableException.class);
        }
    }
}
