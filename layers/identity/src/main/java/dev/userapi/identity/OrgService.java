package dev.userapi.identity;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import dev.userapi.core.http.Caller;
import dev.userapi.core.log.Log;
import dev.userapi.core.mail.MailConfig;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.mail.Mailer;
import dev.userapi.core.org.Access;
import dev.userapi.core.org.Invitation;
import dev.userapi.core.org.Member;
import dev.userapi.core.org.Membership;
import dev.userapi.core.org.Org;
import dev.userapi.core.org.OrgRepository;
import dev.userapi.core.org.OrgRole;
import dev.userapi.core.org.OrgTokens;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.ForbiddenException;
import dev.userapi.core.problem.GoneException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Organizations (docs/SECURITY.md item 35). Every decision is made here from DynamoDB, read consistently at each
 * request ({@link OrgRepository#access}), so a membership or role change takes effect at the caller's next request:
 * a non-member gets 404 for every {@code /orgs/{orgId}…} route (whether the organization exists or not), a member
 * without the needed role 403. A global {@code admin} may read (GET) any organization. Writes are conditioned on the
 * actor's role as authorized, and every write appends an audit entry (target {@code ORG#<orgId>}).
 */
public final class OrgService {
    private static final Log LOG = Log.of(OrgService.class);
    /** How long an invitation's token works. */
    public static final Duration INVITATION_VALIDITY = Duration.ofDays(7);
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String NOT_FOUND = "The organization does not exist.";
    /**
     * Pending (unexpired) invitations an organization may have at once: a bound on the e-mail one admin can make the
     * API send. Checked before each new one, so parallel invitations may pass it by their number.
     */
    public static final int MAX_PENDING_INVITATIONS = 100;

    private final OrgRepository orgs;
    private final UserRepository users;
    private final AuditRepository audit;
    private final Mailer mailer;
    private final Clock clock;
    private final Optional<String> webClientUrl;

    public OrgService(OrgRepository orgs, UserRepository users, AuditRepository audit, Mailer mailer, Clock clock) {
        this(orgs, users, audit, mailer, clock, Optional.empty());
    }

    /**
     * @param webClientUrl the web client's address ({@code WEB_CLIENT_URL}, template parameter {@code WebClientUrl}):
     *                     when present, an invitation e-mail also carries the link
     *                     {@code <webClientUrl>#/invitations/accept?token=<token>} (a fragment: never sent to a server)
     */
    public OrgService(OrgRepository orgs, UserRepository users, AuditRepository audit, Mailer mailer, Clock clock,
            Optional<String> webClientUrl) {
        this.orgs = orgs;
        this.users = users;
        this.audit = audit;
        this.mailer = mailer;
        this.clock = clock;
        this.webClientUrl = webClientUrl.map(OrgService::checkWebClientUrl);
    }

    /** The web client's address as configured: an absolute http(s) URL without a fragment. */
    static String checkWebClientUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("WEB_CLIENT_URL is not a URL");
        }
        if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawFragment() != null || uri.getRawQuery() != null) {
            throw new ConfigurationException("WEB_CLIENT_URL is not an http(s) URL without query or fragment");
        }
        return url;
    }

    /** The link an invitation e-mail carries to the web client's acceptance screen, when the client's address is configured. */
    Optional<String> invitationLink(String token) {
        return webClientUrl.map(url -> url + "#/invitations/accept?token=" + token);
    }

    /** For the routes that send no e-mail. */
    public static OrgService from(Components c) {
        return new OrgService(new OrgRepository(c.db(), c.config().tableName()), c.users(),
                new AuditRepository(c.db(), c.config().tableName()), (to, kind, subject, text, code) -> {
                    throw new IllegalStateException("this function sends no e-mail");
                }, c.clock());
    }

    /** For the route that e-mails invitations: the API's mail port from {@code env}. */
    public static OrgService from(Components c, Map<String, String> env) {
        return new OrgService(new OrgRepository(c.db(), c.config().tableName()), c.users(),
                new AuditRepository(c.db(), c.config().tableName()), Mailer.from(MailConfig.from(env), c.config()), c.clock(),
                Env.optional(env, "WEB_CLIENT_URL"));
    }

    // ---- organizations ----

    public Map<String, Object> create(Caller caller, String name) {
        Org org = orgs.create(UUID.randomUUID().toString(), checkName(name), caller.sub(), clock.instant());
        record(caller, org.id(), "org.create", Map.of("name", org.name()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", org.id());
        out.put("name", org.name());
        out.put("createdAt", org.createdAt().toString());
        out.put("role", OrgRole.OWNER.value());
        return out;
    }

    public Map<String, Object> mine(Caller caller, Map<String, String> query) {
        int limit = pageQuery(query);
        Page<Map.Entry<Membership, Org>> page = orgs.orgsOf(caller.sub(), limit, Optional.ofNullable(query.get("cursor")));
        List<Map<String, Object>> items = page.items().stream().map(e -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", e.getValue().id());
            item.put("name", e.getValue().name());
            item.put("role", e.getKey().role().value());
            return item;
        }).toList();
        return page(items, page.nextCursor());
    }

    public Map<String, Object> get(Caller caller, String orgId) {
        return view(read(caller, orgId).org());
    }

    public Map<String, Object> rename(Caller caller, String orgId, String name) {
        Access access = require(caller, orgId, OrgRole.ADMIN);
        Org org = orgs.rename(orgId, checkName(name), actor(caller, access));
        record(caller, orgId, "org.rename", Map.of("name", org.name()));
        return view(org);
    }

    public void delete(Caller caller, String orgId) {
        Access access = require(caller, orgId, OrgRole.OWNER);
        orgs.delete(orgId, actor(caller, access));
        record(caller, orgId, "org.delete", Map.of());
    }

    // ---- members ----

    public Map<String, Object> members(Caller caller, String orgId, Map<String, String> query) {
        int limit = pageQuery(query); // a malformed query is a 400 for anyone: it says nothing about the organization
        read(caller, orgId);
        Page<Member> page = orgs.members(orgId, limit, Optional.ofNullable(query.get("cursor")), caller.sub());
        return page(page.items().stream().map(OrgService::memberView).toList(), page.nextCursor());
    }

    /** Only an owner grants {@code owner} or changes an owner's role; an admin manages members and admins. */
    public Map<String, Object> setRole(Caller caller, String orgId, String userId, OrgRole role) {
        Access access = require(caller, orgId, OrgRole.ADMIN);
        Membership target = orgs.membership(orgId, checkId(userId, "The member does not exist."))
                .orElseThrow(() -> new NotFoundException("The member does not exist."));
        if ((role == OrgRole.OWNER || target.role() == OrgRole.OWNER) && !has(access, OrgRole.OWNER)) {
            throw new ForbiddenException("Only an owner grants or removes the owner role.");
        }
        Optional<UserProfile> profile = users.find(userId);
        if (!role.atLeast(target.role())) {
            // before the change (see removeMember)
            profile.ifPresent(p -> revokePendingTo(caller, orgId, p.email(), role, "member demoted"));
        }
        // conditioned on the member's role as authorized here: a promotion to owner meanwhile makes it a 409
        Membership changed = userId.equals(caller.sub()) ? orgs.changeRole(orgId, userId, role)
                : orgs.changeRole(orgId, userId, target.role(), role, actor(caller, access));
        record(caller, orgId, "org.member.role", Map.of("userId", userId, "from", target.role().value(), "to", role.value()));
        return memberView(new Member(changed, profile.map(UserProfile::email).orElse(""),
                profile.map(UserProfile::name).filter(n -> n != null).orElse("")));
    }

    /**
     * An admin removes members and admins, an owner anyone; every member may leave (the last owner may not). The
     * pending invitations to the member's address are revoked first: while they are a member those can only be a
     * way back in later, so revoking them is harmless if the removal then fails, and a failure to revoke fails the
     * request before anything else changed (a retry does both).
     */
    public void removeMember(Caller caller, String orgId, String userId) {
        Access access = member(caller, orgId);
        if (userId.equals(caller.sub())) {
            revokePendingTo(caller, orgId, userId, "member left");
            orgs.removeMember(orgId, userId);
            record(caller, orgId, "org.member.leave", Map.of("userId", userId));
            return;
        }
        requireRole(access, OrgRole.ADMIN);
        Membership target = orgs.membership(orgId, checkId(userId, "The member does not exist."))
                .orElseThrow(() -> new NotFoundException("The member does not exist."));
        if (target.role() == OrgRole.OWNER && !has(access, OrgRole.OWNER)) {
            throw new ForbiddenException("Only an owner removes an owner.");
        }
        revokePendingTo(caller, orgId, userId, "member removed");
        orgs.removeMember(orgId, userId, target.role(), actor(caller, access)); // as authorized, like setRole
        record(caller, orgId, "org.member.remove", Map.of("userId", userId, "role", target.role().value()));
    }

    /** A member who left or was removed does not come back through an invitation sent to their address before. */
    private void revokePendingTo(Caller caller, String orgId, String userId, String reason) {
        users.find(userId).ifPresent(p -> revokePendingTo(caller, orgId, p.email(), null, reason));
    }

    /**
     * Revokes the organization's pending invitations to {@code email} (ignoring case) whose role is stronger than
     * {@code keep} (all of them when null), each audited. Invitations the member created for others stay: they were
     * valid when made (docs/SECURITY.md item 35).
     */
    private void revokePendingTo(Caller caller, String orgId, String email, OrgRole keep, String reason) {
        Instant now = clock.instant();
        for (Invitation i : orgs.invitations(orgId)) {
            if (Invitation.PENDING.equals(i.statusAt(now)) && i.email().equalsIgnoreCase(email)
                    && (keep == null || !keep.atLeast(i.role())) && orgs.revoke(orgId, i.id())) {
                record(caller, orgId, "org.invitation.revoke", Map.of("invitationId", i.id(), "email", i.email(), "reason", reason));
            }
        }
    }

    // ---- invitations ----

    /**
     * Stores a pending invitation (the hash of a fresh 256-bit token) and e-mails the token to {@code email}. If the
     * message cannot be sent the invitation is revoked again, so no unsent token stays usable.
     */
    public Map<String, Object> invite(Caller caller, String orgId, String email, OrgRole role) {
        Access access = require(caller, orgId, OrgRole.ADMIN);
        if (role == OrgRole.OWNER && !has(access, OrgRole.OWNER)) {
            throw new ForbiddenException("Only an owner invites an owner.");
        }
        // an invitation to someone who is a member could be accepted once they are removed: a way back in
        for (String id : users.idsOfEmail(email)) {
            if (orgs.membership(orgId, id).isPresent()) {
                throw new ConflictException("The address belongs to a member of the organization already.");
            }
        }
        Instant now = clock.instant();
        long pending = orgs.invitations(orgId).stream().filter(i -> Invitation.PENDING.equals(i.statusAt(now))).count();
        if (pending >= MAX_PENDING_INVITATIONS) {
            throw new ConflictException("The organization has " + MAX_PENDING_INVITATIONS
                    + " pending invitations; revoke some or wait for them to be accepted or to expire.");
        }
        String token = OrgTokens.newToken();
        Invitation invitation = new Invitation(UUID.randomUUID().toString(), orgId, email, role, now,
                now.plus(INVITATION_VALIDITY), Invitation.PENDING, caller.sub());
        orgs.createInvitation(invitation, OrgTokens.hash(token), actor(caller, access));
        try {
            mailer.send(email, MailKind.ORG_INVITATION, "Invitation to join " + access.org().name(),
                    "You are invited to join the organization \"" + access.org().name() + "\" as " + role.value()
                            + ". Sign in (or sign up with this address) and accept the invitation with the code below; it works once, until "
                            + invitation.validUntil() + "."
                            + invitationLink(token).map(link -> "\n\nOr open this link to accept it in the web client:\n" + link).orElse(""),
                    token);
        } catch (RuntimeException e) {
            orgs.revoke(orgId, invitation.id());
            throw e;
        }
        record(caller, orgId, "org.invitation.create", Map.of("invitationId", invitation.id(), "email", email, "role", role.value()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", invitation.id());
        out.put("email", invitation.email());
        out.put("role", role.value());
        out.put("expiresAt", invitation.validUntil().toString());
        return out;
    }

    public Map<String, Object> invitations(Caller caller, String orgId) {
        Access access = read(caller, orgId);
        if (access.membership().isPresent()) {
            requireRole(access, OrgRole.ADMIN);
        }
        Instant now = clock.instant();
        List<Map<String, Object>> items = orgs.invitations(orgId).stream()
                .sorted(Comparator.comparing(Invitation::createdAt).reversed())
                .map(i -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", i.id());
                    item.put("email", i.email());
                    item.put("role", i.role().value());
                    item.put("expiresAt", i.validUntil().toString());
                    item.put("status", i.statusAt(now));
                    return item;
                }).toList();
        return Map.of("items", items);
    }

    /** Revokes a pending invitation (204 also when it was revoked or had expired already); an accepted one is a 409. */
    public void revoke(Caller caller, String orgId, String invitationId) {
        require(caller, orgId, OrgRole.ADMIN);
        Invitation invitation = orgs.invitation(orgId, checkId(invitationId, "The invitation does not exist."))
                .orElseThrow(() -> new NotFoundException("The invitation does not exist."));
        if (!orgs.revoke(orgId, invitationId) && Invitation.ACCEPTED.equals(orgs.invitation(orgId, invitationId).map(Invitation::status).orElse(""))) {
            throw new ConflictException("The invitation was accepted already.");
        }
        record(caller, orgId, "org.invitation.revoke", Map.of("invitationId", invitation.id(), "email", invitation.email()));
    }

    /**
     * Accepts an invitation: only the signed-in user whose profile's e-mail is the invited address (403 otherwise);
     * an unknown, expired, revoked or used token is 410 {@code Gone}; of parallel accepts exactly one succeeds.
     */
    public Map<String, Object> accept(Caller caller, String token) {
        if (!TOKEN.matcher(token).matches()) {
            throw new GoneException("The invitation is not valid.");
        }
        Invitation invitation = orgs.invitationByTokenHash(OrgTokens.hash(token))
                .orElseThrow(() -> new GoneException("The invitation is not valid."));
        String email = users.find(caller.sub()).map(UserProfile::email).orElse("");
        if (!email.equalsIgnoreCase(invitation.email().toLowerCase(Locale.ROOT))) {
            throw new ForbiddenException("The invitation is for another address.");
        }
        Instant now = clock.instant();
        if (!Invitation.PENDING.equals(invitation.statusAt(now))) {
            throw new GoneException("The invitation has " + switch (invitation.statusAt(now)) {
                case Invitation.ACCEPTED -> "been used.";
                case Invitation.REVOKED -> "been revoked.";
                default -> "expired.";
            });
        }
        Membership m = orgs.accept(invitation, caller.sub(), now);
        record(caller, invitation.orgId(), "org.invitation.accept",
                Map.of("invitationId", invitation.id(), "userId", caller.sub(), "role", m.role().value()));
        return Map.of("orgId", m.orgId(), "role", m.role().value());
    }

    // ---- account deletion ----

    /** How long an account being deleted joins nothing (longer than a deletion takes; a stopped one heals after). */
    static final Duration JOINING_CLOSED_FOR = Duration.ofMinutes(15);

    /**
     * Before an account is deleted: 409 if it is the last owner of an organization (nothing is changed then),
     * otherwise it leaves every organization. Joining is closed first ({@link OrgRepository#closeJoining}), so an
     * invitation accepted while the account is deleted cannot add a membership behind this (an owner one would leave
     * an organization owned by a deleted account); the guards are checked on the memberships read after that, before
     * any is removed. Only removals that happened are audited.
     */
    public void leaveAll(String userId) {
        requireNotLastOwner(orgs.allMembershipsOf(userId)); // the usual 409 without closing anything
        orgs.closeJoining(userId, clock.instant().plus(JOINING_CLOSED_FOR));
        List<Membership> memberships;
        try {
            memberships = orgs.allMembershipsOf(userId);
            requireNotLastOwner(memberships);
        } catch (RuntimeException e) {
            orgs.reopenJoining(userId);
            throw e;
        }
        try {
            for (Membership m : memberships) {
                leave(m, userId, "account deleted");
            }
        } catch (RuntimeException e) {
            // an owner left meanwhile (the owner guard): the rest stays, the account too; a retry finishes it
            orgs.reopenJoining(userId);
            throw e;
        }
    }

    private void requireNotLastOwner(List<Membership> memberships) {
        for (Membership m : memberships) {
            if (m.role() == OrgRole.OWNER && orgs.find(m.orgId()).map(Org::owners).orElse(2L) <= 1) {
                throw new ConflictException(
                        "The account is the last owner of an organization; transfer the ownership or delete the organization first.");
            }
        }
    }

    /** Removes the membership (audited) unless it is gone already. */
    private void leave(Membership m, String userId, String reason) {
        try {
            orgs.removeMember(m.orgId(), userId);
        } catch (NotFoundException e) {
            return; // left or removed meanwhile
        }
        audit.append(new AuditEntry(clock.instant(), userId, "org.member.leave", "ORG#" + m.orgId(),
                Map.of("userId", userId, "reason", reason)));
    }

    /**
     * After the account is deleted (its profile a tombstone): memberships left behind (a deletion stopped half-way) are
     * removed where the guard allows, and the joining closure goes.
     */
    public void sweep(String userId) {
        for (Membership m : orgs.allMembershipsOf(userId)) {
            try {
                leave(m, userId, "account deleted");
            } catch (ApiException e) {
                LOG.warn("membership of a deleted account left in place", "orgId", m.orgId(), "userId", userId, "code", e.code().name());
            }
        }
        // The profile is a tombstone now and every accept checks that the profile is enabled in its transaction: the
        // closure has done its work, and nothing of the account is left behind but the tombstone.
        try {
            orgs.reopenJoining(userId);
        } catch (ApiException e) {
            LOG.warn("could not remove the deleted account's joining closure (it expires by itself)", "userId", userId, "code", e.code().name());
        }
    }

    // ---- authorization ----

    /** The caller's membership, or 404 for a non-member (a global admin included: this is for writes). */
    private Access member(Caller caller, String orgId) {
        Access access = orgs.access(checkId(orgId, NOT_FOUND), caller.sub()).orElseThrow(() -> new NotFoundException(NOT_FOUND));
        if (access.membership().isEmpty()) {
            throw new NotFoundException(NOT_FOUND);
        }
        return access;
    }

    /** Reading: a member, or a global administrator (support); 404 for anyone else. */
    private Access read(Caller caller, String orgId) {
        Access access = orgs.access(checkId(orgId, NOT_FOUND), caller.sub()).orElseThrow(() -> new NotFoundException(NOT_FOUND));
        if (access.membership().isEmpty() && !caller.roles().contains(AppConfig.ADMIN_ROLE)) {
            throw new NotFoundException(NOT_FOUND);
        }
        return access;
    }

    private Access require(Caller caller, String orgId, OrgRole role) {
        Access access = member(caller, orgId);
        requireRole(access, role);
        return access;
    }

    private static void requireRole(Access access, OrgRole role) {
        if (!has(access, role)) {
            throw new ForbiddenException("This needs the organization role " + role.value() + " or stronger.");
        }
    }

    private static boolean has(Access access, OrgRole role) {
        return access.membership().map(m -> m.role().atLeast(role)).orElse(false);
    }

    private static OrgRepository.Actor actor(Caller caller, Access access) {
        return new OrgRepository.Actor(caller.sub(), access.membership().orElseThrow().role());
    }

    // ---- helpers ----

    private void record(Caller caller, String orgId, String action, Map<String, Object> details) {
        audit.append(new AuditEntry(clock.instant(), caller.sub(), action, "ORG#" + orgId, details));
    }

    private static String checkId(String id, String notFound) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new NotFoundException(notFound);
        }
        return id;
    }

    private static String checkName(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw new InvalidRequestException("Field 'name' must be 1 to 100 characters.");
        }
        return trimmed;
    }

    private static int pageQuery(Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!List.of("limit", "cursor").contains(name)) {
                throw new InvalidRequestException("Unknown query parameter '" + name + "'.");
            }
        }
        int limit = AdminService.limit(query.get("limit"));
        if (query.get("cursor") != null) {
            OrgRepository.checkCursorShape(query.get("cursor"));
        }
        return limit;
    }

    private static Map<String, Object> page(List<Map<String, Object>> items, String nextCursor) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("nextCursor", nextCursor);
        return out;
    }

    private static Map<String, Object> view(Org org) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", org.id());
        out.put("name", org.name());
        out.put("createdAt", org.createdAt().toString());
        out.put("memberCount", org.memberCount());
        return out;
    }

    private static Map<String, Object> memberView(Member m) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("userId", m.membership().userId());
        item.put("email", m.email());
        item.put("name", m.name());
        item.put("role", m.membership().role().value());
        item.put("joinedAt", m.membership().joinedAt().toString());
        return item;
    }
}
