package dev.userapi.core.org;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.GoneException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.user.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Organizations, memberships and invitations on the users table ({@link OrgItems}). Every change of a
 * membership is one transaction that writes both membership items and the organization's counts:
 * {@code owners} only goes down under the condition {@code owners > 1}, so no sequence of calls, concurrent
 * or not, leaves an organization without an owner (DynamoDB serialises the transactions). Each write is also
 * conditioned on the member's role and, when someone acts on another member, on both roles as they were
 * authorized (the member's as the owner-only rule was checked against, the actor's), so a concurrent change makes
 * it fail instead of acting on stale permissions.
 */
public final class OrgRepository {
    private static final String ORG_GONE = "The organization does not exist.";
    private final DynamoDbClient db;
    private final String table;
    private final DynamoRetry retry;

    public OrgRepository(DynamoDbClient db, String table) {
        this(db, table, DynamoRetry.standard());
    }

    public OrgRepository(DynamoDbClient db, String table, DynamoRetry retry) {
        this.db = db;
        this.table = table;
        this.retry = retry;
    }

    /** Who acts on a membership (for the transaction's condition on the actor's role); null for the member themself. */
    public record Actor(String userId, OrgRole role) {
    }

    /** Creates the organization with {@code ownerId} as its only member and owner. */
    public Org create(String orgId, String name, String ownerId, Instant now) {
        Org org = new Org(orgId, name, now, 1, 1);
        Membership owner = new Membership(orgId, ownerId, OrgRole.OWNER, now);
        List<TransactWriteItem> writes = List.of(
                put(OrgItems.orgItem(org), "attribute_not_exists(pk)"),
                put(OrgItems.membershipItem(OrgItems.memberKey(orgId, ownerId), owner), null),
                put(OrgItems.membershipItem(OrgItems.mirrorKey(orgId, ownerId), owner), null));
        try {
            run("create org", writes);
        } catch (TransactionCanceledException e) {
            throw DynamoErrors.translate("TransactWriteItems (create org)", e);
        }
        return org;
    }

