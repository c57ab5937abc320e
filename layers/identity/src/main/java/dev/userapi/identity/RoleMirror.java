package dev.userapi.identity;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the user's Cognito groups equal to the roles in DynamoDB, the source of truth, so that
 * {@code cognito:groups} in tokens agrees with it.
 *
 * <p>Idempotent and convergent under concurrency: each round reads the roles and their version,
 * applies the difference to the groups, and reads the version again; if it moved, another writer
 * changed the roles meanwhile and the round is repeated with the newer roles. The last writer's
 * mirror therefore always ends with the groups matching DynamoDB.
 */
public final class RoleMirror {
    private static final Log LOG = Log.of(RoleMirror.class);
    private static final int MAX_ROUNDS = 10;

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final List<String> knownRoles;

    public RoleMirror(CognitoGateway cognito, UserRepository users, List<String> knownRoles) {
        this.cognito = cognito;
        this.users = users;
        this.knownRoles = List.copyOf(knownRoles);
    }

    /** Mirrors the user's current roles into their Cognito groups; throws if Cognito or DynamoDB fails. */
    public void mirror(String userId) {
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Optional<UserProfile> before = users.find(userId);
            if (before.isEmpty()) {
                return; // deleted meanwhile: nothing to mirror
            }
            apply(userId, Set.copyOf(before.get().roles()));
            Optional<UserProfile> after = users.find(userId);
            if (after.isEmpty() || after.get().version() == before.get().version()) {
                return;
            }
        }
        LOG.warn("role mirror did not settle; the next role change or mirror will", "userId", userId);
    }

    /** Mirrors without failing the caller: the groups are a mirror, DynamoDB already holds the truth. */
    public boolean tryMirror(String userId) {
        try {
            mirror(userId);
            return true;
        } catch (RuntimeException e) {
            if (e instanceof ApiException translated) {
                // the dependency's failure itself was logged where it was translated
                LOG.warn("could not mirror roles to Cognito groups", "userId", userId, "code", translated.code().name());
            } else {
                LOG.warn("could not mirror roles to Cognito groups", e, "userId", userId);
            }
            return false;
        }
    }

    private void apply(String userId, Set<String> roles) {
        Set<String> groups = new HashSet<>(cognito.adminListGroups(userId));
        for (String role : roles) {
            if (!groups.contains(role)) {
                cognito.adminAddToGroup(userId, role);
            }
        }
        for (String group : groups) {
            if (knownRoles.contains(group) && !roles.contains(group)) {
                cognito.adminRemoveFromGroup(userId, group);
            }
        }
    }
}
