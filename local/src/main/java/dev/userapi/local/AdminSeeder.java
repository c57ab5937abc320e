package dev.userapi.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.cognito.CognitoProvisioner;
import dev.userapi.local.outbox.Outbox;
import dev.userapi.local.outbox.OutboxMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * Creates the seeded administrator through the real flow, over the local API: sign-up, the code
 * from the outbox, confirm. The post-confirmation trigger then creates the profile, and because the
 * template's {@code AdminEmail} parameter is this address, it is an administrator. An account that
 * exists already (persistent data) keeps its profile; its password is set to the configured one so
 * the banner is right. Failures do not stop the stack; they become a warning in the banner.
 */
final class AdminSeeder {
    /** What happened to the administrator. */
    record Result(String email, String password, String state, Optional<String> warning) {
    }

    private static final Set<String> CODE_KINDS = Set.of("SIGN_UP", "RESEND_CODE");

    private final String apiUrl;
    private final Outbox outbox;
    private final URI cognitoLocal;
    private final CognitoProvisioner.Pool pool;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    AdminSeeder(String apiUrl, Outbox outbox, URI cognitoLocal, CognitoProvisioner.Pool pool, String region) {
        this.apiUrl = apiUrl;
        this.outbox = outbox;
        this.cognitoLocal = cognitoLocal;
        this.pool = pool;
        this.region = region;
    }

    Result seed(String email, String password, boolean postConfirmationHasCode) {
        Optional<String> noTrigger = postConfirmationHasCode ? Optional.empty()
                : Optional.of("PostConfirmationFunction has no code yet, so the administrator " + email
                        + " has no profile and no admin role until it exists (restart the stack then)");
        try (CognitoProvisioner cognito = new CognitoProvisioner(cognitoLocal, region)) {
            Optional<AdminGetUserResponse> existing = find(cognito, email);
            if (existing.isPresent() && !"UNCONFIRMED".equals(existing.get().userStatusAsString())) {
                cognito.client().adminSetUserPassword(r -> r.userPoolId(pool.poolId()).username(email).password(password).permanent(true));
                return new Result(email, password, "existing", noTrigger);
            }
            if (existing.isEmpty()) {
                expect(post("/auth/sign-up", Json.mapper().createObjectNode().put("email", email).put("password", password)), 202, "sign-up");
            } else {
                expect(post("/auth/resend-code", Json.mapper().createObjectNode().put("email", email)), 202, "resend-code");
            }
            String code = outbox.messages(Optional.of(email)).stream().filter(m -> CODE_KINDS.contains(m.kind())).findFirst()
                    .map(OutboxMessage::code)
                    .orElseThrow(() -> new IllegalStateException("no confirmation code reached the outbox"));
            expect(post("/auth/confirm", Json.mapper().createObjectNode().put("email", email).put("code", code).put("password", password)), 200, "confirm");
            return new Result(email, password, "created", noTrigger);
        } catch (RuntimeException | IOException e) {
            return new Result(email, password, "failed", Optional.of("The administrator " + email + " could not be created: "
                    + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(email, password, "failed", Optional.of("Interrupted while creating the administrator"));
        }
    }

    private Optional<AdminGetUserResponse> find(CognitoProvisioner cognito, String email) {
        try {
            return Optional.of(cognito.client().adminGetUser(r -> r.userPoolId(pool.poolId()).username(email)));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> post(String path, ObjectNode body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status, String step) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(step + " answered " + response.statusCode() + " " + response.body());
        }
    }
}
