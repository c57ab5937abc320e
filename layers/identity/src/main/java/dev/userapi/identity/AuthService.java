package dev.userapi.identity;

import dev.userapi.core.attempts.AttemptKind;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.AccountExistsException;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ExpiredCodeException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.problem.UnauthorizedException;
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
 * The public {@code /auth/*} flows. Routes that could reveal whether an account exists (sign-up,
 * resend-code, forgot-password, login) answer the same way, in at least the same time, either way.
 */
public final class AuthService {
    private static final Log LOG = Log.of(AuthService.class);
    /** How long a logged-out session's {@code origin_jti} is refused: the access tokens' longest life (60 min) and leeway. */
    static final java.time.Duration REVOKED_SESSION_KEPT = java.time.Duration.ofMinutes(65);

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final Provisioning provisioning;
    private final RoleMirror mirror;
    private final UniformTiming uniform;
    private final Clock clock;
    private final AttemptLimiter attempts;

    /** Without a table for the attempt counters: they are kept in this process's memory (tests). */
    public AuthService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                       RoleMirror mirror, UniformTiming uniform, Clock clock) {
        this(cognito, users, sessions, provisioning, mirror, uniform, clock,
                new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock));
    }

    public AuthService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                       RoleMirror mirror, UniformTiming uniform, Clock clock, AttemptLimiter attempts) {
        this.attempts = attempts;
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.provisioning = provisioning;
        this.mirror = mirror;
        this.uniform = uniform;
        this.clock = clock;
    }

    /** Wires the service from components a function already built (its clients are shared, not built again). */
    public static AuthService from(Components c) {
        return new AuthService(c.cognito(), c.users(), c.sessions(), c.provisioning(), c.mirror(),
                new UniformTiming(c.config().uniformResponseTime()), c.clock(), c.attempts());
    }

    /**
     * Registers an account. An e-mail that is taken gets the same answer; if that account is still
     * unconfirmed it gets a fresh code, so a user who lost the first one can simply sign up again.
     */
    public void signUp(String email, String password, Optional<String> name) {
        uniform.run(() -> {
            try {
                cognito.signUp(email, password, name);
            } catch (AccountExistsException e) {
                resendQuietly(email);
            }
        });
    }

    public void confirm(String email, String code, ClientInfo client) {
        attempts.guard(AttemptKind.CONFIRMATION_CODE, email, client.sourceIp(), () -> { // attempt-limited (item 29)
            try {
                cognito.confirmSignUp(email, code);
            } catch (UserNotFoundException | InvalidCredentialsException e) {
                // Unknown account, or one that is confirmed already: indistinguishable from a wrong code.
                throw new CodeMismatchException();
            }
        });
    }

    public void resendCode(String email) {
        uniform.run(() -> resendQuietly(email));
    }

    private void resendQuietly(String email) {
        try {
            cognito.resendConfirmationCode(email);
        } catch (UserNotFoundException | InvalidCredentialsException | InvalidRequestException e) {
            // unknown, or confirmed already: the uniform answer says nothing
            LOG.info("no confirmation code sent", "reason", e.code().name());
        }
    }

    public void forgotPassword(String email) {
        uniform.run(() -> {
            try {
                cognito.forgotPassword(email);
            } catch (UserNotFoundException | InvalidCredentialsException | InvalidRequestException e) {
                LOG.info("no reset code sent", "reason", e.code().name());
            }
        });
    }

    public void resetPassword(String email, String code, String newPassword, ClientInfo client) {
        attempts.guard(AttemptKind.RESET_CODE, email, client.sourceIp(), () -> { // attempt-limited (item 29)
            try {
                cognito.confirmForgotPassword(email, code, newPassword);
            } catch (UserNotFoundException | InvalidCredentialsException e) {
                throw new CodeMismatchException();
            }
        });
    }

    /** Signs in: tokens, or a challenge to answer next. Unknown account and wrong password answer alike. */
    public AuthOutcome login(String email, String password, ClientInfo client) {
        return uniform.run(() -> {
            AuthOutcome outcome = attempts.guard(AttemptKind.PASSWORD, email, client.sourceIp(), () -> { // item 29
                try {
                    return cognito.login(email, password);
                } catch (UserNotFoundException | dev.userapi.core.problem.InvalidPasswordException e) {
                    throw new InvalidCredentialsException();
                }
            });
            return complete(outcome, email, client);
        });
    }

    public AuthOutcome answerMfa(String email, String session, String code, ClientInfo client) {
        AuthOutcome outcome = attempts.guard(AttemptKind.MFA_CODE, email, client.sourceIp(), () -> { // item 29
            try {
                return cognito.answerMfa(email, session, code);
            } catch (CodeMismatchException e) {
                throw CodeMismatchException.atLogin();
            } catch (UserNotFoundException | ExpiredCodeException e) {
                throw new InvalidCredentialsException("The e-mail, session or code is not valid; sign in again.");
            } catch (InvalidRequestException e) {
                throw new InvalidCredentialsException("The session is not valid; sign in again.");
            }
        });
        return complete(outcome, email, client);
    }

    public AuthOutcome answerNewPassword(String email, String session, String newPassword, ClientInfo client) {
        AuthOutcome outcome;
        try {
            outcome = cognito.answerNewPassword(email, session, newPassword);
        } catch (UserNotFoundException e) {
            throw new InvalidCredentialsException("The e-mail or session is not valid; sign in again.");
        }
        return complete(outcome, email, client);
    }

    /**
     * Completes a sign-in through the hosted UI (possibly federated: Google, OIDC) as a password
     * login is completed: a user arriving from a provider for the first time gets a profile here,
     * since the post-confirmation trigger does not run for every federated first sign-in.
     */
    public void completeHostedSignIn(AuthTokens issued, String email, String name, ClientInfo client) {
        complete(new AuthOutcome.Tokens(issued), email, Optional.ofNullable(name), client);
    }

    private AuthOutcome complete(AuthOutcome outcome, String email, ClientInfo client) {
        return complete(outcome, email, Optional.empty(), client);
    }

    /**
     * After Cognito accepted the credentials: refuse disabled or deleted accounts (DynamoDB holds the
     * status), give an account without a profile its profile, and register the session.
     */
    private AuthOutcome complete(AuthOutcome outcome, String email, Optional<String> name, ClientInfo client) {
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
            if (provisioning.createIfAbsent(claims.sub(), email, name, List.of(AppConfig.USER_ROLE))) {
                mirror.tryMirror(claims.sub());
            }
        }
        issued = afterRevocation(issued, claims.issuedAt(), record);
        Instant now = clock.instant();
        sessions.put(new Session(SessionRepository.hash(issued.refreshToken()), UUID.randomUUID().toString(),
                claims.sub(), now, now, client.sourceIp(), client.userAgent(), claims.originJti()));
        return new AuthOutcome.Tokens(issued);
    }

    /**
     * Tokens carry their issue time in whole seconds, revocations are kept in milliseconds, and a
     * token from the same second as a revocation counts as older (refusing a fresh token beats
     * accepting an old one). So tokens issued just after a revocation, in its second, would be
     * refused: this waits for the next second and refreshes them once, so that signing in or
     * refreshing right after a sign-out everywhere or a role change always yields usable tokens.
     */
    private AuthTokens afterRevocation(AuthTokens tokens, long issuedAt, Optional<UserRecord> record) {
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
        AuthTokens again = cognito.refresh(tokens.refreshToken());
        return new AuthTokens(again.accessToken(), again.idToken(), tokens.refreshToken(), again.expiresIn());
    }

    /**
     * New access and ID tokens, only for a session that exists, belongs to an enabled account and
     * began after the account's last revocation (sign-out everywhere, disable, role change...).
     */
    public AuthTokens refresh(String refreshToken) {
        String hash = SessionRepository.hash(refreshToken);
        Session session = sessions.find(hash).orElseThrow(() -> new UnauthorizedException("The refresh token is not valid; sign in again."));
        UserRecord record = users.findRecord(session.userId()).orElse(null);
        boolean revoked = record == null || !record.isActive() || record.endsSessionFrom(session.createdAt().toEpochMilli());
        if (revoked) {
            sessions.delete(hash);
            revokeQuietly(refreshToken);
            throw new UnauthorizedException("The session has ended; sign in again.");
        }
        AuthTokens tokens;
        try {
            tokens = cognito.refresh(refreshToken);
        } catch (InvalidCredentialsException | UserNotFoundException | InvalidRequestException e) {
            sessions.delete(hash);
            throw new UnauthorizedException("The refresh token is not valid; sign in again.");
        }
        TokenClaims claims = TokenClaims.of(tokens.accessToken());
        tokens = afterRevocation(tokens, claims.issuedAt(), Optional.of(record));
        if (session.originJti() == null && claims.originJti() != null) {
            sessions.touch(hash, clock.instant(), claims.originJti()); // a session begun before origin_jti was recorded
        } else {
            sessions.touch(hash, clock.instant());
        }
        return tokens.withoutRefreshToken();
    }

    /**
     * Ends the session of a refresh token: its access tokens are refused at once (the session's
     * {@code origin_jti} on the profile, docs/SECURITY.md item 10), the session item goes and Cognito
     * revokes the refresh token. Other sessions are unaffected. Idempotent.
     */
    public void logout(String refreshToken) {
        String hash = SessionRepository.hash(refreshToken);
        sessions.find(hash).filter(s -> s.originJti() != null).ifPresent(s ->
                users.revokeSession(s.userId(), s.originJti(), clock.instant().plus(REVOKED_SESSION_KEPT).getEpochSecond()));
        sessions.delete(hash);
        try {
            cognito.revoke(refreshToken);
        } catch (InvalidCredentialsException | UnauthorizedException | InvalidRequestException | UserNotFoundException e) {
            // a token Cognito does not know (garbage, or revoked already): nothing more to end
            LOG.info("refresh token not revoked by Cognito", "reason", e.code().name());
        }
    }

    private void revokeQuietly(String refreshToken) {
        if (refreshToken == null) {
            return;
        }
        try {
            cognito.revoke(refreshToken);
        } catch (ApiException e) {
            if (e instanceof ServiceUnavailableException || e instanceof TooManyRequestsException) {
                LOG.warn("could not revoke a refresh token; its session is refused anyway", e);
            }
        }
    }
}
