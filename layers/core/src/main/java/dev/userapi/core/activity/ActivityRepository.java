package dev.userapi.core.activity;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import dev.userapi.core.user.Page;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Security activity (docs/DATA-MODEL.md): {@code pk=ACTIVITY#<sub>, sk=<ISO instant>#<random>}, one
 * {@code PutItem} per event, no index; read newest first with a {@code Query} on the account's partition; removed
 * by the table's TTL ({@code expiresAt}) {@link #KEPT} after the event.
 */
public final class ActivityRepository {
    /** How long an event is kept at least: the contract says 90 days; TTL removes it some time after. */
    public static final Duration KEPT = Duration.ofDays(91);
    /** A User-Agent is cut to this many characters (a request may carry one of several kilobytes). */
    static final int MAX_USER_AGENT = 256;
    private static final Pattern SORT_KEY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z#[0-9a-f]{16}");
    /** Sort keys are instants of one width (nanoseconds, always), so that their string order is their time order. */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient db;
    private final String table;

    public ActivityRepository(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    static String partition(String userId) {
        return "ACTIVITY#" + userId;
    }

    /** Records one event of the account {@code userId}: one {@code PutItem} of a new item. */
    public void record(String userId, ActivityItem item) {
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("pk", s(partition(userId)));
        attributes.put("sk", s(SORTABLE.format(item.at()) + "#" + HexFormat.of().formatHex(suffix)));
        attributes.put("at", s(item.at().toString()));
        attributes.put("event", s(item.event().name()));
        if (item.sourceIp() != null && !item.sourceIp().isEmpty()) {
            attributes.put("sourceIp", s(item.sourceIp()));
        }
        if (item.userAgent() != null && !item.userAgent().isEmpty()) {
            String agent = item.userAgent();
            attributes.put("userAgent", s(agent.length() > MAX_USER_AGENT ? agent.substring(0, MAX_USER_AGENT) : agent));
        }
        attributes.put("expiresAt", n(item.at().plus(KEPT).getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(table).item(attributes));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    /**
     * One page of the account's events, newest first. The cursor is the last key of the page before, accepted only
     * for this account's partition and in the shape of this listing's sort keys (400 otherwise).
     */
    public Page<ActivityItem> list(String userId, int limit, Optional<String> cursor) {
        String partition = partition(userId);
        Optional<Map<String, AttributeValue>> start = cursor.map(c -> Cursors.decode(c, Set.of("pk", "sk"),
                key -> key.get("pk").equals(partition) && SORT_KEY.matcher(key.get("sk")).matches()));
        try {
            QueryResponse response = db.query(r -> {
                r.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(partition)))
                        .scanIndexForward(false)
                        .limit(limit);
                start.ifPresent(r::exclusiveStartKey);
            });
            List<ActivityItem> items = response.items().stream().flatMap(item -> toItem(item).stream()).toList();
            return new Page<>(items, response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? Cursors.encode(Map.of("pk", response.lastEvaluatedKey().get("pk"), "sk", response.lastEvaluatedKey().get("sk")))
                    : null);
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
    }

    /**
     * The event an item records; empty for an event name this version does not know (a newer version's: left out
     * rather than failing the page). An item without its instant or event name is unreadable (503).
     */
    static Optional<ActivityItem> toItem(Map<String, AttributeValue> item) {
        return StoredItems.readable("activity", item, () -> {
            java.time.Instant at = StoredItems.instant(item, "at");
            String name = StoredItems.string(item, "event");
            return java.util.Arrays.stream(ActivityEvent.values()).filter(e -> e.name().equals(name)).findFirst()
                    .map(event -> new ActivityItem(at, event, Attr.string(item, "sourceIp").orElse(null),
                            Attr.string(item, "userAgent").orElse(null)));
        });
    }
}
