package dev.userapi.core.user;

import static dev.userapi.core.user.UserRepositoryIT.CLOCK;
import static dev.userapi.core.user.UserRepositoryIT.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /users} paging, cursors and filters against DynamoDB Local. */
class UserListingIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();

    private UserRepository users;

    @BeforeEach
    void newTableWithUsers() {
        users = new UserRepository(DYNAMO.client(), DYNAMO.newUsersTable(), List.of("user", "admin", "support"), CLOCK);
        // created out of e-mail order; the listing sorts by e-mail
        users.createIfAbsent(profile("u5", "eve@example.com", "user"));
        users.createIfAbsent(profile("u1", "ann@example.com", "user", "admin"));
        users.createIfAbsent(profile("u3", "carl@example.com", "user", "support"));
        users.createIfAbsent(profile("u2", "bob@example.com", "user"));
        users.createIfAbsent(profile("u4", "dana@example.com", "support"));
        users.createIfAbsent(profile("u6", "bea@example.com", "user", "support"));
        users.setStatus("u2", UserStatus.DISABLED);
        users.setStatus("u4", UserStatus.DISABLED);
    }

    /** Every page of a listing, following the cursors until there is none. */
    private List<Page<UserProfile>> pages(UserFilter filter, int limit) {
        List<Page<UserProfile>> pages = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<UserProfile> page = users.list(filter, limit, cursor);
            pages.add(page);
            cursor = Optional.ofNullable(page.nextCursor());
            assertThat(pages).as("pages").hasSizeLessThan(20);
        } while (cursor.isPresent());
        return pages;
    }

    private List<String> emails(UserFilter filter, int limit) {
        return pages(filter, limit).stream().flatMap(p -> p.items().stream()).map(UserProfile::email).toList();
    }

    private static UserFilter filter(String prefix, String role, UserStatus status) {
        return new UserFilter(Optional.ofNullable(prefix), Optional.ofNullable(role), Optional.ofNullable(status));
    }

    @Test
    void list_withoutFilter_returnsEveryLiveProfileSortedByEmail() {
        Page<UserProfile> page = users.list(UserFilter.none(), 50, Optional.empty());

        assertThat(page.items()).extracting(UserProfile::email).containsExactly(
                "ann@example.com", "bea@example.com", "bob@example.com", "carl@example.com", "dana@example.com", "eve@example.com");
        assertThat(page.nextCursor()).isNull();
        assertThat(page.items().get(0)).isEqualTo(users.find("u1").orElseThrow());
    }

    @Test
    void list_withLimit_pagesThroughEveryProfileOnceInOrder() {
        List<Page<UserProfile>> pages = pages(UserFilter.none(), 4);

        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).items()).hasSize(4);
        assertThat(pages.get(0).nextCursor()).isNotNull();
        assertThat(pages.stream().flatMap(p -> p.items().stream()).map(UserProfile::email)).containsExactly(
                "ann@example.com", "bea@example.com", "bob@example.com", "carl@example.com", "dana@example.com", "eve@example.com");
    }

    @Test
    void list_withLimitOfOne_returnsOneProfilePerPage() {
        assertThat(emails(UserFilter.none(), 1)).containsExactly(
                "ann@example.com", "bea@example.com", "bob@example.com", "carl@example.com", "dana@example.com", "eve@example.com");
    }

    @Test
    void list_leavesOutDeletedAccounts() {
        users.createIfAbsent(profile("u7", "zed@example.com", "user", "support"));
        users.delete("u7");

        assertThat(emails(UserFilter.none(), 3)).doesNotContain("zed@example.com").hasSize(6);
        assertThat(emails(filter(null, "support", null), 3)).doesNotContain("zed@example.com");
    }

    @Test
    void list_byEmailPrefix_returnsOnlyMatchingProfiles() {
        assertThat(emails(filter("b", null, null), 1)).containsExactly("bea@example.com", "bob@example.com");
        assertThat(emails(filter("bo", null, null), 10)).containsExactly("bob@example.com");
        assertThat(emails(filter("x", null, null), 10)).isEmpty();
    }

    @Test
    void list_byRole_returnsTheRolesMembersSortedByEmail() {
        assertThat(emails(filter(null, "support", null), 10)).containsExactly("bea@example.com", "carl@example.com", "dana@example.com");
        assertThat(emails(filter(null, "admin", null), 10)).containsExactly("ann@example.com");
    }

    @Test
    void list_byRole_pagesWithCursors() {
        List<Page<UserProfile>> pages = pages(filter(null, "support", null), 2);

        assertThat(pages.get(0).items()).extracting(UserProfile::email).containsExactly("bea@example.com", "carl@example.com");
        assertThat(pages.stream().flatMap(p -> p.items().stream()).map(UserProfile::email))
                .containsExactly("bea@example.com", "carl@example.com", "dana@example.com");
    }

    @Test
    void list_byRole_followsRoleChanges() {
        users.replaceRoles("u2", List.of("user", "support"));
        users.replaceRoles("u3", List.of("user"));

        assertThat(emails(filter(null, "support", null), 10)).containsExactly("bea@example.com", "bob@example.com", "dana@example.com");
    }

    @Test
    void list_byStatus_returnsOnlyThatStatusAcrossShortPages() {
        assertThat(emails(filter(null, null, UserStatus.DISABLED), 2)).containsExactly("bob@example.com", "dana@example.com");
        assertThat(emails(filter(null, null, UserStatus.ENABLED), 2))
                .containsExactly("ann@example.com", "bea@example.com", "carl@example.com", "eve@example.com");
    }

    @Test
    void list_byRoleAndStatus_appliesBoth() {
        assertThat(emails(filter(null, "support", UserStatus.DISABLED), 1)).containsExactly("dana@example.com");
        assertThat(emails(filter(null, "support", UserStatus.ENABLED), 1)).containsExactly("bea@example.com", "carl@example.com");
    }

    @Test
    void list_byPrefixRoleAndStatus_appliesAll() {
        assertThat(emails(filter("c", "support", UserStatus.ENABLED), 10)).containsExactly("carl@example.com");
        assertThat(emails(filter("b", null, UserStatus.ENABLED), 10)).containsExactly("bea@example.com");
    }

    @Test
    void list_withACursorFromAnotherListing_throwsInvalidRequest() {
        String roleCursor = users.list(filter(null, "support", null), 1, Optional.empty()).nextCursor();
        assertThat(roleCursor).isNotNull();

        assertThatThrownBy(() -> users.list(UserFilter.none(), 1, Optional.of(roleCursor)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> users.list(filter(null, "admin", null), 1, Optional.of(roleCursor)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void list_withAForgedCursor_throwsInvalidRequest() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"pk\":\"META\",\"sk\":\"ADMINS\",\"gsi1pk\":\"USERS\",\"gsi1sk\":\"a\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> users.list(UserFilter.none(), 1, Optional.of(forged)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> users.list(UserFilter.none(), 1, Optional.of("not a cursor")))
                .isInstanceOf(InvalidRequestException.class);
    }
}
