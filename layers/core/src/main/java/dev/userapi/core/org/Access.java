package dev.userapi.core.org;

import java.util.Optional;

/** What authorizing a caller on an organization reads in one consistent request: the organization and the caller's membership, if any. */
public record Access(Org org, Optional<Membership> membership) {
}
