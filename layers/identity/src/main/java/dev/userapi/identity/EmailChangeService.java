package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.attempts.AttemptKind;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.email.EmailChangeRepository;
import dev.userapi.core.email.PendingEmailChange;
import dev.userapi.core.http.Caller;
import dev.userapi.core.log.Log;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.mail.Mailer;
import dev.userapi.core.problem.AccountExistsException;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidPasswordException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.time.Duration;

/**
 * Changing an account's e-mail without ever locking its owner out (issue 18; docs/SECURITY.md item 32).
 *
 * <p>The design: an API-issued code, not Cognito's {@code VerifyUserAttribute}. {@code POST /me/email} checks the
 * current password, stores a random 8-digit code (salted hash only, 24 h, one per account: a new request replaces it)
 * with the new address, e-mails the code to the new address ({@link MailKind#EMAIL_CHANGE}) and a notice to the old
 * one ({@link MailKind#EMAIL_CHANGE_NOTICE}), both through the API's own {@link Mailer}. Nothing changes at Cognito
 * or in the profile, so the old address keeps signing in and receiving reset codes however the new one was mistyped.
 * {@code POST /me/email/verify} checks the code (attempt-limited), then sets the address verified at Cognito
 * ({@code AdminUpdateUserAttributes} with {@code email_verified=true}: applied at once) and moves the profile and its
 * role memberships to the new address's place in the listing index.
 *
 * <p>The password is checked by signing in with it ({@link CognitoGateway#login}) and revoking what that issues at
 * once: no session is registered, nothing is handed out, and a TOTP challenge (which Cognito asks only after a
 * correct password) counts as a correct password. Guesses count with the account's sign-in failures
 * ({@link AttemptKind#PASSWORD}); codes have their own counters ({@link AttemptKind#EMAIL_CHANGE_CODE}).
 *
 * <p>A new address that already has an account answers the same 202, in at least the same time, and gets no code;
 * the old address gets its notice either way.
 */
public final class EmailChangeService {
    private static final Log LOG = Log.of(EmailChangeService.class);
    /** How long a code works. */
    static final Duration CODE_VALIDITY = Duration.ofHours(24);

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final EmailChangeRepository pending;
    private final Mailer mailer;
    private final AttemptLimiter attempts;
    private final UniformTiming uniform;
    private final Activity activity;
    private final Clock clock;

    public EmailChangeService(CognitoGateway cognito, UserRepository users, EmailChangeRepository pending, Mailer mailer,
                              AttemptLimiter attempts, UniformTiming uniform, Activity activity, Clock clock) {
        this.cognito = cognito;
        this.users = users;
        this.pending = pending;
        this.mailer = mailer;
        this.attempts = attempts;
        this.uniform = uniform;
        this.activity = activity;
        this.clock = clock;
    }

    /** Wires the service from the function's components and its mail port. */
    public static EmailChangeService from(Components c, Mailer mailer) {
        return new EmailChangeService(c.cognito(), c.users(), new EmailChangeRepository(c.db(), c.config().tableName()), mailer,
                c.attempts(), new UniformTiming(c.config().uniformResponseTime()), c.activity(), c.clock());
    }

    /**
     * {@code POST /me/email}: checks the password, then sends a code to {@code newEmail} (unless it has an account)
     * and a notice to the current address. Changes nothing else.
     *
     * @throws InvalidCredentialsException (403) when the password is wrong
     * @throws InvalidRequestException     when {@code newEmail} is the current address
     */
    public void start(Caller caller, String newEmail, String password, ClientInfo client) {
        UserProfile profile = users.find(caller.sub()).orElseThrow(() -> new NotFoundException("The account does not exist."));
        String current = profile.email();
        if (newEmail.equals(current)) {
            throw new InvalidRequestException("The new address is the account's address already.");
        }
        attempts.guard(AttemptKind.PASSWORD, current, client.sourceIp(), () -> checkPassword(caller, current, password));
        uniform.run(() -> {
            if (isTaken(newEmail)) {
                LOG.info("e-mail change to an address that has an account: no code sent", "userId", caller.sub());
            } else {
                String code = PendingEmailChange.newCode();
                pending.put(PendingEmailChange.of(caller.sub(), newEmail, code, clock.instant().plus(CODE_VALIDITY)));
                mailer.send(newEmail, MailKind.EMAIL_CHANGE, "Confirm your new e-mail address",
                        "Someone asked to use this address for their account. If it was you, enter this code to confirm it; "
                                + "it works for 24 hours. If it was not you, ignore this message.", code);
            }
            mailer.send(current, MailKind.EMAIL_CHANGE_NOTICE, "A change of your account's e-mail address was requested",
                    "A change of the e-mail address of your account to " + masked(newEmail) + " was requested with your "
                            + "password. Your address stays the same until the new one is confirmed with the code sent to it. "
                            + "If this was not you, change your password now.", null);
        });
    }

    /**
     * {@code POST /me/email/verify}: with the code sent to the new address, makes it the account's address at Cognito
     * and in DynamoDB; the old address then no longer signs in.
     *
     * @throws CodeMismatchException when there is no pending change, it expired, or the code is wrong
     * @throws ConflictException     when the address was taken meanwhile (the pending change is dropped)
     */
    public UserProfile verify(Caller caller, String code, ClientInfo client) {
        UserProfile profile = users.find(caller.sub()).orElseThrow(() -> new NotFoundException("The account does not exist."));
        PendingEmailChange change = attempts.guard(AttemptKind.EMAIL_CHANGE_CODE, profile.email(), client.sourceIp(), () ->
                pending.find(caller.sub())
                        .filter(p -> !p.expiredAt(clock.instant()) && p.matches(code))
                        .orElseThrow(CodeMismatchException::new));
        try {
            cognito.adminSetVerifiedEmail(caller.sub(), change.newEmail());
        } catch (AccountExistsException e) {
            pending.delete(caller.sub());
            throw new ConflictException("Another account has taken that address meanwhile.");
        }
        UserProfile updated = users.changeEmail(caller.sub(), change.newEmail());
        pending.delete(caller.sub()); // last: a request that failed before this can be repeated with the same code
        activity.record(caller.sub(), ActivityEvent.EMAIL_CHANGED, client);
        return updated;
    }

    private void checkPassword(Caller caller, String email, String password) {
        AuthOutcome outcome;
        try {
            outcome = cognito.login(email, password);
        } catch (UserNotFoundException | InvalidPasswordException | InvalidCredentialsException e) {
            throw InvalidCredentialsException.ofSignedInCaller("The password is not correct.");
        }
        if (outcome instanceof AuthOutcome.Tokens tokens) {
            // only a proof of the password: nothing is kept or handed out
            try {
                cognito.revoke(tokens.tokens().refreshToken());
            } catch (ApiException e) {
                LOG.warn("could not revoke the tokens of a password check", "code", e.code().name());
            }
            if (!caller.sub().equals(TokenClaims.of(tokens.tokens().accessToken()).sub())) {
                throw InvalidCredentialsException.ofSignedInCaller("The password is not correct.");
            }
        }
    }

    private boolean isTaken(String email) {
        try {
            cognito.adminGetUser(email);
            return true;
        } catch (UserNotFoundException e) {
            return false;
        }
    }

    /** {@code a***@example.com}: enough for the owner to recognise, little for anyone reading over their shoulder. */
    static String masked(String email) {
        int at = email.indexOf('@');
        return at <= 1 ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
    }
}
