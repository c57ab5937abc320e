package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Orgs;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import dev.userapi.e2e.client.Totp;
import dev.userapi.e2e.client.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle events delivered to signed webhooks (issue 20, docs/EVENTS.md, SECURITY.md item 34): the users table's
 * stream → the publisher → the bus → the delivery queue → a receiver this test runs on 127.0.0.1, verified with the
 * Standard Webhooks scheme; retries, the dead-letter state and the retry route; SSRF refused at registration.
 */
class WebhooksIT {
    private final ApiClient api = Target.get().api();
    private final String admin = Admins.token();
    private final List<String> registered = new ArrayList<>();

    @AfterEach
    void deleteWebhooks() {
        registered.forEach(id -> api.delete("/webhooks/" + id).bearer(admin).send());
    }

    /** How long the slowest delivery may take: every retry's backoff (WebhookRetryBaseSeconds × 6^n) plus margin. */
    private static Duration deliveryWindow() {
        long base = Target.get().numericSetting("WebhookRetryBaseSeconds");
        long attempts = Target.get().numericSetting("WebhookMaxAttempts");
        long total = 0;
        long delay = base;
        for (int i = 1; i < attempts; i++) {
            total += Math.min(delay, 900);
            delay *= 6;
        }
        return Duration.ofSeconds(30 + total);
    }

