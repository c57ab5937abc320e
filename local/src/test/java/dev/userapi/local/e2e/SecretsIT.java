package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.log.Log;
import dev.userapi.local.testing.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUsers;
import dev.userapi.e2e.client.Totp;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/SECURITY.md item 18: nothing secret is logged or returned where it does not belong. The whole
 * life of an account is driven over HTTP — sign-up, confirmation, login, refresh, profile, password
 * change, TOTP set-up and MFA login, a wrong password, a forged token, forgot/reset password, an
 * administrator-created account with its temporary password, logout, deletion — while every line the
 * stack's functions write (the {@code Log} lines on standard output, and standard error) is captured.
 * Then no line may hold any password, confirmation or reset code, temporary password, TOTP secret or
 * code, MFA session, or access, ID or refresh token of the flow; and no error body may hold a stack
 * trace, an exception name or an AWS SDK message.
 *
 * <p>Two kinds of console lines are not the functions' and are left out: {@code [outbox]} (the local
 * stand-in for the e-mails Cognito sends, which carry the codes by design) and {@code [cognito-local]}
 * (the Cognito emulator's own console).
 */
class SecretsIT {
    private static final Pattern SDK_TEXT = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]+\\.|software\\.amazon|com\\.amazonaws|Status Code: |Request ID: |Service: |\\(SDK Attempt");

    private final ApiClient api = TestStack.api();
    private final OutboxClient outbox = TestStack.outbox();
    /** What must not appear in any log line, by name. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<ApiResponse> responses = new ArrayList<>();

    @Test
    void b18_noTokenPasswordCodeOrSecretInAnyLogLine_andNoStackTraceOrSdkMessageInAnyBody() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream logTee = tee(System.out, captured);
        PrintStream errTee = tee(originalErr, captured);
        Log.redirect(logTee);
        System.setErr(errTee);
        try {
            lifeOfAnAccount();
        } finally {
            System.setErr(originalErr);
            Log.redirect(null);
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("[outbox]") && !line.startsWith("[cognito-local]"))
                .toList();
        assertThat(lines).as("the functions logged the flow").anyMatch(l -> l.contains("\"logger\":\"ApiHandler\""));
        assertThat(lines.size()).isGreaterThan(50);
        secrets.forEach((name, secret) -> assertThat(lines).as("log lines holding the " + name)
                .noneMatch(line -> holds(line, secret)));

        for (ApiResponse response : responses) {
            if (response.status() >= 400) {
                assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
                assertThat(SDK_TEXT.matcher(response.body()).find()).as("SDK text or a stack trace in " + response).isFalse();
            }
        }
    }

    /** True if the secret appears in the line; short numeric codes only as a whole number, not inside a longer one. */
    private static boolean holds(String line, String secret) {
        if (secret.matches("\\d{1,8}")) {
            return Pattern.compile("(?<![0-9A-Za-z])" + secret + "(?![0-9A-Za-z])").matcher(line).find();
        }
        return line.contains(secret);
    }

    private void secret(String name, String value) {
        assertThat(value).as(name).isNotBlank();
        secrets.put(name, value);
        if (value.chars().filter(c -> c == '.').count() == 2) { // a JWT: its payload and signature alone are secret too
            String[] parts = value.split("\\.");
            secrets.put(name + " (payload)", parts[1]);
            secrets.put(name + " (signature)", parts[2]);
        }
    }

    private ApiResponse send(ApiClient.Request request) {
        ApiResponse response = request.send();
        responses.add(response);
        return response;
    }

    private void lifeOfAnAccount() {
        String email = TestUsers.uniqueEmail("b18");
        String password = "First-Secret-Passw0rd!";
        secret("sign-up password", password);
        assertThat(send(api.post("/auth/sign-up").json(Map.of("email", email, "password", password, "name", "Sam"))).status())
                .isEqualTo(202);
        String code = outbox.confirmationCode(email);
        secret("confirmation code", code);
        send(api.post("/auth/confirm").json(Map.of("email", email, "code", "000000".equals(code) ? "111111" : "000000", "password", password)));
        assertThat(send(api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", password))).status()).isEqualTo(200);

        String wrong = "Wrong-Guess-Passw0rd!";
        secret("wrong password", wrong);
        assertThat(send(api.post("/auth/login").json(Map.of("email", email, "password", wrong))).status()).isEqualTo(401);

        ApiResponse login = send(api.post("/auth/login").json(Map.of("email", email, "password", password)));
        String access = login.json().path("accessToken").asText();
        String refresh = login.json().path("refreshToken").asText();
        secret("access token", access);
        secret("ID token", login.json().path("idToken").asText());
        secret("refresh token", refresh);

        send(api.get("/me").bearer(access));
        send(api.patch("/me").bearer(access).json(Map.of("name", "Samantha", "phoneNumber", "+14155550123")));
        send(api.patch("/me").bearer(access).header("If-Match", "\"99\"").json(Map.of("name", "Stale")));
        ApiResponse refreshed = send(api.post("/auth/refresh").json(Map.of("refreshToken", refresh)));
        secret("refreshed access token", refreshed.json().path("accessToken").asText());
        send(api.get("/me/sessions").bearer(access));

        String second = "Second-Secret-Passw0rd!";
        secret("new password", second);
        send(api.post("/me/password").bearer(access).json(Map.of("currentPassword", "Not-The-Current-1!", "newPassword", second)));
        secret("wrong current password", "Not-The-Current-1!");
        ApiResponse changed = send(api.post("/me/password").bearer(access).json(Map.of("currentPassword", password, "newPassword", second)));
        assertThat(changed.status()).isEqualTo(200);
        access = changed.json().path("accessToken").asText(); // the change ended the session: its fresh tokens
        secret("access token after the password change", access);
        secret("refresh token after the password change", changed.json().path("refreshToken").asText());

        ApiResponse totp = send(api.post("/me/mfa/totp").bearer(access));
        String totpSecret = totp.json().path("secretCode").asText();
        secret("TOTP secret", totpSecret);
        String wrongTotp = Totp.wrong(totpSecret);
        secret("wrong TOTP code", wrongTotp);
        send(api.post("/me/mfa/totp/verify").bearer(access).json(Map.of("code", wrongTotp)));
        String totpCode = Totp.now(totpSecret);
        secret("TOTP code", totpCode);
        assertThat(send(api.post("/me/mfa/totp/verify").bearer(access).json(Map.of("code", totpCode))).status()).isEqualTo(204);

        ApiResponse challenge = send(api.post("/auth/login").json(Map.of("email", email, "password", second)));
        String session = challenge.json().path("session").asText();
        secret("MFA session", session);
        send(api.post("/auth/login/mfa").json(Map.of("email", email, "session", session, "code", wrongTotp)));
        ApiResponse again = send(api.post("/auth/login").json(Map.of("email", email, "password", second)));
        ApiResponse mfa = send(api.post("/auth/login/mfa").json(Map.of("email", email, "session", again.json().path("session").asText(),
                "code", Totp.now(totpSecret))));
        String mfaAccess = mfa.json().path("accessToken").asText();
        String mfaRefresh = mfa.json().path("refreshToken").asText();
        secret("MFA access token", mfaAccess);
        secret("MFA refresh token", mfaRefresh);
        assertThat(send(api.delete("/me/mfa").bearer(mfaAccess)).status()).isEqualTo(204);

        // a forged token (the real one with another signature) and garbage are refused without a trace of them
        String forged = mfaAccess.substring(0, mfaAccess.lastIndexOf('.') + 1) + "c2lnbmF0dXJlLWZvcmdlZC1ieS1hbi1hdHRhY2tlcg";
        secret("forged token's signature", "c2lnbmF0dXJlLWZvcmdlZC1ieS1hbi1hdHRhY2tlcg");
        assertThat(send(api.get("/me").bearer(forged)).status()).isEqualTo(401);
        send(api.post("/auth/refresh").json(Map.of("refreshToken", "not-a-refresh-token-but-a-secret-anyway")));
        secret("garbage refresh token", "not-a-refresh-token-but-a-secret-anyway");

        assertThat(send(api.post("/auth/forgot-password").json(Map.of("email", email))).status()).isEqualTo(202);
        String resetCode = outbox.latestCode(email, "FORGOT_PASSWORD");
        secret("reset code", resetCode);
        String third = "Third-Secret-Passw0rd!";
        secret("reset password", third);
        assertThat(send(api.post("/auth/reset-password").json(Map.of("email", email, "code", resetCode, "newPassword", third))).status())
                .isEqualTo(200);

        // an account made by an administrator: its temporary password and first sign-in
        String adminToken = Admins.token();
        String created = TestUsers.uniqueEmail("b18-created");
        assertThat(send(api.post("/users").bearer(adminToken).json(Map.of("email", created))).status()).isEqualTo(201);
        String temporary = outbox.latestCode(created, "TEMPORARY_PASSWORD");
        secret("temporary password", temporary);
        ApiResponse first = send(api.post("/auth/login").json(Map.of("email", created, "password", temporary)));
        String newPasswordSession = first.json().path("session").asText();
        secret("new-password session", newPasswordSession);
        String fourth = "Fourth-Secret-Passw0rd!";
        secret("first own password", fourth);
        ApiResponse set = send(api.post("/auth/login/new-password").json(Map.of("email", created, "session", newPasswordSession,
                "newPassword", fourth)));
        secret("new user's access token", set.json().path("accessToken").asText());

        ApiResponse last = send(api.post("/auth/login").json(Map.of("email", email, "password", third)));
        String lastAccess = last.json().path("accessToken").asText();
        secret("last access token", lastAccess);
        assertThat(send(api.post("/auth/logout").json(Map.of("refreshToken", mfaRefresh))).status()).isEqualTo(204);
        assertThat(send(api.post("/auth/refresh").json(Map.of("refreshToken", mfaRefresh))).status()).isEqualTo(401);
        assertThat(send(api.delete("/me").bearer(lastAccess)).status()).isEqualTo(204);
        assertThat(send(api.get("/me").bearer(lastAccess)).status()).isEqualTo(401);

        // the responses themselves: tokens only where they are the answer
        for (ApiResponse response : responses) {
            boolean issuesTokens = response.body().contains("\"accessToken\"");
            if (!issuesTokens) {
                assertThat(response.body()).as("no refresh token outside a login answer: " + response)
                        .doesNotContain(refresh).doesNotContain(mfaRefresh);
            }
        }
    }

    private static PrintStream tee(OutputStream original, ByteArrayOutputStream copy) {
        return new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) throws java.io.IOException {
                original.write(b);
                copy.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
                original.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void flush() throws java.io.IOException {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
