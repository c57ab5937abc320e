package dev.userapi.identity;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.activity.ActivityItem;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Caller;
import dev.userapi.core.http.Emails;
import dev.userapi.core.http.PageLimit;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.AccountExistsException;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.ProfileChanges;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserFilter;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Administration of other users ({@code /users}). DynamoDB, the source of truth, is written first;
 * Cognito mirrors it with idempotent calls, so a request that failed half-way (503) can simply be
 * repeated. Every write appends an entry to the target's audit trail.
 */
public final class AdminService {
    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final Log LOG = Log.of(AdminService.class);
    /** The organizations of the accounts this deletes (null in unit tests). */
    private OrgService orgs;
    public static final int DEFAULT_LIMIT = PageLimit.DEFAULT;
    public static final int MAX_LIMIT = PageLimit.MAX;
    /** Cognito's status of a self-sign-up whose address nobody has confirmed. */
    private static final String UNCONFIRMED = "UNCONFIRMED";
    /** Cognito's statuses of an account whose owner has a password of their own (or a provider's identity). */
    private static final java.util.Set<String> CONFIRMED = java.util.Set.of("CONFIRMED", "EXTERNAL_PROVIDER");

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final AuditRepository audit;
    private final Provisioning provisioning;
    private final RoleMirror mirror;
    private final AppConfig config;
    private final Clock clock;
    private final SignIn signIn;
    private final Activity activity;

