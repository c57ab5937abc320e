package dev.userapi.triggers;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.activity.ActivityItem;
import dev.userapi.core.activity.ActivityRepository;
import dev.userapi.core.http.Emails;
import dev.userapi.core.log.Log;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Drift of the e-mail (docs/SECURITY.md item 31): a user's own access token can still change the address at
 * Cognito directly ({@code UpdateUserAttributes}, then {@code VerifyUserAttribute} with the code sent to the new
 * address), outside the API. The pool keeps the old address until the new one is verified
 * ({@code AttributesRequireVerificationBeforeUpdate}), so a token issued with a <em>verified</em> address that is
 * not the profile's means the change happened: the profile, its listing keys and its role memberships follow
 * ({@link UserRepository#changeEmail}), the audit trail records it as {@code user.email.reconciled} and the account's
 * activity as {@code EMAIL_CHANGED} (without a source address: the change was not made through the API).
 * Best effort within the trigger's budget: a failure is logged and the next issuance tries again; it never fails
 * the sign-in. An unverified address is never adopted (it proves nothing).
 */
class EmailDrift {
    private static final Log LOG = Log.of(EmailDrift.class);
    /** Reconciles nothing (unit tests of the roles alone). */
    static final EmailDrift NONE = new EmailDrift(null, null, null, Clock.systemUTC()) {
        @Override
        void reconcile(UserProfile profile, Map<String, String> userAttributes) {
            // nothing
        }
    };

    private final UserRepository users;
    private final AuditRepository audit;
    private final ActivityRepository activity;
    private final Clock clock;

    EmailDrift(UserRepository users, AuditRepository audit, ActivityRepository activity, Clock clock) {
        this.users = users;
        this.audit = audit;
        this.activity = activity;
        this.clock = clock;
    }

    /** {@code profile} is the live profile the trigger has just read (consistently) for the roles. */
    void reconcile(UserProfile profile, Map<String, String> userAttributes) {
        String sub = profile.id();
        if (!"true".equalsIgnoreCase(userAttributes.get("email_verified"))) {
            return;
        }
        Optional<String> cognitoEmail = Emails.normalize(userAttributes.get("email"));
        if (cognitoEmail.isEmpty()) {
            return;
        }
        if (profile.email() == null || profile.email().equalsIgnoreCase(cognitoEmail.get())) {
            return;
        }
        try {
            users.changeEmail(sub, cognitoEmail.get());
            audit.append(new AuditEntry(clock.instant(), sub, "user.email.reconciled", sub,
                    Map.of("source", "cognito", "reason", "changed at Cognito outside the API")));
            LOG.info("e-mail changed at Cognito outside the API; profile reconciled", "userId", sub);
        } catch (RuntimeException e) {
            LOG.warn("could not reconcile the e-mail; the next issuance tries again", e, "userId", sub);
            return;
        }
        try {
            activity.record(sub, new ActivityItem(clock.instant(), ActivityEvent.EMAIL_CHANGED, null, null));
        } catch (RuntimeException e) {
            // the profile has moved: the next issuance finds nothing to reconcile, so this entry is lost (logged)
            LOG.warn("could not record the reconciled e-mail change in the account's activity", e, "userId", sub);
        }
    }
}
