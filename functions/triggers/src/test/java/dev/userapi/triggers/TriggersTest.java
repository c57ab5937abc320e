package dev.userapi.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.json.Json;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import dev.userapi.identity.Provisioning;
import dev.userapi.identity.RoleMirror;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.mockito.ArgumentCaptor;

class TriggersTest {
    static final String SUB = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    final UserRepository users = mock(UserRepository.class);
    final RoleMirror mirror = mock(RoleMirror.class);

    AppConfig config(String adminEmail) {
        return AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin",
                "ADMIN_EMAIL", adminEmail));
    }

    @Nested
    class PostConfirmation {
        PostConfirmationHandler handler(String adminEmail) {
            return new PostConfirmationHandler(new Provisioning(users, config(adminEmail), Clock.systemUTC()), pool -> mirror,
                    () -> users.findRecord("snapstart-priming"));
        }

        @ParameterizedTest
        @Event(value = "events/post-confirmation.json", type = CognitoUserPoolPostConfirmationEvent.class)
        void confirmSignUp_createsTheProfileWithTheUserRole_andReturnsTheEventUnchanged(CognitoUserPoolPostConfirmationEvent event) {
            when(users.createIfAbsent(any(), org.mockito.ArgumentMatchers.anyBoolean())).thenReturn(true);
            var returned = handler("boss@example.com").handleRequest(event, null);

            assertThat(returned).isSameAs(event);
            var profile = ArgumentCaptor.forClass(UserProfile.class);
            verify(users).createIfAbsent(profile.capture(), org.mockito.ArgumentMatchers.eq(true));
            assertThat(profile.getValue().id()).isEqualTo(SUB);
            assertThat(profile.getValue().email()).isEqualTo("new.user@example.com");
            assertThat(profile.getValue().name()).isEqualTo("New User");
            assertThat(profile.getValue().roles()).containsExactly("user");
            assertThat(profile.getValue().status()).isEqualTo(UserStatus.ENABLED);
            verify(mirror).tryMirror(SUB);
        }

        @ParameterizedTest
        @Event(value = "events/post-confirmation.json", type = CognitoUserPoolPostConfirmationEvent.class)
        void confirmSignUp_ofTheBootstrapEmail_alsoGrantsAdmin(CognitoUserPoolPostConfirmationEvent event) {
            when(users.createIfAbsent(any(), org.mockito.ArgumentMatchers.anyBoolean())).thenReturn(true);
            handler("NEW.USER@example.com").handleRequest(event, null);
            var profile = ArgumentCaptor.forClass(UserProfile.class);
            verify(users).createIfAbsent(profile.capture(), org.mockito.ArgumentMatchers.eq(true));
            assertThat(profile.getValue().roles()).containsExactly("admin", "user");
        }

        @ParameterizedTest
        @Event(value = "events/post-confirmation.json", type = CognitoUserPoolPostConfirmationEvent.class)
        void aRetriedConfirmation_thatFindsTheProfile_changesNothingAndSucceeds(CognitoUserPoolPostConfirmationEvent event) {
            when(users.createIfAbsent(any(), org.mockito.ArgumentMatchers.anyBoolean())).thenReturn(false);
            var returned = handler("").handleRequest(event, null);
            assertThat(returned).isSameAs(event);
            verify(mirror, never()).tryMirror(anyString());
        }

        @ParameterizedTest
        @Event(value = "events/post-confirmation.json", type = CognitoUserPoolPostConfirmationEvent.class)
        void whenDynamoDbFails_theInvocationFailsSoCognitoRetries(CognitoUserPoolPostConfirmationEvent event) {
            when(users.createIfAbsent(any(), org.mockito.ArgumentMatchers.anyBoolean())).thenThrow(new ServiceUnavailableException("down"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler("").handleRequest(event, null))
                    .isInstanceOf(ServiceUnavailableException.class);
        }

        @org.junit.jupiter.api.Test
        void snapStartPriming_readsDynamoDbBeforeTheCheckpoint_andNeverFails() {
            var handler = handler("");
            when(users.findRecord("snapstart-priming")).thenThrow(new ServiceUnavailableException("no network at build"));
            handler.beforeCheckpoint(null);
            verify(users).findRecord("snapstart-priming");
        }

        @ParameterizedTest
        @Event(value = "events/post-confirmation.json", type = CognitoUserPoolPostConfirmationEvent.class)
        void otherTriggerSources_areIgnored(CognitoUserPoolPostConfirmationEvent event) {
            event.setTriggerSource("PostConfirmation_SomethingNew");
            handler("").handleRequest(event, null);
            verify(users, never()).createIfAbsent(any(), org.mockito.ArgumentMatchers.anyBoolean());
        }
    }

    @Nested
    class PreTokenGeneration {
        final PreTokenGenerationHandler handler = new PreTokenGenerationHandler(users);

        JsonNode invoke(String json) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
            return Json.readTree(out.toString(StandardCharsets.UTF_8));
        }

        String event() throws IOException {
            try (InputStream in = getClass().getResourceAsStream("/events/pre-token-generation.json")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        String v1Event() throws IOException {
            return event().replace("\"version\": \"2\"", "\"version\": \"1\"");
        }

        void rolesAre(List<String> roles, UserStatus status) {
            when(users.find(SUB)).thenReturn(Optional.of(new UserProfile(SUB, "new.user@example.com", null, null, null, null, roles, status,
                    false, java.time.Instant.EPOCH, java.time.Instant.EPOCH, 1)));
        }

        @Test
        void v2_stampsCurrentRolesIntoBothTokensAndGroups() throws IOException {
            rolesAre(List.of("user", "admin"), UserStatus.ENABLED);
            JsonNode details = invoke(event()).path("response").path("claimsAndScopeOverrideDetails");
            assertThat(details.path("accessTokenGeneration").path("claimsToAddOrOverride").path("roles").asText()).isEqualTo("admin,user");
            assertThat(details.path("idTokenGeneration").path("claimsToAddOrOverride").path("roles").asText()).isEqualTo("admin,user");
            assertThat(details.path("groupOverrideDetails").path("groupsToOverride").toString()).isEqualTo("[\"admin\",\"user\"]");
        }

        @Test
        void v1_asCognitoLocalSendsIt_stampsRolesIntoTheIdTokenAndGroups() throws IOException {
            rolesAre(List.of("user"), UserStatus.ENABLED);
            JsonNode details = invoke(v1Event().replace("\"version\": \"1\"", "\"version\": \"0\"")).path("response").path("claimsOverrideDetails");
            assertThat(details.path("claimsToAddOrOverride").path("roles").asText()).isEqualTo("user");
            assertThat(details.path("groupOverrideDetails").path("groupsToOverride").toString()).isEqualTo("[\"user\"]");
        }

        @Test
        void whenDynamoDbFails_tokensCarryNoRolesAndNothingIsThrown() throws IOException {
            when(users.find(SUB)).thenThrow(new ServiceUnavailableException("down"));
            JsonNode details = invoke(event()).path("response").path("claimsAndScopeOverrideDetails");
            assertThat(details.path("accessTokenGeneration").path("claimsToAddOrOverride").path("roles").asText()).isEmpty();
            assertThat(details.path("groupOverrideDetails").path("groupsToOverride").toString()).isEqualTo("[]");
        }

        @Test
        void disabledAccounts_getNoRoles() throws IOException {
            rolesAre(List.of("user", "admin"), UserStatus.DISABLED);
            JsonNode details = invoke(event()).path("response").path("claimsAndScopeOverrideDetails");
            assertThat(details.path("groupOverrideDetails").path("groupsToOverride").toString()).isEqualTo("[]");
        }

        @Test
        void rolesNeverComeFromUserAttributesOrClientMetadata() throws IOException {
            // the event claims custom:roles=admin, clientMetadata roles=admin and groups [user]
            rolesAre(List.of("user"), UserStatus.ENABLED);
            JsonNode response = invoke(event()).path("response");
            assertThat(response.toString()).doesNotContain("admin");
        }

        @Test
        void snapStartPriming_runsAWholeInvocationBeforeTheCheckpoint() {
            handler.beforeCheckpoint(null);
            verify(users).find("snapstart-priming");
        }

        @Test
        void theRestOfTheEventIsReturnedAsReceived() throws IOException {
            rolesAre(List.of("user"), UserStatus.ENABLED);
            JsonNode out = invoke(event());
            assertThat(out.path("userPoolId").asText()).isEqualTo("us-east-1_AbCdEfGhI");
            assertThat(out.path("triggerSource").asText()).isEqualTo("TokenGeneration_Authentication");
            assertThat(out.path("request").path("userAttributes").path("sub").asText()).isEqualTo(SUB);
        }
    }
}
