package dev.userapi.core.http;

import dev.userapi.core.problem.InvalidRequestException;

/** The {@code limit} query parameter of every paged route ({@code ../shared/API.md}: 1 to 100, 25 when absent). */
public final class PageLimit {
    public static final int DEFAULT = 25;
    public static final int MAX = 100;

    private PageLimit() {
    }

    /**
     * The page size asked for: {@link #DEFAULT} when {@code value} is null.
     *
     * @throws InvalidRequestException unless {@code value} is a whole number from 1 to {@link #MAX}
     */
    public static int parse(String value) {
        if (value == null) {
            return DEFAULT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new InvalidRequestException("Query parameter 'limit' must be a whole number from 1 to " + MAX + ".");
    }
}
