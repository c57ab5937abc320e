package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Account pre-hijacking (docs/SECURITY.md item 26), as an attacker would try it: sign up first with
 * the victim's address and wait for the victim to confirm, or get an administrator to invite it.
 * Whoever holds the mailbox (the code) decides the password; no earlier password keeps working.
 */
class PreHijackIT {
    private static final String ATTACKER_PASSWORD = "Att4cker-Chose-This!";
    private static final String VICTIM_PASSWORD = "V1ctim-Own-Secret!";

    private final ApiClient api = Target.get().api();
    private final OutboxClient outbox = Target.get().outbox();

    private ApiResponse signUp(String email, String password) {
        ApiResponse response = api.post("/auth/sign-up").json(Map.of("email", email, "password", password)).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response;
    }

    private ApiResponse login(String email, String password) {
        return api.post("/auth/login").json(Map.of("email", email, "password", password)).send();
    }

    private static String withoutRequestId(ApiResponse response) {
        return ((ObjectNode) response.json()).without("requestId").toString();
    }

    @Test
    void b26_attackerSignsUpFirst_victimConfirmsWithTheirOwnPassword_attackersPasswordNeverWorks() {
        Requires.outbox();
        String email = TestUsers.uniqueEmail("prehijack-first");
        signUp(email, ATTACKER_PASSWORD);
        signUp(email, VICTIM_PASSWORD); // the victim signs up too: a fresh code goes to the mailbox
        String code = outbox.confirmationCode(email);

        ApiResponse confirmed = api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", VICTIM_PASSWORD)).send();

        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        String access = confirmed.json().path("accessToken").asText();
        assertThat(access).as("confirming answers as a login does").isNotEmpty();
        assertThat(confirmed.json().path("refreshToken").asText()).isNotEmpty();
        assertThat(api.get("/me").bearer(access).send().status()).isEqualTo(200);
        assertThat(login(email, ATTACKER_PASSWORD).status()).isEqualTo(401);
        assertThat(login(email, VICTIM_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void b26_victimSignsUpFirst_attackersLaterSignUp_changesNothing() {
        Requires.outbox();
        String email = TestUsers.uniqueEmail("prehijack-second");
        signUp(email, VICTIM_PASSWORD);
        signUp(email, ATTACKER_PASSWORD);
        String code = outbox.confirmationCode(email);

        ApiResponse confirmed = api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", VICTIM_PASSWORD)).send();

        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(login(email, ATTACKER_PASSWORD).status()).isEqualTo(401);
        assertThat(login(email, VICTIM_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void b26_thePasswordGivenWithTheCode_replacesTheSignUpPassword_evenTheSameSignersOwn() {
        Requires.outbox();
        TestUser user = TestUsers.signedUp("confirm-sets");
        String chosen = "Chosen-At-Confirm-9!";
        ApiResponse confirmed = api.post("/auth/confirm")
                .json(Map.of("email", user.email(), "code", outbox.confirmationCode(user.email()), "password", chosen)).send();

        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(login(user.email(), user.password()).status()).isEqualTo(401);
        new TestUser(user.email(), chosen).login();
    }

    @Test
    void b26_confirm_isUniform_unknownConfirmedWrongAndUsedCodes_allAnswerTheSame400() {
        Requires.outbox();
        TestUser pending = TestUsers.signedUp("uniform-confirm");
        String code = outbox.confirmationCode(pending.email());
        String wrong = code.equals("000000") ? "111111" : "000000";
        TestUser confirmed = TestUsers.confirmed("uniform-confirmed");
        String usedCode = outbox.confirmationCode(confirmed.email());

        List<ApiResponse> answers = List.of(
                api.post("/auth/confirm").json(Map.of("email", TestUsers.uniqueEmail("nobody"), "code", code,
                        "password", TestUsers.PASSWORD)).send(),
                api.post("/auth/confirm").json(Map.of("email", pending.email(), "code", wrong, "password", TestUsers.PASSWORD)).send(),
                api.post("/auth/confirm").json(Map.of("email", confirmed.email(), "code", usedCode,
                        "password", "Hijack-Attempt-12!")).send());

        for (ApiResponse answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json().path("code").asText()).isEqualTo("CodeMismatch");
            assertThat(withoutRequestId(answer)).as("the same body but for the request id")
                    .isEqualTo(withoutRequestId(answers.get(0)));
        }
        assertThat(login(confirmed.email(), "Hijack-Attempt-12!").status()).isEqualTo(401);
        confirmed.login();
    }

    @Test
    void b26_anInvitation_replacesAnUnconfirmedSelfSignUp_andTheAuditSaysSo() {
        Requires.outbox();
        Requires.admin();
        String email = TestUsers.uniqueEmail("prehijack-invite");
        signUp(email, ATTACKER_PASSWORD);
        String admin = Admins.token();

        ApiResponse created = api.post("/users").bearer(admin).json(Map.of("email", email, "roles", List.of("admin"))).send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        ApiResponse attacker = login(email, ATTACKER_PASSWORD);
        assertThat(attacker.json().has("accessToken")).as("the attacker's password: " + attacker).isFalse();
        ApiResponse invited = login(email, outbox.latestCode(email, "TEMPORARY_PASSWORD"));
        assertThat(invited.status()).as(invited.toString()).isEqualTo(200);
        assertThat(invited.json().path("challenge").asText()).isEqualTo("NEW_PASSWORD_REQUIRED");
        ApiResponse audit = api.get("/users/" + id + "/audit").bearer(admin).send();
        JsonNode created0 = audit.json().path("items").get(0);
        assertThat(created0.path("action").asText()).isEqualTo("user.create");
        String replaced = created0.path("details").path("replacedUnconfirmedSignUp").asText();
        assertThat(replaced).as("the audit names the replaced sign-up: " + audit).isNotEmpty().isNotEqualTo(id);
    }

    @Test
    void b26_anInvitation_forAConfirmedAccount_isStill409() {
        Requires.admin();
        TestUser user = TestUsers.confirmed("invite-confirmed");
        ApiResponse created = api.post("/users").bearer(Admins.token()).json(Map.of("email", user.email())).send();

        assertThat(created.status()).as(created.toString()).isEqualTo(409);
        user.login();
    }
}
