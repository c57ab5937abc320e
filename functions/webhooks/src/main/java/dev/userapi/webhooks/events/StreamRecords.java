package dev.userapi.webhooks.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Lambda event's stream records as {@link StreamChange}s. */
public final class StreamRecords {
    /** The principal DynamoDB's TTL deletes with (the record's {@code userIdentity}). */
    static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    private StreamRecords() {
    }

    public static StreamChange change(DynamodbEvent.DynamodbStreamRecord record) {
        var stream = record.getDynamodb();
        Instant at = stream.getApproximateCreationDateTime() == null ? Instant.EPOCH : stream.getApproximateCreationDateTime().toInstant();
        boolean byTtl = record.getUserIdentity() != null && TTL_PRINCIPAL.equals(record.getUserIdentity().getPrincipalId());
        Map<String, Object> oldImage = image(stream.getOldImage());
        Map<String, Object> newImage = image(stream.getNewImage());
        if (oldImage.isEmpty() && newImage.isEmpty() && stream.getKeys() != null) {
            oldImage = image(stream.getKeys());
        }
        return new StreamChange(record.getEventID(), record.getEventName(), at, byTtl, oldImage, newImage);
    }

    static Map<String, Object> image(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (item != null) {
            item.forEach((k, v) -> {
                Object value = value(v);
                if (value != null) {
                    out.put(k, value);
                }
            });
        }
        return out;
    }

    static Object value(AttributeValue v) {
        if (v == null || Boolean.TRUE.equals(v.getNULL())) {
            return null;
        }
        if (v.getS() != null) {
            return v.getS();
        }
        if (v.getN() != null) {
            return new BigDecimal(v.getN());
        }
        if (v.getBOOL() != null) {
            return v.getBOOL();
        }
        if (v.getL() != null) {
            List<Object> list = new ArrayList<>();
            v.getL().forEach(e -> list.add(value(e)));
            return list;
        }
        if (v.getM() != null) {
            return image(v.getM());
        }
        if (v.getSS() != null) {
            Set<String> set = new LinkedHashSet<>(v.getSS());
            return set;
        }
        if (v.getNS() != null) {
            Set<BigDecimal> set = new LinkedHashSet<>();
            v.getNS().forEach(n -> set.add(new BigDecimal(n)));
            return set;
        }
        return null; // binary values: none of the mapped items has any
    }
}