    private JsonNode register(String url, List<String> events) {
        ApiResponse created = api.post("/webhooks").bearer(admin).json(Map.of("url", url, "events", events, "description", "e2e")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        registered.add(created.json().path("id").asText());
        return created.json();
    }

    private String idOf(TestUser user) {
        return api.get("/me").bearer(user.login().accessToken()).send().json().path("id").asText();
    }

    private List<JsonNode> attempts(String webhookId, String eventId) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiResponse page = api.get("/webhooks/" + webhookId + "/deliveries?limit=50" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(admin).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> {
                if (eventId.equals(item.path("eventId").asText())) {
                    out.add(item);
                }
            });
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null && ++pages < 20);
        return out;
    }

    @Test
    void userLifecycle_isDeliveredSigned_fromCreatedToDeleted() throws Exception {
        Requires.loopbackWebhooks();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonNode webhook = register(receiver.url("/lifecycle"), List.of("user.created", "user.updated", "user.disabled", "user.enabled",
                    "user.deleted", "session.created"));
            String secret = webhook.path("secret").asText();
            assertThat(secret).startsWith("whsec_");

            TestUser user = TestUsers.confirmed("hooks");
            String id = idOf(user);
            String token = user.login().accessToken();
            assertThat(api.patch("/me").bearer(token).header("If-Match", "*").json(Map.of("name", "Hooked")).send().status()).isEqualTo(200);
            assertThat(api.post("/users/" + id + "/disable").bearer(admin).send().status()).isEqualTo(204);
            assertThat(api.post("/users/" + id + "/enable").bearer(admin).send().status()).isEqualTo(204);
            assertThat(api.delete("/users/" + id).bearer(admin).send().status()).isEqualTo(204);

            Set<String> expected = Set.of("user.created", "session.created", "user.updated", "user.disabled", "user.enabled", "user.deleted");
            boolean all = WebhookReceiver.await(() -> receiver.about(id).stream().map(d -> d.event().path("type").asText())
                    .collect(Collectors.toSet()).containsAll(expected), deliveryWindow());
            List<WebhookReceiver.Delivery> deliveries = receiver.about(id);
            assertThat(all).as("deliveries: %s", deliveries.stream().map(d -> d.event().path("type").asText()).toList()).isTrue();
            for (WebhookReceiver.Delivery d : deliveries) {
                assertThat(WebhookReceiver.verify(d, secret)).as("signature of %s", d.body()).isTrue();
                assertThat(d.webhookId()).isEqualTo(d.event().path("id").asText()).startsWith("evt_");
                assertThat(d.event().fieldNames()).toIterable().containsExactly("id", "type", "at", "data");
                assertThat(d.body()).doesNotContain("revokedBefore").doesNotContain("originJti").doesNotContain("SESSION#")
                        .doesNotContain(token);
            }
            // each lifecycle event once (at least once: a redelivery would carry the same webhook-id)
            assertThat(deliveries.stream().map(WebhookReceiver.Delivery::webhookId).distinct().count())
                    .isEqualTo(deliveries.stream().map(d -> d.event().path("type").asText()).filter(expected::contains).count());
            // a signature made with another secret does not verify
            assertThat(WebhookReceiver.verify(deliveries.get(0), "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
                    .isFalse();
        }
    }

    /** Every event type of the contract (docs/EVENTS.md, API.md "Added: lifecycle events and webhooks"). */
    static final List<String> EVERY_TYPE = List.of("user.created", "user.confirmed", "user.updated", "user.email_changed",
            "user.roles_changed", "user.disabled", "user.enabled", "user.deleted", "session.created", "session.revoked",
            "password.changed", "mfa.enabled", "mfa.disabled", "passkey.added", "passkey.removed", "org.created", "org.updated",
            "org.member_added", "org.member_role_changed", "org.member_removed", "org.deleted", "org.invitation_created",
            "org.invitation_revoked", "org.invitation_accepted");

    /** The deliveries of one webhook, one per event (deduplicated on webhook-id, as receivers are told to). */
    private static List<WebhookReceiver.Delivery> distinct(List<WebhookReceiver.Delivery> deliveries) {
        Map<String, WebhookReceiver.Delivery> byId = new java.util.LinkedHashMap<>();
        deliveries.forEach(d -> byId.putIfAbsent(d.webhookId(), d));
        return new ArrayList<>(byId.values());
    }

    private static Map<String, Long> countByType(List<WebhookReceiver.Delivery> deliveries) {
        return deliveries.stream().collect(Collectors.groupingBy(d -> d.event().path("type").asText(), java.util.TreeMap::new,
                Collectors.counting()));
    }

    private static ApiResponse ok(ApiResponse response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    /**
     * One change of each kind, each producing its event exactly once: a self sign-up through its whole life (confirmed,
     * signed in, profile, TOTP on and off, password, e-mail, roles, disabled and enabled, an organization it creates,
     * others join, one is removed, then deleted, then the account deleted) and an invited account confirmed by its first
     * password. Counted per event after deduplicating on webhook-id; "never" is made observable by two fence changes on
     * one item after everything else (the local stream is read in order per shard and all shards every round, so once the
     * second fence arrives every earlier change has been published and delivered).
     */
    @Test
    void everyEventType_isDeliveredVerified_exactlyOncePerChange() throws Exception {
        Requires.loopbackWebhooks();
        Requires.outbox();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String secret = register(receiver.url("/every"), EVERY_TYPE).path("secret").asText();

            // the self sign-up: created + confirmed; confirming signs in and the helper logs out (a session made and ended)
            TestUser user = TestUsers.confirmed("hooks-all");
            Tokens tokens = user.login();
            String id = idOf(user);
            ok(api.patch("/me").bearer(tokens.accessToken()).header("If-Match", "*").json(Map.of("name", "Every Event")).send(), 200);

            String totp = ok(api.post("/me/mfa/totp").bearer(tokens.accessToken()).send(), 200).json().path("secretCode").asText();
            ok(api.post("/me/mfa/totp/verify").bearer(tokens.accessToken()).json(Map.of("code", Totp.now(totp))).send(), 204);
            ApiResponse challenge = ok(api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send(), 200);
            ApiResponse mfaLogin = ok(api.post("/auth/login/mfa").json(Map.of("email", user.email(),
                    "session", challenge.json().path("session").asText(), "code", Totp.now(totp))).send(), 200);
            ok(api.delete("/me/mfa").bearer(mfaLogin.json().path("accessToken").asText()).send(), 204);

            String password = "Ev3ry-Event-Passw0rd!";
            ApiResponse changed = ok(api.post("/me/password").bearer(tokens.accessToken())
                    .json(Map.of("currentPassword", user.password(), "newPassword", password)).send(), 200);
            String access = changed.json().path("accessToken").asText();
            // a passkey added and removed (the fresh sign-in of the password change is recent authentication)
            dev.userapi.e2e.client.SoftwareAuthenticator authenticator = new dev.userapi.e2e.client.SoftwareAuthenticator(
                    dev.userapi.e2e.client.SoftwareAuthenticator.Algorithm.ES256, dev.userapi.e2e.Target.get().origin());
            ApiResponse passkeyOptions = ok(api.post("/me/passkeys/options").bearer(access).send(), 200);
            ok(api.post("/me/passkeys").bearer(access).json(Map.of("credential", authenticator.create(passkeyOptions.json().path("publicKey")),
                    "name", "Every Event key")).send(), 201);
            ok(api.delete("/me/passkeys/" + authenticator.credentialId()).bearer(access).send(), 204);

            String newEmail = TestUsers.uniqueEmail("hooks-all-moved").toLowerCase(java.util.Locale.ROOT);
            ok(api.post("/me/email").bearer(access).json(Map.of("newEmail", newEmail, "password", password)).send(), 202);
            String code = new dev.userapi.e2e.client.OutboxClient(api).latestCode(newEmail, "EMAIL_CHANGE");
            ok(api.post("/me/email/verify").bearer(access).json(Map.of("code", code)).send(), 200);

            ok(api.put("/users/" + id + "/roles").bearer(admin).json(Map.of("roles", List.of("admin", "user"))).send(), 200);
            ok(api.post("/users/" + id + "/disable").bearer(admin).send(), 204);
            ok(api.post("/users/" + id + "/enable").bearer(admin).send(), 204);

            // an organization: created (its creator the first member), renamed, two join by invitation, one's role is
            // changed, another invitation is revoked, one member is removed, then it is deleted
            String ownerToken = new TestUser(newEmail, password).login().accessToken();
            String orgId = Orgs.create(ownerToken, "Every Event Inc");
            ok(api.patch("/orgs/" + orgId).bearer(ownerToken).json(Map.of("name", "Every Event Ltd")).send(), 200);
            Orgs.Member removed = Orgs.Member.fresh("hooks-all-removed");
            Orgs.Member stays = Orgs.Member.fresh("hooks-all-stays");
            Orgs.join(ownerToken, orgId, removed, "member");
            Orgs.join(ownerToken, orgId, stays, "admin");
            ok(api.put("/orgs/" + orgId + "/members/" + stays.id() + "/role").bearer(ownerToken).json(Map.of("role", "member")).send(), 200);
            String uninvitedEmail = TestUsers.uniqueEmail("hooks-all-uninvited");
            String invitationToken = Orgs.invite(ownerToken, orgId, uninvitedEmail, "member");
            List<String> pendingIds = new ArrayList<>();
            for (JsonNode inv : ok(api.get("/orgs/" + orgId + "/invitations").bearer(ownerToken).send(), 200).json().path("items")) {
                if (uninvitedEmail.equalsIgnoreCase(inv.path("email").asText())) {
                    pendingIds.add(inv.path("id").asText());
                }
            }
            assertThat(pendingIds).as("the pending invitation is listed").hasSize(1);
            String revokedInvitation = pendingIds.get(0);
            ok(api.delete("/orgs/" + orgId + "/invitations/" + revokedInvitation).bearer(ownerToken).send(), 204);
            ok(api.delete("/orgs/" + orgId + "/members/" + removed.id()).bearer(ownerToken).send(), 204);
            ok(api.delete("/orgs/" + orgId).bearer(ownerToken).send(), 204);

            ok(api.delete("/users/" + id).bearer(admin).send(), 204);

            // an invited account: created by an administrator, confirmed when it sets its first password
            String invitedEmail = TestUsers.uniqueEmail("hooks-all-invited");
            String invited = ok(api.post("/users").bearer(admin).json(Map.of("email", invitedEmail, "roles", List.of("user"))).send(), 201)
                    .json().path("id").asText();
            String temporary = new dev.userapi.e2e.client.OutboxClient(api).latestCode(invitedEmail, "TEMPORARY_PASSWORD");
            ApiResponse first = ok(api.post("/auth/login").json(Map.of("email", invitedEmail, "password", temporary)).send(), 200);
            ApiResponse set = ok(api.post("/auth/login/new-password").json(Map.of("email", invitedEmail,
                    "session", first.json().path("session").asText(), "newPassword", "Inv1ted-Passw0rd-Set!")).send(), 200);
            String invitedToken = set.json().path("accessToken").asText();

            Map<String, Long> expectedOfUser = new java.util.TreeMap<>(Map.ofEntries(Map.entry("user.created", 1L),
                    Map.entry("user.confirmed", 1L), Map.entry("user.updated", 1L), Map.entry("mfa.enabled", 1L), Map.entry("mfa.disabled", 1L),
                    Map.entry("password.changed", 1L), Map.entry("user.email_changed", 1L), Map.entry("user.roles_changed", 1L),
                    Map.entry("user.disabled", 1L), Map.entry("user.enabled", 1L), Map.entry("org.member_added", 1L),
                    Map.entry("passkey.added", 1L), Map.entry("passkey.removed", 1L),
                    Map.entry("user.deleted", 1L)));
            // the org's own events (by data.orgId): created, renamed, three added (the creator, two invitees), three
            // invitations (two accepted, one revoked), one role change, one removed, deleted — the deletion makes no
            // member_removed for the two members it sweeps away, nor anything for the invitations it sweeps
            Map<String, Long> expectedOfOrg = new java.util.TreeMap<>(Map.ofEntries(Map.entry("org.created", 1L), Map.entry("org.updated", 1L),
                    Map.entry("org.member_added", 3L), Map.entry("org.invitation_created", 3L), Map.entry("org.invitation_accepted", 2L),
                    Map.entry("org.invitation_revoked", 1L), Map.entry("org.member_role_changed", 1L), Map.entry("org.member_removed", 1L),
                    Map.entry("org.deleted", 1L)));

            // two fences on one item (the invited account's profile), each awaited: see the method's comment
            for (String fence : List.of("Fence One", "Fence Two")) {
                ok(api.patch("/me").bearer(invitedToken).header("If-Match", "*").json(Map.of("name", fence)).send(), 200);
                assertThat(WebhookReceiver.await(() -> receiver.about(invited).stream()
                        .anyMatch(d -> fence.equals(d.event().path("data").path("profile").path("name").asText())), deliveryWindow()))
                        .as("fence %s delivered", fence).isTrue();
            }

            List<WebhookReceiver.Delivery> all = distinct(receiver.received());
            for (WebhookReceiver.Delivery d : receiver.received()) {
                assertThat(WebhookReceiver.verify(d, secret)).as("signature of %s", d.body()).isTrue();
                assertThat(d.webhookId()).isEqualTo(d.event().path("id").asText());
            }
            assertThat(all.stream().map(d -> d.event().path("type").asText()).collect(Collectors.toSet()))
                    .as("every event type was delivered").containsExactlyInAnyOrderElementsOf(EVERY_TYPE);

            List<WebhookReceiver.Delivery> ofUser = all.stream().filter(d -> id.equals(d.event().path("data").path("userId").asText())).toList();
            Map<String, Long> ofUserCounts = countByType(ofUser.stream().filter(d -> !d.event().path("type").asText().startsWith("session.")).toList());
            assertThat(ofUserCounts).as("the self sign-up's events").isEqualTo(expectedOfUser);
            // sessions: each one created once and, since the account is deleted, ended once
            Map<String, Map<String, Long>> bySession = ofUser.stream().filter(d -> d.event().path("type").asText().startsWith("session."))
                    .collect(Collectors.groupingBy(d -> d.event().path("data").path("sessionId").asText(),
                            Collectors.groupingBy(d -> d.event().path("type").asText(), Collectors.counting())));
            assertThat(bySession).as("sessions of the self sign-up").hasSizeGreaterThanOrEqualTo(4);
            bySession.forEach((session, counts) -> assertThat(counts).as("session %s", session)
                    .isEqualTo(Map.of("session.created", 1L, "session.revoked", 1L)));

            List<WebhookReceiver.Delivery> ofOrg = all.stream().filter(d -> orgId.equals(d.event().path("data").path("orgId").asText())).toList();
            assertThat(countByType(ofOrg)).as("the organization's events").isEqualTo(expectedOfOrg);
            assertThat(ofOrg.stream().filter(d -> d.event().path("type").asText().equals("org.member_added"))
                    .map(d -> d.event().path("data").path("userId").asText() + ":" + d.event().path("data").path("role").asText()))
                    .containsExactlyInAnyOrder(id + ":owner", removed.id() + ":member", stays.id() + ":admin");
            assertThat(ofOrg.stream().filter(d -> d.event().path("type").asText().equals("org.member_removed"))
                    .map(d -> d.event().path("data").path("userId").asText())).containsExactly(removed.id());
            assertThat(ofOrg.stream().filter(d -> d.event().path("type").asText().equals("org.member_role_changed"))
                    .map(d -> d.event().path("data"))).singleElement().satisfies(data -> assertThat(data.path("userId").asText() + ":"
                            + data.path("previousRole").asText() + "->" + data.path("role").asText()).isEqualTo(stays.id() + ":admin->member"));
            assertThat(ofOrg.stream().filter(d -> d.event().path("type").asText().equals("org.updated"))
                    .map(d -> d.event().path("data").path("name").asText())).containsExactly("Every Event Ltd");
            assertThat(ofOrg.stream().filter(d -> d.event().path("type").asText().equals("org.invitation_revoked"))
                    .map(d -> d.event().path("data").path("invitationId").asText())).containsExactly(revokedInvitation);
            assertThat(ofOrg.stream().filter(d -> d.event().path("type").asText().equals("org.invitation_accepted"))
                    .map(d -> d.event().path("data").path("userId").asText())).containsExactlyInAnyOrder(removed.id(), stays.id());
            for (WebhookReceiver.Delivery d : ofOrg) {
                assertThat(d.body()).as("no invitation token or its hash").doesNotContain(invitationToken).doesNotContain("tokenHash");
            }

            Map<String, Long> ofInvited = countByType(all.stream().filter(d -> invited.equals(d.event().path("data").path("userId").asText()))
                    .filter(d -> !d.event().path("type").asText().equals("user.updated")).toList());
            assertThat(ofInvited).as("the invited account's events: confirmed by its first password, signed in once")
                    .isEqualTo(Map.of("user.created", 1L, "user.confirmed", 1L, "session.created", 1L));

            for (WebhookReceiver.Delivery d : all) {
                assertThat(d.body()).doesNotContain("revokedBefore").doesNotContain("removedWithOrg").doesNotContain(password)
                        .doesNotContain(temporary).doesNotContain(access);
            }
        }
    }

    @Test
    void failingReceiver_isRetried_untilItAnswers2xx() throws Exception {
        Requires.loopbackWebhooks();
        try (WebhookReceiver receiver = new WebhookReceiver().answering(n -> n <= 2 ? 500 : 200)) {
            String webhookId = register(receiver.url("/flaky"), List.of("user.created")).path("id").asText();
            String id = idOf(TestUsers.confirmed("hooks-flaky"));
            assertThat(WebhookReceiver.await(() -> receiver.about(id).size() >= 3, deliveryWindow())).isTrue();
            String eventId = receiver.about(id).get(0).webhookId();
            assertThat(receiver.about(id)).extracting(WebhookReceiver.Delivery::webhookId).containsOnly(eventId);
            assertThat(WebhookReceiver.await(() -> attempts(webhookId, eventId).size() >= 3, Duration.ofSeconds(10))).isTrue();
            List<JsonNode> attempts = attempts(webhookId, eventId);
            assertThat(attempts).extracting(a -> a.path("attempt").asInt() + ":" + a.path("status").asText() + ":" + a.path("responseStatus").asInt())
                    .containsExactly("3:succeeded:200", "2:failed:500", "1:failed:500");
            // the first retry within 30 s of the first attempt, by the times the attempts were recorded (not by waiting)
            java.time.Instant firstAt = java.time.Instant.parse(attempts.get(2).path("at").asText());
            java.time.Instant retryAt = java.time.Instant.parse(attempts.get(1).path("at").asText());
            assertThat(Duration.between(firstAt, retryAt)).as("first retry after the first attempt").isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void receiverAlwaysFailing_endsDead_andTheRetryRouteRedelivers() throws Exception {
        Requires.loopbackWebhooks();
        int maxAttempts = (int) Target.get().numericSetting("WebhookMaxAttempts");
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(false);
        try (WebhookReceiver receiver = new WebhookReceiver().answering(n -> up.get() ? 200 : 500)) {
            String webhookId = register(receiver.url("/down"), List.of("user.created")).path("id").asText();
            String id = idOf(TestUsers.confirmed("hooks-down"));
            assertThat(WebhookReceiver.await(() -> !receiver.about(id).isEmpty(), deliveryWindow())).isTrue();
            String eventId = receiver.about(id).get(0).webhookId();
            assertThat(WebhookReceiver.await(() -> attempts(webhookId, eventId).stream().anyMatch(a -> "dead".equals(a.path("status").asText())),
                    deliveryWindow())).isTrue();
            List<JsonNode> attempts = attempts(webhookId, eventId);
            assertThat(attempts).hasSize(maxAttempts);
            assertThat(attempts.get(0).path("attempt").asInt()).isEqualTo(maxAttempts);
            assertThat(attempts.get(0).path("status").asText()).isEqualTo("dead");
            assertThat(receiver.about(id)).hasSize(maxAttempts);

            up.set(true);
            String deliveryId = attempts.get(0).path("id").asText();
            ApiResponse retry = api.post("/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/retry").bearer(admin).send();
            assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
            assertThat(WebhookReceiver.await(() -> attempts(webhookId, eventId).stream()
                    .anyMatch(a -> "succeeded".equals(a.path("status").asText())), Duration.ofSeconds(30))).isTrue();
            assertThat(receiver.about(id)).hasSize(maxAttempts + 1).extracting(WebhookReceiver.Delivery::webhookId).containsOnly(eventId);

            assertProblem(api.post("/webhooks/" + webhookId + "/deliveries/dlv_" + "0".repeat(32) + "/retry").bearer(admin).send(),
                    404, "NotFound");
        }
    }

    @Test
    void e34_ssrfTargets_areRefusedAtRegistration() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "https://localhost/", "https://127.0.0.1/",
                "https://[::ffff:169.254.169.254]/", "https://[::1]:8080/", "https://user:pw@localhost/", "ftp://example.com/",
                "http://localhost.example/", "not a url")) {
            assertProblem(api.post("/webhooks").bearer(admin).json(Map.of("url", url, "events", List.of("user.created"))).send(),
                    400, "InvalidRequest");
        }
        assertThat(api.get("/webhooks").bearer(admin).send().body()).doesNotContain("169.254.169.254").doesNotContain("10.0.0.1");
    }

    @Test
    void registration_showsTheSecretOnce_adminOnly_andDeleteEndsIt() throws Exception {
        Requires.loopbackWebhooks();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            assertProblem(api.post("/webhooks").bearer(admin).json(Map.of("url", receiver.url("/x"), "events", List.of("user.nonsense"))).send(),
                    400, "InvalidRequest");
            assertProblem(api.post("/webhooks").bearer(admin).json(Map.of("url", receiver.url("/x"), "events", List.of())).send(),
                    400, "InvalidRequest");
            JsonNode created = register(receiver.url("/once"), List.of("user.created"));
            String id = created.path("id").asText();
            ApiResponse list = api.get("/webhooks").bearer(admin).send();
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains(id).doesNotContain(created.path("secret").asText()).doesNotContain("secret")
                    .doesNotContain("Ciphertext");

            String userToken = TestUsers.confirmed("hooks-user").login().accessToken();
            assertThat(api.get("/webhooks").bearer(userToken).send().status()).isEqualTo(403);
            assertThat(api.post("/webhooks").bearer(userToken).json(Map.of("url", receiver.url("/u"), "events", List.of("user.created")))
                    .send().status()).isEqualTo(403);

            assertThat(api.delete("/webhooks/" + id).bearer(admin).send().status()).isEqualTo(204);
            assertProblem(api.delete("/webhooks/" + id).bearer(admin).send(), 404, "NotFound");
            assertProblem(api.get("/webhooks/" + id + "/deliveries").bearer(admin).send(), 404, "NotFound");
            assertThat(api.get("/webhooks").bearer(admin).send().body()).doesNotContain(id);
        }
    }
}
