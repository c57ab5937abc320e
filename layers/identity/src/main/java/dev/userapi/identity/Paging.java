package dev.userapi.identity;

import dev.userapi.core.problem.InvalidRequestException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code ?limit&cursor} of a paged listing: no other query parameter, a limit from 1 to 100 (25 by default). */
final class Paging {
    private static final Set<String> PARAMETERS = Set.of("limit", "cursor");

    private Paging() {
    }

    static int limit(Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new InvalidRequestException("Unknown query parameter '" + name + "'.");
            }
        }
        return AdminService.limit(query.get("limit"));
    }

    static Optional<String> cursor(Map<String, String> query) {
        return Optional.ofNullable(query.get("cursor"));
    }
}
