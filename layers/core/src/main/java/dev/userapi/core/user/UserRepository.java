package dev.userapi.core.user;

import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.PreconditionFailedException;
import dev.userapi.core.problem.UserNotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Profiles in DynamoDB, the source of truth for roles and status.
 *
 * <p>Single-table layout (see docs/DATA-MODEL.md; the items are {@link UserItems}):
 * <ul>
 *   <li>profile: {@code pk=USER#<sub>, sk=PROFILE}, listed through the {@code ByEmail} index as
 *       {@code gsi1pk=USERS#<shard>} (or {@code DISABLED#<shard>}), {@code gsi1sk=<email>#<sub>}, the shard
 *       a hash of the e-mail's first two characters ({@link ProfileStore}, {@link UserListing});</li>
 *   <li>role membership: {@code pk=USER#<sub>, sk=ROLE#<role>}, indexed as {@code gsi1pk=ROLE#<role>#<shard>};</li>
 *   <li>count of enabled administrators: {@code pk=META, sk=ENABLED_ADMINS}, kept in the same transactions
 *       as the roles and the status, so the last enabled administrator cannot be demoted, disabled or
 *       deleted, not even by concurrent requests ({@link RoleStore},
 *       {@link UserTransactions});</li>
 *   <li>a deleted account leaves a tombstone ({@code status=DELETED}, no personal data, expires after
 *       two days) that refuses its remaining tokens and keeps {@code GET /me} from recreating it
 *       ({@link Tombstones}).</li>
 * </ul>
 * Every retry of one operation draws on one {@link DynamoRetry} budget.
 */
public final class UserRepository {
    private static final Log LOG = Log.of(UserRepository.class);
    /** The listing index: profiles and role memberships, sharded by e-mail (docs/DATA-MODEL.md). */
    public static final String INDEX = "ByEmail";
    /** The sessions' own index: a user's sessions by creation time. */
    public static final String SESSIONS_INDEX = "SessionsByUser";

    private final ProfileStore profiles;
    private final RoleStore roles;
    private final Tombstones tombstones;
    private final UserListing listing;
    private final PasskeyNames passkeyNames;
    private final DynamoRetry retry;

    public UserRepository(DynamoDbClient db, String table, List<String> knownRoles, Clock clock) {
        this(db, table, knownRoles, clock, DynamoRetry.standard());
    }

    public UserRepository(DynamoDbClient db, String table, List<String> knownRoles, Clock clock, DynamoRetry retry) {
        this.retry = retry;
        UserTransactions transactions = new UserTransactions(db, table, retry);
        this.profiles = new ProfileStore(db, table, clock);
        this.roles = new RoleStore(db, table, knownRoles, clock, profiles, transactions);
        this.tombstones = new Tombstones(table, knownRoles, clock, profiles, transactions, roles);
        this.listing = new UserListing(db, table, retry);
        this.passkeyNames = new PasskeyNames(db, table);
    }

    public UserRepository(DynamoDbClient db, AppConfig config) {
        this(db, config.tableName(), config.roles(), Clock.systemUTC());
    }

    /** The live profile, read consistently; empty if there is none or only a tombstone. */
    public Optional<UserProfile> find(String id) {
        return profiles.find(id);
    }

    /** Status, roles and revocation instant, tombstones included: what every authorization decision reads. */
    public Optional<UserRecord> findRecord(String id) {
        return profiles.findRecord(id);
    }

    /**
     * Creates the profile unless one (or a tombstone) exists. Idempotent: a retried or concurrent
     * call for the same user creates exactly one profile and never changes an existing one.
     *
     * @return true if this call created it
     */
    public boolean createIfAbsent(UserProfile profile) {
        return roles.createIfAbsent(profile, false);
    }

    /**
     * {@link #createIfAbsent(UserProfile)}; {@code confirmed}: the account is confirmed at Cognito (a confirmed
     * sign-up, a sign-in), so the profile records {@code confirmedAt} (the {@code user.confirmed} event, docs/EVENTS.md).
     */
    public boolean createIfAbsent(UserProfile profile, boolean confirmed) {
        return roles.createIfAbsent(profile, confirmed);
    }

    /**
     * Records that an account whose profile was made before it was confirmed (an invitation) is confirmed now (its
     * first password set): once; false if it was already, or there is no live profile.
     */
    public boolean markConfirmed(String id) {
        return profiles.markConfirmed(id);
    }

    /**
     * Applies a partial update of the writable fields, guarded by the version when one is given.
     *
     * @throws UserNotFoundException       if there is no live profile
     * @throws PreconditionFailedException if {@code expectedVersion} is stale
     */
    public UserProfile update(String id, ProfileChanges changes, OptionalLong expectedVersion) {
        return profiles.update(id, changes, expectedVersion);
    }

    /**
     * Replaces the user's roles, revokes the tokens issued before now (they carry the old roles) and
     * keeps the administrator count. Concurrent calls are serialised by DynamoDB; the last one wins.
     *
     * @throws ConflictException if this would leave the system without an administrator
     */
    public UserProfile replaceRoles(String id, List<String> roles) {
        return this.roles.replaceRoles(id, roles);
    }

    /**
     * Enables or disables the account (counting administrators in or out of the enabled ones);
     * disabling also revokes every token issued before now.
     *
     * @throws ConflictException if this would disable the last enabled administrator
     */
    public UserProfile setStatus(String id, UserStatus status) {
        return roles.setStatus(id, status);
    }

    /**
     * Changes the profile's e-mail, moving it and its role memberships to the new address's place in the listing
     * index (the shard depends on the e-mail). Idempotent.
     *
     * @throws UserNotFoundException if there is no live profile
     */
    public UserProfile changeEmail(String id, String email) {
        return roles.changeEmail(id, email);
    }

    /** Records whether TOTP is required at sign-in (Cognito enforces it; the profile shows it). */
    public UserProfile setMfaEnabled(String id, boolean enabled) {
        return profiles.setMfaEnabled(id, enabled);
    }

    /**
     * Ends everything issued before now: the authorizer refuses older access tokens and refresh
     * through the API refuses older sessions. Does not change the profile's version.
     *
     * @return the instant recorded, in epoch milliseconds
     */
    public long endSessions(String id) {
        return profiles.endSessions(id);
    }

    /** {@link #endSessions(String)} after a new password: also records {@code passwordChangedAt} (the {@code password.changed} event). */
    public long endSessionsAfterPasswordChange(String id) {
        return profiles.endSessions(id, true);
    }

    /**
     * Ends one session's access tokens at once: the authorizer refuses every token whose
     * {@code origin_jti} is {@code originJti} (logout; later {@code DELETE /me/sessions/{id}}). Kept on the
     * profile, which the authorizer reads anyway, until {@code untilSeconds} (epoch), when those tokens
     * have all expired; bounded (see {@code ProfileStore#revokeSession}).
     */
    public void revokeSession(String id, String originJti, long untilSeconds) {
        profiles.revokeSession(id, originJti, untilSeconds, retry.start());
    }

    /**
     * Deletes the profile and its role memberships, leaving a tombstone that refuses the account's
     * remaining tokens until they have expired.
     *
     * @throws ConflictException if the user is the last administrator
     */
    public void delete(String id) {
        tombstones.delete(id);
        try {
            passkeyNames.deleteAll(id); // Cognito deletes the credentials with the user; their names go with the account
        } catch (RuntimeException e) {
            // the account is deleted; a name left behind is never shown (no credential at Cognito) and says little
            LOG.warn("could not forget the deleted account's passkey names", e, "userId", id);
        }
    }

    /** The names users give their passkeys (Cognito keeps none of the user's choosing). */
    public PasskeyNames passkeyNames() {
        return passkeyNames;
    }

    /** The number of enabled administrators, as kept by the transactions (read consistently). */
    public long adminCount() {
        return roles.adminCount();
    }

    /**
     * The id of the account whose profile is listed at {@code email} (normalized), enabled or disabled; empty if
     * none. Read from the listing index, so a profile created a moment ago may not be found yet.
     */
    public Optional<String> idOfEmail(String email) {
        return listing.idOfEmail(email);
    }

    /**
     * Every profile listed at {@code email} (normalized), enabled or disabled, at most a few: more than one only while
     * a profile outlives its Cognito account and the address has a new one (docs/SECURITY.md item 31).
     */
    public List<String> idsOfEmail(String email) {
        return listing.idsOfEmail(email, 5);
    }

    /**
     * One page of users, sorted by e-mail, merged from the shards of the {@code ByEmail} index (never a
     * table scan). With a role filter the role's membership entries are merged and their profiles
     * fetched in one batch. A page may hold fewer than {@code limit} items when a role and a status
     * filter apply together; follow {@code nextCursor} until it is null.
     */
    public Page<UserProfile> list(UserFilter filter, int limit, Optional<String> cursor) {
        return listing.list(filter, limit, cursor);
    }
}