    /**
     * The organization and {@code userId}'s membership of it, read consistently in one request: what every
     * authorization decision on an organization is made from (so a change takes effect at the next request).
     *
     * @return empty when the organization does not exist
     */
    public Optional<Access> access(String orgId, String userId) {
        Map<String, Map<String, AttributeValue>> byKey = batchGet(List.of(OrgItems.orgKey(orgId), OrgItems.memberKey(orgId, userId)), null);
        Map<String, AttributeValue> org = byKey.get(OrgItems.orgPartition(orgId) + "|" + OrgItems.ORG);
        if (org == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> member = byKey.get(OrgItems.orgPartition(orgId) + "|" + OrgItems.MEMBER + userId);
        return Optional.of(new Access(OrgItems.org(org), Optional.ofNullable(member).map(OrgItems::membership)));
    }

    /** Renames the organization. */
    public Org rename(String orgId, String name, Actor actor) {
        try {
            var response = db.updateItem(r -> r.tableName(table).key(OrgItems.orgKey(orgId))
                    .updateExpression("SET #name = :name")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#name", "name"))
                    .expressionAttributeValues(Map.of(":name", s(name)))
                    .returnValues(ReturnValue.ALL_NEW));
            return OrgItems.org(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new NotFoundException(ORG_GONE);
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem (rename org)", e);
        }
    }

    /**
     * Deletes the organization (conditioned on the actor still being an owner), then its memberships (both
     * items), invitations and their token items. Once the organization item is gone nothing else counts:
     * every route authorizes on it, so items a crash leaves behind grant nothing.
     */
    public void delete(String orgId, Actor actor) {
        delete(orgId, actor, false);
    }

    /** @param onlyIfAlone the actor is the only member (else a 409: someone joined meanwhile) */
    private void delete(String orgId, Actor actor, boolean onlyIfAlone) {
        Delete.Builder org = Delete.builder().tableName(table).key(OrgItems.orgKey(orgId)).conditionExpression("attribute_exists(pk)");
        if (onlyIfAlone) {
            org.conditionExpression("attribute_exists(pk) AND memberCount = :one").expressionAttributeValues(Map.of(":one", n(1)));
        }
        List<TransactWriteItem> writes = List.of(TransactWriteItem.builder().delete(org.build()).build(), actorCheck(orgId, actor));
        try {
            run("delete org", writes);
        } catch (TransactionCanceledException e) {
            if (failed(e, 0)) {
                if (onlyIfAlone && find(orgId).isPresent()) {
                    throw new ConflictException("Someone joined the organization meanwhile.", e);
                }
                throw new NotFoundException(ORG_GONE);
            }
            throw actorChanged(e);
        }
        sweep(orgId);
    }

    /**
     * Deletes what is left of a deleted organization. Each membership by organization is first rewritten with
     * {@code removedWithOrg} (a {@code BatchWriteItem} put of the item as read, which nothing else can write once the
     * organization item is gone: every membership transaction requires it), so its removal from the table's stream
     * reads as part of the organization's deletion ({@code org.deleted}), not as {@code org.member_removed}
     * (docs/EVENTS.md).
     */
    private void sweep(String orgId) {
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = query(OrgItems.orgPartition(orgId), null, start, 100, true);
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            List<WriteRequest> marks = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                keys.add(OrgItems.key(item.get(OrgItems.PK).s(), item.get(OrgItems.SK).s()));
                String sk = item.get(OrgItems.SK).s();
                if (sk.startsWith(OrgItems.MEMBER)) {
                    keys.add(OrgItems.mirrorKey(orgId, sk.substring(OrgItems.MEMBER.length())));
                    Map<String, AttributeValue> marked = new LinkedHashMap<>(item);
                    marked.put(OrgItems.REMOVED_WITH_ORG, AttributeValue.fromBool(true));
                    marks.add(WriteRequest.builder().putRequest(PutRequest.builder().item(marked).build()).build());
                } else if (sk.startsWith(OrgItems.INVITATION)) {
                    Attr.string(item, "tokenHash").ifPresent(h -> keys.add(OrgItems.tokenKey(h)));
                }
            }
            writeAll(marks, "mark org members");
            writeAll(keys.stream().map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build()).toList(),
                    "delete org items");
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private void writeAll(List<WriteRequest> all, String what) {
        for (int from = 0; from < all.size(); from += 25) {
            List<WriteRequest> requests = all.subList(from, Math.min(all.size(), from + 25));
            Map<String, List<WriteRequest>> pending = Map.of(table, requests);
            DynamoRetry.Budget budget = retry.start();
            try {
                while (!pending.isEmpty() && pending.containsKey(table) && !pending.get(table).isEmpty()) {
                    Map<String, List<WriteRequest>> now = pending;
                    var response = db.batchWriteItem(r -> r.requestItems(now));
                    pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                    if (!pending.isEmpty()) {
                        budget.pauseOrGiveUp(null);
                    }
                }
            } catch (SdkException e) {
                throw DynamoErrors.translate("BatchWriteItem (" + what + ")", e);
            }
        }
    }

    /** A page of the organization's members (by user id), with their current e-mail and name; the cursor is bound to {@code binding}. */
    public Page<Member> members(String orgId, int limit, Optional<String> cursor, String binding) {
        String partition = OrgItems.orgPartition(orgId);
        Map<String, AttributeValue> start = cursor.map(c -> decodeCursor(c, "members", partition, binding, OrgItems.MEMBER)).orElse(null);
        QueryResponse page = query(partition, OrgItems.MEMBER, start, limit, true);
        List<Membership> memberships = page.items().stream().map(OrgItems::membership).toList();
        Map<String, Map<String, AttributeValue>> profiles = memberships.isEmpty() ? Map.of()
                : batchGet(memberships.stream().map(m -> OrgItems.profileKey(m.userId())).toList(), "pk, sk, email, #name");
        List<Member> items = memberships.stream().map(m -> {
            Map<String, AttributeValue> p = profiles.getOrDefault(OrgItems.userPartition(m.userId()) + "|PROFILE", Map.of());
            return new Member(m, Attr.string(p, "email").orElse(""), Attr.string(p, "name").orElse(""));
        }).toList();
        return new Page<>(items, nextCursor(page, "members", partition, binding));
    }

    /** A page of {@code userId}'s memberships with their organizations (an organization deleted meanwhile is left out). */
    public Page<Map.Entry<Membership, Org>> orgsOf(String userId, int limit, Optional<String> cursor) {
        String partition = OrgItems.userPartition(userId);
        Map<String, AttributeValue> start = cursor.map(c -> decodeCursor(c, "orgs", partition, userId, OrgItems.MEMBER_OF)).orElse(null);
        QueryResponse page = query(partition, OrgItems.MEMBER_OF, start, limit, true);
        List<Membership> memberships = page.items().stream().map(OrgItems::membership).toList();
        Map<String, Map<String, AttributeValue>> orgs = memberships.isEmpty() ? Map.of()
                : batchGet(memberships.stream().map(m -> OrgItems.orgKey(m.orgId())).toList(), null);
        List<Map.Entry<Membership, Org>> items = new ArrayList<>();
        for (Membership m : memberships) {
            Map<String, AttributeValue> org = orgs.get(OrgItems.orgPartition(m.orgId()) + "|" + OrgItems.ORG);
            if (org != null) {
                items.add(Map.entry(m, OrgItems.org(org)));
            }
        }
        return new Page<>(items, nextCursor(page, "orgs", partition, userId));
    }

    /** Every membership of {@code userId} (for deleting the account). */
    public List<Membership> allMembershipsOf(String userId) {
        List<Membership> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = query(OrgItems.userPartition(userId), OrgItems.MEMBER_OF, start, 100, true);
            page.items().forEach(i -> all.add(OrgItems.membership(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    /** {@code userId}'s membership of the organization, read consistently. */
    public Optional<Membership> membership(String orgId, String userId) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(OrgItems.memberKey(orgId, userId)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(OrgItems.membership(response.item())) : Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem (membership)", e);
        }
    }

    /** The organization, read consistently. */
    public Optional<Org> find(String orgId) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(OrgItems.orgKey(orgId)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(OrgItems.org(response.item())) : Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem (org)", e);
        }
    }

    /** The member themself changes their own role (no one else's permission is involved): as read now. */
    public Membership changeRole(String orgId, String userId, OrgRole role) {
        return changeRole(orgId, userId, null, role, null);
    }

    /**
     * Gives the member {@code role}, keeping the organization's owner count.
     *
     * @param authorizedAs the member's role the actor was authorized against (the owner-only rule depends on it): the
     *                     write is conditioned on it, so a promotion meanwhile makes it fail instead of being overridden
     *                     by someone who may not touch the new role; null only for the member themself (as read now)
     * @throws NotFoundException if {@code userId} is not a member (or the organization is gone)
     * @throws ConflictException if this would leave the organization without an owner, or the actor's or the member's
     *                           role changed meanwhile
     */
    public Membership changeRole(String orgId, String userId, OrgRole authorizedAs, OrgRole role, Actor actor) {
        requireAuthorizedAs(authorizedAs, actor);
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            Membership current = membership(orgId, userId).orElseThrow(() -> new NotFoundException("The member does not exist."));
            if (authorizedAs != null && current.role() != authorizedAs) {
                throw targetChanged(null);
            }
            if (current.role() == role) {
                return current;
            }
            Membership changed = new Membership(orgId, userId, role, current.joinedAt());
            int ownerDelta = (role == OrgRole.OWNER ? 1 : 0) - (current.role() == OrgRole.OWNER ? 1 : 0);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(put(OrgItems.membershipItem(OrgItems.memberKey(orgId, userId), changed), "#role = :was", current.role()));
            writes.add(put(OrgItems.membershipItem(OrgItems.mirrorKey(orgId, userId), changed), null));
            writes.add(counts(orgId, 0, ownerDelta));
            if (actor != null) {
                writes.add(actorCheck(orgId, actor));
            }
            try {
                run("change org role", writes);
                return changed;
            } catch (TransactionCanceledException e) {
                if (failed(e, 0)) {
                    if (authorizedAs != null) {
                        throw targetChanged(e);
                    }
                    staleOrGiveUp(budget, e);
                    continue;
                }
                throw countsOrActor(orgId, e);
            }
        }
    }

    /** The member leaves (no one else's permission is involved): their role as read now. */
    public Membership removeMember(String orgId, String userId) {
        return removeMember(orgId, userId, null, null);
    }

    /**
     * Removes the member (both items) and counts them out.
     *
     * @param authorizedAs as for {@link #changeRole(String, String, OrgRole, OrgRole, Actor)}
     * @return the membership removed
     * @throws NotFoundException if {@code userId} is not a member
     * @throws ConflictException if they are the last owner, or the actor's or the member's role changed meanwhile
     */
    public Membership removeMember(String orgId, String userId, OrgRole authorizedAs, Actor actor) {
        requireAuthorizedAs(authorizedAs, actor);
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            Membership current = membership(orgId, userId).orElseThrow(() -> new NotFoundException("The member does not exist."));
            if (authorizedAs != null && current.role() != authorizedAs) {
                throw targetChanged(null);
            }
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(OrgItems.memberKey(orgId, userId))
                    .conditionExpression("#role = :was").expressionAttributeNames(Map.of("#role", "role"))
                    .expressionAttributeValues(Map.of(":was", s(current.role().value()))).build()).build());
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(OrgItems.mirrorKey(orgId, userId)).build()).build());
            writes.add(counts(orgId, -1, current.role() == OrgRole.OWNER ? -1 : 0));
            if (actor != null) {
                writes.add(actorCheck(orgId, actor));
            }
            try {
                run("remove org member", writes);
                return current;
            } catch (TransactionCanceledException e) {
                if (failed(e, 0)) {
                    if (authorizedAs != null) {
                        throw targetChanged(e);
                    }
                    staleOrGiveUp(budget, e);
                    continue;
                }
                throw countsOrActor(orgId, e);
            }
        }
    }

    /**
     * Stores a pending invitation and its token's pointer (the hash only), if the organization still exists and the
     * inviter still has the role they were authorized with: an invitation is never created by someone removed or
     * demoted meanwhile.
     *
     * @param inviter null only in tests that seed invitations
     */
    public void createInvitation(Invitation invitation, String tokenHash, Actor inviter) {
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(OrgItems.orgKey(invitation.orgId()))
                        .conditionExpression("attribute_exists(pk)").build()).build(),
                put(OrgItems.invitationItem(invitation, tokenHash), "attribute_not_exists(pk)"),
                put(OrgItems.tokenItem(invitation, tokenHash), "attribute_not_exists(pk)")));
        if (inviter != null) {
            writes.add(actorCheck(invitation.orgId(), inviter));
        }
        try {
            run("create invitation", writes);
        } catch (TransactionCanceledException e) {
            if (failed(e, 0)) {
                throw new NotFoundException(ORG_GONE);
            }
            if (failed(e, 3)) {
                throw new ConflictException("Your role in the organization changed meanwhile; try again.", e);
            }
            throw DynamoErrors.translate("TransactWriteItems (create invitation)", e);
        }
    }

    /** The organization's invitations (every status), read consistently. */
    public List<Invitation> invitations(String orgId) {
        List<Invitation> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = query(OrgItems.orgPartition(orgId), OrgItems.INVITATION, start, 100, true);
            page.items().forEach(i -> all.add(OrgItems.invitation(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    public Optional<Invitation> invitation(String orgId, String id) {
        return getInvitationItem(orgId, id).map(OrgItems::invitation);
    }

    /**
     * Revokes a pending invitation and deletes its token's pointer.
     *
     * @return false if it was not pending (accepted or revoked already)
     * @throws NotFoundException if the organization has no such invitation
     */
    public boolean revoke(String orgId, String id) {
        Map<String, AttributeValue> item = getInvitationItem(orgId, id).orElseThrow(() -> new NotFoundException("The invitation does not exist."));
        String hash = OrgItems.tokenHash(item);
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(OrgItems.invitationKey(orgId, id))
                        .updateExpression("SET #status = :revoked").conditionExpression("#status = :pending")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":revoked", s(Invitation.REVOKED), ":pending", s(Invitation.PENDING))).build()).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(OrgItems.tokenKey(hash)).build()).build());
        try {
            run("revoke invitation", writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (failed(e, 0)) {
                return false;
            }
            throw DynamoErrors.translate("TransactWriteItems (revoke invitation)", e);
        }
    }

    /** The invitation a token's hash points to, read consistently. */
    public Optional<Invitation> invitationByTokenHash(String tokenHash) {
        try {
            var pointer = db.getItem(r -> r.tableName(table).key(OrgItems.tokenKey(tokenHash)).consistentRead(true));
            if (!pointer.hasItem() || pointer.item().isEmpty()) {
                return Optional.empty();
            }
            Map.Entry<String, String> target = OrgItems.tokenTarget(pointer.item());
            return invitation(target.getKey(), target.getValue());
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem (invitation token)", e);
        }
    }

    /**
     * Accepts a pending invitation for {@code userId}, in one transaction: the invitation becomes {@code ACCEPTED}
     * only if it is still pending and valid at {@code now} (so of parallel accepts exactly one wins), the
     * membership is added and counted, the organization must exist and the account must be enabled and not being
     * deleted ({@link #closeJoining}).
     *
     * @throws GoneException     if the invitation was used, revoked or expired meanwhile, or the organization is gone
     * @throws ConflictException if the user is a member already, or the account is not enabled
     */
    public Membership accept(Invitation invitation, String userId, Instant now) {
        Membership m = new Membership(invitation.orgId(), userId, invitation.role(), now);
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(OrgItems.invitationKey(invitation.orgId(), invitation.id()))
                        .updateExpression("SET #status = :accepted, acceptedBy = :user, acceptedAt = :now")
                        .conditionExpression("#status = :pending AND validUntil > :nowMs")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":accepted", s(Invitation.ACCEPTED), ":user", s(userId), ":now", s(now.toString()),
                                ":pending", s(Invitation.PENDING), ":nowMs", n(now.toEpochMilli()))).build()).build(),
                put(OrgItems.membershipItem(OrgItems.memberKey(invitation.orgId(), userId), m), "attribute_not_exists(pk)"),
                put(OrgItems.membershipItem(OrgItems.mirrorKey(invitation.orgId(), userId), m), null),
                counts(invitation.orgId(), 1, invitation.role() == OrgRole.OWNER ? 1 : 0),
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(OrgItems.profileKey(userId))
                        .conditionExpression("#status = :enabled").expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":enabled", s("ENABLED"))).build()).build(),
                // not while the account is being deleted (closeJoining)
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(OrgItems.joiningClosedKey(userId))
                        .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :nowS")
                        .expressionAttributeValues(Map.of(":nowS", n(now.getEpochSecond()))).build()).build());
        try {
            run("accept invitation", writes);
            return m;
        } catch (TransactionCanceledException e) {
            if (failed(e, 0)) {
                throw new GoneException("The invitation is no longer valid.", e);
            }
            if (failed(e, 1)) {
                throw new ConflictException("You are a member of this organization already.", e);
            }
            if (failed(e, 3)) {
                throw new GoneException("The organization no longer exists.", e);
            }
            if (failed(e, 4) || failed(e, 5)) {
                throw new ConflictException("The account cannot join an organization.", e);
            }
            throw DynamoErrors.translate("TransactWriteItems (accept invitation)", e);
        }
    }

    // ---- account deletion ----

    /**
     * What {@link #handOver} did.
     *
     * @param successor the member who became owner, with the role they had before
     */
    public record HandOver(Optional<Membership> successor, boolean orgDeleted) {
    }

    /**
     * The organization's last owner {@code goneOwner} no longer exists (deleted at Cognito outside the API, so no one
     * could act as the owner any more): ownership goes to the longest-standing admin, else the longest-standing
     * member (one transaction: the successor becomes owner, conditioned on the role read, and {@code goneOwner} is
     * removed); an organization with no other member is deleted. If another owner exists meanwhile, {@code goneOwner}
     * simply leaves.
     *
     * @throws NotFoundException if {@code goneOwner} is no longer a member (or the organization is gone)
     */
    public HandOver handOver(String orgId, String goneOwner) {
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            Membership gone = membership(orgId, goneOwner).orElseThrow(() -> new NotFoundException("The member does not exist."));
            List<Membership> others = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                QueryResponse page = query(OrgItems.orgPartition(orgId), OrgItems.MEMBER, start, 100, true);
                page.items().stream().map(OrgItems::membership).filter(m -> !m.userId().equals(goneOwner)).forEach(others::add);
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            if (gone.role() != OrgRole.OWNER || others.stream().anyMatch(m -> m.role() == OrgRole.OWNER)) {
                try {
                    removeMember(orgId, goneOwner);
                    return new HandOver(Optional.empty(), false);
                } catch (ConflictException ownersChanged) {
                    if (!budget.pause()) {
                        throw ownersChanged;
                    }
                    continue;
                }
            }
            Optional<Membership> next = others.stream()
                    .min(Comparator.comparing((Membership m) -> m.role().ordinal())
                            .thenComparing(Membership::joinedAt).thenComparing(Membership::userId));
            if (next.isEmpty()) {
                try {
                    delete(orgId, new Actor(goneOwner, OrgRole.OWNER), true);
                    return new HandOver(Optional.empty(), true);
                } catch (ConflictException joinedMeanwhile) {
                    staleOrGiveUp(budget, null);
                    continue;
                }
            }
            Membership successor = new Membership(orgId, next.get().userId(), OrgRole.OWNER, next.get().joinedAt());
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(OrgItems.memberKey(orgId, goneOwner))
                            .conditionExpression("#role = :was").expressionAttributeNames(Map.of("#role", "role"))
                            .expressionAttributeValues(Map.of(":was", s(OrgRole.OWNER.value()))).build()).build(),
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(OrgItems.mirrorKey(orgId, goneOwner)).build()).build(),
                    put(OrgItems.membershipItem(OrgItems.memberKey(orgId, successor.userId()), successor), "#role = :was", next.get().role()),
                    put(OrgItems.membershipItem(OrgItems.mirrorKey(orgId, successor.userId()), successor), null),
                    counts(orgId, -1, 0));
            try {
                run("hand over org", writes);
                return new HandOver(next, false);
            } catch (TransactionCanceledException e) {
                if (failed(e, 4)) {
                    throw new NotFoundException(ORG_GONE);
                }
                if (failed(e, 0) || failed(e, 2)) {
                    staleOrGiveUp(budget, e);
                    continue;
                }
                throw DynamoErrors.translate("TransactWriteItems (hand over org)", e);
            }
        }
    }

    /**
     * Closes joining for {@code userId} until {@code until}: from the moment this returns, no invitation is accepted
     * for the account ({@link #accept} checks the item in its transaction), so the memberships read afterwards are
     * all the account has while it is being deleted. Kept until then (TTL {@code expiresAt}) in case the deletion
     * stops half-way; an account whose deletion was refused is opened again ({@link #reopenJoining}).
     */
    public void closeJoining(String userId, Instant until) {
        try {
            db.putItem(r -> r.tableName(table).item(OrgItems.joiningClosedItem(userId, until)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem (close joining)", e);
        }
    }

    public void reopenJoining(String userId) {
        try {
            db.deleteItem(r -> r.tableName(table).key(OrgItems.joiningClosedKey(userId)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem (reopen joining)", e);
        }
    }

    // ---- helpers ----

    private Optional<Map<String, AttributeValue>> getInvitationItem(String orgId, String id) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(OrgItems.invitationKey(orgId, id)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem (invitation)", e);
        }
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition);
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, OrgRole was) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).conditionExpression(condition)
                .expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(":was", s(was.value()))).build()).build();
    }

    /** The organization's counts: exists, and {@code owners} stays at least 1 when it goes down. */
    private TransactWriteItem counts(String orgId, int members, int owners) {
        if (members == 0 && owners == 0) {
            return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(OrgItems.orgKey(orgId))
                    .conditionExpression("attribute_exists(pk)").build()).build();
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":members", n(members), ":owners", n(owners)));
        String condition = "attribute_exists(pk)";
        if (owners < 0) {
            condition += " AND #owners > :one";
            values.put(":one", n(1));
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(OrgItems.orgKey(orgId))
                .updateExpression("ADD memberCount :members, #owners :owners")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#owners", "owners"))
                .expressionAttributeValues(values).build()).build();
    }

    /** The actor is still a member with the role they were authorized with. */
    private TransactWriteItem actorCheck(String orgId, Actor actor) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(OrgItems.memberKey(orgId, actor.userId()))
                .conditionExpression("#role = :role").expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(":role", s(actor.role().value()))).build()).build();
    }

    private RuntimeException countsOrActor(String orgId, TransactionCanceledException e) {
        if (failed(e, 2)) {
            return find(orgId).isEmpty() ? new NotFoundException(ORG_GONE)
                    : new ConflictException("This would leave the organization without an owner.", e);
        }
        return actorChanged(e);
    }

    private static RuntimeException actorChanged(TransactionCanceledException e) {
        if (failed(e, 1) || (e.hasCancellationReasons() && e.cancellationReasons().size() > 3 && failed(e, 3))) {
            return new ConflictException("Your role in the organization changed meanwhile; try again.", e);
        }
        return DynamoErrors.translate("TransactWriteItems (org)", e);
    }

    /** Someone acting on another member was authorized against that member's role: it must be given. */
    private static void requireAuthorizedAs(OrgRole authorizedAs, Actor actor) {
        if (actor != null && authorizedAs == null) {
            throw new IllegalArgumentException("acting on another member needs the role that was authorized");
        }
    }

    private static ConflictException targetChanged(TransactionCanceledException e) {
        return new ConflictException("The member's role changed meanwhile; try again.", e);
    }

    private static void staleOrGiveUp(DynamoRetry.Budget budget, TransactionCanceledException e) {
        if (!budget.pause()) {
            throw new ConflictException("The member was changed concurrently; try again.", e);
        }
    }

    private void run(String what, List<TransactWriteItem> writes) {
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                if (!onlyConflicts(e)) {
                    throw e;
                }
                budget.pauseOrGiveUp(e);
            } catch (SdkException e) {
                throw DynamoErrors.translate("TransactWriteItems (" + what + ")", e);
            }
        }
    }

    private static boolean onlyConflicts(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason reason : e.cancellationReasons()) {
            if ("ConditionalCheckFailed".equals(reason.code())) {
                return false;
            }
            conflict |= "TransactionConflict".equals(reason.code());
        }
        return conflict;
    }

    private static boolean failed(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    private QueryResponse query(String partition, String prefix, Map<String, AttributeValue> start, int limit, boolean consistent) {
        try {
            return db.query(r -> {
                Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(partition)));
                String condition = "pk = :pk";
                if (prefix != null) {
                    condition += " AND begins_with(sk, :prefix)";
                    values.put(":prefix", s(prefix));
                }
                r.tableName(table).keyConditionExpression(condition).expressionAttributeValues(values)
                        .consistentRead(consistent).limit(limit).exclusiveStartKey(start);
            });
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query (org)", e);
        }
    }

    /** Items by "pk|sk", read consistently (unprocessed keys retried within the budget). */
    private Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, String projection) {
        Map<String, Map<String, AttributeValue>> out = new LinkedHashMap<>();
        DynamoRetry.Budget budget = retry.start();
        Map<String, Map<String, AttributeValue>> distinct = new LinkedHashMap<>();
        keys.forEach(k -> distinct.put(k.get(OrgItems.PK).s() + "|" + k.get(OrgItems.SK).s(), k));
        List<Map<String, AttributeValue>> pending = List.copyOf(distinct.values());
        try {
            while (!pending.isEmpty()) {
                KeysAndAttributes.Builder ka = KeysAndAttributes.builder().keys(pending).consistentRead(true);
                if (projection != null) {
                    ka.projectionExpression(projection).expressionAttributeNames(Map.of("#name", "name"));
                }
                KeysAndAttributes request = ka.build();
                BatchGetItemResponse response = db.batchGetItem(r -> r.requestItems(Map.of(table, request)));
                response.responses().getOrDefault(table, List.of())
                        .forEach(i -> out.put(i.get(OrgItems.PK).s() + "|" + i.get(OrgItems.SK).s(), i));
                KeysAndAttributes left = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(table) : null;
                pending = left == null || !left.hasKeys() ? List.of() : left.keys();
                if (!pending.isEmpty()) {
                    budget.pauseOrGiveUp(null);
                }
            }
            return out;
        } catch (SdkException e) {
            throw DynamoErrors.translate("BatchGetItem (org)", e);
        }
    }

    private static String nextCursor(QueryResponse page, String listing, String partition, String binding) {
        if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
            return null;
        }
        return Cursors.encodeFields(Map.of("l", listing, "p", partition, "b", binding, "k", page.lastEvaluatedKey().get(OrgItems.SK).s()));
    }

    /**
     * Checks that {@code cursor} has the shape of this repository's cursors (before any authorization, so a malformed
     * one is a 400 for anyone); whether it belongs to the listing and caller is checked when it is used.
     */
    public static void checkCursorShape(String cursor) {
        Cursors.decodeFields(cursor, Set.of("l", "p", "b", "k"), c -> true);
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor, String listing, String partition, String binding, String prefix) {
        Map<String, String> f = Cursors.decodeFields(cursor, Set.of("l", "p", "b", "k"), c -> c.get("l").equals(listing)
                && c.get("p").equals(partition) && c.get("b").equals(binding) && c.get("k").startsWith(prefix));
        return OrgItems.key(partition, f.get("k"));
    }
}
