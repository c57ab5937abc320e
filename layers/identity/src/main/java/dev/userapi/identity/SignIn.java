package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidPasswordException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Signing in and ending sessions, shared by the routes that sign a user in ({@code /auth/login},
 * {@code /auth/confirm}, {@code /auth/reauthenticate}, {@code POST /me/password}) and those that end
 * every session of an account after its credentials changed (docs/SECURITY.md items 26 and 27).
 */
public final class SignIn {
    private static final Log LOG = Log.of(SignIn.class);

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final Provisioning provisioning;
    private final Clock clock;
    private final Activity activity;
    private AccountDrift drift = AccountDrift.NONE;

    public SignIn(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                  Clock clock) {
        this(cognito, users, sessions, provisioning, clock, Activity.NONE);
    }

    /** ... recording each completed sign-in in the account's security activity. */
    public SignIn(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                  Clock clock, Activity activity) {
        this.activity = activity;
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.provisioning = provisioning;
        this.clock = clock;
    }

    /** Notices MFA drift at each completed password sign-in (docs/SECURITY.md item 31). */
    SignIn withDrift(AccountDrift accountDrift) {
        this.drift = accountDrift;
        return this;
    }

    /** Signs in with a password: tokens with a registered session, or the challenge to answer next. */
    public AuthOutcome withPassword(String email, String password, ClientInfo client) {
        AuthOutcome outcome;
        try {
            outcome = cognito.login(email, password);
        } catch (UserNotFoundException | InvalidPasswordException e) {
            throw new InvalidCredentialsException();
        }
        boolean tokensAtOnce = outcome instanceof AuthOutcome.Tokens;
        AuthOutcome completed = complete(outcome, email, Optional.empty(), client);
        if (tokensAtOnce) {
            observeTotp(completed, false); // Cognito asked for no TOTP code: TOTP is off at Cognito
        }
        return completed;
    }

    /** Completes a sign-in whose {@code SOFTWARE_TOKEN_MFA} challenge was answered: TOTP is on at Cognito. */
    AuthOutcome completeAfterTotp(AuthOutcome outcome, String email, ClientInfo client) {
        AuthOutcome completed = complete(outcome, email, Optional.empty(), client);
        observeTotp(completed, true);
        return completed;
    }

    private void observeTotp(AuthOutcome completed, boolean totpAsked) {
        if (completed instanceof AuthOutcome.Tokens tokens) {
            drift.totpObserved(TokenClaims.of(tokens.tokens().accessToken()).sub(), totpAsked);
        }
    }

    /**
     * Ends every session of an account at once: access tokens issued until now are refused by the
     * authorizer ({@code revokedBefore}), refresh through the API refuses every session begun until
     * now, Cognito revokes every refresh token (global sign-out), and the session items are removed.
     * DynamoDB goes first, so that a failure at Cognito leaves nothing usable through the API; the
     * whole is idempotent, so a request that failed half-way can be repeated.
     */
    public void endEverySession(String sub) {
        endEverySession(sub, false);
    }

    /** {@link #endEverySession(String)}; {@code passwordChanged}: the user has a new password (recorded for the password.changed event). */
    public void endEverySession(String sub, boolean passwordChanged) {
        try {
            if (passwordChanged) {
                users.endSessionsAfterPasswordChange(sub);
            } else {
                users.endSessions(sub);
            }
        } catch (UserNotFoundException e) {
            LOG.info("no live profile to revoke tokens on", "userId", sub);
        }
        try {
            cognito.adminUserGlobalSignOut(sub);
        } catch (UserNotFoundException e) {
            LOG.info("Cognito account gone; nothing to sign out", "userId", sub);
        }
        sessions.deleteAllForUser(sub);
    }

    /**
     * After Cognito accepted the credentials: refuse disabled or deleted accounts (DynamoDB holds the
     * status), give an account without a profile its profile, and register the session.
     */
    AuthOutcome complete(AuthOutcome outcome, String email, Optional<String> name, ClientInfo client) {
        if (!(outcome instanceof AuthOutcome.Tokens tokens)) {
            return outcome;
        }
        AuthTokens issued = tokens.tokens();
        TokenClaims claims = TokenClaims.of(issued.accessToken());
        Optional<UserRecord> record = users.findRecord(claims.sub());
        if (record.isPresent() && !record.get().isActive()) {
            revokeQuietly(issued.refreshToken());
            throw new InvalidCredentialsException();
        }
        if (record.isEmpty()) {
            // An account made outside the API (or whose trigger failed): give it its profile now.
            // The authorizer and the pre-token trigger read its role from DynamoDB; its Cognito group, a mirror for
            // the console, follows at the next role change: a public sign-in function holds no group action.
            provisioning.createIfAbsent(claims.sub(), email, name, List.of(AppConfig.USER_ROLE), true);
        }
        issued = afterRevocation(issued, claims.issuedAt(), record);
        Instant now = clock.instant();
        sessions.put(new Session(SessionRepository.hash(issued.refreshToken()), UUID.randomUUID().toString(),
                claims.sub(), now, now, client.sourceIp(), client.userAgent(), claims.originJti()));
        activity.record(claims.sub(), ActivityEvent.SIGN_IN, client);
        return new AuthOutcome.Tokens(issued);
    }

    /**
     * Tokens carry their issue time in whole seconds, revocations are kept in milliseconds, and a
     * token from the same second as a revocation counts as older (refusing a fresh token beats
     * accepting an old one). So tokens issued just after a revocation, in its second, would be
     * refused: this waits for the next second and refreshes them once, so that signing in or
     * refreshing right after a sign-out everywhere, a role change or a password change always
     * yields usable tokens.
     */
    AuthTokens afterRevocation(AuthTokens tokens, long issuedAt, Optional<UserRecord> record) {
        if (record.isEmpty() || tokens.refreshToken() == null || !record.get().revokes(issuedAt)) {
            return tokens;
        }
        long wait = (record.get().revokedBeforeMillis().getAsLong() / 1000 + 1) * 1000 - clock.millis() + 20;
        if (wait > 1_100) {
            return tokens; // not a same-second case (clocks disagree): do not stall the request
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return tokens;
            }
        }
        AuthTokens again = cognito.refresh(TokenClaims.of(tokens.accessToken()).username(), tokens.refreshToken());
        return new AuthTokens(again.accessToken(), again.idToken(), tokens.refreshToken(), again.expiresIn());
    }

    /**
     * Takes back tokens Cognito has just issued for a sign-in the API refuses: their session's access tokens are refused
     * by the authorizer at once ({@code origin_jti}), and Cognito revokes the refresh token. Best effort on each.
     */
    void revokeIssued(AuthTokens issued) {
        TokenClaims claims = TokenClaims.of(issued.accessToken());
        if (claims.originJti() != null) {
            try {
                users.revokeSession(claims.sub(), claims.originJti(), clock.instant().plus(AuthService.REVOKED_SESSION_KEPT).getEpochSecond());
            } catch (ApiException e) {
                LOG.warn("could not refuse a refused sign-in's access tokens; they expire on their own", "code", e.code().name());
            }
        }
        revokeQuietly(issued.refreshToken());
    }

    /** Revokes a refresh token at Cognito, logging only what is worth a look. */
    void revokeQuietly(String refreshToken) {
        if (refreshToken == null) {
            return;
        }
        try {
            cognito.revoke(refreshToken);
        } catch (ApiException e) {
            if (e instanceof ServiceUnavailableException || e instanceof TooManyRequestsException) {
                LOG.warn("could not revoke a refresh token; its session is refused anyway", "code", e.code().name());
            }
        }
    }
}
