package dev.userapi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.CognitoUsers;
import dev.userapi.e2e.client.TestUser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Removes what the run made: every address the run generated ({@code e2e-<run>-…@example.com}) that
 * became an account. Through the API when there is an administrator ({@code DELETE /users/{id}}: the
 * profile becomes a tombstone that expires after two days, role items and sessions go, the Cognito
 * user goes), then with AdminDeleteUser for whatever is still in the pool (accounts that never got a
 * profile). Runs once, after the tests or from the shutdown hook when the run is interrupted.
 */
public final class Cleanup {
    private static final Set<String> EMAILS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private Cleanup() {
    }

    /** An address the run generated (it may or may not become an account). */
    public static void record(String email) {
        EMAILS.add(email);
    }

    /** Removes the run's accounts; never throws (a failure is printed). */
    static void run(Target target) {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        List<String> emails = new ArrayList<>(EMAILS);
        ApiClient api = target.api();
        Optional<String> adminToken = target.bootstrapAdmin().flatMap(admin -> login(api, admin));
        Optional<CognitoUsers> cognito = target.cognito().map(c -> new CognitoUsers(c, target.userPoolId()));
        if (adminToken.isEmpty()) {
            System.out.println("Cleanup: no administrator" + (cognito.isPresent()
                    ? ": accounts are deleted at Cognito only, profiles they got stay in the table"
                    : " and no Cognito access: the run's accounts stay"));
        }
        AtomicInteger removed = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String email : emails) {
                futures.add(pool.submit(() -> {
                    if (remove(api, adminToken, cognito, email)) {
                        removed.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(emails.get(i) + ": " + (e.getCause() == null ? e : e.getCause()));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("Cleanup: removed %d accounts of this run (e2e-%s-*@example.com)%n", removed.get(), target.runId());
        failures.stream().limit(20).forEach(f -> System.out.println("Cleanup failed for " + f));
    }

    private static boolean remove(ApiClient api, Optional<String> adminToken, Optional<CognitoUsers> cognito, String email) {
        boolean removed = false;
        List<String> ids = new ArrayList<>();
        if (cognito.isPresent()) {
            cognito.get().sub(email).ifPresent(ids::add);
        } else if (adminToken.isPresent()) {
            ApiResponse listed = api.get("/users?limit=100&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8))
                    .bearer(adminToken.get()).send();
            for (JsonNode item : listed.json().path("items")) {
                if (item.path("email").asText().equals(email)) {
                    ids.add(item.path("id").asText());
                }
            }
        }
        if (adminToken.isPresent()) {
            for (String id : ids) {
                int status = api.delete("/users/" + id).bearer(adminToken.get()).send().status();
                if (status == 409 && deleteOwnedOrgs(api, email)) {
                    // the last owner of an organization (issue 19): its organizations go first
                    status = api.delete("/users/" + id).bearer(adminToken.get()).send().status();
                }
                if (status == 204) {
                    removed = true;
                } else if (status != 404) {
                    throw new IllegalStateException("DELETE /users/" + id + " answered " + status);
                }
            }
        }
        if (cognito.isPresent() && !ids.isEmpty() && cognito.get().delete(email)) {
            removed = true;
        }
        return removed;
    }

    /** Signs in as the test user (the suite's password) and deletes the organizations it owns; false if it cannot sign in. */
    private static boolean deleteOwnedOrgs(ApiClient api, String email) {
        String token;
        try {
            token = new TestUser(email, dev.userapi.e2e.client.TestUsers.PASSWORD).login(api).accessToken();
        } catch (AssertionError | RuntimeException e) {
            return false;
        }
        for (JsonNode org : api.get("/orgs?limit=100").bearer(token).send().json().path("items")) {
            if (org.path("role").asText().equals("owner")) {
                api.delete("/orgs/" + org.path("id").asText()).bearer(token).send();
            }
        }
        return true;
    }

    private static Optional<String> login(ApiClient api, TestUser admin) {
        try {
            return Optional.of(admin.login(api).accessToken());
        } catch (AssertionError | RuntimeException e) {
            System.out.println("Cleanup: the administrator " + admin.email() + " cannot sign in: " + e.getMessage());
            return Optional.empty();
        }
    }
}
