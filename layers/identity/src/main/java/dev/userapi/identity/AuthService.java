package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.attempts.AttemptKind;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.AccountExistsException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ExpiredCodeException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.UnauthorizedException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.http.Caller;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.util.Optional;

/**
 * The public {@code /auth/*} flows. Routes that could reveal whether an account exists (sign-up,
 * resend-code, forgot-password, login, confirm, reset-password) answer the same way, in at least the
 * same time, either way.
 */
public final class AuthService {
    private static final Log LOG = Log.of(AuthService.class);
    /** How long a logged-out session's {@code origin_jti} is refused: the access tokens' longest life (60 min) and leeway. */
    static final java.time.Duration REVOKED_SESSION_KEPT = java.time.Duration.ofMinutes(65);

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final Provisioning provisioning;
    private final UniformTiming uniform;
    private final Clock clock;
    private final SignIn signIn;
    private final AttemptLimiter attempts;
    private final Activity activity;
    private AccountDrift drift = AccountDrift.NONE;

    /** Without a table for the attempt counters: they are kept in this process's memory (tests). */
    public AuthService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                       UniformTiming uniform, Clock clock) {
        this(cognito, users, sessions, provisioning, uniform, clock,
                new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock));
    }

    public AuthService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                       UniformTiming uniform, Clock clock, AttemptLimiter attempts) {
        this(cognito, users, sessions, provisioning, uniform, clock, attempts, Activity.NONE);
    }

    /** ... recording sign-ins, failed sign-ins and password resets in the accounts' security activity. */
    public AuthService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, Provisioning provisioning,
                       UniformTiming uniform, Clock clock, AttemptLimiter attempts, Activity activity) {
        this.activity = activity;
        this.attempts = attempts;
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.provisioning = provisioning;
        this.uniform = uniform;
        this.clock = clock;
        this.signIn = new SignIn(cognito, users, sessions, provisioning, clock, activity);
    }

    /** Wires the service from components a function already built (its clients are shared, not built again). */
    public static AuthService from(Components c) {
        return new AuthService(c.cognito(), c.users(), c.sessions(), c.provisioning(),
                new UniformTiming(c.config().uniformResponseTime()), c.clock(), c.attempts(), c.activity());
    }

    /**
     * Notices drift made at Cognito with a user's own token (docs/SECURITY.md item 31): MFA at each password sign-in,
     * and a user deleted at Cognito when Cognito refuses a refresh.
     */
    public AuthService withDrift(AccountDrift accountDrift) {
        this.drift = accountDrift;
        signIn.withDrift(accountDrift);
        return this;
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

    /**
     * Confirms an account with the code e-mailed to its address, and sets the password given with the
     * code (docs/SECURITY.md item 26): whoever signed up first with that address, and with whatever
     * password, the one who holds the mailbox decides the password. Anything obtained with an
     * earlier password (a sign-in between the confirmation and the new password) is ended, then the
     * user is signed in with the new password: the answer is a login's.
     *
     * <p>Uniform: an unknown address, a confirmed account, a wrong code and an expired one all
     * answer {@link CodeMismatchException}, in at least the same time.
     */
    public AuthOutcome confirm(String email, String code, String password, ClientInfo client) {
        String sub = uniform.run(() -> attempts.guard(AttemptKind.CONFIRMATION_CODE, email, client.sourceIp(), () -> { // item 29
            try {
                cognito.confirmSignUp(email, code);
            } catch (UserNotFoundException | InvalidCredentialsException | ExpiredCodeException | CodeMismatchException e) {
                // Unknown account, one that is confirmed already, a wrong or an expired code: all alike.
                throw new CodeMismatchException();
            }
            return cognito.adminGetUser(email).sub();
        }));
        setPasswordAfterProof(sub, password);
        return signIn.withPassword(email, password, client);
    }

    /**
     * Makes {@code password} the account's only working password after its owner proved control of
     * the address, and ends everything issued before. If Cognito refuses the password (the pool's
     * policy), the account gets a random one instead, so that no earlier password keeps working, and
     * the caller is told to choose a password that meets the policy (the forgotten-password route
     * sets it).
     */
    private void setPasswordAfterProof(String sub, String password) {
        try {
            cognito.adminSetPassword(sub, password);
        } catch (dev.userapi.core.problem.InvalidPasswordException e) {
            cognito.adminSetPassword(sub, RandomPasswords.next());
            signIn.endEverySession(sub);
            throw new dev.userapi.core.problem.InvalidPasswordException(
                    "The account is confirmed, but the password does not meet the password policy; set one with "
                            + "POST /auth/forgot-password.");
        }
        signIn.endEverySession(sub);
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

    /**
     * Sets a new password with the code e-mailed by forgot-password (or an admin reset), then ends
     * every session of the account (docs/SECURITY.md item 27). A disabled or deleted account cannot
     * complete a reset: it gets the wrong-code answer and nothing changes. Uniform: every refusal
     * is the same {@link CodeMismatchException}, in at least the same time.
     */
    public void resetPassword(String email, String code, String newPassword, ClientInfo client) {
        String sub = uniform.run(() -> attempts.guard(AttemptKind.RESET_CODE, email, client.sourceIp(), () -> { // item 29
            CognitoUser user;
            try {
                user = cognito.adminGetUser(email);
            } catch (UserNotFoundException e) {
                throw new CodeMismatchException();
            }
            boolean active = user.enabled() && users.findRecord(user.sub()).map(UserRecord::isActive).orElse(true);
            if (!active) {
                LOG.info("password reset refused for an account that is not enabled", "userId", user.sub());
                throw new CodeMismatchException();
            }
            try {
                cognito.confirmForgotPassword(email, code, newPassword);
            } catch (UserNotFoundException | InvalidCredentialsException e) {
                throw new CodeMismatchException();
            }
            return user.sub();
        }));
        signIn.endEverySession(sub, true);
        activity.record(sub, ActivityEvent.PASSWORD_RESET, client);
    }

    /**
     * Renews a signed-in caller's {@code auth_time} ("sudo mode", docs/SECURITY.md item 32): the
     * caller's password (and TOTP code, when TOTP is on) signs them in again, as the same account.
     * The session the caller's access token belongs to (its {@code origin_jti}) is replaced: its
     * session item goes (refresh through the API refuses it) and its access tokens are refused at
     * once. Guesses count with the account's sign-in failures (item 29). A wrong password or code is
     * 403 {@code InvalidCredentials}: the caller's token is fine, so 401 would mislead.
     */
    public AuthTokens reauthenticate(Caller caller, String accessToken, String password, Optional<String> code,
                                     ClientInfo client) {
        String email = users.find(caller.sub()).map(UserProfile::email)
                .orElseThrow(() -> InvalidCredentialsException.ofSignedInCaller("The password or code is not correct."));
        AuthOutcome outcome;
        try {
            // the caller's guesses count with the account's sign-in failures (item 29)
            outcome = attempts.guard(AttemptKind.PASSWORD, email, client.sourceIp(), () -> {
                AuthOutcome first = signIn.withPassword(email, password, client);
                if (first instanceof AuthOutcome.Challenge challenge && "SOFTWARE_TOKEN_MFA".equals(challenge.name())
                        && code.isPresent()) {
                    return signIn.completeAfterTotp(cognito.answerMfa(email, challenge.session(), code.get()), email, client);
                }
                return first;
            });
        } catch (InvalidCredentialsException | CodeMismatchException | ExpiredCodeException | UserNotFoundException
                 | InvalidRequestException e) {
            throw InvalidCredentialsException.ofSignedInCaller("The password or code is not correct.");
        }
        if (!(outcome instanceof AuthOutcome.Tokens tokens)) {
            throw InvalidCredentialsException.ofSignedInCaller("The password or code is not correct.");
        }
        if (!caller.sub().equals(TokenClaims.of(tokens.tokens().accessToken()).sub())) {
            // cannot happen unless the address changed hands meanwhile: never hand out another account's tokens
            signIn.revokeQuietly(tokens.tokens().refreshToken());
            sessions.delete(SessionRepository.hash(tokens.tokens().refreshToken()));
            throw InvalidCredentialsException.ofSignedInCaller("The password or code is not correct.");
        }
        String replaced = originJtiOf(accessToken);
        if (replaced != null && !replaced.equals(TokenClaims.of(tokens.tokens().accessToken()).originJti())) {
            endSession(caller.sub(), replaced);
        }
        return tokens.tokens();
    }

    /** The session ({@code origin_jti}) of an access token the authorizer accepted; null if it has none. */
    private static String originJtiOf(String accessToken) {
        try {
            return TokenClaims.of(accessToken).originJti();
        } catch (RuntimeException e) {
            return null; // cannot happen for a token the authorizer verified; then there is no session to replace
        }
    }

    /**
     * Ends one of the account's sessions, found by its {@code origin_jti}: its access tokens are
     * refused at once (the profile lists it) and its session items go, so refresh through the API
     * refuses its refresh token.
     */
    private void endSession(String sub, String originJti) {
        users.revokeSession(sub, originJti, clock.instant().plus(REVOKED_SESSION_KEPT).getEpochSecond());
        sessions.listForUser(sub).stream().filter(s -> originJti.equals(s.originJti()))
                .forEach(s -> sessions.delete(s.tokenHash()));
    }

    /** Signs in: tokens, or a challenge to answer next. Unknown account and wrong password answer alike. */
    public AuthOutcome login(String email, String password, ClientInfo client) {
        return uniform.run(() -> {
            try {
                return attempts.guard(AttemptKind.PASSWORD, email, client.sourceIp(), // item 29
                        () -> signIn.withPassword(email, password, client));
            } catch (InvalidCredentialsException e) {
                // inside the uniform time: the same look-up for an unknown address, which gets no item
                activity.failedSignIn(email, client);
                throw e;
            }
        });
    }

    public AuthOutcome answerMfa(String email, String session, String code, ClientInfo client) {
        AuthOutcome outcome = attempts.guard(AttemptKind.MFA_CODE, email, client.sourceIp(), () -> { // item 29
            try {
                return cognito.answerMfa(email, session, code);
            } catch (CodeMismatchException e) {
                activity.failedSignIn(email, client);
                throw CodeMismatchException.atLogin();
            } catch (UserNotFoundException | ExpiredCodeException e) {
                throw new InvalidCredentialsException("The e-mail, session or code is not valid; sign in again.");
            } catch (InvalidRequestException e) {
                throw new InvalidCredentialsException("The session is not valid; sign in again.");
            }
        });
        return signIn.completeAfterTotp(outcome, email, client);
    }

    public AuthOutcome answerNewPassword(String email, String session, String newPassword, ClientInfo client) {
        AuthOutcome outcome;
        try {
            outcome = cognito.answerNewPassword(email, session, newPassword);
        } catch (UserNotFoundException e) {
            throw new InvalidCredentialsException("The e-mail or session is not valid; sign in again.");
        }
        if (outcome instanceof AuthOutcome.Tokens tokens) {
            // An invited account's first password of its own: it is confirmed now (the user.confirmed event).
            users.markConfirmed(TokenClaims.of(tokens.tokens().accessToken()).sub());
        }
        return complete(outcome, email, client);
    }

    /**
     * Completes a sign-in through the hosted UI (possibly federated: Google, OIDC) as a password
     * login is completed: a user arriving from a provider for the first time gets a profile here,
     * since the post-confirmation trigger does not run for every federated first sign-in.
     */
    public void completeHostedSignIn(AuthTokens issued, String email, String name, ClientInfo client) {
        signIn.complete(new AuthOutcome.Tokens(issued), email, Optional.ofNullable(name), client);
    }

    private AuthOutcome complete(AuthOutcome outcome, String email, ClientInfo client) {
        return signIn.complete(outcome, email, Optional.empty(), client);
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
            signIn.revokeQuietly(refreshToken);
            throw new UnauthorizedException("The session has ended; sign in again.");
        }
        AuthTokens tokens;
        try {
            tokens = cognito.refresh(session.userId(), refreshToken); // the sub: the Cognito username the secret hash is over
        } catch (InvalidCredentialsException | UserNotFoundException | InvalidRequestException e) {
            sessions.delete(hash);
            // the user may have deleted itself at Cognito with its own token: then its access tokens stop here too
            drift.reconcileIfGone(session.userId(), "refresh");
            throw new UnauthorizedException("The refresh token is not valid; sign in again.");
        }
        TokenClaims claims = TokenClaims.of(tokens.accessToken());
        tokens = signIn.afterRevocation(tokens, claims.issuedAt(), Optional.of(record));
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
        logout(refreshToken, null);
    }

    /** {@link #logout(String)}, recording {@code SESSION_REVOKED} in the account's activity when the session was known. */
    public void logout(String refreshToken, ClientInfo client) {
        String hash = SessionRepository.hash(refreshToken);
        Optional<Session> session = sessions.find(hash);
        session.filter(s -> s.originJti() != null).ifPresent(s ->
                users.revokeSession(s.userId(), s.originJti(), clock.instant().plus(REVOKED_SESSION_KEPT).getEpochSecond()));
        sessions.delete(hash);
        session.ifPresent(s -> activity.record(s.userId(), ActivityEvent.SESSION_REVOKED, client));
        try {
            cognito.revoke(refreshToken);
        } catch (InvalidCredentialsException | UnauthorizedException | InvalidRequestException | UserNotFoundException e) {
            // a token Cognito does not know (garbage, or revoked already): nothing more to end
            LOG.info("refresh token not revoked by Cognito", "reason", e.code().name());
        }
    }
}
