package dev.userapi.identity;

import dev.userapi.core.attempts.AttemptKind;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Caller;
import dev.userapi.core.http.Emails;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.ProfileChanges;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The signed-in user's own account ({@code /me}). The caller is always the token's {@code sub}
 * (from the authorizer), never a body or query field. Calls that act as the user pass the user's own
 * access token to Cognito, so Cognito checks it again.
 */
public final class AccountService {
    private static final Log LOG = Log.of(AccountService.class);

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final Provisioning provisioning;
    private final RoleMirror mirror;
    private final String totpIssuer;
    private final AttemptLimiter attempts;

    /** Without a table for the attempt counters: they are kept in this process's memory (tests). */
    public AccountService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                          RoleMirror mirror, String totpIssuer) {
        this(cognito, users, sessions, provisioning, mirror, totpIssuer,
                new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, Clock.systemUTC()));
    }

    public AccountService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                          RoleMirror mirror, String totpIssuer, AttemptLimiter attempts) {
        this.attempts = attempts;
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.provisioning = provisioning;
        this.mirror = mirror;
        this.totpIssuer = totpIssuer;
    }

    /** Wires the service from the function's components. */
    public static AccountService from(Components c) {
        return new AccountService(c.cognito(), c.users(), c.sessions(), c.provisioning(), c.mirror(),
                c.cognitoConfig().totpIssuer(), c.attempts());
    }

    /**
     * The caller's profile. An account without one (created outside the API, or whose
     * post-confirmation trigger failed) gets it now, from its Cognito attributes, with the default role.
     */
    public UserProfile me(Caller caller, String accessToken) {
        Optional<UserProfile> profile = users.find(caller.sub());
        if (profile.isPresent()) {
            return profile.get();
        }
        CognitoUser user;
        try {
            user = cognito.getUser(accessToken);
        } catch (InvalidCredentialsException | UserNotFoundException e) {
            throw new NotFoundException("The account does not exist.");
        }
        if (!caller.sub().equals(user.sub())) {
            throw new NotFoundException("The account does not exist.");
        }
        String email = user.attribute("email").flatMap(Emails::normalize)
                .orElseThrow(() -> new NotFoundException("The account has no e-mail address."));
        if (provisioning.createIfAbsent(caller.sub(), email, user.attribute("name"), List.of(AppConfig.USER_ROLE))) {
            LOG.info("healed a missing profile", "userId", caller.sub());
            mirror.tryMirror(caller.sub());
        }
        return users.find(caller.sub()).orElseThrow(() -> new NotFoundException("The account does not exist."));
    }

    public UserProfile update(Caller caller, ProfileChanges changes, OptionalLong expectedVersion) {
        return users.update(caller.sub(), changes, expectedVersion);
    }

    /**
     * Deletes the caller's account. Cognito goes first because it needs the caller's own token,
     * which the profile's tombstone would make unusable: if the second step fails, the same request
     * can be repeated (an account Cognito no longer knows counts as deleted there).
     */
    public void deleteMe(Caller caller, String accessToken) {
        UserProfile profile = users.find(caller.sub()).orElse(null);
        if (profile != null && profile.hasRole(AppConfig.ADMIN_ROLE) && users.adminCount() <= 1) {
            throw new ConflictException("The last administrator cannot delete their account.");
        }
        try {
            cognito.deleteUser(accessToken);
        } catch (InvalidCredentialsException | UserNotFoundException e) {
            LOG.info("Cognito account already gone", "userId", caller.sub());
        }
        if (profile != null) {
            try {
                users.delete(caller.sub());
            } catch (UserNotFoundException e) {
                // deleted concurrently: the outcome is the same
            }
        }
        sessions.deleteAllForUser(caller.sub());
    }

    /**
     * Changes the password. Guesses of the current one count with the account's sign-in failures
     * (the same counters as {@code /auth/login}: the address of the profile, the caller's source IP).
     */
    public void changePassword(Caller caller, String sourceIp, String accessToken, String currentPassword, String newPassword) {
        String address = users.find(caller.sub()).map(UserProfile::email).orElse(caller.sub());
        attempts.guard(AttemptKind.PASSWORD, address, sourceIp, // attempt-limited (item 29)
                () -> cognito.changePassword(accessToken, currentPassword, newPassword));
    }

    /** Starts TOTP set-up: the secret and an {@code otpauth://} URI for authenticator apps. */
    public TotpSetup startTotp(Caller caller, String accessToken) {
        String secret = cognito.associateSoftwareToken(accessToken);
        String account = users.find(caller.sub()).map(UserProfile::email).orElse(caller.sub());
        String label = encode(totpIssuer) + ":" + encode(account);
        String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(totpIssuer)
                + "&algorithm=SHA1&digits=6&period=30";
        return new TotpSetup(secret, uri);
    }

    /** Checks a code from the authenticator app, then requires TOTP at every sign-in. */
    public void verifyTotp(Caller caller, String accessToken, String code) {
        cognito.verifySoftwareToken(accessToken, code);
        cognito.setTotpRequired(accessToken, true);
        users.setMfaEnabled(caller.sub(), true);
    }

    public void disableMfa(Caller caller, String accessToken) {
        cognito.setTotpRequired(accessToken, false);
        users.setMfaEnabled(caller.sub(), false);
    }

    /** The caller's live sessions, newest first (ended ones are left out). */
    public List<Session> sessions(Caller caller) {
        Optional<UserRecord> record = users.findRecord(caller.sub());
        return sessions.listForUser(caller.sub()).stream()
                .filter(s -> record.map(r -> !r.endsSessionFrom(s.createdAt().toEpochMilli())).orElse(true))
                .toList();
    }

    /**
     * Ends every session: Cognito revokes the refresh tokens (first, while the caller's token still
     * works; repeating after a partial failure is safe), then every access token issued before now is
     * refused by the authorizer and refresh through the API refuses every session begun before now.
     */
    public void signOutEverywhere(Caller caller, String accessToken) {
        try {
            cognito.globalSignOut(accessToken);
        } catch (InvalidCredentialsException e) {
            LOG.info("access token already signed out at Cognito", "userId", caller.sub());
        }
        users.endSessions(caller.sub());
        sessions.deleteAllForUser(caller.sub());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What {@code POST /me/mfa/totp} returns. */
    public record TotpSetup(String secretCode, String otpauthUri) {
    }
}
