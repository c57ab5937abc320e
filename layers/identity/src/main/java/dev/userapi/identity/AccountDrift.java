package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.log.Log;
import dev.userapi.core.org.Membership;
import dev.userapi.core.org.OrgRepository;
import dev.userapi.core.org.OrgRole;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Drift between Cognito and DynamoDB that a user's own access token can cause by calling Cognito directly, outside the
 * API (docs/SECURITY.md item 31: Cognito needs {@code aws.cognito.signin.user.admin} in the token for the API's own
 * calls, and that scope also opens {@code SetUserMFAPreference} and {@code DeleteUser} to its holder). Noticed where
 * the API learns the truth anyway, without extra calls on the hot paths, and brought in line, recorded in the audit
 * trail (and the account's activity):
 * <ul>
 *   <li><b>MFA</b>: a completed password sign-in shows whether Cognito asks this account for a TOTP code — it did
 *       (the code was answered) or it did not (tokens straight away). The profile's {@code mfaEnabled} follows
 *       ({@code user.mfa.reconciled}).</li>
 *   <li><b>A deleted Cognito user</b>: a refresh Cognito refuses, and a new account confirmed at an address another
 *       profile still holds, ask Cognito ({@code AdminGetUser}, authoritative) whether that profile's user still
 *       exists. If not, its tokens are refused at once and — where the function may write it — the profile is
 *       retired as a deletion would ({@code user.deleted.reconciled}): tombstone, sessions, org memberships (where it
 *       is an organization's last owner, ownership goes to the longest-standing admin, else member, and an
 *       organization with no other member is deleted).</li>
 * </ul>
 * Best effort: a failure is logged and never fails the sign-in, refresh or confirmation that noticed the drift; the
 * next one tries again.
 */
public final class AccountDrift {
    private static final Log LOG = Log.of(AccountDrift.class);
    /** Notices nothing (tests, and functions that cannot act on drift). */
    public static final AccountDrift NONE = new AccountDrift(null, null, null, null, null, Activity.NONE, Clock.systemUTC());

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final OrgRepository orgs;
    private final AuditRepository audit;
    private final Activity activity;
    private final Clock clock;

    /**
     * @param sessions null where the function may not delete sessions (then a gone account's tokens are refused,
     *                 and the profile is left for the next confirmation at its address or an administrator)
     * @param orgs     null where the function may not touch memberships (likewise)
     */
    public AccountDrift(CognitoGateway cognito, UserRepository users, SessionRepository sessions, OrgRepository orgs,
                        AuditRepository audit, Activity activity, Clock clock) {
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.orgs = orgs;
        this.audit = audit;
        this.activity = activity;
        this.clock = clock;
    }

    /** For the sign-in routes: MFA drift (they retire no account: that needs the rights of a deletion). */
    public static AccountDrift forSignIn(Components c) {
        return new AccountDrift(c.cognito(), c.users(), null, null, new AuditRepository(c.db(), c.config().tableName()),
                c.activity(), c.clock());
    }

    /**
     * A password sign-in of {@code sub} completed; {@code totpAsked}: Cognito asked for a TOTP code (and it was
     * answered) rather than issuing tokens straight away. With the pool's MFA optional, that is exactly whether TOTP
     * is on for the account at Cognito now.
     */
    public void totpObserved(String sub, boolean totpAsked) {
        if (users == null) {
            return;
        }
        try {
            Optional<UserProfile> profile = users.find(sub);
            if (profile.isEmpty() || profile.get().mfaEnabled() == totpAsked) {
                return;
            }
            users.setMfaEnabled(sub, totpAsked);
            audit.append(new AuditEntry(clock.instant(), sub, "user.mfa.reconciled", sub,
                    Map.of("mfaEnabled", totpAsked, "source", "cognito", "reason", "MFA preference changed at Cognito outside the API")));
            activity.record(sub, totpAsked ? ActivityEvent.MFA_ENABLED : ActivityEvent.MFA_DISABLED, null);
            LOG.info("MFA changed at Cognito outside the API; profile reconciled", "userId", sub, "mfaEnabled", totpAsked);
        } catch (RuntimeException e) {
            LOG.warn("could not reconcile the MFA state; the next sign-in tries again", e, "userId", sub);
        }
    }

    /**
     * Cognito refused something about {@code sub} in a way that may mean its user is gone: asks Cognito, and if the
     * user does not exist, refuses the account's tokens at once and retires its profile where this function may.
     *
     * @return true if the user is gone at Cognito
     */
    public boolean reconcileIfGone(String sub, String noticedBy) {
        if (users == null) {
            return false;
        }
        try {
            cognito.adminGetUser(sub);
            return false;
        } catch (UserNotFoundException gone) {
            retire(sub, noticedBy);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not check whether the Cognito user still exists", e, "userId", sub);
            return false;
        }
    }

    private void retire(String sub, String noticedBy) {
        try {
            if (users.findRecord(sub).filter(r -> r.status() != dev.userapi.core.user.UserStatus.DELETED).isEmpty()) {
                return; // no live profile: nothing drifted
            }
            users.endSessions(sub); // the authorizer refuses every token of the account from now on
            String outcome = "tokens refused";
            if (sessions != null && orgs != null) {
                leaveOrganizations(sub);
                try {
                    users.delete(sub);
                    outcome = "profile deleted";
                } catch (ConflictException lastAdmin) {
                    outcome = "profile kept: the last enabled administrator";
                } catch (UserNotFoundException raced) {
                    outcome = "profile deleted meanwhile";
                }
                sessions.deleteAllForUser(sub);
            }
            audit.append(new AuditEntry(clock.instant(), sub, "user.deleted.reconciled", sub,
                    Map.of("source", "cognito", "reason", "the Cognito user was deleted outside the API", "noticedBy", noticedBy,
                            "outcome", outcome)));
            LOG.info("Cognito user deleted outside the API; profile reconciled", "userId", sub, "outcome", outcome);
        } catch (RuntimeException e) {
            LOG.warn("could not reconcile an account deleted at Cognito; the next notice tries again", e, "userId", sub);
        }
    }

    /**
     * Leaves every organization. Where the account is the last owner, no one could act as owner any more: ownership
     * goes to the longest-standing admin, else member, and an organization with no other member is deleted
     * ({@link OrgRepository#handOver}). Each change is audited on the organization.
     */
    private void leaveOrganizations(String sub) {
        String reason = "the owner's account was deleted at Cognito outside the API";
        for (Membership m : orgs.allMembershipsOf(sub)) {
            try {
                if (m.role() == OrgRole.OWNER) {
                    OrgRepository.HandOver done = orgs.handOver(m.orgId(), sub);
                    done.successor().ifPresent(s -> orgAudit(sub, m.orgId(), "org.member.role",
                            Map.of("userId", s.userId(), "from", s.role().value(), "to", OrgRole.OWNER.value(), "reason", reason)));
                    if (done.orgDeleted()) {
                        orgAudit(sub, m.orgId(), "org.delete", Map.of("reason", "its only member's account was deleted at Cognito outside the API"));
                        continue;
                    }
                } else {
                    orgs.removeMember(m.orgId(), sub);
                }
                orgAudit(sub, m.orgId(), "org.member.leave", Map.of("userId", sub, "reason", "account deleted at Cognito"));
            } catch (NotFoundException gone) {
                // left, removed or deleted meanwhile
            } catch (ApiException e) {
                LOG.warn("membership of an account deleted at Cognito left in place", "orgId", m.orgId(), "userId", sub,
                        "code", e.code().name());
            }
        }
    }

    private void orgAudit(String sub, String orgId, String action, Map<String, Object> details) {
        audit.append(new AuditEntry(clock.instant(), sub, action, "ORG#" + orgId, details));
    }
}