    public AdminService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, AuditRepository audit,
                        Provisioning provisioning, RoleMirror mirror, AppConfig config, Clock clock) {
        this(cognito, users, sessions, audit, provisioning, mirror, config, clock, Activity.NONE);
    }

    /** ... reading the users' security activity. */
    public AdminService(CognitoGateway cognito, UserRepository users, SessionRepository sessions, AuditRepository audit,
                        Provisioning provisioning, RoleMirror mirror, AppConfig config, Clock clock, Activity activity) {
        this.activity = activity;
        this.cognito = cognito;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.provisioning = provisioning;
        this.mirror = mirror;
        this.config = config;
        this.clock = clock;
        this.signIn = new SignIn(cognito, users, sessions, provisioning, clock);
    }

    /** Wires the service from the function's components. */
    public static AdminService from(Components c) {
        AdminService service = new AdminService(c.cognito(), c.users(), c.sessions(), new AuditRepository(c.db(), c.config().tableName()),
                c.provisioning(), c.mirror(), c.config(), c.clock(), c.activity());
        service.orgs = OrgService.from(c);
        return service;
    }

    /** Deleting an account also leaves its organizations (docs/SECURITY.md item 35). */
    public AdminService withOrgs(OrgService orgs) {
        this.orgs = orgs;
        return this;
    }

    // ------------------------------------------------------------------------------------------
    // Reading
    // ------------------------------------------------------------------------------------------

    /** Parses and checks the query of {@code GET /users} and returns one page. */
    public Page<UserProfile> list(Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!List.of("limit", "cursor", "email", "role", "status").contains(name)) {
                throw new InvalidRequestException("Unknown query parameter '" + name + "'.");
            }
        }
        int limit = limit(query.get("limit"));
        Optional<String> prefix = Optional.ofNullable(query.get("email")).map(e -> Emails.normalizePrefix(e)
                .orElseThrow(() -> new InvalidRequestException("Query parameter 'email' is not a valid e-mail prefix.")));
        Optional<String> role = Optional.ofNullable(query.get("role")).map(r -> {
            if (!config.isKnownRole(r)) {
                throw new InvalidRequestException("Unknown role '" + r + "'; known roles are " + config.roles() + ".");
            }
            return r;
        });
        Optional<UserStatus> status = Optional.ofNullable(query.get("status")).map(s -> switch (s) {
            case "ENABLED" -> UserStatus.ENABLED;
            case "DISABLED" -> UserStatus.DISABLED;
            default -> throw new InvalidRequestException("Query parameter 'status' must be ENABLED or DISABLED.");
        });
        return users.list(new UserFilter(prefix, role, status), limit, Optional.ofNullable(query.get("cursor")));
    }

    public UserProfile get(String id) {
        return users.find(checkId(id)).orElseThrow(UserNotFoundException::new);
    }

    public Page<AuditEntry> auditTrail(String id, Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!List.of("limit", "cursor").contains(name)) {
                throw new InvalidRequestException("Unknown query parameter '" + name + "'.");
            }
        }
        checkId(id);
        Page<AuditEntry> page = audit.list(id, limit(query.get("limit")), Optional.ofNullable(query.get("cursor")));
        if (page.items().isEmpty() && query.get("cursor") == null && users.findRecord(id).isEmpty()) {
            throw new UserNotFoundException();
        }
        return page;
    }

    /**
     * A user's security activity, newest first (as {@code GET /me/activity} shows it to the user); 404 for an id that
     * has no account and no activity.
     */
    public Page<ActivityItem> activity(String id, Map<String, String> query) {
        int limit = Paging.limit(query);
        checkId(id);
        Page<ActivityItem> page = activity.list(id, limit, Paging.cursor(query));
        if (page.items().isEmpty() && query.get("cursor") == null && users.findRecord(id).isEmpty()) {
            throw new UserNotFoundException();
        }
        return page;
    }

    // ------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------

    /**
     * Creates an account; Cognito e-mails a temporary password, and the first sign-in sets the
     * user's own. Repeating a request that failed after Cognito created the account completes it.
     * An unconfirmed self-sign-up at that address is never adopted (docs/SECURITY.md item 26: whoever
     * signed up chose its password, and it need not be the owner of the address): it is deleted and
     * the invitation creates a fresh account, so the earlier password stops working; the audit entry
     * says so. A confirmed account is a 409.
     */
    public UserProfile create(Caller actor, String email, Optional<String> name, List<String> requestedRoles) {
        List<String> roles = withUserRole(checkRoles(requestedRoles));
        String sub;
        boolean existed = false;
        boolean confirmed = false;
        String replaced = null;
        try {
            sub = cognito.adminCreateUser(email, name).sub();
        } catch (AccountExistsException e) {
            CognitoUser existing = cognito.adminGetUser(email);
            if (UNCONFIRMED.equals(existing.status())) {
                replaced = existing.sub();
                replaceUnconfirmed(existing);
                sub = cognito.adminCreateUser(email, name).sub();
            } else {
                if (users.findRecord(existing.sub()).isPresent()) {
                    throw new ConflictException("An account with this e-mail exists already.");
                }
                sub = existing.sub();
                existed = true;
                // an account confirmed outside the API (its password set, or a federated one) is confirmed already
                confirmed = CONFIRMED.contains(existing.status());
            }
        }
        provisioning.createIfAbsent(sub, email, name, roles, confirmed);
        mirror.tryMirror(sub);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("email", email);
        details.put("roles", roles);
        details.put("completedEarlierAttempt", existed);
        if (replaced != null) {
            details.put("replacedUnconfirmedSignUp", replaced);
        }
        record(actor, "user.create", sub, details);
        return users.find(sub).orElseThrow(UserNotFoundException::new);
    }

    /** Deletes an unconfirmed self-sign-up (and anything it may hold) so that an invitation can take the address. */
    private void replaceUnconfirmed(CognitoUser existing) {
        LOG.info("an invitation replaces an unconfirmed self-sign-up", "userId", existing.sub());
        try {
            cognito.adminDeleteUser(existing.username());
        } catch (UserNotFoundException e) {
            LOG.info("the unconfirmed account was gone already", "userId", existing.sub());
        }
        sessions.deleteAllForUser(existing.sub());
    }

    public UserProfile update(Caller actor, String id, ProfileChanges changes, OptionalLong expectedVersion) {
        UserProfile updated = users.update(checkId(id), changes, expectedVersion);
        if (!changes.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            changes.fields().forEach((k, v) -> details.put(k, v.orElse(null)));
            record(actor, "user.update", id, Map.of("fields", List.copyOf(details.keySet())));
        }
        return updated;
    }

    /**
     * Replaces the user's roles (every account keeps {@code user}). DynamoDB first, then the Cognito
     * groups are mirrored; tokens issued before now are refused, so the user refreshes to get tokens
     * with the new roles (the authorizer already uses the new roles at once).
     */
    public UserProfile setRoles(Caller actor, String id, List<String> requestedRoles) {
        List<String> roles = withUserRole(checkRoles(requestedRoles));
        UserProfile before = get(id);
        UserProfile after = users.replaceRoles(id, roles);
        mirror.tryMirror(id);
        record(actor, "user.roles.set", id, Map.of("before", before.roles(), "after", after.roles()));
        return after;
    }

    public void disable(Caller actor, String id) {
        notYourself(actor, id, "disable");
        users.setStatus(checkId(id), UserStatus.DISABLED);
        cognito.adminDisableUser(id);
        cognito.adminUserGlobalSignOut(id);
        sessions.deleteAllForUser(id);
        record(actor, "user.disable", id, Map.of());
        // the user's own record: every session ended (no source address: the administrator's is not the user's business)
        activity.record(id, ActivityEvent.SESSION_REVOKED, null);
    }

    public void enable(Caller actor, String id) {
        users.setStatus(checkId(id), UserStatus.ENABLED);
        cognito.adminEnableUser(id);
        record(actor, "user.enable", id, Map.of());
    }

    /**
     * Forces a password reset: Cognito e-mails a code, the user sets a new password with it. Every
     * session of the account ends now (docs/SECURITY.md item 27): the reset is what an administrator
     * does when the password may be known to someone else.
     */
    public void resetPassword(Caller actor, String id) {
        get(id);
        cognito.adminResetUserPassword(id);
        signIn.endEverySession(id);
        record(actor, "user.password.reset", id, Map.of());
        activity.record(id, ActivityEvent.PASSWORD_RESET, null);
        activity.record(id, ActivityEvent.SESSION_REVOKED, null);
    }

    /** The same effect as the user's own sign-out everywhere. */
    public void signOut(Caller actor, String id) {
        users.endSessions(checkId(id));
        cognito.adminUserGlobalSignOut(id);
        sessions.deleteAllForUser(id);
        record(actor, "user.sign-out", id, Map.of());
        activity.record(id, ActivityEvent.SESSION_REVOKED, null);
    }

    /** Deletes the account; repeating it after a partial failure completes it. */
    public void delete(Caller actor, String id) {
        notYourself(actor, id, "delete");
        checkId(id);
        if (orgs != null) {
            orgs.leaveAll(id); // 409 while it is the last owner of an organization
        }
        try {
            users.delete(id);
        } catch (UserNotFoundException e) {
            Optional<UserRecord> record = users.findRecord(id);
            if (record.isEmpty() || record.get().status() != UserStatus.DELETED) {
                throw e;
            }
            LOG.info("profile already deleted; completing the deletion in Cognito", "userId", id);
        }
        try {
            cognito.adminDeleteUser(id);
        } catch (UserNotFoundException e) {
            LOG.info("Cognito account already gone", "userId", id);
        }
        sessions.deleteAllForUser(id);
        if (orgs != null) {
            orgs.sweep(id);
        }
        record(actor, "user.delete", id, Map.of());
    }

    // ------------------------------------------------------------------------------------------

    private void record(Caller actor, String action, String target, Map<String, Object> details) {
        audit.append(new AuditEntry(clock.instant(), actor.sub(), action, target, details));
    }

    private static void notYourself(Caller actor, String id, String what) {
        if (actor.sub().equals(id)) {
            throw new ConflictException("Administrators cannot " + what + " their own account.");
        }
    }

    private List<String> checkRoles(List<String> roles) {
        for (String role : roles) {
            if (!config.isKnownRole(role)) {
                throw new InvalidRequestException("Unknown role '" + role + "'; known roles are " + config.roles() + ".");
            }
        }
        return roles;
    }

    private static List<String> withUserRole(List<String> roles) {
        List<String> all = new ArrayList<>(roles);
        if (!all.contains(AppConfig.USER_ROLE)) {
            all.add(AppConfig.USER_ROLE);
        }
        return all.stream().distinct().sorted().toList();
    }

    static int limit(String value) {
        return PageLimit.parse(value);
    }

    /** User ids are Cognito subs (UUIDs); anything else cannot exist, so it is a 404, not a DynamoDB key. */
    private static String checkId(String id) {
        if (id == null || !USER_ID.matcher(id).matches()) {
            throw new NotFoundException("The user does not exist.");
        }
        return id;
    }
}
