package dev.userapi.core.org;

/** A membership with the member's current e-mail and name (read from the profile; empty when the profile is gone). */
public record Member(Membership membership, String email, String name) {
}
