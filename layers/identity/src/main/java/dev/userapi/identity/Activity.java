package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.activity.ActivityItem;
import dev.userapi.core.activity.ActivityRepository;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an account's security activity ({@code GET /me/activity}) from the services, where each event happens: one
 * {@code PutItem} per event. Recording is best effort: the event has happened (a sign-in, a password change) and a
 * failure to record it is logged, never turned into a failure of the request.
 */
public final class Activity {
    private static final Log LOG = Log.of(Activity.class);
    /** Records nothing (services built without a table, in unit tests that are not about activity). */
    public static final Activity NONE = new Activity(null, null, Clock.systemUTC());

    private final ActivityRepository repository;
    private final UserRepository users;
    private final Clock clock;

    public Activity(ActivityRepository repository, UserRepository users, Clock clock) {
        this.repository = repository;
        this.users = users;
        this.clock = clock;
    }

    /** Records {@code event} of the account {@code sub}, with where the request came from ({@code client} may be null). */
    public void record(String sub, ActivityEvent event, ClientInfo client) {
        if (repository == null) {
            return;
        }
        try {
            repository.record(sub, new ActivityItem(clock.instant(), event,
                    client == null ? null : client.sourceIp(), client == null ? null : client.userAgent()));
        } catch (ApiException e) {
            LOG.warn("could not record security activity", "event", event.name(), "code", e.code().name());
        }
    }

    /**
     * Records a failed sign-in at {@code email} — only if an account is listed there. Called after the uniform work
     * of the sign-in, inside its uniform time: the same index look-up is made for an unknown address, which gets no
     * item (nothing is keyed by an address that has no account).
     */
    public void failedSignIn(String email, ClientInfo client) {
        if (repository == null) {
            return;
        }
        Optional<String> sub;
        try {
            sub = users.idOfEmail(email);
        } catch (ApiException e) {
            LOG.warn("could not look up the account of a failed sign-in", "code", e.code().name());
            return;
        }
        sub.ifPresent(id -> record(id, ActivityEvent.SIGN_IN_FAILED, client));
    }

    /** One page of the account's activity, newest first. */
    public Page<ActivityItem> list(String sub, int limit, Optional<String> cursor) {
        if (repository == null) {
            return new Page<>(List.of(), null);
        }
        return repository.list(sub, limit, cursor);
    }

    /** A page of activity as the API answers it: {@code {items:[{at, event, sourceIp?, userAgent?}], nextCursor}}. */
    public static Map<String, Object> json(Page<ActivityItem> page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(e -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("at", e.at().toString());
            item.put("event", e.event().name());
            if (e.sourceIp() != null) {
                item.put("sourceIp", e.sourceIp());
            }
            if (e.userAgent() != null) {
                item.put("userAgent", e.userAgent());
            }
            return item;
        }).toList());
        body.put("nextCursor", page.nextCursor());
        return body;
    }
}
