package dev.userapi.webhooks.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One DynamoDB Streams record (view type {@code NEW_AND_OLD_IMAGES}) in plain Java values: strings, numbers as
 * {@link java.math.BigDecimal}, booleans, lists, maps and sets.
 *
 * @param recordId  the stream record's {@code eventID}: the same for every delivery of the record
 * @param operation {@code INSERT}, {@code MODIFY} or {@code REMOVE}
 * @param at        {@code ApproximateCreationDateTime}: when the item changed
 * @param byTtl     whether DynamoDB's TTL removed the item (userIdentity {@code dynamodb.amazonaws.com})
 * @param oldImage  the item before (empty on {@code INSERT})
 * @param newImage  the item after (empty on {@code REMOVE})
 */
public record StreamChange(String recordId, String operation, Instant at, boolean byTtl, Map<String, Object> oldImage,
                           Map<String, Object> newImage) {
    public StreamChange {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(at, "at");
        oldImage = oldImage == null ? Map.of() : oldImage;
        newImage = newImage == null ? Map.of() : newImage;
    }

    /** The key attribute {@code name} of whichever image there is. */
    public String key(String name) {
        Object value = newImage.containsKey(name) ? newImage.get(name) : oldImage.get(name);
        return value == null ? "" : value.toString();
    }
}
