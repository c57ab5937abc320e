package dev.userapi.local.gateway;

import dev.userapi.local.template.SamTemplate;
import dev.userapi.local.template.TemplateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The rate-based rules of the template's AWS WAF web ACL, applied as WAF applies them in front of the
 * stage (docs/SECURITY.md item 30): per client IP address ({@code AggregateKeyType: IP}: the address
 * the connection comes from, which is also API Gateway's {@code sourceIp}; never
 * {@code X-Forwarded-For}, which the template's rules do not trust — no {@code ForwardedIPConfig}),
 * counting the requests that match the rule's scope-down statement over the trailing
 * {@code EvaluationWindowSec}; a request that makes the count exceed {@code Limit} is blocked, and so
 * is every further one until the count in the window falls back. Rules run in priority order; a
 * request one rule blocks is not counted by later ones. Requests are counted before API Gateway sees
 * them (an unknown path counts too).
 *
 * <p>Emulated: {@code RateBasedStatement} with {@code AggregateKeyType: IP}, an optional
 * {@code ScopeDownStatement} that is a {@code ByteMatchStatement} on {@code UriPath}
 * ({@code CONTAINS}, {@code STARTS_WITH}, {@code ENDS_WITH}, {@code EXACTLY}; text transformations
 * {@code NONE}, {@code LOWERCASE}). Not emulated (passed): AWS's managed rule groups, whose contents
 * are AWS's. Any other rate rule fails the start-up rather than being silently skipped.
 */
public final class WebAcl {
    /** One rate-based rule. */
    public record RateRule(String name, int priority, long limit, long windowSeconds, Optional<ByteMatch> scopeDown) {
    }

    /** A byte-match on the URI path. */
    public record ByteMatch(String searchString, String constraint, boolean lowercase) {
        boolean matches(String path) {
            String value = lowercase ? path.toLowerCase(Locale.ROOT) : path;
            return switch (constraint) {
                case "CONTAINS" -> value.contains(searchString);
                case "STARTS_WITH" -> value.startsWith(searchString);
                case "ENDS_WITH" -> value.endsWith(searchString);
                case "EXACTLY" -> value.equals(searchString);
                default -> throw new IllegalStateException(constraint);
            };
        }
    }

    private static final WebAcl NONE = new WebAcl(List.of(), () -> 0);

    private final List<RateRule> rules;
    private final LongSupplier nanoTime;
    /** Per rule and address: the times of the newest {@code limit + 1} counted requests. */
    private final Map<String, ArrayDeque<Long>> counted = new ConcurrentHashMap<>();

    public WebAcl(List<RateRule> rules, LongSupplier nanoTime) {
        this.rules = rules.stream().sorted(Comparator.comparingInt(RateRule::priority)).toList();
        this.nanoTime = nanoTime;
    }

    /** No web ACL (the template's condition turned it off, or there is none). */
    public static WebAcl none() {
        return NONE;
    }

    public List<RateRule> rules() {
        return rules;
    }

    /**
     * Counts one request from {@code sourceIp} to {@code path}: the name of the rule that blocks it, or
     * empty when it may go on to API Gateway.
     */
    public Optional<String> evaluate(String sourceIp, String path) {
        long now = nanoTime.getAsLong();
        for (RateRule rule : rules) {
            if (rule.scopeDown().isPresent() && !rule.scopeDown().get().matches(path)) {
                continue;
            }
            ArrayDeque<Long> times = counted.computeIfAbsent(rule.name() + " " + sourceIp, k -> new ArrayDeque<>());
            boolean over;
            synchronized (times) {
                times.addLast(now);
                while (times.size() > rule.limit() + 1) {
                    times.removeFirst();
                }
                // more than `limit` requests in the trailing window: the (limit + 1)-th newest is within it
                over = times.size() > rule.limit() && now - times.peekFirst() < rule.windowSeconds() * 1_000_000_000L;
            }
            if (over) {
                return Optional.of(rule.name());
            }
        }
        return Optional.empty();
    }

    /**
     * The template's web ACL (its {@code Condition} applied: none when {@code WafEnabled=false}), limits
     * from its parameters as overridden at start.
     */
    @SuppressWarnings("unchecked")
    public static WebAcl fromTemplate(SamTemplate template, LongSupplier nanoTime) {
        List<RateRule> rules = new ArrayList<>();
        for (String id : template.logicalIdsOfType("AWS::WAFv2::WebACL")) {
            rules.addAll(rateRules((List<Object>) template.properties(id, java.util.Set.of("Rules")).getOrDefault("Rules", List.of())));
        }
        return rules.isEmpty() ? none() : new WebAcl(rules, nanoTime);
    }

    /** The rate-based rules of a web ACL's evaluated {@code Rules}; managed rule groups are left out. */
    @SuppressWarnings("unchecked")
    public static List<RateRule> rateRules(List<Object> rules) {
        List<RateRule> out = new ArrayList<>();
        for (Object item : rules) {
            Map<String, Object> rule = (Map<String, Object>) item;
            Map<String, Object> statement = (Map<String, Object>) rule.getOrDefault("Statement", Map.of());
            Object rate = statement.get("RateBasedStatement");
            if (rate == null) {
                continue;
            }
            String name = String.valueOf(rule.get("Name"));
            Map<String, Object> rateStatement = (Map<String, Object>) rate;
            if (!"IP".equals(String.valueOf(rateStatement.getOrDefault("AggregateKeyType", "IP")))) {
                throw new TemplateException("WAF rule " + name + ": the local gateway emulates AggregateKeyType IP only");
            }
            Map<String, Object> action = (Map<String, Object>) rule.getOrDefault("Action", Map.of());
            if (!action.containsKey("Block")) {
                continue; // Count or CAPTCHA: never blocks by itself here
            }
            Optional<ByteMatch> scopeDown = Optional.empty();
            Object down = rateStatement.get("ScopeDownStatement");
            if (down != null) {
                scopeDown = Optional.of(byteMatch(name, (Map<String, Object>) down));
            }
            out.add(new RateRule(name, Integer.parseInt(String.valueOf(rule.getOrDefault("Priority", 0))),
                    Long.parseLong(String.valueOf(rateStatement.get("Limit"))),
                    Long.parseLong(String.valueOf(rateStatement.getOrDefault("EvaluationWindowSec", 300))), scopeDown));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static ByteMatch byteMatch(String rule, Map<String, Object> statement) {
        Map<String, Object> match = (Map<String, Object>) statement.get("ByteMatchStatement");
        if (match == null || !((Map<String, Object>) match.getOrDefault("FieldToMatch", Map.of())).containsKey("UriPath")) {
            throw new TemplateException("WAF rule " + rule + ": the local gateway emulates a scope-down ByteMatchStatement on UriPath only");
        }
        boolean lowercase = false;
        for (Object t : (List<Object>) match.getOrDefault("TextTransformations", List.of())) {
            String type = String.valueOf(((Map<String, Object>) t).get("Type"));
            if (type.equals("LOWERCASE")) {
                lowercase = true;
            } else if (!type.equals("NONE")) {
                throw new TemplateException("WAF rule " + rule + ": text transformation " + type + " is not emulated locally");
            }
        }
        String constraint = String.valueOf(match.get("PositionalConstraint"));
        if (!List.of("CONTAINS", "STARTS_WITH", "ENDS_WITH", "EXACTLY").contains(constraint)) {
            throw new TemplateException("WAF rule " + rule + ": positional constraint " + constraint + " is not emulated locally");
        }
        return new ByteMatch(String.valueOf(match.get("SearchString")), constraint, lowercase);
    }
}
