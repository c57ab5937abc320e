package dev.userapi.core.aws;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Strict reading of the items the table answers. An item that lacks what every write of it puts (an attribute
 * missing or of another type, an instant, number or enum value that does not parse) means the store cannot be read
 * as it must be: a logged 503 {@code ServiceUnavailable}, never a 500 (the parse's exception escaping) and never a
 * 400 (a stored value is never the caller's input, even where the same parser checks input).
 */
public final class StoredItems {
    private static final Log LOG = Log.of(StoredItems.class);

    private StoredItems() {
    }

    /**
     * What {@code parse} makes of {@code item}; a 503 when it finds the item unreadable. {@code kind} names the store
     * in the log and the answer ("organization", "session", ...).
     */
    public static <T> T readable(String kind, Map<String, AttributeValue> item, Supplier<T> parse) {
        // NullPointerException too: the records' constructors copy maps and lists, which refuse a stored NUL
        try {
            return parse.get();
        } catch (NoSuchElementException | IllegalArgumentException | DateTimeException | ArithmeticException | ClassCastException
                 | NullPointerException
                 | IndexOutOfBoundsException | InvalidRequestException e) {
            throw unreadable(kind, item, e.getClass().getSimpleName());
        }
    }

    /** The 503 for an item of {@code kind} found unreadable ({@code why}, logged with the item's keys). */
    public static ServiceUnavailableException unreadable(String kind, Map<String, AttributeValue> item, String why) {
        LOG.warn("unreadable " + kind + " item", "pk", Attr.string(item, "pk").orElse(""), "sk", Attr.string(item, "sk").orElse(""),
                "error", why);
        return new ServiceUnavailableException("The " + kind + " store answered an unreadable item.");
    }

    /** A string attribute every write puts (missing or of another type: unreadable, inside {@link #readable}). */
    public static String string(Map<String, AttributeValue> item, String name) {
        return Attr.string(item, name).orElseThrow(() -> new NoSuchElementException(name));
    }

    /** A number attribute every write puts. */
    public static long number(Map<String, AttributeValue> item, String name) {
        return Attr.number(item, name).orElseThrow(() -> new NoSuchElementException(name));
    }

    /** An ISO-8601 instant every write puts. */
    public static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.parse(string(item, name));
    }

    /** An instant in epoch seconds every write puts. */
    public static Instant epochSeconds(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochSecond(number(item, name));
    }
}
