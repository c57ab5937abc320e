package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.activity.ActivityItem;
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
import dev.userapi.core.problem.ReauthenticationRequiredException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.ProfileChanges;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    private final String totpIssuer;
    private final Duration reauthWindow;
    private final Clock clock;
    private final SignIn signIn;
    private final AttemptLimiter attempts;
    /** The organizations the account belongs to (deleting it leaves them, or is a 409 for a last owner); null in unit tests. */
    private OrgService orgs;
    private final Activity activity;

    public AccountService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                          String totpIssuer, Duration reauthWindow, Clock clock, AttemptLimiter attempts) {
        this(cognito, users, sessions, provisioning, totpIssuer, reauthWindow, clock, attempts, Activity.NONE);
    }

    /** ... recording credential and session changes in the account's security activity. */
    public AccountService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                          String totpIssuer, Duration reauthWindow, Clock clock, AttemptLimiter attempts,
                          Activity activity) {
        this.activity = activity;
        this.attempts = attempts;
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.provisioning = provisioning;
        this.totpIssuer = totpIssuer;
        this.reauthWindow = reauthWindow;
        this.clock = clock;
        this.signIn = new SignIn(cognito, users, sessions, provisioning, clock, activity);
    }

    /**
     * With the default re-authentication window, the system clock and the attempt counters in this
     * process's memory (tests).
     */
    public AccountService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                          String totpIssuer) {
        this(cognito, users, sessions, provisioning, totpIssuer, Duration.ofSeconds(ReauthConfig.DEFAULT_SECONDS),
                Clock.systemUTC(), new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, Clock.systemUTC()));
    }

    /** Wires the service from the function's components. */
    public static AccountService from(Components c) {
        AccountService service = new AccountService(c.cognito(), c.users(), c.sessions(), c.provisioning(),
                c.cognitoConfig().totpIssuer(), c.reauth().window(), c.clock(), c.attempts(), c.activity());
        service.orgs = OrgService.from(c);
        return service;
    }

    /** Deleting the account also leaves its organizations (docs/SECURITY.md item 35). */
    public AccountService withOrgs(OrgService orgs) {
        this.orgs = orgs;
        return this;
    }

    /**
     * "Sudo mode" (docs/SECURITY.md item 32): the caller's token must descend from a sign-in within the
     * re-authentication window, else 403 {@code ReauthenticationRequired}.
     */
    private void requireRecentSignIn(Caller caller) {
        if (!caller.authenticatedWithin(reauthWindow.toSeconds(), clock.instant().getEpochSecond())) {
            throw new ReauthenticationRequiredException();
        }
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
        if (provisioning.createIfAbsent(caller.sub(), email, user.attribute("name"), List.of(AppConfig.USER_ROLE), true)) {
            // its Cognito group follows at the next role change (SignIn#complete says why)
            LOG.info("healed a missing profile", "userId", caller.sub());
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
        requireRecentSignIn(caller);
        UserProfile profile = users.find(caller.sub()).orElse(null);
        if (profile != null && profile.hasRole(AppConfig.ADMIN_ROLE) && users.adminCount() <= 1) {
            throw new ConflictException("The last administrator cannot delete their account.");
        }
        if (orgs != null) {
            orgs.leaveAll(caller.sub()); // 409 while it is the last owner of an organization
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
        if (orgs != null) {
            orgs.sweep(caller.sub());
        }
    }

    /**
     * Changes the password with the current one (a wrong one is 403 {@code InvalidCredentials}: the
     * token is fine), then ends every session of the account (docs/SECURITY.md item 27) and signs the
     * caller in again with the new password: the answer is a login's (tokens of a new session, or the
     * TOTP challenge when TOTP is on).
     */
    public AuthOutcome changePassword(Caller caller, String accessToken, String currentPassword, String newPassword,
                                      ClientInfo client) {
        String email = users.find(caller.sub()).map(UserProfile::email)
                .orElseThrow(() -> new NotFoundException("The account does not exist."));
        // guesses of the current password count with the account's sign-in failures (item 29)
        attempts.guard(AttemptKind.PASSWORD, email, client.sourceIp(), () -> {
            try {
                cognito.changePassword(accessToken, currentPassword, newPassword);
            } catch (InvalidCredentialsException e) {
                throw InvalidCredentialsException.ofSignedInCaller("The current password is not correct.");
            }
        });
        signIn.endEverySession(caller.sub(), true);
        activity.record(caller.sub(), ActivityEvent.PASSWORD_CHANGED, client);
        return signIn.withPassword(email, newPassword, client);
    }

    /**
     * Starts TOTP set-up: the secret and an {@code otpauth://} URI for authenticator apps. Replacing a
     * TOTP that is on needs a recent sign-in.
     */
    public TotpSetup startTotp(Caller caller, String accessToken) {
        if (users.find(caller.sub()).map(UserProfile::mfaEnabled).orElse(false)) {
            requireRecentSignIn(caller); // replacing a TOTP that is on
        }
        String secret = cognito.associateSoftwareToken(accessToken);
        String account = users.find(caller.sub()).map(UserProfile::email).orElse(caller.sub());
        String label = encode(totpIssuer) + ":" + encode(account);
        String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(totpIssuer)
                + "&algorithm=SHA1&digits=6&period=30";
        return new TotpSetup(secret, uri);
    }

    /** Checks a code from the authenticator app, then requires TOTP at every sign-in. */
    public void verifyTotp(Caller caller, String accessToken, String code, ClientInfo client) {
        cognito.verifySoftwareToken(accessToken, code);
        cognito.setTotpRequired(accessToken, true);
        users.setMfaEnabled(caller.sub(), true);
        activity.record(caller.sub(), ActivityEvent.MFA_ENABLED, client);
    }

    public void disableMfa(Caller caller, String accessToken, ClientInfo client) {
        requireRecentSignIn(caller);
        cognito.setTotpRequired(accessToken, false);
        users.setMfaEnabled(caller.sub(), false);
        activity.record(caller.sub(), ActivityEvent.MFA_DISABLED, client);
    }

    /** The caller's live sessions, newest first (ended ones are left out). */
    public List<Session> sessions(Caller caller) {
        Optional<UserRecord> record = users.findRecord(caller.sub());
        return sessions.listForUser(caller.sub()).stream()
                .filter(s -> record.map(r -> !r.endsSessionFrom(s.createdAt().toEpochMilli())).orElse(true))
                .toList();
    }

    /**
     * Ends one of the caller's sessions ({@code DELETE /me/sessions/{id}}): its access tokens are refused at once
     * (its {@code origin_jti} on the profile, as a logout does) and refresh through the API refuses its refresh
     * token (the session item goes). The API keeps only the refresh token's hash, so Cognito is not asked to revoke
     * it: with the app client's secret nobody can refresh at Cognito around the API (docs/SECURITY.md item 31).
     * Only the caller's own sessions are found: another user's session id and an unknown one are the same 404.
     */
    public void revokeSession(Caller caller, String sessionId, ClientInfo client) {
        // The caller's sessions (the index is keyed by user: another user's session id is simply not there, 404).
        // The index projects origin_jti; only an entry without it (a session begun before origin_jti was recorded,
        // whose item may have gained it since, the index lagging) is read again, consistently, from the item.
        Session session = sessions.listForUser(caller.sub()).stream()
                .filter(s -> s.id().equals(sessionId))
                .findFirst()
                .flatMap(s -> s.originJti() != null ? Optional.of(s) : sessions.find(s.tokenHash()))
                .filter(s -> s.userId().equals(caller.sub()) && s.id().equals(sessionId))
                .orElseThrow(() -> new NotFoundException("The session does not exist."));
        if (session.originJti() != null) {
            users.revokeSession(caller.sub(), session.originJti(),
                    clock.instant().plus(AuthService.REVOKED_SESSION_KEPT).getEpochSecond());
        }
        sessions.delete(session.tokenHash());
        activity.record(caller.sub(), ActivityEvent.SESSION_REVOKED, client);
    }

    /**
     * Ends every session: Cognito revokes the refresh tokens (first, while the caller's token still
     * works; repeating after a partial failure is safe), then every access token issued before now is
     * refused by the authorizer and refresh through the API refuses every session begun before now.
     */
    public void signOutEverywhere(Caller caller, String accessToken, ClientInfo client) {
        try {
            cognito.globalSignOut(accessToken);
        } catch (InvalidCredentialsException e) {
            LOG.info("access token already signed out at Cognito", "userId", caller.sub());
        }
        users.endSessions(caller.sub());
        sessions.deleteAllForUser(caller.sub());
        activity.record(caller.sub(), ActivityEvent.SESSION_REVOKED, client);
    }

    /** The caller's security activity, newest first ({@code ?limit&cursor}, the cursor bound to the caller). */
    public Page<ActivityItem> activity(Caller caller, Map<String, String> query) {
        return activity.list(caller.sub(), Paging.limit(query), Paging.cursor(query));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What {@code POST /me/mfa/totp} returns. */
    public record TotpSetup(String secretCode, String otpauthUri) {
    }
}
