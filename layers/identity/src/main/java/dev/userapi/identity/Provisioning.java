package dev.userapi.identity;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates profiles: on confirmation (the post-confirmation trigger), and to heal accounts that have
 * none (created outside the API, or whose trigger failed). Always idempotent: an existing profile,
 * or a deleted account's tombstone, is never overwritten and its roles never reset.
 */
public final class Provisioning {
    private final UserRepository users;
    private final AppConfig config;
    private final Clock clock;

    public Provisioning(UserRepository users, AppConfig config, Clock clock) {
        this.users = users;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The roles a newly confirmed account starts with: {@code user}, and {@code admin} too when its
     * (verified) e-mail is the bootstrap administrator's.
     */
    public List<String> initialRoles(String email, boolean emailVerified) {
        List<String> roles = new ArrayList<>(List.of(AppConfig.USER_ROLE));
        if (emailVerified && config.adminEmail().filter(admin -> admin.equals(email)).isPresent()) {
            roles.add(AppConfig.ADMIN_ROLE);
        }
        return roles;
    }

    /** The profiles listed at {@code email}: more than one only while one outlives its Cognito user. */
    public List<String> idsOfEmail(String email) {
        return users.idsOfEmail(email);
    }

    /**
     * Creates the profile unless one exists. Returns true if this call created it. {@code confirmed}: the account is
     * confirmed at Cognito (a confirmed sign-up, an account signing in), so the profile records it ({@code confirmedAt},
     * the {@code user.confirmed} event); an invited account is confirmed when it sets its first password.
     */
    public boolean createIfAbsent(String sub, String email, Optional<String> name, List<String> roles, boolean confirmed) {
        Instant now = clock.instant();
        UserProfile profile = new UserProfile(sub, email, name.orElse(null), null, null, null, roles,
                UserStatus.ENABLED, false, now, now, 1);
        return users.createIfAbsent(profile, confirmed);
    }
}
