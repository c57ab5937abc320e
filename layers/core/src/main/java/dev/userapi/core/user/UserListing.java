package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.aws.StoredItems;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@code GET /users}: pages of profiles sorted by e-mail from the sharded {@code ByEmail} index
 * (never a table scan). A listing reads the shards it needs (one per status and e-mail shard, or
 * one per role shard; a single e-mail shard when the prefix names one) and merges them in e-mail
 * order; its opaque cursor ({@link ListingCursor}) resumes every shard where the merge stopped.
 */
final class UserListing {
    /** Entries a filtered merge may consume for one page, per entry asked for, before it returns a short page. */
    private static final int CONSUME_PER_ENTRY = 20;
    /** Runs a page's first round of shard queries together (at most 2 × {@link UserItems#SHARDS} at once). */
    private static final ExecutorService FAN_OUT = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "user-listing");
        thread.setDaemon(true);
        return thread;
    });

    private final DynamoDbClient db;
    private final String table;
    private final DynamoRetry retry;

    UserListing(DynamoDbClient db, String table, DynamoRetry retry) {
        this.db = db;
        this.table = table;
        this.retry = retry;
    }

    /**
     * What one listing reads: its shards' index partitions in a fixed order (the cursor's bits), the
     * base-table sort key of its entries, whether they are memberships (profiles fetched after the
     * merge), which entries it keeps, and its name in the cursor.
     */
    record Plan(List<String> partitions, String entrySortKey, boolean memberships,
                        Predicate<Map<String, AttributeValue>> keep, String name) {
    }

    static Plan plan(UserFilter filter) {
        List<Integer> shards = new ArrayList<>();
        OptionalInt single = filter.emailPrefix().map(UserItems::shardOfPrefix).orElse(OptionalInt.empty());
        if (single.isPresent()) {
            shards.add(single.getAsInt());
        } else {
            for (int shard = 0; shard < UserItems.SHARDS; shard++) {
                shards.add(shard);
            }
        }
        String status = filter.status().map(Enum::name).orElse("*");
        List<String> partitions = new ArrayList<>();
        if (filter.role().isPresent()) {
            String role = filter.role().get();
            String name = "ROLE#" + role + "/" + status;
            if (filter.status().orElse(null) == UserStatus.DISABLED) {
                // Disabled profiles are few and carry their roles: read those rather than every member of the role.
                shards.forEach(shard -> partitions.add(UserItems.profilePartition(UserStatus.DISABLED, shard)));
                return new Plan(partitions, UserItems.PROFILE, false, item -> Attr.strings(item, "roles").contains(role), name);
            }
            shards.forEach(shard -> partitions.add(UserItems.rolePartition(role, shard)));
            return new Plan(partitions, "ROLE#" + role, true, item -> true, name);
        }
        List<UserStatus> statuses = filter.status().map(List::of).orElse(List.of(UserStatus.ENABLED, UserStatus.DISABLED));
        for (UserStatus s : statuses) {
            shards.forEach(shard -> partitions.add(UserItems.profilePartition(s, shard)));
        }
        return new Plan(partitions, UserItems.PROFILE, false, item -> true, "USERS/" + status);
    }

    /** One shard's query: what it fetched and not yet merged, and where it goes on. */
    private static final class Shard {
        final String partition;
        final Deque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        Map<String, AttributeValue> next;
        boolean exhausted;

        Shard(String partition) {
            this.partition = partition;
        }

        String head() {
            return sortKey(buffer.peekFirst());
        }
    }

    /**
     * One page. With a role filter the role's membership entries are merged and their profiles
     * fetched in one batch. A page may hold fewer than {@code limit} items when a role and a status
     * filter apply together; follow {@code nextCursor} until it is null.
     */
    Page<UserProfile> list(UserFilter filter, int limit, Optional<String> cursor) {
        Plan plan = plan(filter);
        int count = plan.partitions().size();
        Optional<ListingCursor> from = cursor.map(c -> ListingCursor.decode(c, plan.name(), filter.emailPrefix(), count));
        String after = from.map(ListingCursor::after).orElse(null);
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Shard shard = new Shard(plan.partitions().get(i));
            shard.exhausted = from.map(c -> c.isDone(shards.size())).orElse(false);
            if (!shard.exhausted && after != null) {
                shard.next = Map.of(UserItems.GSI_PK, s(shard.partition), UserItems.GSI_SK, s(after),
                        UserItems.PK, s("USER#" + UserItems.idOfListingKey(after)), UserItems.SK, s(plan.entrySortKey()));
            }
            shards.add(shard);
        }
        // First round together, each shard asked for its share of the page (with room for an uneven one);
        // a shard that runs dry before the page is full is asked again for a whole page.
        int share = Math.min(limit, Math.max(5, 2 * ((limit + count - 1) / count)));
        fetchTogether(shards.stream().filter(s -> !s.exhausted).toList(), filter, share);
        List<Map<String, AttributeValue>> taken = new ArrayList<>();
        String last = after;
        int consumed = 0;
        int refills = 0;
        merge:
        while (taken.size() < limit && consumed < limit * CONSUME_PER_ENTRY) {
            Shard min = null;
            for (Shard shard : shards) {
                if (shard.buffer.isEmpty() && !shard.exhausted) {
                    if (refills++ >= limit * CONSUME_PER_ENTRY) {
                        break merge;
                    }
                    fetch(shard, filter, limit);
                    if (shard.buffer.isEmpty() && !shard.exhausted) {
                        break merge; // no entry, yet more to come (never from DynamoDB without a filter): the page ends here
                    }
                }
                if (!shard.buffer.isEmpty() && (min == null || compare(shard.head(), min.head()) < 0)) {
                    min = shard;
                }
            }
            if (min == null) {
                break merge;
            }
            Map<String, AttributeValue> entry = min.buffer.removeFirst();
            String key = sortKey(entry);
            consumed++;
            if (last != null && compare(key, last) <= 0) {
                continue; // met twice while it moved between shards (a status change)
            }
            last = key;
            if (plan.keep().test(entry)) {
                taken.add(entry);
            }
        }
        String next = null;
        if (last != null && shards.stream().anyMatch(s -> !s.exhausted || !s.buffer.isEmpty())) {
            long done = 0;
            for (int i = 0; i < count; i++) {
                if (shards.get(i).exhausted && shards.get(i).buffer.isEmpty()) {
                    done |= 1L << i;
                }
            }
            next = new ListingCursor(plan.name(), last, done).encode();
        }
        List<UserProfile> items;
        if (plan.memberships()) {
            items = fetchAll(taken.stream().map(e -> UserItems.idOfListingKey(sortKey(e))).toList()).stream()
                    .filter(p -> p.status() != UserStatus.DELETED)
                    .filter(p -> filter.status().map(s -> s == p.status()).orElse(true))
                    .toList();
        } else {
            items = taken.stream().map(UserItems::toProfile).toList();
        }
        return new Page<>(items, next);
    }

    private void fetchTogether(List<Shard> shards, UserFilter filter, int share) {
        if (shards.size() <= 1) {
            shards.forEach(shard -> fetch(shard, filter, share));
            return;
        }
        List<CompletableFuture<Void>> queries = shards.stream()
                .map(shard -> CompletableFuture.runAsync(() -> fetch(shard, filter, share), FAN_OUT)).toList();
        try {
            CompletableFuture.allOf(queries.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The id of the profile listed at {@code email}, enabled or disabled (the index: eventually consistent). Both
     * status partitions of the e-mail's shard are asked whatever the first answers, so the work does not depend on
     * whether, or how, the address is listed.
     */
    Optional<String> idOfEmail(String email) {
        List<String> ids = idsOfEmail(email, 1);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /**
     * The ids of up to {@code limit} profiles of each status listed at {@code email} (the index: eventually
     * consistent), enabled ones first. More than one only while a profile outlives its Cognito account (a user
     * deleted at Cognito with their own token: docs/SECURITY.md item 31) and the address has a new account.
     */
    List<String> idsOfEmail(String email, int limit) {
        int shard = UserItems.shard(email);
        List<String> ids = new ArrayList<>();
        for (UserStatus status : List.of(UserStatus.ENABLED, UserStatus.DISABLED)) {
            QueryResponse response;
            try {
                response = db.query(r -> r.tableName(table).indexName(UserRepository.INDEX)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", UserItems.GSI_PK, "#sk", UserItems.GSI_SK))
                        .expressionAttributeValues(Map.of(":pk", s(UserItems.profilePartition(status, shard)),
                                ":prefix", s(UserItems.listingKey(email, ""))))
                        .limit(limit));
            } catch (SdkException e) {
                throw DynamoErrors.translate("Query", e);
            }
            response.items().forEach(item -> ids.add(UserItems.idOfListingKey(sortKey(item))));
        }
        return ids;
    }

    /** The shard's next {@code limit} entries into its buffer. */
    private void fetch(Shard shard, UserFilter filter, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", UserItems.GSI_PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(shard.partition)));
        String keyCondition = "#pk = :pk";
        if (filter.emailPrefix().isPresent()) {
            keyCondition += " AND begins_with(#sk, :prefix)";
            names.put("#sk", UserItems.GSI_SK);
            values.put(":prefix", s(filter.emailPrefix().get()));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(UserRepository.INDEX)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .limit(limit);
        if (shard.next != null) {
            query.exclusiveStartKey(shard.next);
        }
        QueryResponse response;
        try {
            response = db.query(query.build());
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
        shard.buffer.addAll(response.items());
        shard.next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        shard.exhausted = shard.next == null;
    }

    private static String sortKey(Map<String, AttributeValue> entry) {
        return StoredItems.readable(UserItems.KIND, entry, () -> StoredItems.string(entry, UserItems.GSI_SK));
    }

    /** DynamoDB's order of string sort keys: by their UTF-8 bytes, which is the order of their code points. */
    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
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
