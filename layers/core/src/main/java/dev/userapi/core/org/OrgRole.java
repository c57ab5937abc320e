package dev.userapi.core.org;

import dev.userapi.core.problem.InvalidRequestException;
import java.util.Locale;

/** A member's role in an organization, strongest first: {@code owner} > {@code admin} > {@code member}. */
public enum OrgRole {
    OWNER, ADMIN, MEMBER;

    /** The lower-case name the API and the items use. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True if this role is {@code other} or stronger. */
    public boolean atLeast(OrgRole other) {
        return ordinal() <= other.ordinal();
    }

    /**
     * The role named {@code value} (exactly {@code owner}, {@code admin} or {@code member}).
     *
     * @throws InvalidRequestException for anything else
     */
    public static OrgRole parse(String value) {
        for (OrgRole role : values()) {
            if (role.value().equals(value)) {
                return role;
            }
        }
        throw new InvalidRequestException("Field 'role' must be one of owner, admin, member.");
    }
}
