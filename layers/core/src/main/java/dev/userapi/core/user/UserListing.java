package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.DynamoRetry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@code GET /users}: pages of profiles sorted by e-mail from the {@code ByEmail} index (never a
 * table scan), with opaque cursors that only resume the listing they came from.
 */
final class UserListing {
    private static final Set<String> CURSOR_KEYS = Set.of(UserItems.PK, UserItems.SK, UserItems.GSI_PK, UserItems.GSI_SK);

    private final DynamoDbClient db;
    private final String table;
    private final DynamoRetry retry;

    UserListing(DynamoDbClient db, String table, DynamoRetry retry) {
        this.db = db;
        this.table = table;
        this.retry = retry;
    }

    /**
     * One page. With a role filter the role's membership items are queried and their profiles
     * fetched in one batch. A page may hold fewer than {@code limit} items when a status filter
     * applies; follow {@code nextCursor} until it is null.
     */
    Page<UserProfile> list(UserFilter filter, int limit, Optional<String> cursor) {
        String partition = filter.role().map(UserItems::rolePartition).orElse(UserItems.USERS);
        Map<String, String> names = new HashMap<>(Map.of("#pk", UserItems.GSI_PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(partition)));
        String keyCondition = "#pk = :pk";
        if (filter.emailPrefix().isPresent()) {
            keyCondition += " AND begins_with(#sk, :prefix)";
            names.put("#sk", UserItems.GSI_SK);
            values.put(":prefix", s(filter.emailPrefix().get()));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(UserRepository.INDEX)
                .keyConditionExpression(keyCondition)
                .limit(limit);
        if (filter.role().isEmpty() && filter.status().isPresent()) {
            query.filterExpression("#status = :status");
            names.put("#status", "status");
            values.put(":status", s(filter.status().get().name()));
        }
        query.expressionAttributeNames(names).expressionAttributeValues(values);
        cursor.ifPresent(c -> query.exclusiveStartKey(Cursors.decode(c, CURSOR_KEYS,
                key -> key.get(UserItems.GSI_PK).equals(partition) && key.get(UserItems.PK).startsWith("USER#")
                        && (key.get(UserItems.SK).equals(UserItems.PROFILE) || key.get(UserItems.SK).startsWith("ROLE#")))));
        QueryResponse response;
        try {
            response = db.query(query.build());
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
        List<UserProfile> items;
        if (filter.role().isEmpty()) {
            items = response.items().stream().map(UserItems::toProfile).toList();
        } else {
            List<String> ids = response.items().stream().map(i -> Attr.string(i, "id").orElseThrow()).toList();
            items = fetchAll(ids).stream()
                    .filter(p -> p.status() != UserStatus.DELETED)
                    .filter(p -> filter.status().map(s -> s == p.status()).orElse(true))
                    .toList();
        }
        String next = response.hasLastEvaluatedKey() ? Cursors.encode(response.lastEvaluatedKey()) : null;
        return new Page<>(items, next);
    }

    /** Profiles by id, in the order given, skipping those that do not exist. */
    private List<UserProfile> fetchAll(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, UserProfile> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().distinct().map(UserItems::profileKey).toList();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            Map<String, KeysAndAttributes> pending = request;
            BatchGetItemResponse response;
            try {
                response = db.batchGetItem(r -> r.requestItems(pending));
            } catch (SdkException e) {
                throw DynamoErrors.translate("BatchGetItem", e);
            }
            response.responses().getOrDefault(table, List.of()).forEach(item -> {
                UserProfile p = UserItems.toProfile(item);
                found.put(p.id(), p);
            });
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (request.isEmpty()) {
                return ids.stream().map(found::get).filter(Objects::nonNull).toList();
            }
            budget.pauseOrGiveUp(null);
        }
    }
}
