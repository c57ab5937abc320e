package dev.userapi.identity;

import dev.userapi.core.attempts.AttemptKind;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.log.Log;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.mail.Mailer;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ExpiredCodeException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.MfaRequiredException;
import dev.userapi.core.problem.UserNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in with an e-mailed one-time code (issue 18 item 2): Cognito's {@code USER_AUTH} with
 * {@code PREFERRED_CHALLENGE=EMAIL_OTP}, then the {@code EMAIL_OTP} challenge answered with the code; completed like a
 * password sign-in ({@link SignIn#complete}: disabled accounts refused, the session registered, {@code SIGN_IN}).
 *
 * <ul>
 *   <li><b>Uniform start</b>: {@code POST /auth/login/email-code} answers 200 {@code {session}} for every address, in
 *       at least the uniform time; an unknown or disabled address gets a sealed session around nothing
 *       ({@link SealedSessions}: the same length as a real one), and its verification answers like a wrong code.</li>
 *   <li><b>Attempt limits</b>: every verification goes through the {@link AttemptLimiter} ({@code EMAIL_CODE}, per
 *       address and source IP, the same for unknown addresses; docs/SECURITY.md item 29).</li>
 *   <li><b>TOTP accounts</b> never sign in with an e-mail code alone (Cognito does not offer passwordless sign-in to
 *       an account with MFA). So that this is no oracle for strangers, such an account gets a code too — issued and
 *       e-mailed by the API itself (its mail port, kind {@code EMAIL_OTP}), its keyed hash in the sealed session — and
 *       only the right code is answered 403 {@code MfaRequired}; a wrong one is the same 401 {@code CodeMismatch} as
 *       anywhere. Only the mailbox's owner learns that the account needs its password and TOTP code. Without a mail
 *       sender the code cannot be sent, and the account's answers are those of an unknown address.</li>
 *   <li><b>Sessions end alike</b>: Cognito ends a code's session after {@link #SESSION_LIFETIME} (the client's
 *       {@code AuthSessionValidity}) or {@link #SESSION_TRIES} wrong codes, then answers "invalid session". So that a
 *       fake session is not told apart by outliving it, the API ends every session itself: the sealed session carries
 *       its issue time, and each try is counted on the session's hash ({@link AttemptLimiter#countSessionTry}); an
 *       ended session — the API's verdict or Cognito's — is one 401 {@code InvalidCredentials} ({@link #SESSION_ENDED}).</li>
 * </ul>
 */
public final class EmailCodeService {
    private static final Log LOG = Log.of(EmailCodeService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CODE_PURPOSE = "userapi/email-code";
    /** How long Cognito keeps a sign-in session: the template's {@code AuthSessionValidity} (3 minutes). */
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(3);
    /** Tries of one session: Cognito ends an {@code EMAIL_OTP} session at its third wrong code. */
    static final int SESSION_TRIES = 3;
    /** The one answer to a session that ended (too old, out of tries, or refused by Cognito). */
    static final String SESSION_ENDED = "The e-mail, session or code is not valid; ask for a new code.";

    private final CognitoGateway cognito;
    private final SignIn signIn;
    private final Activity activity;
    private final UniformTiming uniform;
    private final AttemptLimiter attempts;
    private final Mailer mailer;
    private final SealedSessions sessions;
    private final Clock clock;

    public EmailCodeService(CognitoGateway cognito, SignIn signIn, Activity activity, UniformTiming uniform, AttemptLimiter attempts,
                            Mailer mailer, Clock clock) {
        this.cognito = cognito;
        this.signIn = signIn;
        this.activity = activity;
        this.uniform = uniform;
        this.attempts = attempts;
        this.mailer = mailer;
        this.sessions = new SealedSessions(cognito, "email-code");
        this.clock = clock;
    }

    public static EmailCodeService from(Components c, Mailer mailer) {
        Activity activity = c.activity();
        return new EmailCodeService(c.cognito(), new SignIn(c.cognito(), c.users(), c.sessions(), c.provisioning(), c.clock(),
                activity), activity, new UniformTiming(c.config().uniformResponseTime()), c.attempts(), mailer, c.clock());
    }

    /** {@code POST /auth/login/email-code}: 200 {@code {session}}, the same for every address. */
    public Map<String, Object> start(String email) {
        String session = uniform.run(() -> {
            try {
                CognitoUser user = cognito.adminGetUser(email);
                if (user.enabled()) {
                    if (user.totpEnabled()) {
                        return codeOfOurOwn(email, user.sub());
                    }
                    CognitoGateway.AuthChallenge started = cognito.startEmailCodeSignIn(user.sub());
                    if ("EMAIL_OTP".equals(started.name()) && started.session() != null) {
                        return sessions.seal(new SealedSessions.Sealed(email, user.sub(), started.session(), null, clock.millis()));
                    }
                }
            } catch (UserNotFoundException | InvalidCredentialsException | InvalidRequestException e) {
                LOG.info("no e-mail code for an address that cannot use one", "reason", e.code().name());
            }
            return sessions.seal(new SealedSessions.Sealed(email, null, null, null, clock.millis()));
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", session);
        return body;
    }

    /** A TOTP account's code: sent by the API, its hash in the session; empty session content if it cannot be sent. */
    private String codeOfOurOwn(String email, String sub) {
        String code = String.format("%08d", RANDOM.nextInt(100_000_000));
        try {
            mailer.send(email, MailKind.EMAIL_OTP, "Your sign-in code",
                    "Someone asked to sign in to your account with an e-mail code. Your account uses an authenticator app,"
                            + " so it signs in with your password and the app's code; this code alone will not sign you in."
                            + " If this was not you, you can ignore this message.", code);
        } catch (ApiException e) {
            LOG.warn("could not send a TOTP account its e-mail code", "code", e.code().name());
            return sessions.seal(new SealedSessions.Sealed(email, null, null, null, clock.millis()));
        }
        return sessions.seal(new SealedSessions.Sealed(email, sub, null, sessions.keyedHash(CODE_PURPOSE, code), clock.millis()));
    }

    /** {@code POST /auth/login/email-code/verify}: tokens; 401 {@code CodeMismatch} or {@code InvalidCredentials}; 403 {@code MfaRequired}. */
    public AuthOutcome verify(String email, String session, String code, ClientInfo client) {
        // in at least the uniform time: a fake session's refusal takes as long as Cognito's (no timing oracle)
        return uniform.run(() -> verifyNow(email, session, code, client));
    }

    private AuthOutcome verifyNow(String email, String session, String code, ClientInfo client) {
        AuthOutcome outcome = attempts.guard(AttemptKind.EMAIL_CODE, email, client.sourceIp(), () -> { // item 29
            Optional<SealedSessions.Sealed> opened = sessions.open(session).filter(s -> s.email().equals(email));
            if (opened.isEmpty()) {
                activity.failedSignIn(email, client);
                throw wrongCode();
            }
            SealedSessions.Sealed sealed = opened.get();
            // before anything that differs between a real and a fake session: both end when Cognito's would
            long now = clock.millis();
            if (now - sealed.issuedAt() > SESSION_LIFETIME.toMillis() || !attempts.countSessionTry(AttemptKind.EMAIL_CODE, session,
                    SESSION_TRIES, (sealed.issuedAt() + SESSION_LIFETIME.toMillis()) / 1000 + 60)) {
                activity.failedSignIn(email, client);
                throw sessionEnded();
            }
            if (sealed.sub() == null) {
                activity.failedSignIn(email, client);
                throw wrongCode();
            }
            if (sealed.codeHash() != null) {
                if (MessageDigest.isEqual(sessions.keyedHash(CODE_PURPOSE, code).getBytes(StandardCharsets.US_ASCII),
                        sealed.codeHash().getBytes(StandardCharsets.US_ASCII))) {
                    throw new MfaRequiredException();
                }
                activity.failedSignIn(email, client);
                throw wrongCode();
            }
            try {
                return cognito.answerEmailCode(sealed.sub(), sealed.cognitoSession(), code);
            } catch (CodeMismatchException e) {
                activity.failedSignIn(email, client);
                throw wrongCode();
            } catch (InvalidCredentialsException | ExpiredCodeException | UserNotFoundException | InvalidRequestException e) {
                // Cognito's "invalid session" (and the rest): the answer of a session the API ended itself
                activity.failedSignIn(email, client);
                throw sessionEnded();
            }
        });
        if (!(outcome instanceof AuthOutcome.Tokens)) {
            throw sessionEnded();
        }
        return signIn.complete(outcome, email, Optional.empty(), client);
    }

    private static InvalidCredentialsException sessionEnded() {
        return new InvalidCredentialsException(SESSION_ENDED);
    }

    private static CodeMismatchException wrongCode() {
        return CodeMismatchException.atLogin("The code is not correct.");
    }
}
