package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The handler-source reader that OpenApiContractTest relies on sees what the handlers really do. */
class HandlerSourceTest {
    @Test
    void signUp_acceptsEmailPasswordAndOptionalName_andAnswers202() {
        HandlerSource s = HandlerSource.of("functions/auth", "dev.userapi.auth.SignUpHandler");
        assertThat(s.bodyFields()).containsExactlyInAnyOrder("email", "password", "name");
        assertThat(s.requiredFields()).containsExactlyInAnyOrder("email", "password");
        assertThat(s.maxLengths()).containsEntry("name", 128);
        assertThat(s.successStatuses()).containsExactly(202);
        assertThat(s.setsEtag()).isFalse();
        assertThat(s.requiresAdmin()).isFalse();
    }

    @Test
    void adminCreateUser_hasOptionalRoles_201_etagAndLocation_andRequiresAdmin() {
        HandlerSource s = HandlerSource.of("functions/admin", "dev.userapi.admin.AdminCreateUserHandler");
        assertThat(s.bodyFields()).containsExactlyInAnyOrder("email", "name", "roles");
        assertThat(s.requiredFields()).containsExactly("email");
        assertThat(s.successStatuses()).containsExactly(201);
        assertThat(s.setsEtag()).isTrue();
        assertThat(s.setsLocation()).isTrue();
        assertThat(s.requiresAdmin()).isTrue();
    }

    @Test
    void updateMe_readsTheProfileChangeFields_andIfMatch() {
        HandlerSource s = HandlerSource.of("functions/account", "dev.userapi.account.UpdateMeHandler");
        assertThat(s.bodyFields()).containsExactlyInAnyOrder("name", "locale", "picture", "phoneNumber");
        assertThat(s.requiredFields()).isEmpty();
        assertThat(s.maxLengths()).containsEntry("name", 128).containsEntry("picture", 2048);
        assertThat(s.readsIfMatch()).isTrue();
        assertThat(s.successStatuses()).containsExactly(200);
    }

    @Test
    void deleteMe_takesNoBody_andAnswers204() {
        HandlerSource s = HandlerSource.of("functions/account", "dev.userapi.account.DeleteMeHandler");
        assertThat(s.bodyFields()).isEmpty();
        assertThat(s.readsBody()).isTrue(); // requireNoBody(): a body other than {} is a 400
        assertThat(s.successStatuses()).containsExactly(204);
    }

    @Test
    void listUsers_readsTheQuery() {
        HandlerSource s = HandlerSource.of("functions/admin", "dev.userapi.admin.AdminListUsersHandler");
        assertThat(s.readsQuery()).isTrue();
        assertThat(s.bodyFields()).isEmpty();
        assertThat(s.readsBody()).isFalse();
    }
}
